/* A server that does not compile: the build check shows the compiler's own
 * message and the server's checks say they could not run.
 * Lab: 02-tcp-hello
 * Replaces: server.c
 * Expect: error: expected
 */
int main(void)
{
	return 0
}
