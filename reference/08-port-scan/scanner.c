/* scanner.c - lab 08: parsing numbers, the descriptor budget and the scan
 * itself: non-blocking connects watched by poll.
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

/* One connect in flight: its socket is in the poll array at the same
 * index. */
struct probe {
	int port;	     /* the port being tried */
	int64_t deadline_ms; /* when an unanswered try counts as filtered */
};

long parse_number(const char *text, long low, long high)
{
	char *end;  /* strtol leaves here the first byte it did not use */
	long value; /* the number read */

	/* strtol would skip spaces and accept a sign: ask for a digit first. */
	if (!isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	value = strtol(text, &end, 10);
	if (errno != 0 || *end != '\0' || value < low || value > high)
		return -1;
	return value;
}

int sockets_allowed(int wanted)
{
	struct rlimit limit; /* rlim_cur: the most descriptors we may hold */
	long room;	     /* descriptors left for sockets */

	/* Every socket is a descriptor; socket() fails with EMFILE past the
	 * soft limit. Python hides this; C makes you count. */
	if (getrlimit(RLIMIT_NOFILE, &limit) < 0 ||
	    limit.rlim_cur == RLIM_INFINITY)
		return wanted;
	room = (long)limit.rlim_cur - DESCRIPTORS_SPARE;
	if (room < 1)
		room = 1;
	return wanted < room ? wanted : (int)room;
}

/* Milliseconds on a clock that never jumps (not the time of day). */
static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 if the connected socket fd is connected to itself. Scanning your own
 * machine, the kernel may pick the very port being tried as the socket's
 * own port; TCP then connects the socket to itself ("simultaneous open"),
 * which says nothing about the port: nobody listens there. */
static int connected_to_itself(int fd)
{
	struct sockaddr_storage mine, peer; /* the two ends */
	socklen_t mine_len = sizeof(mine), peer_len = sizeof(peer);

	if (getsockname(fd, (struct sockaddr *)&mine, &mine_len) < 0 ||
	    getpeername(fd, (struct sockaddr *)&peer, &peer_len) < 0)
		return 0;
	return mine_len == peer_len && memcmp(&mine, &peer, mine_len) == 0;
}

/* The state of a port from the result of its finished connect on fd. */
static enum port_state state_of(int fd, int error)
{
	if (error == 0)
		return connected_to_itself(fd) ? PORT_CLOSED : PORT_OPEN;
	if (error == ECONNREFUSED)
		return PORT_CLOSED; /* the host answered with a reset */
	return PORT_FILTERED;	    /* unreachable, timed out, ... */
}

/* Starts a non-blocking connect to port. Returns the socket with the
 * connect in progress, or -1 when the socket could not be made (errno
 * says why). When the connect ended at once, *done is set to 1, *error to
 * its result, and the socket is still returned for the caller to close. */
static int start_connect(const struct sockaddr *addr, socklen_t addr_len,
			 int port, int *done, int *error)
{
	struct sockaddr_storage target; /* addr with this port in it */
	int fd;

	memcpy(&target, addr, addr_len);
	if (target.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&target)->sin6_port =
		    htons((uint16_t)port);
	else
		((struct sockaddr_in *)&target)->sin_port =
		    htons((uint16_t)port);

	/* SOCK_NONBLOCK: connect returns at once with EINPROGRESS instead
	 * of waiting for the answer (Python: s.setblocking(False)). */
	fd = socket(target.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	*done = 1;
	*error = 0;
	if (connect(fd, (struct sockaddr *)&target, addr_len) == 0)
		return fd; /* connected already: it happens on loopback */
	if (errno == EINPROGRESS) {
		*done = 0; /* the answer will come later: poll for it */
		return fd;
	}
	*error = errno; /* refused, unreachable, ... */
	return fd;
}

/* The earliest deadline of the n probes in flight. */
static int64_t first_deadline(const struct probe *probes, int n)
{
	int64_t first = probes[0].deadline_ms;

	for (int i = 1; i < n; i++)
		if (probes[i].deadline_ms < first)
			first = probes[i].deadline_ms;
	return first;
}

/* Looks at each of the n probes in flight after a poll: a finished
 * connect gets its port's state from SO_ERROR, an unanswered one past its
 * deadline is filtered. Both are closed and taken out of the arrays by
 * moving the last probe into their place. Returns the probes still in
 * flight. */
static int finish_probes(struct pollfd *fds, struct probe *probes, int n,
			 unsigned char *states)
{
	int64_t now = now_ms();

	for (int i = n - 1; i >= 0; i--) {
		int error = 0;
		socklen_t len = sizeof(error);

		if (fds[i].revents != 0) {
			/* Writable means the connect has ended, well or
			 * badly: SO_ERROR says which (Python: the result of
			 * connect_ex). */
			if (getsockopt(fds[i].fd, SOL_SOCKET, SO_ERROR, &error,
				       &len) < 0)
				error = errno;
			states[probes[i].port] =
			    (unsigned char)state_of(fds[i].fd, error);
		} else if (now >= probes[i].deadline_ms) {
			states[probes[i].port] = PORT_FILTERED;
		} else {
			continue; /* still waiting for an answer */
		}
		close(fds[i].fd);
		n--;
		fds[i] = fds[n];
		probes[i] = probes[n];
	}
	return n;
}

int scan_ports(const struct sockaddr *addr, socklen_t addr_len, int first,
	       int last, int timeout_ms, int max_sockets, unsigned char *states,
	       char *error, size_t error_size)
{
	struct pollfd *fds;   /* the sockets in flight, for poll */
	struct probe *probes; /* their ports and deadlines, same index */
	int in_flight = 0;    /* entries in use in fds and probes */
	int next = first;     /* the next port to try */
	int rc = -1;

	fds = calloc((size_t)max_sockets, sizeof(*fds));
	probes = calloc((size_t)max_sockets, sizeof(*probes));
	if (!fds || !probes) {
		snprintf(error, error_size, "calloc: %s", strerror(errno));
		goto out_free;
	}

	while (next <= last || in_flight > 0) {
		int ready, wait_ms;

		/* Keep max_sockets connects in flight while ports are left. */
		while (in_flight < max_sockets && next <= last) {
			int done, result;
			int fd =
			    start_connect(addr, addr_len, next, &done, &result);

			if (fd < 0) {
				snprintf(error, error_size, "socket: %s",
					 strerror(errno));
				goto out_close;
			}
			if (done) {
				states[next] =
				    (unsigned char)state_of(fd, result);
				close(fd);
			} else {
				fds[in_flight].fd = fd;
				fds[in_flight].events = POLLOUT;
				fds[in_flight].revents = 0;
				probes[in_flight].port = next;
				probes[in_flight].deadline_ms =
				    now_ms() + timeout_ms;
				in_flight++;
			}
			next++;
		}
		if (in_flight == 0)
			continue;

		/* Sleep until a connect ends or the first deadline passes. */
		wait_ms = (int)(first_deadline(probes, in_flight) - now_ms());
		if (wait_ms < 0)
			wait_ms = 0;
		ready = poll(fds, (nfds_t)in_flight, wait_ms);
		if (ready < 0 && errno != EINTR) {
			snprintf(error, error_size, "poll: %s",
				 strerror(errno));
			goto out_close;
		}
		if (ready < 0)
			continue;
		in_flight = finish_probes(fds, probes, in_flight, states);
	}
	rc = 0;

out_close:
	for (int i = 0; i < in_flight; i++)
		close(fds[i].fd);
out_free:
	free(probes);
	free(fds);
	return rc;
}
