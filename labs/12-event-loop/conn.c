/* conn.c - lab 12: one client's connection: its buffers, reading,
 * echoing, writing.
 *
 * Write each function as evloop.h describes it. Nothing here waits: the
 * socket is non-blocking, so a recv with nothing to read and a send with
 * no room fail with EAGAIN (or EWOULDBLOCK), and the function returns to
 * the loop. What a call could not finish stays in the struct conn: the
 * start of a line in in, the echo the client has not taken in out.
 *
 * You may add static helper functions (an echo_lines that queues every
 * whole line in in, say).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "evloop.h"

void conn_init(struct conn *c, int fd)
{
	/* TODO: fd; in_len 0, skipping 0; out NULL, out_len and out_cap 0;
	 * eof 0; lines 0. */
	(void)c;
	(void)fd;
}

int conn_queue(struct conn *c, const void *data, size_t len)
{
	/* TODO: if out_len + len > OUT_MAX, return CONN_DROP (append
	 * nothing). If out_cap is too small, realloc out (doubling, say,
	 * from 4096); return CONN_CLOSE if realloc fails. Copy data after
	 * the bytes already waiting; out_len += len; return CONN_KEEP. */
	(void)c;
	(void)data;
	(void)len;
	return CONN_CLOSE;
}

int conn_write(struct conn *c)
{
	/* TODO: while out_len > 0: send(fd, out, out_len, 0).
	 *   -1 with EINTR: again. -1 with EAGAIN or EWOULDBLOCK: stop
	 *   (no room now; POLLOUT will say when). Other -1: CONN_CLOSE.
	 *   n bytes sent (maybe fewer than asked): memmove the rest to
	 *   the front of out, out_len -= n.
	 * Then CONN_CLOSE if eof is set and nothing waits, else
	 * CONN_KEEP. Never poll or sleep here. */
	(void)c;
	return CONN_CLOSE;
}

int conn_read(struct conn *c)
{
	/* TODO: one recv into the free part of in:
	 *   recv(fd, in + in_len, ECHO_LINE_MAX - in_len, 0).
	 * -1 with EAGAIN, EWOULDBLOCK or EINTR: CONN_KEEP. Other -1:
	 * CONN_CLOSE. 0: eof = 1, in_len = 0; CONN_CLOSE if out_len is 0,
	 * else CONN_KEEP.
	 * Else in_len += n, and for every "\n" in in (memchr, never
	 * strchr: a line may hold '\0'): unless skipping, conn_queue the
	 * line, "\n" included (a result other than CONN_KEEP: return it),
	 * lines++; skipping = 0; memmove what follows to the front.
	 * in full (ECHO_LINE_MAX bytes) without a "\n": unless skipping,
	 * conn_queue TOO_LONG_REPLY; skipping = 1; in_len = 0.
	 * Last, if out_len > 0, return conn_write(c). */
	(void)c;
	return CONN_CLOSE;
}

short conn_events(const struct conn *c)
{
	/* TODO: POLLIN unless eof; POLLOUT if out_len > 0. */
	(void)c;
	return 0;
}

void conn_close(struct conn *c)
{
	/* TODO: close fd; free out; out NULL, out_len and out_cap 0. */
	(void)c;
}
