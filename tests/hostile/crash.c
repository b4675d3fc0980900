/* A server that dereferences NULL before it does anything.
 * Lab: 02-tcp-hello
 * Replaces: server.c
 * Expect: SIGSEGV
 */
#include <stddef.h>

int main(void)
{
	volatile int *nowhere = NULL;

	return *nowhere;
}
