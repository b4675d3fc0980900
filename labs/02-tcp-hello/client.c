/* client.c - lab 02: connect to a TCP server and print what it sends.
 *
 * usage: client HOST PORT
 *
 * HOST is a name ("localhost"), an IPv4 literal ("127.0.0.1") or an IPv6
 * literal ("::1"). The client tries every address getaddrinfo returns
 * until one connects, then copies everything it receives to stdout until
 * the server closes the connection, and exits 0. Problems go to stderr:
 * an unknown host or a refused connection exit with status 2.
 *
 * You may add static helper functions, for instance
 *	static int connect_first(const struct addrinfo *list);
 *	static int copy_until_close(int fd);
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wrappers.h"

int main(int argc, char **argv)
{
	/* TODO, step by step (the handout explains each call):
	 *
	 * 1. Arguments: unless argc == 3 and parse_port(argv[2]) accepts
	 *    the port, print "usage: client HOST PORT" on stderr and return
	 *    EXIT_USAGE.
	 *
	 * 2. Resolve: a struct addrinfo hints zeroed with memset, with
	 *    ai_family = AF_UNSPEC (IPv4 or IPv6) and ai_socktype =
	 *    SOCK_STREAM; rc = getaddrinfo(host, port, &hints, &results).
	 *    If rc != 0, print "client: HOST: " and gai_strerror(rc) on
	 *    stderr and return EXIT_RUNTIME.
	 *
	 * 3. Connect: for each address ai in the list (ai = ai->ai_next),
	 *    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol)
	 *    and connect(fd, ai->ai_addr, ai->ai_addrlen); stop at the first
	 *    that connects, close the socket of each that fails and remember
	 *    its errno. Then freeaddrinfo(results). If none connected, print
	 *    "client: connect to HOST port PORT: " and strerror of that
	 *    errno on stderr and return EXIT_RUNTIME.
	 *
	 * 4. Copy: loop n = recv(fd, buf, sizeof buf, 0) with a char
	 *    buf[4096]: n == 0 means the server closed, stop; n < 0 with
	 *    errno EINTR, recv again; other n < 0 (ECONNRESET: the server
	 *    reset the connection), report "client: recv: " and strerror,
	 *    and return EXIT_RUNTIME; else writen(STDOUT_FILENO, buf, n),
	 *    exactly the n bytes received, at once.
	 *
	 * 5. close(fd) and return EXIT_OK. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
