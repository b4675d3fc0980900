/* client.c - lab 06: asks a course server about each course given.
 *
 * usage: client HOST PORT COURSE...
 *
 * Connects once, then for each COURSE sends the request line and prints
 * the server's reply line on stdout, in order; closes and exits 0. HOST is
 * a name, an IPv4 or an IPv6 literal. An unknown host, a refused
 * connection or a server that closes before replying exit with status 2.
 *
 * You may add static helper functions, for instance
 *	static int connect_first(const struct addrinfo *list);
 *	static int ask(int fd, struct line_reader *reader, const char *course);
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "course.h"

int main(int argc, char **argv)
{
	/* TODO, step by step (the handout explains each call):
	 *
	 * 1. Arguments: unless argc >= 4 and parse_port(argv[2]) accepts
	 *    the port, print "usage: client HOST PORT COURSE..." on stderr
	 *    and return EXIT_USAGE.
	 *
	 * 2. Resolve and connect as in lab 02: getaddrinfo with AF_UNSPEC
	 *    and SOCK_STREAM, try each address in order until connect
	 *    succeeds (localhost is ::1 first, then 127.0.0.1), closing the
	 *    socket of each that fails, then freeaddrinfo. Errors: "client:
	 *    HOST: " and gai_strerror, or "client: connect to HOST port
	 *    PORT: " and strerror; return EXIT_RUNTIME.
	 *
	 * 3. line_reader_init(&reader, fd). For each course argv[3] ...:
	 *    writen the course as typed, then writen "\n"; read_line the
	 *    reply (again while it fails with EINTR); LINE_OK: print it with
	 *    printf("%s\n", reply); LINE_EOF (the server closed before
	 *    replying), LINE_TOO_LONG or LINE_ERROR: say so on stderr and end
	 *    with EXIT_RUNTIME, the replies printed so far left printed.
	 *
	 * 4. close(fd) and return EXIT_OK. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
