/* conn_cases.c - lab 12: one connection's tests (conn.c), a group at a
 * time.
 *
 * usage: conn-cases GROUP STEP_MS
 *
 * Linked with the student's conn.c. GROUP is lines, output or close;
 * STEP_MS is how long one call of conn.c may take (the grader's deadline,
 * already scaled). Each case gives conn.c a socket of the driver's own,
 * one end of a socketpair (or of a TCP loopback connection where a reset
 * is needed), non-blocking, and plays the client at the other end: it
 * sends lines whole or in pieces, and reads the echo, or leaves it
 * unread until the conn's socket is full. It calls conn_read and
 * conn_write as the loop would (conn_read while the socket is readable,
 * conn_write while something waits and the socket is writable) and looks
 * at what the client received and what waits in the conn: every byte of
 * echo must be received, in the socket, or in out, in order. A call that
 * does not return within STEP_MS (a loop that waits for room to send) is
 * named, and the driver ends.
 *
 * Prints "ok NAME" for a case that passed, "case failed: NAME: reason"
 * for one that did not, and last "cases: N run, F failed".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "evloop.h"

#define MAX_CALLS    20000 /* calls of conn.c one pump may make */
#define SMALL_SNDBUF 4096  /* SO_SNDBUF of a conn's socket that fills */
#define LINE_BYTES   1000  /* a line of the output cases, "\n" included */

static int step_ms = 2000;	 /* how long one call may take */
static int run_count;		 /* cases run */
static int failed_count;	 /* cases failed */
static char failure[512];	 /* why the current case failed, "" if not */
static const char *current_case; /* its name, for the alarm */
static const char *volatile in_call; /* the call of conn.c under way */

/* Records the first reason the current case fails. Returns -1. */
static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	if (failure[0])
		return -1;
	va_start(ap, fmt);
	vsnprintf(failure, sizeof(failure), fmt, ap);
	va_end(ap);
	return -1;
}

static void write_text(const char *text)
{
	if (write(STDOUT_FILENO, text, strlen(text)) < 0) {
		/* nothing more can be said */
	}
}

/* A call of conn.c that never returns: say which, and end. */
static void on_alarm(int sig)
{
	(void)sig;
	write_text("case failed: ");
	write_text(current_case ? current_case : "?");
	write_text(": ");
	write_text(in_call ? in_call : "a call of conn.c");
	write_text(" did not return: it waits (for room to send, or for "
		   "more to read) instead of returning to the loop; on a "
		   "non-blocking socket, EAGAIN means: return, and let poll "
		   "say when to go on\n");
	_exit(3);
}

static void arm(const char *call)
{
	struct itimerval t = {{0, 0},
			      {step_ms / 1000, (step_ms % 1000) * 1000}};

	in_call = call;
	setitimer(ITIMER_REAL, &t, NULL);
}

static void disarm(void)
{
	struct itimerval off = {{0, 0}, {0, 0}};

	setitimer(ITIMER_REAL, &off, NULL);
	in_call = NULL;
}

/* What the driver can see of a conn after every call. 0 or -1. */
static int expect_sane(const struct conn *c, const char *call)
{
	if (c->in_len > ECHO_LINE_MAX)
		return fail("after %s, in_len is %zu: more than in holds "
			    "(ECHO_LINE_MAX); recv at most ECHO_LINE_MAX - "
			    "in_len bytes, into in + in_len",
			    call, c->in_len);
	if (c->out_len > OUT_MAX)
		return fail("after %s, out_len is %zu: more than OUT_MAX "
			    "(%d) waits",
			    call, c->out_len, OUT_MAX);
	if (c->out_len > 0 && !c->out)
		return fail("after %s, out_len is %zu but out is NULL", call,
			    c->out_len);
	return 0;
}

static int call_read(struct conn *c)
{
	int rc;

	arm("conn_read");
	rc = conn_read(c);
	disarm();
	if (expect_sane(c, "conn_read") < 0)
		return CONN_CLOSE;
	return rc;
}

static int call_write(struct conn *c)
{
	int rc;

	arm("conn_write");
	rc = conn_write(c);
	disarm();
	if (expect_sane(c, "conn_write") < 0)
		return CONN_CLOSE;
	return rc;
}

static int call_queue(struct conn *c, const void *data, size_t len)
{
	int rc;

	arm("conn_queue");
	rc = conn_queue(c, data, len);
	disarm();
	return rc;
}

static const char *result_name(int rc)
{
	switch (rc) {
	case CONN_KEEP:
		return "CONN_KEEP";
	case CONN_CLOSE:
		return "CONN_CLOSE";
	case CONN_DROP:
		return "CONN_DROP";
	default:
		return "a value that is none of CONN_KEEP, CONN_CLOSE, "
		       "CONN_DROP";
	}
}

/* ---- bytes ------------------------------------------------------------ */

struct bytes {
	char *data; /* malloc'd */
	size_t len; /* bytes in data */
	size_t cap; /* bytes allocated */
};

static void bytes_add(struct bytes *b, const void *data, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + len + 1)
			cap *= 2;
		b->data = realloc(b->data, cap);
		if (!b->data) {
			write_text("conn-cases: out of memory\n");
			_exit(4);
		}
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

