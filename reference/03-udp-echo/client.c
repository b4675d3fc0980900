/* client.c - lab 03: send one datagram and print the reply.
 *
 * usage: client HOST PORT MESSAGE [TIMEOUT_MS [RETRIES]]
 *
 * Sends MESSAGE (its bytes, without a terminating NUL) in one datagram to
 * HOST port PORT and waits up to TIMEOUT_MS milliseconds (default 1000)
 * for the reply. UDP makes no promise that a datagram arrives, so when
 * nothing comes back in time it sends MESSAGE again, up to RETRIES more
 * times (default 2). The reply is the first datagram that comes from the
 * server's address and port; datagrams from anywhere else are ignored.
 * The client prints the reply's bytes on stdout, exactly, then "\n", and
 * exits 0. When every try timed out it says so on stderr and exits 3; an
 * unknown host exits 2.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "udp.h"

#define DEFAULT_TIMEOUT_MS 1000
#define MAX_TIMEOUT_MS	   60000
#define DEFAULT_RETRIES	   2
#define MAX_RETRIES	   100

/* The command line, checked. */
struct options {
	const char *host;    /* name or address of the server */
	const char *port;    /* its port, as text for getaddrinfo */
	const char *message; /* what to send */
	long timeout_ms;     /* how long one try waits for the reply */
	long retries;	     /* tries after the first one */
};

/* Fills opt from argv; returns 0, or -1 when the command line is wrong. */
static int parse_options(int argc, char **argv, struct options *opt)
{
	if (argc < 4 || argc > 6 || argv[1][0] == '\0' ||
	    parse_number(argv[2], 1, 65535) < 0)
		return -1;
	opt->host = argv[1];
	opt->port = argv[2];
	opt->message = argv[3];
	opt->timeout_ms = DEFAULT_TIMEOUT_MS;
	opt->retries = DEFAULT_RETRIES;
	if (argc > 4 &&
	    (opt->timeout_ms = parse_number(argv[4], 1, MAX_TIMEOUT_MS)) < 0)
		return -1;
	if (argc > 5 &&
	    (opt->retries = parse_number(argv[5], 0, MAX_RETRIES)) < 0)
		return -1;
	return 0;
}

/* 1 if a and b are the same address and port (IPv4 or IPv6). */
static int same_sender(const struct sockaddr_storage *a,
		       const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const struct sockaddr_in *)a;
		const struct sockaddr_in *y = (const struct sockaddr_in *)b;

		return x->sin_port == y->sin_port &&
		       x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)a;
		const struct sockaddr_in6 *y = (const struct sockaddr_in6 *)b;

		return x->sin6_port == y->sin6_port &&
		       memcmp(&x->sin6_addr, &y->sin6_addr,
			      sizeof(x->sin6_addr)) == 0;
	}
	return 0;
}

/* Waits for a datagram from server into buf. Returns its length, or -1:
 * with errno EAGAIN when the timeout passed first, else a real error. */
static ssize_t receive_reply(int fd, const struct sockaddr_storage *server,
			     char *buf, size_t size)
{
	for (;;) {
		struct sockaddr_storage from; /* who sent this datagram */
		socklen_t from_len = sizeof(from);
		/* Python: data, addr = s.recvfrom(65507). With SO_RCVTIMEO
		 * set, it fails with EAGAIN once the timeout has passed. */
		ssize_t n = recvfrom(fd, buf, size, 0, (struct sockaddr *)&from,
				     &from_len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EWOULDBLOCK)
			errno = EAGAIN; /* one name for "timed out" */
		if (n < 0)
			return -1;
		/* Anyone may send to our port: only the server's own
		 * address and port make a datagram the reply. */
		if (same_sender(&from, server))
			return n;
		fprintf(stderr,
			"client: ignored %zd bytes from another "
			"sender\n",
			n);
	}
}

int main(int argc, char **argv)
{
	static char reply[MAX_DATAGRAM]; /* the largest datagram fits */
	struct options opt;		 /* the command line */
	struct addrinfo hints;		 /* what kind of address we want */
	struct addrinfo *results;	 /* what getaddrinfo found */
	struct sockaddr_storage server;	 /* where the server is */
	socklen_t server_len;
	struct timeval timeout; /* SO_RCVTIMEO: Python's settimeout */
	int rc, fd;

	if (parse_options(argc, argv, &opt) < 0) {
		fprintf(stderr, "usage: client HOST PORT MESSAGE "
				"[TIMEOUT_MS [RETRIES]]\n");
		return EXIT_USAGE;
	}

	/* Python: socket.getaddrinfo(host, port, 0, SOCK_DGRAM). UDP has
	 * no connect to try addresses with: take the first one. */
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	rc = getaddrinfo(opt.host, opt.port, &hints, &results);
	if (rc != 0) {
		fprintf(stderr, "client: %s: %s\n", opt.host, gai_strerror(rc));
		return EXIT_RUNTIME;
	}
	memcpy(&server, results->ai_addr, results->ai_addrlen);
	server_len = results->ai_addrlen;

	/* Python: s = socket.socket(family, socket.SOCK_DGRAM) */
	fd = socket(results->ai_family, results->ai_socktype,
		    results->ai_protocol);
	freeaddrinfo(results);
	if (fd < 0) {
		perror("client: socket");
		return EXIT_RUNTIME;
	}

	/* Python: s.settimeout(timeout_ms / 1000). Every recvfrom on this
	 * socket now waits at most this long. */
	timeout.tv_sec = opt.timeout_ms / 1000;
	timeout.tv_usec = (opt.timeout_ms % 1000) * 1000;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) <
	    0) {
		perror("client: setsockopt");
		close(fd);
		return EXIT_RUNTIME;
	}

	/* The first try, then up to opt.retries more. */
	for (long try = 0; try <= opt.retries; try++) {
		ssize_t n;

		/* Python: s.sendto(message, (host, port)). No NUL: the
		 * message is its strlen bytes. */
		if (sendto(fd, opt.message, strlen(opt.message), 0,
			   (struct sockaddr *)&server, server_len) < 0) {
			perror("client: sendto");
			close(fd);
			return EXIT_RUNTIME;
		}
		n = receive_reply(fd, &server, reply, sizeof(reply));
		if (n < 0 && errno == EAGAIN) {
			fprintf(stderr, "client: no reply within %ld ms\n",
				opt.timeout_ms);
			continue; /* lost on the way, or the server is down */
		}
		if (n < 0) {
			perror("client: recvfrom");
			close(fd);
			return EXIT_RUNTIME;
		}
		/* Exactly the n bytes received (they may hold NUL bytes:
		 * no printf "%s"), then a newline, as Python's print. */
		if (writen(STDOUT_FILENO, reply, (size_t)n) < 0 ||
		    writen(STDOUT_FILENO, "\n", 1) < 0) {
			perror("client: write");
			close(fd);
			return EXIT_RUNTIME;
		}
		close(fd);
		return EXIT_OK;
	}

	fprintf(stderr, "client: no reply from %s port %s after %ld tries\n",
		opt.host, opt.port, opt.retries + 1);
	close(fd);
	return EXIT_NO_REPLY;
}
