/* hx_crowd.c - many connections held open at once, from one thread. */
#define _GNU_SOURCE
#include "hx_crowd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hx_time.h"

/* One connection's part of an echo round. */
struct hx_crowd_turn {
	char line[HX_CROWD_LINE]; /* what it sends */
	char back[HX_CROWD_LINE]; /* what came back so far */
	size_t len;		  /* bytes of line */
	size_t sent;		  /* bytes of line sent */
	size_t got;		  /* bytes in back */
	int done;		  /* 1 once its echo came back exact */
};

static void hx_crowd_fail(struct hx_crowd *cr, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void hx_crowd_fail(struct hx_crowd *cr, const char *fmt, ...)
{
	va_list ap;

	if (cr->error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(cr->error, sizeof(cr->error), fmt, ap);
	va_end(ap);
}

void hx_crowd_init(struct hx_crowd *cr, const char *host, int port)
{
	memset(cr, 0, sizeof(*cr));
	snprintf(cr->host, sizeof(cr->host), "%s", host);
	cr->port = port;
}

/* Room for n more connections. 0 or -1. */
static int hx_crowd_reserve(struct hx_crowd *cr, int n)
{
	int slots = cr->slots ? cr->slots : 64;
	int *fds;

	while (slots < cr->count + n)
		slots *= 2;
	if (slots == cr->slots)
		return 0;
	fds = realloc(cr->fds, (size_t)slots * sizeof(*fds));
	if (!fds) {
		hx_crowd_fail(cr, "out of memory for %d connections", slots);
		return -1;
	}
	cr->fds = fds;
	cr->slots = slots;
	return 0;
}

/* Starts a non-blocking connect for each of n new connections. 0, or -1
 * after a failure (the sockets made so far are counted). */
static int hx_crowd_start_connects(struct hx_crowd *cr, int n,
				   const struct sockaddr_in *addr)
{
	for (int i = 0; i < n; i++) {
		int fd = socket(AF_INET,
				SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

		if (fd < 0) {
			hx_crowd_fail(cr, "connection %d: socket: %s",
				      cr->count, strerror(errno));
			return -1;
		}
		cr->fds[cr->count++] = fd;
		if (connect(fd, (const struct sockaddr *)addr, sizeof(*addr)) <
			0 &&
		    errno != EINPROGRESS) {
			hx_crowd_fail(cr, "connection %d: connect: %s",
				      cr->count - 1, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Waits until connections [from, to) are connected. 0 or -1. */
static int hx_crowd_wait_connects(struct hx_crowd *cr, int from, int to,
				  int64_t deadline)
{
	struct pollfd *pfds = calloc((size_t)(to - from), sizeof(*pfds));
	int waiting = to - from, rc = 0;

	if (!pfds) {
		hx_crowd_fail(cr, "out of memory");
		return -1;
	}
	for (int i = from; i < to; i++)
		pfds[i - from] =
		    (struct pollfd){.fd = cr->fds[i], .events = POLLOUT};
	while (waiting > 0 && rc == 0) {
		int n =
		    poll(pfds, (nfds_t)(to - from), hx_remaining_ms(deadline));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			hx_crowd_fail(cr,
				      "%d of connections %d to %d not "
				      "connected in time%s",
				      waiting, from, to - 1,
				      n < 0 ? ": poll failed" : "");
			rc = -1;
			break;
		}
		for (int i = 0; i < to - from && rc == 0; i++) {
			int err = 0;
			socklen_t len = sizeof(err);

			if (pfds[i].fd < 0 || pfds[i].revents == 0)
				continue;
			if (getsockopt(pfds[i].fd, SOL_SOCKET, SO_ERROR, &err,
				       &len) < 0 ||
			    err != 0) {
				hx_crowd_fail(cr, "connection %d: connect: %s",
					      from + i,
					      strerror(err ? err : errno));
				rc = -1;
			}
			pfds[i].fd = -1; /* poll skips it from now on */
			waiting--;
		}
	}
	free(pfds);
	return rc;
}

/* Sends what is left of t's line on fd. 0, or -1 after a failure. */
static int hx_crowd_send(struct hx_crowd *cr, int number, int fd,
			 struct hx_crowd_turn *t)
{
	while (t->sent < t->len) {
		ssize_t n =
		    send(fd, t->line + t->sent, t->len - t->sent, MSG_NOSIGNAL);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0; /* POLLOUT says when */
		if (n < 0) {
			hx_crowd_fail(cr, "connection %d: send: %s", number,
				      strerror(errno));
			return -1;
		}
		t->sent += (size_t)n;
	}
	return 0;
}

/* Receives what came on fd for t; marks it done once its echo is whole.
 * 0, or -1 after a failure (closed, reset, a wrong or longer echo). */
static int hx_crowd_receive(struct hx_crowd *cr, int number, int fd,
			    struct hx_crowd_turn *t)
{
	ssize_t n = recv(fd, t->back + t->got, sizeof(t->back) - t->got, 0);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		hx_crowd_fail(cr,
			      "connection %d: %s after %zu of the %zu bytes "
			      "of its echo",
			      number,
			      n == 0 ? "the server closed it" : strerror(errno),
			      t->got, t->len);
		return -1;
	}
	t->got += (size_t)n;
	if (t->got < t->len)
		return 0;
	if (t->got > t->len || memcmp(t->line, t->back, t->len) != 0) {
		hx_crowd_fail(
		    cr, "connection %d sent \"%.*s\" and got back \"%.*s\"",
		    number, (int)t->len - 1, t->line,
		    (int)strcspn(t->back, "\n"), t->back);
		return -1;
	}
	t->done = 1;
	return 0;
}

/* One echo round on connections [from, to). 0 or -1. */
static int hx_crowd_round(struct hx_crowd *cr, int from, int to, int round,
			  int timeout_ms)
{
	int n = to - from, left = n, rc = 0;
	int64_t deadline = hx_deadline(timeout_ms);
	struct hx_crowd_turn *turns = calloc((size_t)n, sizeof(*turns));
	struct pollfd *pfds = calloc((size_t)n, sizeof(*pfds));
	int *which = calloc((size_t)n, sizeof(*which));

	if (!turns || !pfds || !which) {
		hx_crowd_fail(cr, "out of memory");
		rc = -1;
		goto out;
	}
	for (int i = 0; i < n && rc == 0; i++) {
		struct hx_crowd_turn *t = &turns[i];

		t->len =
		    (size_t)snprintf(t->line, sizeof(t->line),
				     "crowd %d round %d\n", from + i, round);
		rc = hx_crowd_send(cr, from + i, cr->fds[from + i], t);
	}
	while (left > 0 && rc == 0) {
		int m = 0, ready;

		for (int i = 0; i < n; i++) {
			if (turns[i].done)
				continue;
			pfds[m] = (struct pollfd){
			    .fd = cr->fds[from + i],
			    .events =
				(short)(POLLIN |
					(turns[i].sent < turns[i].len ? POLLOUT
								      : 0))};
			which[m++] = i;
		}
		ready = poll(pfds, (nfds_t)m, hx_remaining_ms(deadline));
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0) {
			hx_crowd_fail(cr,
				      "no echo within %d ms on %d of %d "
				      "connections (the first: connection "
				      "%d, %zu of %zu bytes back)",
				      timeout_ms, left, n, from + which[0],
				      turns[which[0]].got, turns[which[0]].len);
			rc = -1;
			break;
		}
		for (int k = 0; k < m && rc == 0; k++) {
			struct hx_crowd_turn *t = &turns[which[k]];
			int number = from + which[k];

			if (pfds[k].revents & POLLOUT)
				rc = hx_crowd_send(cr, number, pfds[k].fd, t);
			if (rc == 0 && (pfds[k].revents & ~POLLOUT))
				rc =
				    hx_crowd_receive(cr, number, pfds[k].fd, t);
			left -= t->done;
		}
	}
out:
	free(turns);
	free(pfds);
	free(which);
	return rc;
}

int hx_crowd_grow(struct hx_crowd *cr, int n, int batch, int timeout_ms)
{
	struct sockaddr_in addr = {.sin_family = AF_INET,
				   .sin_port = htons((uint16_t)cr->port)};

	cr->error[0] = '\0';
	if (inet_pton(AF_INET, cr->host, &addr.sin_addr) != 1) {
		hx_crowd_fail(cr, "not a numeric IPv4 address: %s", cr->host);
		return -1;
	}
	if (batch < 1)
		batch = 1;
	if (hx_crowd_reserve(cr, n) < 0)
		return -1;
	for (int done = 0; done < n;) {
		int from = cr->count;
		int size = n - done < batch ? n - done : batch;

		if (hx_crowd_start_connects(cr, size, &addr) < 0 ||
		    hx_crowd_wait_connects(cr, from, cr->count,
					   hx_deadline(timeout_ms)) < 0 ||
		    hx_crowd_round(cr, from, cr->count, 0, timeout_ms) < 0)
			return -1;
		done += size;
	}
	return 0;
}

int hx_crowd_echo(struct hx_crowd *cr, int round, int timeout_ms)
{
	cr->error[0] = '\0';
	for (int i = 0; i < cr->count; i++)
		if (cr->fds[i] < 0) {
			hx_crowd_fail(cr, "connection %d is closed", i);
			return -1;
		}
	return hx_crowd_round(cr, 0, cr->count, round, timeout_ms);
}

void hx_crowd_close(struct hx_crowd *cr)
{
	for (int i = 0; i < cr->count; i++)
		if (cr->fds[i] >= 0)
			close(cr->fds[i]);
	free(cr->fds);
	cr->fds = NULL;
	cr->count = 0;
	cr->slots = 0;
}

int hx_raise_files(int want, char *err, size_t errlen)
{
	struct rlimit lim;

	if (getrlimit(RLIMIT_NOFILE, &lim) < 0) {
		snprintf(err, errlen, "getrlimit: %s", strerror(errno));
		return -1;
	}
	if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur >= (rlim_t)want)
		return 0;
	if (lim.rlim_max != RLIM_INFINITY && lim.rlim_max < (rlim_t)want) {
		snprintf(err, errlen,
			 "this machine lets a process open at most %llu "
			 "descriptors (its hard RLIMIT_NOFILE); %d are needed",
			 (unsigned long long)lim.rlim_max, want);
		return -1;
	}
	lim.rlim_cur = (rlim_t)want;
	if (setrlimit(RLIMIT_NOFILE, &lim) < 0) {
		snprintf(err, errlen, "setrlimit RLIMIT_NOFILE %d: %s", want,
			 strerror(errno));
		return -1;
	}
	return 0;
}
