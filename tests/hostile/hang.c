/* A server that never listens: it spins forever.
 * Lab: 02-tcp-hello
 * Replaces: server.c
 * Expect: timeout
 */
int main(void)
{
	volatile unsigned long spins = 0;

	for (;;)
		spins++;
}