static void bytes_free(struct bytes *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

/* "line 7 xxxx...\n", len bytes: the lines of the output cases, each
 * its own so that one lost or repeated shows. */
static void numbered_line(struct bytes *b, int number, size_t len)
{
	char head[32];
	int n = snprintf(head, sizeof(head), "line %d ", number);

	for (size_t i = 0; i + 1 < len; i++)
		bytes_add(b, i < (size_t)n ? &head[i] : "x", 1);
	bytes_add(b, "\n", 1);
}

/* The first byte where a and b differ (the length of the shorter if
 * one is the start of the other). */
static size_t first_difference(const struct bytes *a, const struct bytes *b)
{
	size_t i = 0;

	while (i < a->len && i < b->len && a->data[i] == b->data[i])
		i++;
	return i;
}

/* got must be want, byte for byte. 0 or -1. */
static int expect_bytes(const char *what, const struct bytes *want,
			const struct bytes *got)
{
	size_t at;

	if (want->len == got->len &&
	    (want->len == 0 || memcmp(want->data, got->data, want->len) == 0))
		return 0;
	at = first_difference(want, got);
	return fail("%s: %zu bytes came back, %zu expected, the first "
		    "difference at byte %zu (expected \"%.20s\", got "
		    "\"%.20s\")",
		    what, got->len, want->len, at,
		    at < want->len ? want->data + at : "",
		    at < got->len ? got->data + at : "");
}

/* ---- sockets ------------------------------------------------------------ */

static int set_nonblocking(int fd)
{
	return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* 1 when fd is ready for events now. */
static int ready(int fd, short events)
{
	struct pollfd p = {.fd = fd, .events = events};

	return poll(&p, 1, 0) == 1 &&
	       (p.revents & (events | POLLHUP | POLLERR));
}

/* Bytes waiting to be read on fd. */
static size_t waiting(int fd)
{
	int n = 0;

	return ioctl(fd, FIONREAD, &n) == 0 && n > 0 ? (size_t)n : 0;
}

/* A connected pair, both ends non-blocking: the conn's in *conn_fd (its
 * SO_SNDBUF set to sndbuf unless 0), the client's in *peer. 0 or -1. */
static int make_pair(int *conn_fd, int *peer, int sndbuf)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return fail("driver: socketpair: %s", strerror(errno));
	if (sndbuf > 0)
		setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf,
			   sizeof(sndbuf));
	set_nonblocking(sv[0]);
	set_nonblocking(sv[1]);
	*conn_fd = sv[0];
	*peer = sv[1];
	return 0;
}

