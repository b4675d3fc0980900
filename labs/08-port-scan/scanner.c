/* scanner.c - lab 08: parsing numbers, the descriptor budget and the scan
 * itself: non-blocking connects watched by poll.
 *
 * Write each function as scanner.h describes it. None of them prints or
 * exits: they return a status and the caller decides. You may add static
 * helper functions; good ones are
 *	static int64_t now_ms(void);	    clock_gettime(CLOCK_MONOTONIC)
 *	static int connected_to_itself(int fd);
 *	static enum port_state state_of(int fd, int error);
 *	static int start_connect(...);	    one non-blocking connect
 *	static int finish_probes(...);	    what a poll has decided
 * and a struct for one connect in flight: its port and its deadline.
 */
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "scanner.h"

long parse_number(const char *text, long low, long high)
{
	/* TODO: return -1 unless text[0] is a digit (isdigit, with the byte
	 * cast to unsigned char). Set errno = 0, read the number with
	 * strtol(text, &end, 10), and return -1 if errno is set, if *end is
	 * not '\0' or if the value is not in low..high. Else return it. */
	(void)text;
	(void)low;
	(void)high;
	return -1;
}

int sockets_allowed(int wanted)
{
	/* TODO: getrlimit(RLIMIT_NOFILE, &limit). If it fails or rlim_cur
	 * is RLIM_INFINITY, return wanted. Else room = rlim_cur -
	 * DESCRIPTORS_SPARE (at least 1); return the smaller of wanted and
	 * room. */
	(void)wanted;
	return 1;
}

int scan_ports(const struct sockaddr *addr, socklen_t addr_len, int first,
	       int last, int timeout_ms, int max_sockets, unsigned char *states,
	       char *error, size_t error_size)
{
	/* TODO, step by step (the handout explains each call):
	 *
	 * 1. Two arrays of max_sockets entries (calloc): struct pollfd for
	 *    poll, and for each the port it tries and its deadline
	 *    (now + timeout_ms, in milliseconds of CLOCK_MONOTONIC).
	 *
	 * 2. Loop while ports are left (next <= last) or connects are in
	 *    flight:
	 *
	 *    a. While fewer than max_sockets are in flight and ports are
	 *       left: copy addr into a struct sockaddr_storage, set its port
	 *       (sin_port or sin6_port, with htons), make a socket with
	 *       SOCK_STREAM | SOCK_NONBLOCK (of the address's family) and
	 *       connect it, with addr_len. EINPROGRESS: add it to the arrays
	 *       (events = POLLOUT). Any other result is the answer already
	 *       (0, ECONNREFUSED, or ENETUNREACH when no route leads to the
	 *       host): set states[port] from it and close the socket; do
	 *       not poll it.
	 *       If socket fails, write "socket: " and strerror(errno) into
	 *       error and return -1 (after closing what is in flight).
	 *
	 *    b. poll the sockets in flight, for the time left until the
	 *       earliest deadline (0 if it has passed), in milliseconds.
	 *       EINTR: go round.
	 *
	 *    c. For each socket: revents != 0 means its connect has ended:
	 *       getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) says how:
	 *       0 is open (unless getsockname equals getpeername: the
	 *       socket connected to itself, so closed), ECONNREFUSED closed,
	 *       anything else filtered. No revents but its deadline has
	 *       passed: filtered. Close each decided socket and move the
	 *       last entry of both arrays into its place.
	 *
	 * 3. Free the arrays and return 0. */
	(void)addr;
	(void)addr_len;
	(void)first;
	(void)last;
	(void)timeout_ms;
	(void)max_sockets;
	(void)states;
	snprintf(error, error_size, "scan_ports: not written yet");
	return -1;
}
