/* client.c - lab 06: asks a course server about each course given.
 *
 * usage: client HOST PORT COURSE...
 *
 * Connects once, then for each COURSE sends the request line and prints
 * the server's reply line on stdout, in order; closes and exits 0. HOST is
 * a name, an IPv4 or an IPv6 literal. An unknown host, a refused
 * connection or a server that closes before replying exit with status 2.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "course.h"

/* Tries each address in the list; returns the first socket that connects,
 * or -1 with errno from the last failure. */
static int connect_first(const struct addrinfo *list)
{
	const struct addrinfo *ai;
	int last_errno = ECONNREFUSED; /* reported if every try failed */

	for (ai = list; ai != NULL; ai = ai->ai_next) {
		int fd =
		    socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);

		if (fd < 0) {
			last_errno = errno;
			continue;
		}
		/* Python: s.connect((host, port)) */
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			return fd;
		last_errno = errno;
		close(fd);
	}
	errno = last_errno;
	return -1;
}

/* Sends one request and prints its reply. Returns 0, or -1 after saying
 * on stderr what went wrong. */
static int ask(int fd, struct line_reader *reader, const char *course)
{
	char reply[REQUEST_MAX + 1]; /* one reply line */
	enum line_status got;

	/* Python: s.send(name.encode()) - with the "\n" that ends it. */
	if (writen(fd, course, strlen(course)) < 0 || writen(fd, "\n", 1) < 0) {
		perror("client: write");
		return -1;
	}
	/* Python: print(s.recv(1024).decode()) - but a whole line, however
	 * many recv calls it takes. */
	do
		got = read_line(reader, reply, sizeof(reply));
	while (got == LINE_ERROR && errno == EINTR);
	switch (got) {
	case LINE_OK:
		printf("%s\n", reply);
		return 0;
	case LINE_EOF:
		fprintf(stderr, "client: the server closed the connection "
				"before replying\n");
		return -1;
	case LINE_TOO_LONG:
		fprintf(stderr, "client: the reply is longer than %d bytes\n",
			REQUEST_MAX);
		return -1;
	default:
		perror("client: recv");
		return -1;
	}
}

int main(int argc, char **argv)
{
	struct addrinfo hints;	   /* what kind of addresses we want */
	struct addrinfo *results;  /* what getaddrinfo found */
	struct line_reader reader; /* the server's replies, in lines */
	const char *host, *port;   /* from the command line */
	int rc, fd, status = EXIT_OK;

	/* HOST, PORT and at least one course. */
	if (argc < 4 || parse_port(argv[2]) < 0) {
		fprintf(stderr, "usage: client HOST PORT COURSE... "
				"(PORT from 1 to 65535)\n");
		return EXIT_USAGE;
	}
	host = argv[1];
	port = argv[2];

	/* Python: socket.getaddrinfo(host, port, 0, SOCK_STREAM) */
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, port, &hints, &results);
	if (rc != 0) {
		fprintf(stderr, "client: %s: %s\n", host, gai_strerror(rc));
		return EXIT_RUNTIME;
	}
	fd = connect_first(results);
	freeaddrinfo(results);
	if (fd < 0) {
		fprintf(stderr, "client: connect to %s port %s: %s\n", host,
			port, strerror(errno));
		return EXIT_RUNTIME;
	}

	/* One connection for every course, one reply per course. */
	line_reader_init(&reader, fd);
	for (int i = 3; i < argc; i++) {
		if (ask(fd, &reader, argv[i]) < 0) {
			status = EXIT_RUNTIME;
			break;
		}
	}

	/* Python: s.close() */
	close(fd);
	return status;
}
