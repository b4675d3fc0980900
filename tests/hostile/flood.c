/* A server that prints without end instead of listening.
 * Lab: 02-tcp-hello
 * Replaces: server.c
 * Expect: printing more than
 */
#include <stdio.h>

int main(void)
{
	for (;;)
		puts("all work and no play makes a server that never listens");
}
