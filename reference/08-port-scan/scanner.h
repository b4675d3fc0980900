/* scanner.h - lab 08: a TCP connect scanner, the parts scan.c uses.
 *
 * A port is tried with a non-blocking connect; poll says when the attempt
 * has ended, and getsockopt(SO_ERROR) says how:
 *   open      the connection was made (SO_ERROR 0)
 *   closed    the host answered with a reset (ECONNREFUSED)
 *   filtered  no answer within the timeout, or an error such as
 *             EHOSTUNREACH that says something in between dropped it
 * Many attempts are in flight at once, never more than the caller allows.
 *
 * Nothing here prints or exits: functions return a status and the caller
 * decides. The results go into an array the caller owns.
 */
#ifndef SCANNER_H
#define SCANNER_H

#include <stddef.h>
#include <sys/socket.h>

/* Exit statuses, the same in every lab. */
#define EXIT_OK	     0 /* the scan ran to its end */
#define EXIT_USAGE   1 /* wrong arguments: a "usage:" line was printed */
#define EXIT_RUNTIME 2 /* an unknown host or a failed call: reported */

#define PORT_MAX	   65535 /* the highest TCP port */
#define TIMEOUT_MS_DEFAULT 1000	 /* wait for an answer this long */
#define TIMEOUT_MS_MAX	   60000 /* the longest TIMEOUT_MS accepted */
#define SOCKETS_DEFAULT	   256	 /* connects in flight at once */
/* Descriptors kept for everything but sockets: stdin, stdout, stderr and
 * the C library. */
#define DESCRIPTORS_SPARE 8

/* What a scan found out about one port. */
enum port_state {
	PORT_CLOSED = 0, /* refused, or not tried: never printed */
	PORT_OPEN,	 /* a connection was made */
	PORT_FILTERED	 /* no answer within the timeout */
};

/* Returns the number written in text if it is a whole number from low to
 * high (digits only, nothing after them), or -1. */
long parse_number(const char *text, long low, long high);

/* How many sockets may be open at once: wanted, lowered so that they fit
 * under the soft RLIMIT_NOFILE with DESCRIPTORS_SPARE to spare; at least 1. */
int sockets_allowed(int wanted);

/* Tries every port from first to last on the host at addr (an IPv4 or IPv6
 * address; its port is ignored), at most max_sockets at a time, and sets
 * states[port] for each. states has PORT_MAX + 1 entries. Returns 0, or
 * -1 with a message naming the failed call in error. */
int scan_ports(const struct sockaddr *addr, socklen_t addr_len, int first,
	       int last, int timeout_ms, int max_sockets, unsigned char *states,
	       char *error, size_t error_size);

#endif
