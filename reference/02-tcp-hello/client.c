/* client.c - lab 02: connect to a TCP server and print what it sends.
 *
 * usage: client HOST PORT
 *
 * HOST is a name ("localhost"), an IPv4 literal ("127.0.0.1") or an IPv6
 * literal ("::1"). The client tries every address getaddrinfo returns
 * until one connects, then copies everything it receives to stdout until
 * the server closes the connection, and exits 0. Problems go to stderr:
 * an unknown host or a refused connection exit with status 2.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wrappers.h"

/* Tries each address in the list; returns the first socket that connects,
 * or -1 with errno from the last failure. */
static int connect_first(const struct addrinfo *list)
{
	const struct addrinfo *ai;
	int last_errno = ECONNREFUSED; /* reported if every try failed */

	for (ai = list; ai != NULL; ai = ai->ai_next) {
		/* Python: s = socket.socket(family, SOCK_STREAM), with the
		 * family of this address: IPv4 and IPv6 need their own. */
		int fd =
		    socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);

		if (fd < 0) {
			last_errno = errno;
			continue;
		}
		/* Python: s.connect((host, port)) */
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			return fd;
		/* Not this one: remember why, close, try the next address. */
		last_errno = errno;
		close(fd);
	}
	errno = last_errno;
	return -1;
}

/* Copies everything that arrives on fd to stdout until the peer closes.
 * Returns 0, or -1 with *failed_call naming the call that failed. */
static int copy_until_close(int fd, const char **failed_call)
{
	char buf[4096]; /* one recv's worth */

	for (;;) {
		/* Python: data = s.recv(4096). TCP is a byte stream: the
		 * greeting may arrive in several pieces, so keep reading. */
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n == 0)
			return 0; /* the server closed: that was everything */
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*failed_call = "recv";
			return -1;
		}
		/* Print exactly the bytes received, no more, no less. */
		if (writen(STDOUT_FILENO, buf, (size_t)n) < 0) {
			*failed_call = "write";
			return -1;
		}
	}
}

int main(int argc, char **argv)
{
	struct addrinfo hints;	  /* what kind of addresses we want */
	struct addrinfo *results; /* what getaddrinfo found */
	const char *host, *port;  /* from the command line */
	const char *failed_call;  /* set by copy_until_close */
	int rc, fd;

	/* Exactly two arguments, and the second a port number. */
	if (argc != 3 || parse_port(argv[2]) < 0) {
		fprintf(stderr, "usage: client HOST PORT\n");
		return EXIT_USAGE;
	}
	host = argv[1];
	port = argv[2];

	/* Python: socket.getaddrinfo(host, port, 0, SOCK_STREAM).
	 * AF_UNSPEC: IPv4 or IPv6, whatever the host has. */
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, port, &hints, &results);
	if (rc != 0) {
		/* getaddrinfo has its own error codes: gai_strerror, not
		 * errno. Name the host, so the user sees what was wrong. */
		fprintf(stderr, "client: %s: %s\n", host, gai_strerror(rc));
		return EXIT_RUNTIME;
	}

	fd = connect_first(results);
	freeaddrinfo(results); /* done with the list, whatever happened */
	if (fd < 0) {
		fprintf(stderr, "client: connect to %s port %s: %s\n", host,
			port, strerror(errno));
		return EXIT_RUNTIME;
	}

	if (copy_until_close(fd, &failed_call) < 0) {
		fprintf(stderr, "client: %s: %s\n", failed_call,
			strerror(errno));
		close(fd);
		return EXIT_RUNTIME;
	}

	/* Python: s.close() */
	close(fd);
	return EXIT_OK;
}
