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
 *
 * You may add static helper functions, for instance
 *	static int usage(void);
 *	static double seconds_since(const struct timespec *start);
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "scanner.h"

int main(int argc, char **argv)
{
	/* TODO, step by step (the handout explains each call):
	 *
	 * 1. Arguments: 3 to 5 of them. FIRST and LAST with
	 *    parse_number(text, 1, PORT_MAX), FIRST <= LAST; TIMEOUT_MS
	 *    (1..TIMEOUT_MS_MAX) and MAX_SOCKETS (1..PORT_MAX) when given,
	 *    else TIMEOUT_MS_DEFAULT and SOCKETS_DEFAULT. Anything wrong:
	 *    print "usage: scan HOST FIRST LAST [TIMEOUT_MS] [MAX_SOCKETS]"
	 *    on stderr and return EXIT_USAGE.
	 *
	 * 2. getaddrinfo(HOST, NULL, &hints, &results) with AF_UNSPEC and
	 *    SOCK_STREAM. On error print "scan: HOST: " and gai_strerror
	 *    and return EXIT_RUNTIME. Copy the first address (ai_addr,
	 *    ai_addrlen), IPv4 or IPv6, into a struct sockaddr_storage;
	 *    freeaddrinfo.
	 *
	 * 3. states = calloc(PORT_MAX + 1, 1): one byte per port.
	 *
	 * 4. clock_gettime(CLOCK_MONOTONIC, &start); scan_ports(..., FIRST,
	 *    LAST, TIMEOUT_MS, sockets_allowed(MAX_SOCKETS), states, ...).
	 *    If it fails print "scan: " and its message, return
	 *    EXIT_RUNTIME.
	 *
	 * 5. For each port from FIRST to LAST: "open PORT\n" or
	 *    "filtered PORT\n" by its state. Then
	 *    printf("scanned %ld ports in %.3f s\n", LAST - FIRST + 1,
	 *    seconds since start). Free states, return EXIT_OK. Print
	 *    nothing on stderr when the scan ran to its end. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