/* A TCP connection over loopback, both ends non-blocking. 0 or -1. */
static int make_tcp_pair(int *conn_fd, int *peer)
{
	struct sockaddr_in addr = {.sin_family = AF_INET};
	socklen_t len = sizeof(addr);
	int listener = socket(AF_INET, SOCK_STREAM, 0);
	int rc = -1;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*peer = -1;
	if (listener < 0 ||
	    bind(listener, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(listener, 1) < 0 ||
	    getsockname(listener, (struct sockaddr *)&addr, &len) < 0 ||
	    (*peer = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    connect(*peer, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    (*conn_fd = accept(listener, NULL, NULL)) < 0) {
		fail("driver: a TCP connection over loopback: %s",
		     strerror(errno));
		if (*peer >= 0)
			close(*peer);
	} else {
		set_nonblocking(*conn_fd);
		set_nonblocking(*peer);
		rc = 0;
	}
	if (listener >= 0)
		close(listener);
	return rc;
}

/* A conn on fd, as the loop makes one: on the heap, so that a write past
 * its end meets AddressSanitizer. */
static struct conn *new_conn(int fd)
{
	struct conn *c = malloc(sizeof(*c));

	if (!c) {
		write_text("conn-cases: out of memory\n");
		_exit(4);
	}
	memset(c, 0xa5, sizeof(*c)); /* conn_init must set every field */
	arm("conn_init");
	conn_init(c, fd);
	disarm();
	return c;
}

/* Closes c's socket (conn_close) and frees it. */
static void end_conn(struct conn *c)
{
	arm("conn_close");
	conn_close(c);
	disarm();
	free(c);
}

/* Lets conn.c do what it can, as the loop would: conn_read while the
 * socket has something to read (until eof), conn_write while something
 * waits and the socket takes more. Returns the first result other than
 * CONN_KEEP, or CONN_KEEP once nothing more can be done. */
static int pump(struct conn *c)
{
	for (int i = 0; i < MAX_CALLS && !failure[0]; i++) {
		int rc;

		if (!c->eof && ready(c->fd, POLLIN))
			rc = call_read(c);
		else if (c->out_len > 0 && ready(c->fd, POLLOUT))
			rc = call_write(c);
		else
			return CONN_KEEP;
		if (rc != CONN_KEEP)
			return rc;
	}
	if (!failure[0])
		fail("after %d calls of conn_read and conn_write that "
		     "returned CONN_KEEP the socket was still ready: "
		     "conn_read must recv (and conn_write send) each time",
		     MAX_CALLS);
	return CONN_CLOSE;
}

/* Everything the client has been sent so far, appended to got. */
static void peer_receive(int peer, struct bytes *got)
{
	char buf[4096];
	ssize_t n;

	while ((n = recv(peer, buf, sizeof(buf), 0)) > 0)
		bytes_add(got, buf, (size_t)n);
}

/* The client sends len bytes in pieces of piece bytes (0: whole), and
 * conn.c does what it can after each. Returns the first result other
 * than CONN_KEEP, or CONN_KEEP. */
static int feed(struct conn *c, int peer, const void *data, size_t len,
		size_t piece)
{
	const char *at = data;
	int rc = CONN_KEEP;

	for (int tries = 0; len > 0 && rc == CONN_KEEP && !failure[0];) {
		size_t want = piece && piece < len ? piece : len;
		ssize_t n = send(peer, at, want, MSG_NOSIGNAL);

		if (n < 0 && errno != EAGAIN)
			return fail("driver: send: %s", strerror(errno));
		if (n > 0) {
			at += n;
			len -= (size_t)n;
			tries = 0;
		} else if (++tries > 3) {
			return fail("conn_read stopped taking what the client "
				    "sent: the socket stayed full");
		}
		rc = pump(c);
	}
	return rc;
}

/* The client reads everything while conn.c sends what waits, until
 * nothing more comes. Returns the first result other than CONN_KEEP,
 * or CONN_KEEP. */
static int drain(struct conn *c, int peer, struct bytes *got)
{
	int rc = CONN_KEEP;

	for (int i = 0; i < MAX_CALLS && !failure[0]; i++) {
		size_t before = got->len;
		size_t pending = c->out_len;

		peer_receive(peer, got);
		rc = pump(c);
		if (rc != CONN_KEEP)
			break;
		if (got->len == before && c->out_len == pending &&
		    !ready(peer, POLLIN))
			break;
	}
	peer_receive(peer, got);
	return rc;
}

static int expect_result(int rc, int want, const char *what)
{
	if (failure[0])
		return -1;
	if (rc != want)
		return fail("%s: %s, expected %s", what, result_name(rc),
			    result_name(want));
	return 0;
}

/* Sends text, lets conn.c work, and requires want back and CONN_KEEP. */
static int expect_echo(struct conn *c, int peer, const char *text, size_t len,
		       size_t piece, const char *want, size_t want_len,
		       const char *what)
{
	struct bytes got = {0}, expected = {0};
	int rc = feed(c, peer, text, len, piece);

	if (expect_result(rc, CONN_KEEP, what) == 0) {
		drain(c, peer, &got);
		bytes_add(&expected, want, want_len);
		expect_bytes(what, &expected, &got);
	}
	bytes_free(&got);
	bytes_free(&expected);
	return failure[0] ? -1 : 0;
}

#define ECHO(c, peer, text, what)                                              \
	expect_echo(c, peer, text, sizeof(text) - 1, 0, text,                  \
		    sizeof(text) - 1, what)

/* ---- lines: what comes back, and when ------------------------------------ */

static int case_one_line(void)
{
	int fd, peer;
	struct conn *c;

	if (make_pair(&fd, &peer, 0) < 0)
		return -1;
	c = new_conn(fd);
	if (ECHO(c, peer, "hello, world\n", "\"hello, world\\n\"") == 0) {
		if (c->lines != 1)
			fail("one line echoed, and lines is %ld", c->lines);
		else if (c->in_len != 0)
			fail("after a whole line, in_len is %zu: the line "
			     "must leave in once echoed",
			     c->in_len);
	}
	end_conn(c);
	close(peer);
	return failure[0] ? -1 : 0;
}

/* conn_read sends the echo it queued at once (conn_write), without
 * waiting for the loop's next POLLOUT round. */
static int case_read_sends(void)
{
	static const char line[] = "at once\n";
	struct bytes got = {0};
	struct pollfd p;
	int fd, peer;
	struct conn *c;

	if (make_pair(&fd, &peer, 0) < 0)
		return -1;
	c = new_conn(fd);
	p = (struct pollfd){.fd = fd, .events = POLLIN};
	if (send(peer, line, sizeof(line) - 1, MSG_NOSIGNAL) !=
		(ssize_t)(sizeof(line) - 1) ||
	    poll(&p, 1, step_ms) != 1)
		fail("driver: the line did not reach the conn");
	else if (expect_result(call_read(c), CONN_KEEP,
			       "conn_read of \"at once\\n\"") == 0) {
		peer_receive(peer, &got);
		if (got.len != sizeof(line) - 1)
			fail("after one conn_read of a whole line, the client "
			     "had %zu of its %zu bytes of echo: conn_read "
			     "must send what it queued at once (conn_write), "
			     "not leave it for the next POLLOUT",
			     got.len, sizeof(line) - 1);
	}
	bytes_free(&got);
	end_conn(c);
	close(peer);
	return failure[0] ? -1 : 0;
}

static int case_pieces(void)
{
	static const char bytewise[] = "one byte at a time\n";
	int fd, peer;
	struct conn *c;

	if (make_pair(&fd, &peer, 0) < 0)
		return -1;
	c = new_conn(fd);
	/* no "\n" yet: nothing comes back, and nothing is lost */
	if (expect_echo(c, peer, "hel", 3, 0, "", 0,
			"\"hel\" (no \"\\n\" yet): nothing may come back") <
		0 ||
	    expect_echo(c, peer, "lo\nwor", 6, 0, "hello\n", 6,
			"then \"lo\\nwor\"") < 0 ||
	    expect_echo(c, peer, "ld\n", 3, 0, "world\n", 6, "then \"ld\\n\"") <
		0 ||
	    expect_echo(c, peer, bytewise, sizeof(bytewise) - 1, 1, bytewise,
			sizeof(bytewise) - 1,
			"a line sent one byte at a time") < 0)
		goto out;
	if (c->lines != 3)
		fail("three lines echoed, and lines is %ld", c->lines);
out:
	end_conn(c);
	close(peer);
	return failure[0] ? -1 : 0;
}

static int case_many_at_once(void)
{
	struct bytes lines = {0};
	int fd, peer;
	struct conn *c;

	for (int i = 1; i <= 100; i++) {
		char line[64];
		int n = snprintf(line, sizeof(line),
				 "line %03d of a hundred sent at once\n", i);

		bytes_add(&lines, line, (size_t)n);
	}
	if (make_pair(&fd, &peer, 0) < 0)
		goto out_free;
	c = new_conn(fd);
	if (expect_echo(c, peer, lines.data, lines.len, 0, lines.data,
			lines.len, "a hundred lines in one send") == 0 &&
	    c->lines != 100)
		fail("a hundred lines echoed, and lines is %ld", c->lines);
	end_conn(c);
	close(peer);
out_free:
	bytes_free(&lines);
	return failure[0] ? -1 : 0;
}

static int case_any_byte(void)
{
	static const char binary[] = "bin\0ary \xff\xfe\x01 bytes\n";
	int fd, peer;
	struct conn *c;

	if (make_pair(&fd, &peer, 0) < 0)
		return -1;
	c = new_conn(fd);
	if (ECHO(c, peer, "\n", "an empty line (\"\\n\" alone)") == 0 &&
	    ECHO(c, peer, "ends in CR LF\r\n", "\"ends in CR LF\\r\\n\"") ==
		0 &&
	    ECHO(c, peer, binary,
		 "a line with '\\0' and bytes above 127 (memchr, not strchr "
		 "or strlen)") == 0 &&
	    c->lines != 3)
		fail("three lines echoed, and lines is %ld", c->lines);
	end_conn(c);
	close(peer);
	return failure[0] ? -1 : 0;
}

/* A line of len bytes, "\n" last, its bytes numbered so a shift shows. */
static void long_line(struct bytes *out, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++)
		bytes_add(out, &"0123456789abcdefghijklmnopqrstuvwxyz"[i % 36],
			  1);
	bytes_add(out, "\n", 1);
}

static int case_long_lines(void)
{
	struct bytes line = {0}, want = {0};
	int fd, peer;
	struct conn *c;

	if (make_pair(&fd, &peer, 0) < 0)
		return -1;
	c = new_conn(fd);
	/* limit - 1 and limit, in pieces of 200: echoed whole */
	long_line(&line, ECHO_LINE_MAX - 1);
	if (expect_echo(c, peer, line.data, line.len, 200, line.data, line.len,
			"a line of 1023 bytes") < 0)
		goto out;
	line.len = 0;
	long_line(&line, ECHO_LINE_MAX);
	if (expect_echo(c, peer, line.data, line.len, 200, line.data, line.len,
			"a line of exactly ECHO_LINE_MAX (1024) bytes") < 0)
		goto out;
	/* limit + 1: one error, and the next line is a line again */
	line.len = 0;
	long_line(&line, ECHO_LINE_MAX + 1);
	bytes_add(&line, "after\n", 6);
	bytes_add(&want, TOO_LONG_REPLY "after\n",
		  strlen(TOO_LONG_REPLY "after\n"));
	if (expect_echo(c, peer, line.data, line.len, 200, want.data, want.len,
			"a line of 1025 bytes, then \"after\"") < 0)
		goto out;
	/* far over, all at once: still one error for the whole line */
	line.len = 0;
	want.len = 0;
	long_line(&line, 5000);
	bytes_add(&line, "ok\n", 3);
	bytes_add(&want, TOO_LONG_REPLY "ok\n", strlen(TOO_LONG_REPLY "ok\n"));
	if (expect_echo(c, peer, line.data, line.len, 0, want.data, want.len,
			"a line of 5000 bytes in one send, then \"ok\"") < 0)
		goto out;
	if (c->lines != 4)
		fail("four lines echoed (1023 and 1024 bytes, \"after\", "
		     "\"ok\"; a line too long is not counted), and lines is "
		     "%ld",
		     c->lines);
out:
	end_conn(c);
	close(peer);
	bytes_free(&line);
	bytes_free(&want);
	return failure[0] ? -1 : 0;
}

/* A line, then more bytes than in can hold, in one send: the second recv
 * must ask for the free part of in only. */
static int case_long_after_a_line(void)
{
	struct bytes line = {0}, want = {0};
	int fd, peer;
	struct conn *c;

	if (make_pair(&fd, &peer, 0) < 0)
		return -1;
	c = new_conn(fd);
	bytes_add(&line, "abc\n", 4);
	long_line(&line, 3000);
	bytes_add(&line, "next\n", 5);
	bytes_add(&want, "abc\n" TOO_LONG_REPLY "next\n",
		  strlen("abc\n" TOO_LONG_REPLY "next\n"));
	expect_echo(c, peer, line.data, line.len, 0, want.data, want.len,
		    "\"abc\\n\", 3000 bytes without \"\\n\", then \"next\\n\", "
		    "in one send");
	end_conn(c);
	close(peer);
	bytes_free(&line);
	bytes_free(&want);
	return failure[0] ? -1 : 0;
}

static int case_tail_at_eof(void)
{
	struct bytes got = {0};
	int fd, peer, rc;
	struct conn *c;

	if (make_pair(&fd, &peer, 0) < 0)
		return -1;
	c = new_conn(fd);
	rc = feed(c, peer, "one\ntwo", 7, 0);
	if (expect_result(rc, CONN_KEEP, "\"one\\ntwo\"") < 0)
		goto out;
	shutdown(peer, SHUT_WR);
	rc = drain(c, peer, &got);
	if (expect_result(rc, CONN_CLOSE,
			  "the client closed its side after \"one\\ntwo\": "
			  "once its echo is sent, the connection ends") < 0)
		goto out;
	if (!c->eof)
		fail("recv returned 0 and eof is still 0");
	else if (got.len != 4 || memcmp(got.data, "one\n", 4) != 0)
		fail("the client sent \"one\\ntwo\" and closed: it got back "
		     "\"%.*s\", expected \"one\\n\" (bytes after the last "
		     "\"\\n\" are not a line)",
		     (int)got.len, got.data ? got.data : "");
out:
	end_conn(c);
	close(peer);
	bytes_free(&got);
	return failure[0] ? -1 : 0;
}

/* Two clients at once, their pieces interleaved: each has its own
 * buffer. */
static int case_two_clients(void)
{
	int fd1, peer1, fd2, peer2;
	struct conn *c1, *c2;

	if (make_pair(&fd1, &peer1, 0) < 0)
		return -1;
	if (make_pair(&fd2, &peer2, 0) < 0) {
		close(fd1);
		close(peer1);
		return -1;
	}
	c1 = new_conn(fd1);
	c2 = new_conn(fd2);
	if (expect_echo(c1, peer1, "abc", 3, 0, "", 0,
			"client 1 sent \"abc\"") == 0 &&
	    expect_echo(c2, peer2, "xyz\n", 4, 0, "xyz\n", 4,
			"then client 2 \"xyz\\n\" (each conn keeps its "
			"own bytes)") == 0)
		expect_echo(c1, peer1, "def\n", 4, 0, "abcdef\n", 7,
			    "then client 1 \"def\\n\"");
	end_conn(c1);
	end_conn(c2);
	close(peer1);
	close(peer2);
	return failure[0] ? -1 : 0;
}

/* ---- output: partial writes, the bound ------------------------------ */

/* n numbered lines of LINE_BYTES, appended to out. */
static void numbered_lines(struct bytes *out, int first, int n)
{
	for (int i = first; i < first + n; i++)
		numbered_line(out, i, LINE_BYTES);
}

/* Every byte of echo so far is in the client's socket (unread) or in
 * out, in order: the first bytes of want are in the socket, the rest are
 * out[0..out_len). 0 or -1. */
static int expect_nothing_lost(const struct conn *c, int peer,
			       const struct bytes *want, const char *when)
{
	size_t in_socket = waiting(peer);

	if (in_socket + c->out_len != want->len)
		return fail("%s: %zu bytes of echo were due, %zu are in the "
			    "socket and %zu wait in out: %s",
			    when, want->len, in_socket, c->out_len,
			    in_socket + c->out_len < want->len
				? "bytes were lost; when send takes fewer "
				  "bytes than it was given (or says EAGAIN), "
				  "the rest stays in out"
				: "bytes were sent twice");
	if (c->out_len > 0 &&
	    memcmp(c->out, want->data + in_socket, c->out_len) != 0)
		return fail("%s: out does not hold the echo not yet sent, in "
			    "order, from out[0] (after a partial send, "
			    "memmove the rest to the front)",
			    when);
	return 0;
}

static int case_queue_bound(void)
{
	char *big = malloc(OUT_MAX + 1);
	int fd, peer, rc;
	struct conn *c;

	if (!big)
		return fail("driver: out of memory");
	for (int i = 0; i <= OUT_MAX; i++)
		big[i] = (char)('a' + i % 26);
	if (make_pair(&fd, &peer, 0) < 0)
		goto out_free;
	c = new_conn(fd);
	/* limit - 1, then exactly the limit, then one more */
	rc = call_queue(c, big, OUT_MAX - 1);
	if (expect_result(rc, CONN_KEEP, "conn_queue of OUT_MAX - 1 bytes") <
		0 ||
	    expect_result(call_queue(c, big + OUT_MAX - 1, 1), CONN_KEEP,
			  "then 1 more byte (OUT_MAX in all: still allowed)") <
		0 ||
	    expect_result(call_queue(c, "!", 1), CONN_DROP,
			  "then 1 more byte (OUT_MAX + 1: too many)") < 0)
		goto out_end;
	if (c->out_len != OUT_MAX || memcmp(c->out, big, OUT_MAX) != 0)
		fail("after OUT_MAX bytes and a refused one, out_len is %zu "
		     "and out %s: a refused conn_queue appends nothing",
		     c->out_len,
		     c->out_len == OUT_MAX ? "differs" : "has the wrong size");
	else if (waiting(peer) > 0)
		fail("conn_queue sent bytes: it only appends to out");
out_end:
	end_conn(c);
	close(peer);
	if (failure[0] || make_pair(&fd, &peer, 0) < 0)
		goto out_free;
	c = new_conn(fd);
	if (expect_result(call_queue(c, big, OUT_MAX + 1), CONN_DROP,
			  "conn_queue of OUT_MAX + 1 bytes at once") == 0 &&
	    c->out_len != 0)
		fail("a refused conn_queue left out_len %zu: it must append "
		     "nothing",
		     c->out_len);
	end_conn(c);
	close(peer);
out_free:
	free(big);
	return failure[0] ? -1 : 0;
}

/* The client does not read: the conn's socket fills, sends are partial
 * or refused, and the rest waits in out; then the client reads it all,
 * in order. */
static int case_partial_keeps_rest(void)
{
	struct bytes lines = {0}, got = {0};
	int fd, peer, rc;
	struct conn *c;

	numbered_lines(&lines, 1, 48);
	if (make_pair(&fd, &peer, SMALL_SNDBUF) < 0)
		goto out_free;
	c = new_conn(fd);
	rc = feed(c, peer, lines.data, lines.len, LINE_BYTES);
	if (expect_result(rc, CONN_KEEP,
			  "48 lines of 1000 bytes from a client that does "
			  "not read yet (48000 bytes: less than OUT_MAX)") <
		0 ||
	    expect_nothing_lost(c, peer, &lines,
				"with the client not reading") < 0)
		goto out;
	if (c->out_len == 0) {
		fail("driver: the socket took all 48000 bytes; the case "
		     "needs it full");
		goto out;
	}
	if (c->lines != 48)
		fail("48 lines queued, and lines is %ld", c->lines);
	rc = drain(c, peer, &got);
	if (expect_result(rc, CONN_KEEP, "then the client read everything") ==
	    0)
		expect_bytes("what the client read once it did", &lines, &got);
out:
	end_conn(c);
	close(peer);
out_free:
	bytes_free(&lines);
	bytes_free(&got);
	return failure[0] ? -1 : 0;
}

/* A conn whose socket is full, with echo waiting. 0 or -1. */
static int fill(struct conn **c, int *peer, struct bytes *lines, int n)
{
	int fd, rc;

	numbered_lines(lines, 1, n);
	if (make_pair(&fd, peer, SMALL_SNDBUF) < 0)
		return -1;
	*c = new_conn(fd);
	rc = feed(*c, *peer, lines->data, lines->len, LINE_BYTES);
	if (expect_result(rc, CONN_KEEP,
			  "lines from a client that does not read") < 0)
		return -1;
	if ((*c)->out_len == 0)
		return fail("driver: the socket took every line; the case "
			    "needs it full");
	return 0;
}

/* EAGAIN on either side is not an error, and changes nothing. */
static int case_eagain_keeps(void)
{
	struct bytes lines = {0};
	struct conn *c = NULL;
	int peer = -1;

	if (fill(&c, &peer, &lines, 24) < 0)
		goto out;
	for (int i = 0; i < 3; i++) {
		size_t in_len = c->in_len;

		if (expect_result(call_write(c), CONN_KEEP,
				  "conn_write with the socket full (send says "
				  "EAGAIN)") < 0 ||
		    expect_nothing_lost(c, peer, &lines,
					"after conn_write with the socket "
					"full") < 0 ||
		    expect_result(call_read(c), CONN_KEEP,
				  "conn_read with nothing to read (recv says "
				  "EAGAIN: poll may say readable and recv "
				  "find nothing)") < 0 ||
		    expect_nothing_lost(c, peer, &lines,
					"after conn_read with nothing to "
					"read") < 0)
			break;
		if (c->in_len != in_len) {
			fail("conn_read with nothing to read changed in_len "
			     "from %zu to %zu",
			     in_len, c->in_len);
			break;
		}
	}
out:
	if (c)
		end_conn(c);
	if (peer >= 0)
		close(peer);
	bytes_free(&lines);
	return failure[0] ? -1 : 0;
}

/* A client that never reads: dropped once one more echo would pass
 * OUT_MAX, not before. */
static int case_drop_past_bound(void)
{
	struct bytes line = {0}, echoed = {0};
	int fd, peer, rc = CONN_KEEP, sent = 0;
	struct conn *c;

	if (make_pair(&fd, &peer, SMALL_SNDBUF) < 0)
		return -1;
	c = new_conn(fd);
	while (rc == CONN_KEEP && sent < 3 * OUT_MAX / LINE_BYTES &&
	       !failure[0]) {
		line.len = 0;
		numbered_line(&line, ++sent, LINE_BYTES);
		rc = feed(c, peer, line.data, line.len, 0);
		if (rc == CONN_KEEP)
			bytes_add(&echoed, line.data, line.len);
	}
	if (failure[0])
		goto out;
	if (rc != CONN_DROP) {
		fail("a client sent %d lines of %d bytes and read none: "
		     "conn_read returned %s, expected CONN_DROP once the "
		     "echo waiting in out would pass OUT_MAX (%d)",
		     sent, LINE_BYTES, result_name(rc), OUT_MAX);
		goto out;
	}
	/* the line that did not fit may have been half read: what counts
	 * is that out was nearly full */
	if (c->out_len + LINE_BYTES <= OUT_MAX)
		fail("CONN_DROP with only %zu bytes waiting in out: a client "
		     "is dropped when one more echo would pass OUT_MAX (%d), "
		     "not before",
		     c->out_len, OUT_MAX);
out:
	end_conn(c);
	close(peer);
	bytes_free(&line);
	bytes_free(&echoed);
	return failure[0] ? -1 : 0;
}

/* A send to a client that has gone fails: the conn must end. */
static int case_send_error_closes(void)
{
	struct bytes lines = {0};
	struct conn *c = NULL;
	int peer = -1;

	if (fill(&c, &peer, &lines, 24) < 0)
		goto out;
	close(peer);
	peer = -1;
	expect_result(call_write(c), CONN_CLOSE,
		      "conn_write after the client closed (send fails with "
		      "EPIPE)");
out:
	if (c)
		end_conn(c);
	if (peer >= 0)
		close(peer);
	bytes_free(&lines);
	return failure[0] ? -1 : 0;
}

static int expect_events(const struct conn *c, short want, const char *when)
{
	short got = conn_events(c);

	if (got == want)
		return 0;
	return fail("%s: conn_events gave %s%s%s%s, expected %s%s%s", when,
		    got & POLLIN ? "POLLIN " : "",
		    got & POLLOUT ? "POLLOUT " : "",
		    got & ~(POLLIN | POLLOUT) ? "other bits " : "",
		    got == 0 ? "0 " : "", want & POLLIN ? "POLLIN " : "",
		    want & POLLOUT ? "POLLOUT " : "", want == 0 ? "0" : "");
}

static int case_events(void)
{
	struct bytes lines = {0};
	struct conn *c = NULL;
	int fd, peer = -1;

	if (make_pair(&fd, &peer, 0) < 0)
		return -1;
	c = new_conn(fd);
	if (expect_events(c, POLLIN,
			  "a new connection (POLLOUT now would wake the loop "
			  "at once: an idle socket is always writable)") < 0)
		goto out;
	end_conn(c);
	close(peer);
	c = NULL;
	peer = -1;
	if (fill(&c, &peer, &lines, 24) < 0 ||
	    expect_events(c, POLLIN | POLLOUT, "with echo waiting in out") < 0)
		goto out;
	/* the client closes its side, still not reading */
	shutdown(peer, SHUT_WR);
	if (expect_result(pump(c), CONN_KEEP,
			  "the client closed its side with echo still "
			  "waiting (send it first)") < 0 ||
	    expect_events(c, POLLOUT,
			  "after EOF, with echo waiting (POLLIN now would "
			  "wake the loop at once, again and again: EOF stays "
			  "readable)") < 0)
		goto out;
out:
	if (c)
		end_conn(c);
	if (peer >= 0)
		close(peer);
	bytes_free(&lines);
	return failure[0] ? -1 : 0;
}

/* ---- close: EOF, resets, the end of a conn ---------------------------- */

static int case_init(void)
{
	struct conn *c = new_conn(42);

	if (c->fd != 42 || c->in_len != 0 || c->skipping != 0 ||
	    c->out != NULL || c->out_len != 0 || c->out_cap != 0 ||
	    c->eof != 0 || c->lines != 0)
		fail("conn_init(c, 42) left fd %d, in_len %zu, skipping %d, "
		     "out %s, out_len %zu, out_cap %zu, eof %d, lines %ld: "
		     "expected 42 and zeros (out NULL)",
		     c->fd, c->in_len, c->skipping,
		     c->out ? "not NULL" : "NULL", c->out_len, c->out_cap,
		     c->eof, c->lines);
	free(c); /* fd 42 is no descriptor of ours: not closed */
	return failure[0] ? -1 : 0;
}

static int case_eof_at_once(void)
{
	int fd, peer;
	struct conn *c;

	if (make_pair(&fd, &peer, 0) < 0)
		return -1;
	c = new_conn(fd);
	if (ECHO(c, peer, "one line\n", "\"one line\\n\"") == 0) {
		close(peer);
		peer = -1;
		if (expect_result(call_read(c), CONN_CLOSE,
				  "conn_read after the client closed, with "
				  "nothing waiting (recv returned 0)") == 0 &&
		    !c->eof)
			fail("recv returned 0 and eof is still 0");
	}
	end_conn(c);
	if (peer >= 0)
		close(peer);
	return failure[0] ? -1 : 0;
}

/* EOF with echo waiting: it is sent first, then the conn ends. */
static int case_eof_sends_first(void)
{
	struct bytes lines = {0}, got = {0};
	struct conn *c = NULL;
	int peer = -1, rc;

	if (fill(&c, &peer, &lines, 48) < 0)
		goto out;
	shutdown(peer, SHUT_WR);
	rc = pump(c);
	if (expect_result(rc, CONN_KEEP,
			  "conn_read at EOF with echo waiting in out (the "
			  "client may still read it)") < 0)
		goto out;
	rc = drain(c, peer, &got);
	if (expect_result(rc, CONN_CLOSE,
			  "conn_write once the client has read all its echo "
			  "after its EOF") == 0)
		expect_bytes("what a client that closed its side before "
			     "reading got",
			     &lines, &got);
out:
	if (c)
		end_conn(c);
	if (peer >= 0)
		close(peer);
	bytes_free(&lines);
	bytes_free(&got);
	return failure[0] ? -1 : 0;
}

/* A client that resets (TCP RST): recv fails with ECONNRESET. */
static int case_reset(void)
{
	struct linger reset = {.l_onoff = 1, .l_linger = 0};
	int fd, peer;
	struct conn *c;

	if (make_tcp_pair(&fd, &peer) < 0)
		return -1;
	c = new_conn(fd);
	if (ECHO(c, peer, "before the reset\n", "\"before the reset\\n\"") ==
	    0) {
		setsockopt(peer, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
		close(peer);
		peer = -1;
		/* the reset arrives: wait for it, 100 ms at most */
		struct pollfd p = {.fd = fd, .events = POLLIN};

		poll(&p, 1, 100);
		expect_result(call_read(c), CONN_CLOSE,
			      "conn_read after the client reset the "
			      "connection (recv fails with ECONNRESET)");
	}
	end_conn(c);
	if (peer >= 0)
		close(peer);
	return failure[0] ? -1 : 0;
}

static int case_close(void)
{
	struct bytes lines = {0};
	struct conn *c = NULL;
	int peer = -1, fd;

	if (fill(&c, &peer, &lines, 24) < 0)
		goto out;
	fd = c->fd;
	arm("conn_close");
	conn_close(c);
	disarm();
	if (fcntl(fd, F_GETFD) >= 0)
		fail("after conn_close the socket is still open");
	else if (c->out != NULL || c->out_len != 0)
		fail("after conn_close, out is %s and out_len %zu: free out "
		     "and set them to NULL and 0",
		     c->out ? "not NULL" : "NULL", c->out_len);
	free(c);
	c = NULL;
	/* a conn that never queued anything: out is NULL */
	if (!failure[0] && make_pair(&fd, &peer, 0) == 0) {
		close(peer);
		peer = -1;
		c = new_conn(fd);
	}
out:
	if (c)
		end_conn(c);
	if (peer >= 0)
		close(peer);
	bytes_free(&lines);
	return failure[0] ? -1 : 0;
}

struct test_case {
	const char *group; /* lines, output or close */
	const char *name;  /* shown in feedback */
	int (*run)(void);  /* 0 when it passed */
};

static const struct test_case cases[] = {
    {"lines", "one line comes back", case_one_line},
    {"lines", "conn_read sends the echo at once", case_read_sends},
    {"lines", "a line in pieces, and one byte at a time", case_pieces},
    {"lines", "a hundred lines in one send", case_many_at_once},
    {"lines", "empty, CR LF, '\\0' and bytes above 127", case_any_byte},
    {"lines", "lines of 1023, 1024, 1025 and 5000 bytes", case_long_lines},
    {"lines", "a line, then 3000 bytes without \"\\n\", in one send",
     case_long_after_a_line},
    {"lines", "bytes after the last \"\\n\" at EOF", case_tail_at_eof},
    {"lines", "two clients, their pieces interleaved", case_two_clients},
    {"output", "conn_queue up to OUT_MAX, and one byte more", case_queue_bound},
    {"output", "a full socket: what send does not take waits in out",
     case_partial_keeps_rest},
    {"output", "EAGAIN from send or recv changes nothing", case_eagain_keeps},
    {"output", "a client that never reads is dropped past OUT_MAX",
     case_drop_past_bound},
    {"output", "a send to a client that has gone", case_send_error_closes},
    {"output", "conn_events: POLLIN until EOF, POLLOUT while out waits",
     case_events},
    {"close", "conn_init", case_init},
    {"close", "EOF with nothing waiting ends the conn", case_eof_at_once},
    {"close", "EOF with echo waiting: sent first, then the end",
     case_eof_sends_first},
    {"close", "a client that resets", case_reset},
    {"close", "conn_close closes and frees", case_close},
};

int main(int argc, char **argv)
{
	struct sigaction sa;
	int any = 0;
	char token[64] = "";

	/* First, before any of the student's code runs: the harness's
	 * token for this run, which only the last line carries. */
	if (!fgets(token, sizeof(token), stdin))
		token[0] = '\0';
	token[strcspn(token, "\n")] = '\0';
	if (argc != 3 || atoi(argv[2]) <= 0) {
		fprintf(stderr,
			"usage: conn-cases lines|output|close STEP_MS\n");
		return 1;
	}
	step_ms = atoi(argv[2]);
	setvbuf(stdout, NULL, _IONBF, 0);
	/* the loop's main ignores SIGPIPE; so does its stand-in */
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(cases[i].group, argv[1]) != 0)
			continue;
		any = 1;
		failure[0] = '\0';
		current_case = cases[i].name;
		run_count++;
		if (cases[i].run() == 0 && !failure[0]) {
			printf("ok %s\n", cases[i].name);
		} else {
			failed_count++;
			printf("case failed: %s: %s\n", cases[i].name,
			       failure[0] ? failure : "it failed");
		}
	}
	if (!any) {
		fprintf(stderr, "conn-cases: no group %s\n", argv[1]);
		return 1;
	}
	printf("cases: %d run, %d failed, token %s\n", run_count, failed_count,
	       token);
	return failed_count ? 1 : 0;
}
