/* conn.c - lab 12: one client's connection: its buffers, reading,
 * echoing, writing.
 *
 * Nothing here waits. The socket is non-blocking: a recv with nothing to
 * read and a send with no room fail with EAGAIN, and the function returns
 * to the loop, which polls until the socket is ready again. What a call
 * could not finish stays in the struct conn: the start of a line in in,
 * the echo the client has not taken in out.
 *
 * Python: what selectors-based servers keep per connection (the
 * "data" of selector.register), with sock.setblocking(False).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "evloop.h"

#define OUT_FIRST 4096 /* bytes allocated for out the first time */

void conn_init(struct conn *c, int fd)
{
	c->fd = fd;
	c->in_len = 0;
	c->skipping = 0;
	c->out = NULL; /* most clients read their echo at once: no buffer */
	c->out_len = 0;
	c->out_cap = 0;
	c->eof = 0;
	c->lines = 0;
}

int conn_queue(struct conn *c, const void *data, size_t len)
{
	/* A client that does not read makes out grow: past OUT_MAX it
	 * must go, or one client could take all the server's memory. */
	if (c->out_len + len > OUT_MAX)
		return CONN_DROP;
	if (c->out_len + len > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : OUT_FIRST;
		char *bigger;

		/* Double until it fits: few reallocs for a slow reader. */
		while (cap < c->out_len + len)
			cap *= 2;
		bigger = realloc(c->out, cap);
		if (!bigger)
			return CONN_CLOSE; /* c->out is still valid */
		c->out = bigger;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, data, len);
	c->out_len += len;
	return CONN_KEEP;
}

int conn_write(struct conn *c)
{
	while (c->out_len > 0) {
		ssize_t n = send(c->fd, c->out, c->out_len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break; /* no room now: POLLOUT says when there is */
		if (n < 0)
			return CONN_CLOSE; /* EPIPE, ECONNRESET: it has gone */
		/* A partial send is normal on a non-blocking socket: keep
		 * the rest, in order, at the front of out. */
		memmove(c->out, c->out + n, c->out_len - (size_t)n);
		c->out_len -= (size_t)n;
	}
	/* A client that has closed its side and has all its echo: done. */
	if (c->eof && c->out_len == 0)
		return CONN_CLOSE;
	return CONN_KEEP;
}

/* Queues the echo of every whole line in in, and TOO_LONG_REPLY for a
 * line too long. Returns CONN_KEEP, or what conn_queue refused with. */
static int echo_lines(struct conn *c)
{
	char *newline;
	int rc;

	while ((newline = memchr(c->in, '\n', c->in_len)) != NULL) {
		size_t line_len = (size_t)(newline - c->in) + 1;

		if (c->skipping) {
			c->skipping = 0; /* the end of the long line */
		} else {
			rc = conn_queue(c, c->in, line_len);
			if (rc != CONN_KEEP)
				return rc;
			c->lines++;
		}
		/* Keep what follows the line for the next one. */
		memmove(c->in, c->in + line_len, c->in_len - line_len);
		c->in_len -= line_len;
	}
	if (c->in_len == sizeof(c->in)) {
		/* ECHO_LINE_MAX bytes and no "\n": too long. Say so once,
		 * then drop its bytes until its "\n". */
		if (!c->skipping) {
			rc = conn_queue(c, TOO_LONG_REPLY,
					strlen(TOO_LONG_REPLY));
			if (rc != CONN_KEEP)
				return rc;
		}
		c->skipping = 1;
		c->in_len = 0;
	}
	return CONN_KEEP;
}

int conn_read(struct conn *c)
{
	/* One recv per call, into the free part of in only: a client
	 * that sends a lot gets one turn, then the others get theirs. */
	ssize_t n =
	    recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, 0);
	int rc;

	if (n < 0) {
		/* poll may say "readable" and recv find nothing after all:
		 * not an error, just nothing to do yet. */
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return CONN_KEEP;
		return CONN_CLOSE; /* ECONNRESET and the like */
	}
	if (n == 0) {
		/* The client has sent all it will. Bytes after its last
		 * "\n" are not a line. It may still read: its echo goes
		 * first, then the loop closes it. */
		c->eof = 1;
		c->in_len = 0;
		return c->out_len > 0 ? CONN_KEEP : CONN_CLOSE;
	}
	c->in_len += (size_t)n;
	rc = echo_lines(c);
	if (rc != CONN_KEEP)
		return rc;
	/* Try to send at once: most of the time it all goes, and the loop
	 * never needs to watch POLLOUT for this client. */
	return c->out_len > 0 ? conn_write(c) : CONN_KEEP;
}

short conn_events(const struct conn *c)
{
	short events = 0;

	/* After EOF the socket stays readable for ever: watching POLLIN
	 * then would wake the loop at once, again and again. */
	if (!c->eof)
		events |= POLLIN;
	/* Only while something waits: an idle socket is always writable,
	 * so watching POLLOUT then would never let poll sleep. */
	if (c->out_len > 0)
		events |= POLLOUT;
	return events;
}

void conn_close(struct conn *c)
{
	close(c->fd);
	c->fd = -1;
	free(c->out);
	c->out = NULL;
	c->out_len = 0;
	c->out_cap = 0;
}
