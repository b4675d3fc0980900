/* ping.c - lab 04: a ping client over UDP.
 *
 * usage: ping HOST PORT COUNT TIMEOUT_MS
 *
 * Sends COUNT pings, one datagram each, to the UDP echo server on HOST
 * port PORT, one after another. Ping number seq (from 1) is the text
 * "PING <seq> <time>\n"; the server sends the same bytes back. The client
 * waits up to TIMEOUT_MS milliseconds, counted from the moment it sent
 * the ping, for that reply: a datagram from the server's address and port
 * whose bytes are exactly the ping's. Anything else (a late reply to an
 * earlier ping, a second copy of a reply, a datagram from another port)
 * is ignored and does not stop the clock. For each ping it prints
 *	"seq=<seq> time=<rtt> ms"	the reply came, rtt in ms, 3 decimals
 *	"seq=<seq> timeout"		it did not come in time
 * and sends the next ping at once. At the end it prints the totals (see
 * stats_print in ping.h) and exits 0 if any reply came, 3 if none did.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "ping.h"

/* The command line, checked. */
struct options {
	const char *host; /* name or address of the server */
	const char *port; /* its port, as text for getaddrinfo */
	long count;	  /* pings to send */
	long timeout_ms;  /* how long one ping waits for its reply */
};

/* Fills opt from argv; returns 0, or -1 when the command line is wrong. */
static int parse_options(int argc, char **argv, struct options *opt)
{
	if (argc != 5 || argv[1][0] == '\0' ||
	    parse_number(argv[2], 1, 65535) < 0)
		return -1;
	opt->host = argv[1];
	opt->port = argv[2];
	opt->count = parse_number(argv[3], 1, MAX_COUNT);
	opt->timeout_ms = parse_number(argv[4], 1, MAX_TIMEOUT_MS);
	if (opt->count < 0 || opt->timeout_ms < 0)
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

/* Sets the socket's receive timeout to ms milliseconds (with fractions).
 * A timeval of zero would mean "wait forever": never set less than 1 us. */
static int set_receive_timeout(int fd, double ms)
{
	struct timeval tv;

	tv.tv_sec = (time_t)(ms / 1000.0);
	tv.tv_usec = (suseconds_t)((ms - (double)tv.tv_sec * 1000.0) * 1000.0);
	if (tv.tv_sec == 0 && tv.tv_usec <= 0)
		tv.tv_usec = 1;
	return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

/* Waits for the reply to the ping in ping (len bytes), sent at time sent,
 * until timeout_ms after sent. Returns 1 with the round trip in *rtt_ms,
 * 0 when the time ran out, -1 on an error (errno says which). */
static int wait_for_reply(int fd, const struct sockaddr_storage *server,
			  const char *ping, size_t len,
			  const struct timespec *sent, long timeout_ms,
			  double *rtt_ms)
{
	static char reply[MAX_DATAGRAM]; /* the largest datagram fits */

	for (;;) {
		struct sockaddr_storage from; /* who sent this datagram */
		socklen_t from_len = sizeof(from);
		struct timespec now;
		double left; /* ms of this ping's timeout still to wait */
		ssize_t n;

		/* The deadline is the send time plus the timeout: a datagram
		 * we ignore must not give the ping a fresh timeout. */
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (double)timeout_ms - elapsed_ms(sent, &now);
		if (left <= 0.0)
			return 0;
		/* Python: s.settimeout(left / 1000) */
		if (set_receive_timeout(fd, left) < 0)
			return -1;

		n = recvfrom(fd, reply, sizeof(reply), 0,
			     (struct sockaddr *)&from, &from_len);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (n < 0 && (errno == EINTR || errno == EAGAIN ||
			      errno == EWOULDBLOCK))
			continue; /* the loop's test decides if time is up */
		if (n < 0)
			return -1;

		/* Anyone may send to our port: only the server counts. */
		if (!same_sender(&from, server)) {
			fprintf(stderr,
				"ping: ignored %zd bytes from another "
				"sender\n",
				n);
			continue;
		}
		/* The reply to this ping is its bytes, exactly. A reply to
		 * an earlier ping (late, or a second copy) differs in its
		 * sequence number and is not this ping's. */
		if ((size_t)n != len || memcmp(reply, ping, len) != 0) {
			fprintf(stderr,
				"ping: ignored a datagram that is not the "
				"reply to this ping\n");
			continue;
		}
		*rtt_ms = elapsed_ms(sent, &now);
		return 1;
	}
}

int main(int argc, char **argv)
{
	struct options opt;		/* the command line */
	struct addrinfo hints;		/* what kind of address we want */
	struct addrinfo *results;	/* what getaddrinfo found */
	struct sockaddr_storage server; /* where the server is */
	socklen_t server_len;
	struct ping_stats stats; /* the totals */
	int rc, fd;

	if (parse_options(argc, argv, &opt) < 0) {
		fprintf(stderr, "usage: ping HOST PORT COUNT TIMEOUT_MS\n");
		return EXIT_USAGE;
	}

	/* Python: socket.getaddrinfo(host, port, 0, SOCK_DGRAM). UDP has
	 * no connect to try addresses with: take the first one. */
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	rc = getaddrinfo(opt.host, opt.port, &hints, &results);
	if (rc != 0) {
		fprintf(stderr, "ping: %s: %s\n", opt.host, gai_strerror(rc));
		return EXIT_RUNTIME;
	}
	memcpy(&server, results->ai_addr, results->ai_addrlen);
	server_len = results->ai_addrlen;

	/* Python: s = socket.socket(family, socket.SOCK_DGRAM) */
	fd = socket(results->ai_family, results->ai_socktype,
		    results->ai_protocol);
	freeaddrinfo(results);
	if (fd < 0) {
		perror("ping: socket");
		return EXIT_RUNTIME;
	}

	stats_init(&stats);
	for (long seq = 1; seq <= opt.count; seq++) {
		char ping[MAX_PING];  /* this ping's bytes */
		struct timespec sent; /* when it left */
		double rtt_ms;
		size_t len;

		/* The clock starts just before the datagram leaves. */
		clock_gettime(CLOCK_MONOTONIC, &sent);
		len = format_ping(ping, sizeof(ping), seq, &sent);
		/* Python: s.sendto(ping, (host, port)) */
		if (sendto(fd, ping, len, 0, (struct sockaddr *)&server,
			   server_len) < 0) {
			perror("ping: sendto");
			close(fd);
			return EXIT_RUNTIME;
		}
		stats.transmitted++;

		rc = wait_for_reply(fd, &server, ping, len, &sent,
				    opt.timeout_ms, &rtt_ms);
		if (rc < 0) {
			perror("ping: recvfrom");
			close(fd);
			return EXIT_RUNTIME;
		}
		if (rc == 1) {
			printf("seq=%ld time=%.3f ms\n", seq, rtt_ms);
			stats_add_reply(&stats, rtt_ms);
		} else {
			printf("seq=%ld timeout\n", seq);
		}
		/* Show each line at once, also when stdout is a pipe. */
		fflush(stdout);
	}

	stats_print(&stats);
	close(fd);
	return stats.received > 0 ? EXIT_OK : EXIT_NO_REPLY;
}
