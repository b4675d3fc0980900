/* scan.c - lab 08: the lecture's port scanner, in C.
 *
 * usage: scan HOST FIRST LAST [TIMEOUT_MS] [MAX_SOCKETS]
 *
 * Tries every TCP port from FIRST to LAST on HOST with non-blocking
 * connects, at most MAX_SOCKETS (default 256, fewer if the descriptor
 * limit is lower) at a time, each given TIMEOUT_MS milliseconds (default
 * 1000) to answer. Then prints, in ascending port order, "open PORT" for
 * each port that accepted a connection and "filtered PORT" for each that
 * never answered, and last "scanned N ports in S.SSS s". Exits 0 after a
 * scan, 1 on bad arguments, 2 for an unknown host or a failed call.
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "scanner.h"

static int usage(void)
{
	fprintf(stderr, "usage: scan HOST FIRST LAST [TIMEOUT_MS] "
			"[MAX_SOCKETS] (ports from 1 to 65535, FIRST <= "
			"LAST)\n");
	return EXIT_USAGE;
}

/* Seconds since start, on the monotonic clock. */
static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

int main(int argc, char **argv)
{
	struct addrinfo hints;		/* what kind of addresses we want */
	struct addrinfo *results;	/* what getaddrinfo found */
	struct sockaddr_storage target; /* the host's first address */
	socklen_t target_len;		/* its size */
	struct timespec start;		/* when the scan began */
	unsigned char *states;		/* what each port turned out to be */
	long first, last, timeout_ms = TIMEOUT_MS_DEFAULT;
	long max_sockets = SOCKETS_DEFAULT;
	char error[256];
	int rc;

	/* HOST FIRST LAST, then the two optional numbers. */
	if (argc < 4 || argc > 6)
		return usage();
	first = parse_number(argv[2], 1, PORT_MAX);
	last = parse_number(argv[3], 1, PORT_MAX);
	if (argc > 4)
		timeout_ms = parse_number(argv[4], 1, TIMEOUT_MS_MAX);
	if (argc > 5)
		max_sockets = parse_number(argv[5], 1, PORT_MAX);
	if (first < 0 || last < 0 || first > last || timeout_ms < 0 ||
	    max_sockets < 0)
		return usage();

	/* Python: socket.getaddrinfo(host, None, 0, SOCK_STREAM). The scan
	 * uses the first address; each connect sets its own port. */
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(argv[1], NULL, &hints, &results);
	if (rc != 0) {
		fprintf(stderr, "scan: %s: %s\n", argv[1], gai_strerror(rc));
		return EXIT_RUNTIME;
	}
	memcpy(&target, results->ai_addr, results->ai_addrlen);
	target_len = results->ai_addrlen;
	freeaddrinfo(results);

	/* One byte per port: index = port number. */
	states = calloc(PORT_MAX + 1, 1);
	if (!states) {
		perror("scan: calloc");
		return EXIT_RUNTIME;
	}

	clock_gettime(CLOCK_MONOTONIC, &start);
	if (scan_ports((struct sockaddr *)&target, target_len, (int)first,
		       (int)last, (int)timeout_ms,
		       sockets_allowed((int)max_sockets), states, error,
		       sizeof(error)) < 0) {
		fprintf(stderr, "scan: %s\n", error);
		free(states);
		return EXIT_RUNTIME;
	}

	/* The results in port order, whatever order the answers came in. */
	for (long port = first; port <= last; port++) {
		if (states[port] == PORT_OPEN)
			printf("open %ld\n", port);
		else if (states[port] == PORT_FILTERED)
			printf("filtered %ld\n", port);
	}
	printf("scanned %ld ports in %.3f s\n", last - first + 1,
	       seconds_since(&start));
	free(states);
	return EXIT_OK;
}
