/* evloop.h - lab 12: an echo server in one thread, with an event loop.
 *
 * The service, line by line: every line a client sends, its bytes up to
 * and including its "\n", comes back to it exactly, once the whole line
 * has arrived. A line may hold any byte but "\n" ('\0' and "\r"
 * included) and is at most ECHO_LINE_MAX bytes long, its "\n" included.
 * When ECHO_LINE_MAX bytes have arrived without a "\n", the line is too
 * long: the server answers TOO_LONG_REPLY once, drops the line's bytes up
 * to and including its "\n", however many there are, and goes on with
 * the next line. Bytes after the last "\n" when the client closes are not
 * a line: nothing answers them.
 *
 * The server: one thread, one poll loop, every socket non-blocking. Each
 * client has a struct conn: what it sent that is not yet a whole line
 * (in), and the echo it has not taken yet (out). Nothing ever waits for
 * one client: a recv or a send that would block returns EAGAIN, and the
 * loop goes on with the others. A client that does not read its echo
 * lets out grow; past OUT_MAX bytes it is dropped.
 *
 * conn.c holds one connection's work (no poll, no accept), so that the
 * grader can test it on its own with sockets of its own; evloop.c holds
 * the loop. Only conn.c touches a struct conn's fields.
 */
#ifndef EVLOOP_H
#define EVLOOP_H

#include <stddef.h>

/* Exit statuses, the same in every lab. */
#define EXIT_OK	     0 /* the server was stopped by a signal */
#define EXIT_USAGE   1 /* wrong arguments: a "usage:" line was printed */
#define EXIT_RUNTIME 2 /* a call failed: reported on stderr */

#define ECHO_LINE_MAX 1024 /* longest line, its "\n" included */
#define OUT_MAX                                                                \
	65536 /* most bytes of echo that may wait for one                      \
		 client; one more and it is dropped */

/* The answer to a line longer than ECHO_LINE_MAX. */
#define TOO_LONG_REPLY "error: line too long\n"

/* What conn_read, conn_queue and conn_write tell the loop. */
#define CONN_KEEP 0 /* keep the connection */
#define CONN_CLOSE                                                             \
	-1	     /* close it: the client has gone (or has closed and       \
			has all its echo), or a call failed */
#define CONN_DROP -2 /* close it: its echo would pass OUT_MAX bytes */

/* One client. */
struct conn {
	int fd;			/* its socket, non-blocking */
	char in[ECHO_LINE_MAX]; /* bytes received, not yet a whole line */
	size_t in_len;		/* bytes in in, from in[0] */
	int skipping;		/* 1 while dropping the rest of a line that
				   is too long, up to its "\n" */
	char *out;		/* echo not yet sent, from out[0] (malloc'd,
				   NULL while nothing was ever queued) */
	size_t out_len;		/* bytes waiting in out, at most OUT_MAX */
	size_t out_cap;		/* bytes allocated for out */
	int eof;		/* 1 once recv returned 0: the client sends
				   nothing more, but may still read */
	long lines;		/* lines echoed (queued) on this connection */
};

/* Makes c a new connection on fd (already non-blocking): nothing
 * received, nothing queued, nothing allocated. */
void conn_init(struct conn *c, int fd);

/* The socket is readable (POLLIN, or POLLHUP/POLLERR). Receives once,
 * into the free part of in. recv failing with EAGAIN, EWOULDBLOCK or
 * EINTR: nothing happens, CONN_KEEP. Another error: CONN_CLOSE. recv
 * returning 0: eof = 1, the bytes in in are dropped; CONN_CLOSE when
 * nothing waits in out, else CONN_KEEP (the loop sends the rest first).
 * Otherwise every whole line is queued (conn_queue) and counted, a line
 * too long gets TOO_LONG_REPLY once, and what waits in out is sent at
 * once (conn_write). Returns CONN_KEEP, CONN_CLOSE, or CONN_DROP when
 * an echo would not fit. */
int conn_read(struct conn *c);

/* Appends len bytes to out, growing it (realloc) as needed. Sends
 * nothing. Returns CONN_KEEP; CONN_DROP when out would then hold more
 * than OUT_MAX bytes (nothing is appended); CONN_CLOSE when realloc
 * fails. */
int conn_queue(struct conn *c, const void *data, size_t len);

/* Sends what waits in out, as much as the socket takes: send until all
 * of it is gone or send fails with EAGAIN (or EWOULDBLOCK); the bytes
 * not sent move to the front of out, in order. Never waits. Returns
 * CONN_KEEP; CONN_CLOSE when send fails otherwise (EPIPE, ECONNRESET) or
 * when eof is set and nothing waits any more. */
int conn_write(struct conn *c);

/* The poll events the loop must watch for c: POLLIN until eof, and
 * POLLOUT while out holds something; nothing else. */
short conn_events(const struct conn *c);

/* Closes the socket and frees out. c may then be reused or freed. */
void conn_close(struct conn *c);

#endif
