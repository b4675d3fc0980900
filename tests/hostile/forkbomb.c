/* A server that forks without end.
 * Lab: 02-tcp-hello
 * Replaces: server.c
 * Expect: process limit reached
 */
#include <unistd.h>

int main(void)
{
	for (;;)
		fork();
}
