/* A server that detaches into the background and returns at once, leaving
 * a daemon that never listens.
 * Lab: 02-tcp-hello
 * Replaces: server.c
 * Expect: exit status 0
 */
#include <unistd.h>

int main(void)
{
	if (fork() == 0) {
		setsid();
		for (;;)
			pause();
	}
	return 0;
}
