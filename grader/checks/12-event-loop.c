/* 12-event-loop.c - lab 12: an echo server in one thread, with an event
 * loop.
 *
 * "evloop PORT" echoes every line a client sends (evloop.h), to any
 * number of clients at once, from one thread. One connection's work
 * (conn.c: its buffers, reading, echoing, partial writes) is graded on
 * its own first, through a driver linked with it (support/conn_cases.c)
 * that gives it sockets of its own and fills them on purpose. The server
 * is then graded from the outside: the checks play clients (a crowd of
 * 1,100 at once, fifty that send a byte at a time, one that never reads
 * its echo, one that reads it late, some that reset), count its threads,
 * children and descriptors in /proc, watch it sleep when there is
 * nothing to do, take its descriptors away, run it under Valgrind's
 * memcheck, and measure its throughput under the harness's load
 * generator against a plain echo server measured in the same check.
 * The checks about full sockets shrink the sandbox's socket buffers
 * (tcp_rmem, tcp_wmem of its own network namespace), so that a few
 * kilobytes fill them whatever the machine's defaults. The rubric is the
 * table at the end of this file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../harness/hx_crowd.h"
#include "../../harness/hx_footprint.h"
#include "../../harness/hx_load.h"
#include "../../harness/hx_sched.h"
#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS      1500  /* the server starts listening */
#define IO_MS	      3000  /* an echo arrives, a client connects */
#define STOP_MS	      3000  /* the server exits after SIGTERM or SIGINT */
#define EXIT_MS	      1500  /* the server exits after bad arguments */
#define STEP_MS	      2000  /* one call of conn.c returns */
#define CASES_MS      20000 /* the conn driver runs one group */
#define SILENCE_MS    100   /* a client waits to see that nothing comes */
#define CROWD_MS      10000 /* a crowd's batch, or its round of echoes */
#define TOOL_READY_MS 15000 /* the server starts under Valgrind */
#define TOOL_IO_MS    8000  /* an echo arrives through it */
#define TOOL_STOP_MS  20000 /* it exits and Valgrind writes its report */

/* The protocol's limits, as evloop.h has them. */
#define ECHO_LINE_MAX  1024  /* longest line, its "\n" included */
#define OUT_MAX	       65536 /* most echo waiting for one client */
#define TOO_LONG_REPLY "error: line too long\n"

/* The crowd of the many-clients check: past descriptor 1024, where
 * select()'s fd_set ends (FD_SETSIZE) and fixed arrays of 1024 do. */
#define MANY_CLIENTS  1100 /* clients connected at once */
#define MANY_BATCH    50   /* connected, then served, at a time */
#define MANY_FILES    1200 /* RLIMIT_NOFILE of the server */
#define HARNESS_FILES 1400 /* of the check itself, which holds the crowd */

#define THREAD_CLIENTS 200 /* clients of the one-thread check */
#define IDLE_CLIENTS   100 /* idle clients of the idle check */
#define SLOW_SENDERS   50  /* clients sending a byte at a time */

/* Socket buffers of the checks that fill sockets: min, default, max of
 * tcp_rmem and tcp_wmem. A socket then holds a few kilobytes, and what
 * the kernel takes is far below OUT_MAX. */
#define SOCKET_BUFFERS "4096 8192 8192"
#define FLOOD_LINE     1024 /* a line of the client that never reads */
#define FLOOD_CHUNK    4    /* lines per send */
#define FLOOD_CAP                                                              \
	(1 << 20) /* bytes it sends before the server must                     \
		     have dropped it */
#define FLOOD_PING                                                             \
	16384		     /* bytes between two lines of the other           \
				client, which must be served */
#define GROWTH_KB	512  /* memory growth that shows echo kept */
#define SLOW_LINES	48   /* lines a slow reader leaves unread */
#define SLOW_LINE_BYTES 1000 /* their size: 48000 < OUT_MAX */
#define CLOSING_LINES	40   /* lines of a client that closes first */

/* The fd-limit check: the server's RLIMIT_NOFILE, and clients beyond. */
#define FD_LIMIT_FILES 24 /* RLIMIT_NOFILE of the fd-limit check */
#define FD_LIMIT_EXTRA 3  /* clients that wait for a descriptor */

/* The idle checks: a window with nothing to do, and what the server may
 * do in it. */
#define IDLE_WINDOW_MS 1000 /* unscaled: the test is about time */
#define IDLE_WAKEUPS   3    /* times its thread may wake in the window */
#define IDLE_CPU_MS    50   /* CPU time it may use in it */

/* The throughput check: the harness's load generator against the plain
 * echo server and against evloop, in turns. */
#define LOAD_CLIENTS   16  /* client threads at once */
#define LOAD_LINES     4   /* lines per connection */
#define LOAD_BYTES     64  /* bytes per line */
#define LOAD_PAUSE_US  0   /* no think time: as fast as they can */
#define LOAD_MS	       300 /* one measurement (unscaled) */
#define LOAD_ROUNDS    2   /* measurements of each, best kept */
#define LOAD_MIN_RATIO 25  /* evloop's best, in % of the echo's best */

#define FD_LEAK_FILES  32 /* RLIMIT_NOFILE of the fd-leak check */
#define FD_LEAK_VISITS 36 /* clients of the fd-leak check, six kinds */
#define MAX_CLIENTS    64 /* connections of one check held by name */

#define STRINGIFY(x) #x
#define TEXT(x)	     STRINGIFY(x) /* a number's macro as a string */

/* ---- starting and stopping the server ------------------------------ */

/* Starts "evloop PORT" (under tool, if not NULL) and waits until it
 * listens. */
static struct hx_proc *start_evloop(struct hx_check *c, const char *tool)
{
	char port_arg[16];
	const char *args[] = {port_arg, NULL};
	struct hx_spawn spawn = {
	    .label = "server", .program = "evloop", .args = args, .tool = tool};
	struct hx_proc *server;

	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	hx_recordf(c, 0, "starting evloop %s%s%s", port_arg,
		   tool ? " under " : "", tool ? tool : "");
	server = hx_start_with(c, &spawn);
	if (!server || hx_wait_ready(c, server, HX_TCP, hx_port(c, 0),
				     tool ? TOOL_READY_MS : READY_MS) < 0)
		return NULL;
	return server;
}

/* After a failed step: says in the notes how the server ended, if it did. */
static void note_server_end(struct hx_check *c, struct hx_proc *server)
{
	if (server && !hx_proc_running(server))
		hx_note_end(c, server);
}

/* The end of every server check: a server writes nothing on stdout. */
static void finish(struct hx_check *c, struct hx_proc *server)
{
	if (server)
		hx_expect_no_stdout(c, server);
}

/* Shrinks the socket buffers of the sandbox's own network namespace
 * (SOCKET_BUFFERS), before the server starts: its sockets then fill
 * after a few kilobytes. 0, or -1 once skipped. */
static int shrink_socket_buffers(struct hx_check *c)
{
	static const char *const paths[] = {"/proc/sys/net/ipv4/tcp_rmem",
					    "/proc/sys/net/ipv4/tcp_wmem"};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		int fd = open(paths[i], O_WRONLY | O_CLOEXEC);
		ssize_t n = -1;

		if (fd >= 0) {
			n = write(fd, SOCKET_BUFFERS, strlen(SOCKET_BUFFERS));
			close(fd);
		}
		if (n != (ssize_t)strlen(SOCKET_BUFFERS))
			return hx_skip(c, "cannot write %s: %s", paths[i],
				       strerror(errno));
	}
	hx_recordf(c, 0,
		   "socket buffers of this sandbox: tcp_rmem and "
		   "tcp_wmem \"" SOCKET_BUFFERS "\"");
	return 0;
}

/* ---- clients ---------------------------------------------------------- */

static int connect_client(struct hx_check *c, struct hx_conn *conn,
			  int timeout_ms)
{
	return hx_tcp_connect(c, conn, "127.0.0.1", hx_port(c, 0), timeout_ms);
}

static void close_all(struct hx_check *c, struct hx_conn *conns, int n)
{
	for (int i = 0; i < n; i++)
		hx_close(c, &conns[i]);
}

/* Receives as many lines as want holds (len bytes, each line ending in
 * "\n") and requires exactly want. who names the client in feedback. */
static int expect_lines(struct hx_check *c, struct hx_conn *conn,
			const char *want, size_t len, int timeout_ms,
			const char *who)
{
	struct hx_buf got;
	char what[160];
	size_t lines = 0;
	int rc = 0;

	for (size_t i = 0; i < len; i++)
		lines += want[i] == '\n';
	hx_buf_init(&got);
	hx_buf_add(&got, "", 0);
	for (size_t i = 0; i < lines && rc == 0; i++) {
		long n = hx_recv_until(c, conn, "\n", timeout_ms);

		if (n < 0) {
			hx_note(c,
				"%s was waiting for %zu line(s) back, got "
				"%zu",
				who, lines, i);
			rc = -1;
			break;
		}
		hx_buf_add(&got, conn->in.data, (size_t)n);
		hx_consume(conn, (size_t)n);
	}
	snprintf(what, sizeof(what), "what %s got back", who);
	if (rc == 0)
		rc = hx_expect_bytes(c, what, want, len, got.data, got.len);
	hx_buf_free(&got);
	return rc;
}

/* Sends len bytes (cut by plan) and requires them back, line by line. */
static int expect_echo(struct hx_check *c, struct hx_conn *conn,
		       const char *line, size_t len, const struct hx_plan *plan,
		       int timeout_ms, const char *who)
{
	if (hx_send(c, conn, line, len, plan) < 0)
		return -1;
	return expect_lines(c, conn, line, len, timeout_ms, who);
}

static int expect_echo_str(struct hx_check *c, struct hx_conn *conn,
			   const char *line, int timeout_ms, const char *who)
{
	return expect_echo(c, conn, line, strlen(line), NULL, timeout_ms, who);
}

/* Once the server has done all it can (asleep), nothing has come back
 * on conn and it is still open. */
static int expect_silence(struct hx_check *c, struct hx_proc *server,
			  struct hx_conn *conn, const char *who,
			  const char *why)
{
	hx_proc_wait_idle(server, IO_MS);
	hx_recv_for(c, conn, SILENCE_MS);
	if (conn->eof) {
		note_server_end(c, server);
		return hx_fail(c, HX_FAIL, "%s was %s %s", who,
			       conn->reset ? "reset" : "closed", why);
	}
	if (conn->in.len > 0)
		return hx_fail_values(c, HX_FAIL, NULL, 0, conn->in.data,
				      conn->in.len, "%s got an answer %s", who,
				      why);
	return 0;
}

/* "client N" */
static const char *client_name(int n)
{
	static char names[MAX_CLIENTS][24];
	int slot = n % MAX_CLIENTS;

	snprintf(names[slot], sizeof(names[slot]), "client %d", n);
	return names[slot];
}

/* Connects client number n (1-based) and requires its first line back:
 * it is being served. The connection stays open. */
static int connect_served(struct hx_check *c, struct hx_conn *conn, int n,
			  int timeout_ms)
{
	char line[64];

	snprintf(line, sizeof(line), "hello from client %d\n", n);
	if (connect_client(c, conn, timeout_ms) < 0)
		return -1;
	return expect_echo_str(c, conn, line, timeout_ms, client_name(n));
}

/* A line of len bytes, "\n" last, its bytes numbered so a shift shows. */
static void long_line(struct hx_buf *out, size_t len)
{
	hx_buf_clear(out);
	for (size_t i = 0; i + 1 < len; i++)
		hx_buf_add(out, &"0123456789abcdefghijklmnopqrstuvwxyz"[i % 36],
			   1);
	hx_buf_add(out, "\n", 1);
}

/* n lines of bytes bytes each, numbered from first, appended to out. */
static void numbered_lines(struct hx_buf *out, int first, int n, size_t bytes)
{
	for (int i = first; i < first + n; i++) {
		char head[32];
		size_t len =
		    (size_t)snprintf(head, sizeof(head), "line %d ", i);

		hx_buf_add(out, head, len);
		for (; len + 1 < bytes; len++)
			hx_buf_add(out, "x", 1);
		hx_buf_add(out, "\n", 1);
	}
}

/* ---- what /proc says about the server -------------------------------- */

/* One thread and no child process, as the handout requires. */
static int expect_single(struct hx_check *c, struct hx_proc *server,
			 const char *when)
{
	int threads, children;

	hx_proc_wait_idle(server, IO_MS);
	threads = hx_proc_count_threads(server);
	children = hx_proc_count_children(server);
	if (threads < 0 || children < 0) {
		note_server_end(c, server);
		return hx_fail(c, HX_FAIL, "the server ended %s", when);
	}
	hx_recordf(c, 0,
		   "the server has %d thread(s) and %d child process(es) %s",
		   threads, children, when);
	if (threads != 1)
		return hx_fail(c, HX_FAIL,
			       "the server has %d threads %s; expected 1: one "
			       "thread serves every client (no pthread_create)",
			       threads, when);
	if (children != 0)
		return hx_fail(c, HX_FAIL,
			       "the server has %d child process(es) %s; "
			       "expected none: one process serves every client "
			       "(no fork)",
			       children, when);
	return 0;
}

/* Nothing happens for a second: the server must sleep through it. */
static int expect_asleep(struct hx_check *c, struct hx_proc *server,
			 const char *when)
{
	static const struct hx_idle_limits limits = {
	    .window_ms = IDLE_WINDOW_MS,
	    .max_wakeups = IDLE_WAKEUPS,
	    .max_cpu_ms = IDLE_CPU_MS,
	};

	return hx_expect_asleep(c, server, &limits, when, IO_MS);
}

/* The server holds no more descriptors than before, once idle; after
 * what (a client that reset, say). A server running flat out is named:
 * a socket whose POLLHUP or POLLERR nobody handles makes poll return at
 * once, for ever. */
static int expect_fds_back(struct hx_check *c, struct hx_proc *server,
			   int before, const char *what)
{
	int64_t deadline = hx_deadline(IO_MS);
	int attempt = 0, rc;

	/* A server that wakes now and then (a poll timeout) may look idle
	 * before it has closed: wait for the count, then judge. */
	for (;;) {
		int now;

		hx_proc_wait_idle(server, IO_MS);
		now = hx_proc_count_fds(server);
		if (now < 0 || now <= before || hx_remaining_ms(deadline) <= 0)
			break;
		hx_backoff(&attempt, deadline);
	}
	rc = hx_expect_fds_steady(c, server, before, what, IO_MS);

	if (rc < 0 && hx_proc_state(server) == 'R')
		hx_note(c, "and the server is running flat out, not asleep in "
			   "poll: poll returns at once for a client nobody "
			   "closes (its POLLHUP or POLLERR not handled?)");
	return rc;
}

/* ---- one connection, through its test driver ---------------------------- */

/* Runs the driver on one group of conn cases and fails with the list of
 * the cases that failed. */
static void run_conn_group(struct hx_check *c, const char *group)
{
	static const struct hx_cases conn = {
	    .program = "conn-cases",
	    .subject = "conn",
	    .failed = "conn.c does not behave as evloop.h says",
	    .crashed = "look for a write past in or out, or a use of out "
		       "after free",
	    .code = "conn.c",
	};
	char step[16];
	const char *args[] = {group, step, NULL};

	snprintf(step, sizeof(step), "%d", (int)(STEP_MS * hx_timeout_scale()));
	hx_run_cases(c, &conn, args, CASES_MS);
}

static void check_conn_lines(struct hx_check *c)
{
	run_conn_group(c, "lines");
}

static void check_conn_output(struct hx_check *c)
{
	run_conn_group(c, "output");
}

static void check_conn_close(struct hx_check *c)
{
	run_conn_group(c, "close");
}

/* ---- the echo ----------------------------------------------------------- */

static void check_echo(struct hx_check *c)
{
	static const char binary[] = "bin\0ary \xff\xfe\x01 bytes\n";
	struct hx_proc *server = start_evloop(c, NULL);
	struct hx_buf many;
	struct hx_conn a, b, burst;

	hx_buf_init(&many);
	for (int i = 1; i <= 100; i++)
		hx_buf_addf(&many, "line %03d of a hundred sent at once\n", i);
	if (!server || connect_client(c, &a, IO_MS) < 0)
		goto out;
	if (connect_client(c, &b, IO_MS) < 0)
		goto out_close_a;
	/* two clients at once, their lines in turns */
	if (expect_echo_str(c, &a, "hello, world\n", IO_MS, "client a") < 0 ||
	    expect_echo_str(c, &b, "hello from b\n", IO_MS, "client b") < 0 ||
	    expect_echo_str(c, &a, "\n", IO_MS, "client a") < 0 ||
	    expect_echo_str(c, &a, "ends in CR LF\r\n", IO_MS, "client a") <
		0 ||
	    expect_echo(c, &b, binary, sizeof(binary) - 1, NULL, IO_MS,
			"client b") < 0 ||
	    expect_echo_str(c, &a, "two lines\nin one segment\n", IO_MS,
			    "client a") < 0 ||
	    expect_echo(c, &b, many.data, many.len, NULL, IO_MS, "client b") <
		0 ||
	    hx_shutdown_write(c, &a) < 0)
		goto out_close;
	/* a is done: the server closes its side too, and sends no more */
	if (hx_recv_all(c, &a, 1 << 16, IO_MS) < 0)
		goto out_close;
	if (a.in.len > 0) {
		hx_fail_values(c, HX_FAIL, NULL, 0, a.in.data, a.in.len,
			       "after its last line client a got more than "
			       "its echo");
		goto out_close;
	}
	/* a burst and a close at once (printf ... | nc): every line first */
	if (connect_client(c, &burst, IO_MS) < 0)
		goto out_close;
	if (hx_send(c, &burst, many.data, many.len, NULL) == 0 &&
	    hx_shutdown_write(c, &burst) == 0 &&
	    hx_recv_all(c, &burst, 1 << 20, IO_MS) == 0)
		hx_expect_bytes(c,
				"what a client that sent a hundred lines and "
				"closed its side at once got back",
				many.data, many.len, burst.in.data,
				burst.in.len);
	hx_close(c, &burst);
out_close:
	hx_close(c, &b);
out_close_a:
	hx_close(c, &a);
	if (!hx_ok(c))
		note_server_end(c, server);
out:
	hx_buf_free(&many);
	finish(c, server);
}

/* The line slow sender i sends, a byte at a time. */
static size_t slow_line(char *out, size_t size, int i)
{
	return (size_t)snprintf(out, size,
				"slow sender %02d, one byte at a "
				"time\n",
				i + 1);
}

/* Every slow sender has sent all of its line but the "\n": nothing may
 * have come back to any of them. */
static int expect_none_answered(struct hx_check *c, struct hx_proc *server,
				struct hx_conn *conns, int n)
{
	hx_proc_wait_idle(server, IO_MS);
	hx_pause(SILENCE_MS);
	for (int i = 0; i < n; i++) {
		hx_recv_for(c, &conns[i], 0);
		if (conns[i].eof || conns[i].in.len > 0)
			return hx_fail_values(
			    c, HX_FAIL, NULL, 0, conns[i].in.data,
			    conns[i].in.len,
			    "slow sender %d %s before the \"\\n\" of its line "
			    "had come: echo a line once it is whole, and keep "
			    "each client's bytes in its own conn",
			    i + 1,
			    conns[i].eof ? "was closed" : "got an answer");
	}
	return 0;
}

static void check_slow_senders(struct hx_check *c)
{
	static const struct hx_plan random_pieces = {
	    .split = HX_RANDOM, .max_piece = 6, .delay_ms = 1};
	static const char lines[] = "alpha\nbeta\ngamma gamma\n\ndelta\n"
				    "epsilon, the last\n";
	struct hx_proc *server = start_evloop(c, NULL);
	struct hx_conn conns[SLOW_SENDERS], fast, tail;
	char line[64];
	size_t longest = 0;
	int n = 0;

	if (!server)
		goto out;
	for (; n < SLOW_SENDERS; n++)
		if (connect_client(c, &conns[n], IO_MS) < 0)
			goto out_close;
	longest = slow_line(line, sizeof(line), 0);
	/* all but the "\n", a byte from each in turn */
	for (size_t at = 0; at + 1 < longest; at++) {
		for (int i = 0; i < n; i++)
			if (slow_line(line, sizeof(line), i) > at + 1 &&
			    hx_send(c, &conns[i], &line[at], 1, NULL) < 0)
				goto out_close;
		if (at != 10)
			continue;
		/* with fifty lines half sent, a client with a whole line is
		 * served at once */
		hx_proc_wait_idle(server, IO_MS);
		if (connect_client(c, &fast, IO_MS) < 0)
			goto out_close;
		if (expect_echo_str(c, &fast, "a whole line at once\n", IO_MS,
				    "a client that sent its line whole") < 0) {
			hx_note(c, "fifty other clients were in the middle of "
				   "their lines: none may keep the loop "
				   "waiting for the rest");
			hx_close(c, &fast);
			goto out_close;
		}
		hx_close(c, &fast);
	}
	if (expect_none_answered(c, server, conns, n) < 0)
		goto out_close;
	/* the "\n"s, last sender first: each gets its own line back */
	for (int i = n - 1; i >= 0; i--)
		if (hx_send(c, &conns[i], "\n", 1, NULL) < 0)
			goto out_close;
	for (int i = 0; i < n; i++) {
		size_t len = slow_line(line, sizeof(line), i);

		if (expect_lines(c, &conns[i], line, len, IO_MS,
				 client_name(i + 1)) < 0)
			goto out_close;
	}
	/* random pieces, several lines */
	if (expect_echo(c, &conns[0], lines, sizeof(lines) - 1, &random_pieces,
			IO_MS, "client 1 (lines in random pieces)") < 0)
		goto out_close;
	/* bytes after the last "\n" at the close are not a line */
	if (connect_client(c, &tail, IO_MS) < 0)
		goto out_close;
	if (hx_send_str(c, &tail, "one\ntwo",
			&(struct hx_plan){HX_BYTES, 0, 1}) == 0 &&
	    hx_shutdown_write(c, &tail) == 0 &&
	    hx_recv_all(c, &tail, 1 << 16, IO_MS) == 0)
		hx_expect_bytes(c,
				"what a client that sent \"one\\ntwo\" and "
				"closed got back",
				"one\n", 4, tail.in.data, tail.in.len);
	hx_close(c, &tail);
out_close:
	if (!hx_ok(c))
		note_server_end(c, server);
	close_all(c, conns, n);
out:
	finish(c, server);
}

/* ---- many clients, one thread --------------------------------------- */

/* A crowd's failure, with how far it got. */
static void crowd_failed(struct hx_check *c, struct hx_proc *server,
			 const struct hx_crowd *crowd, const char *doing)
{
	note_server_end(c, server);
	hx_fail(c, HX_FAIL, "%s (%d clients connected by then): %s", doing,
		crowd->count, crowd->error);
}

static void check_many_clients(struct hx_check *c)
{
	struct hx_proc *server = NULL;
	struct hx_crowd crowd;
	struct hx_conn conn;
	char err[256];
	int before, held;

	hx_crowd_init(&crowd, "127.0.0.1", hx_port(c, 0));
	if (hx_raise_files(HARNESS_FILES, err, sizeof(err)) < 0) {
		hx_skip(c, "%s", err);
		return;
	}
	server = start_evloop(c, NULL);
	if (!server)
		return;
	hx_proc_wait_idle(server, IO_MS);
	before = hx_proc_count_fds(server);
	if (hx_crowd_grow(&crowd, MANY_CLIENTS, MANY_BATCH, CROWD_MS) < 0) {
		crowd_failed(c, server, &crowd,
			     "connecting " TEXT(MANY_CLIENTS) " clients, " TEXT(
				 MANY_BATCH) " at a time, each served before "
					     "the next came");
		goto out;
	}
	hx_proc_wait_idle(server, IO_MS);
	held = hx_proc_count_fds(server) - before;
	hx_recordf(c, 0,
		   "%d clients connected, each served once; the server "
		   "holds %d connections",
		   crowd.count, held);
	if (held < MANY_CLIENTS) {
		hx_fail(c, HX_FAIL,
			"with %d clients connected the server holds only %d "
			"connections: every client stays until it leaves",
			MANY_CLIENTS, held);
		goto out;
	}
	for (int round = 1; round <= 2; round++)
		if (hx_crowd_echo(&crowd, round, CROWD_MS) < 0) {
			crowd_failed(c, server, &crowd,
				     "every client sent a line at once");
			goto out;
		}
	hx_recordf(c, 0,
		   "two rounds: each of the %d clients sent a line at "
		   "once and got it back",
		   MANY_CLIENTS);
	hx_crowd_close(&crowd);
	if (expect_fds_back(c, server, before,
			    TEXT(MANY_CLIENTS) " clients that left") < 0)
		goto out;
	if (connect_client(c, &conn, IO_MS) == 0)
		expect_echo_str(c, &conn, "after the crowd\n", IO_MS,
				"a client after the crowd left");
	hx_close(c, &conn);
out:
	hx_crowd_close(&crowd);
	finish(c, server);
}

static void check_one_thread(struct hx_check *c)
{
	struct hx_proc *server = start_evloop(c, NULL);
	struct hx_crowd crowd;
	struct hx_conn conn;

	hx_crowd_init(&crowd, "127.0.0.1", hx_port(c, 0));
	if (!server || expect_single(c, server, "before any client") < 0)
		goto out;
	if (hx_crowd_grow(&crowd, THREAD_CLIENTS, MANY_BATCH, CROWD_MS) < 0) {
		crowd_failed(c, server, &crowd, "connecting clients");
		goto out;
	}
	if (expect_single(c, server,
			  "with " TEXT(THREAD_CLIENTS) " clients connected") <
	    0)
		goto out;
	if (hx_crowd_echo(&crowd, 1, CROWD_MS) < 0) {
		crowd_failed(c, server, &crowd,
			     "every client sent a line at once");
		goto out;
	}
	if (expect_single(c, server,
			  "after " TEXT(THREAD_CLIENTS) " lines at once") < 0)
		goto out;
	hx_crowd_close(&crowd);
	if (connect_served(c, &conn, 1, IO_MS) == 0)
		expect_single(c, server, "once they had left");
	hx_close(c, &conn);
out:
	hx_crowd_close(&crowd);
	finish(c, server);
}

/* ---- full sockets: a client that never reads, one that reads late ------ */

/* The other client is still served while the flood goes on. */
static int ping(struct hx_check *c, struct hx_conn *other, long flooded)
{
	char line[64];

	snprintf(line, sizeof(line), "ping after %ld KB\n", flooded / 1024);
	if (expect_echo_str(c, other, line, IO_MS, "client b") == 0)
		return 0;
	hx_fail_reword(c,
		       "client b got no echo while client a (which reads "
		       "nothing) had sent %ld KB: the loop is stuck on a. A "
		       "send to a client that does not read must never "
		       "wait: every socket non-blocking, and when send says "
		       "EAGAIN the rest waits in out",
		       flooded / 1024);
	return -1;
}

/* The server has closed conn: its descriptors went down from with. */
static int dropped(struct hx_proc *server, int with)
{
	int now = hx_proc_count_fds(server);

	return now >= 0 && now < with;
}

/* Client a sends lines and never reads. Returns 1 once the server has
 * dropped it, 0 when it had sent FLOOD_CAP bytes and is still there, -1
 * after a failure. *sent says how much it sent. */
static int flood_until_dropped(struct hx_check *c, struct hx_proc *server,
			       struct hx_conn *a, struct hx_conn *b, long *sent)
{
	static char chunk[FLOOD_CHUNK * FLOOD_LINE];
	int with = hx_proc_count_fds(server);
	long next_ping = FLOOD_PING;

	for (int i = 0; i < FLOOD_CHUNK; i++) {
		memset(chunk + i * FLOOD_LINE, 'a' + i, FLOOD_LINE - 1);
		chunk[(i + 1) * FLOOD_LINE - 1] = '\n';
	}
	*sent = 0;
	while (*sent < FLOOD_CAP) {
		ssize_t n = send(a->fd, chunk, sizeof(chunk),
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		struct pollfd p = {.fd = a->fd, .events = POLLOUT};

		if (n > 0) {
			*sent += n;
			if (*sent >= next_ping) {
				next_ping += FLOOD_PING;
				if (ping(c, b, *sent) < 0)
					return -1;
			}
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return 1; /* EPIPE, ECONNRESET: it was dropped */
		if (poll(&p, 1, SILENCE_MS) == 1)
			continue;
		/* a's socket stays full: the server has dropped a, or it
		 * does not read a any more */
		hx_proc_wait_idle(server, IO_MS);
		if (dropped(server, with))
			return 1;
		if (poll(&p, 1, IO_MS) == 1)
			continue;
		if (dropped(server, with))
			return 1;
		note_server_end(c, server);
		return hx_fail(c, HX_FAIL,
			       "client a sent %ld KB of lines and read none; "
			       "then the server stopped reading from it, and "
			       "kept it: a client whose echo would pass "
			       "OUT_MAX (%d bytes) waiting is dropped, not "
			       "left hanging (and the server keeps reading "
			       "every client until then)",
			       *sent / 1024, OUT_MAX);
	}
	return dropped(server, with) ? 1 : 0;
}

static void check_never_reads(struct hx_check *c)
{
	struct hx_proc *server = NULL;
	struct hx_conn a, b, d;
	long sent = 0, rss_before, grown;
	int rc, with_a;

	if (shrink_socket_buffers(c) < 0)
		return;
	server = start_evloop(c, NULL);
	if (!server || connect_client(c, &b, IO_MS) < 0)
		goto out;
	if (expect_echo_str(c, &b, "b reads its echo\n", IO_MS, "client b") <
		0 ||
	    connect_client(c, &a, IO_MS) < 0)
		goto out_close_b;
	/* a's echo says it was accepted: its descriptor is counted */
	if (expect_echo_str(c, &a, "a reads this one echo\n", IO_MS,
			    "client a") < 0)
		goto out_close_a;
	hx_proc_wait_idle(server, IO_MS);
	rss_before = hx_proc_rss_kb(server);
	with_a = hx_proc_count_fds(server);
	rc = flood_until_dropped(c, server, &a, &b, &sent);
	hx_recordf(c, a.id, "sent %ld bytes of lines and read none", sent);
	if (rc < 0)
		goto out_close_a;
	if (rc == 0) {
		note_server_end(c, server);
		grown = hx_proc_rss_kb(server) - rss_before;
		if (grown >= GROWTH_KB)
			hx_fail(c, HX_FAIL,
				"client a sent %ld KB of lines and read none, "
				"and the server still holds it; its memory "
				"grew by %ld KB: the echo piles up without "
				"bound. When one more echo would make more "
				"than OUT_MAX (%d) bytes wait for a client, "
				"drop it (CONN_DROP)",
				sent / 1024, grown, OUT_MAX);
		else
			hx_fail(c, HX_FAIL,
				"client a sent %ld KB of lines and read none, "
				"and the server still holds it, though its "
				"memory did not grow (%ld KB): the echo it "
				"could not send went nowhere. What send does "
				"not take waits in out, and past OUT_MAX (%d) "
				"bytes the client is dropped",
				sent / 1024, grown, OUT_MAX);
		goto out_close_a;
	}
	hx_recordf(c, 0, "the server dropped client a after %ld KB",
		   sent / 1024);
	/* the others go on as before */
	if (expect_fds_back(c, server, with_a - 1, "client a was dropped") <
		0 ||
	    ping(c, &b, sent) < 0 || connect_served(c, &d, 3, IO_MS) < 0)
		goto out_close_a;
	hx_close(c, &d);
	hx_close(c, &b);
	if (hx_proc_signal_exit(c, server, SIGTERM, STOP_MS) == 0 &&
	    hx_expect_contains(c, "the server's last words on stderr",
			       ", 1 dropped\n",
			       server->err.data ? server->err.data : "") < 0)
		hx_note(c, "client a was dropped for not reading: the totals "
			   "count it");
out_close_a:
	hx_close(c, &a);
out_close_b:
	hx_close(c, &b);
	if (!hx_ok(c))
		note_server_end(c, server);
out:
	finish(c, server);
}

static void check_slow_reader(struct hx_check *c)
{
	struct hx_proc *server = NULL;
	struct hx_conn a, b, closing;
	struct hx_buf lines;
	int before;

	hx_buf_init(&lines);
	if (shrink_socket_buffers(c) < 0)
		goto out;
	server = start_evloop(c, NULL);
	if (!server || connect_client(c, &b, IO_MS) < 0)
		goto out;
	/* b's echo says it was accepted: its descriptor is counted */
	if (expect_echo_str(c, &b, "b is here\n", IO_MS, "client b") < 0)
		goto out_close_b;
	hx_proc_wait_idle(server, IO_MS);
	before = hx_proc_count_fds(server);
	if (connect_client(c, &a, IO_MS) < 0)
		goto out_close_b;
	/* a sends 48000 bytes and reads nothing yet: most of its echo
	 * waits in the server */
	numbered_lines(&lines, 1, SLOW_LINES, SLOW_LINE_BYTES);
	if (hx_send(c, &a, lines.data, lines.len, NULL) < 0 ||
	    expect_echo_str(c, &b, "b is served meanwhile\n", IO_MS,
			    "client b") < 0 ||
	    expect_asleep(c, server,
			  "with 48000 bytes of echo waiting for a client "
			  "that does not read yet") < 0)
		goto out_close_a;
	/* then a reads: every line, in order, none lost */
	if (expect_lines(c, &a, lines.data, lines.len, IO_MS,
			 "client a, reading late") < 0) {
		hx_note(c, "client a sent 48 lines of 1000 bytes before "
			   "reading any: what send did not take waited in "
			   "out; poll for POLLOUT while out holds something, "
			   "and send the rest when it comes");
		goto out_close_a;
	}
	hx_close(c, &a);
	/* a client that sends its lines and closes its side before
	 * reading: its echo is sent first, then the server closes */
	if (connect_client(c, &closing, IO_MS) < 0)
		goto out_close_b;
	hx_buf_clear(&lines);
	numbered_lines(&lines, 1, CLOSING_LINES, SLOW_LINE_BYTES);
	if (hx_send(c, &closing, lines.data, lines.len, NULL) < 0 ||
	    hx_shutdown_write(c, &closing) < 0 ||
	    expect_asleep(c, server,
			  "with echo waiting for a client that has closed "
			  "its side (EOF stays readable: stop watching "
			  "POLLIN after it)") < 0)
		goto out_close;
	if (hx_recv_all(c, &closing, 1 << 20, IO_MS) == 0 &&
	    hx_expect_bytes(c,
			    "what a client that sent 40 lines and closed its "
			    "side before reading got",
			    lines.data, lines.len, closing.in.data,
			    closing.in.len) == 0)
		expect_fds_back(c, server, before,
				"a client that closed its side had read its "
				"echo");
out_close:
	hx_close(c, &closing);
out_close_a:
	hx_close(c, &a);
out_close_b:
	hx_close(c, &b);
	if (!hx_ok(c))
		note_server_end(c, server);
out:
	hx_buf_free(&lines);
	finish(c, server);
}

/* ---- resets, idleness, the descriptor limit ------------------------------ */

/* How one client of the reset check resets. */
enum reset_kind {
	RESET_AT_ONCE,	   /* right after connecting */
	RESET_MID_LINE,	   /* in the middle of a line */
	RESET_BEFORE_ECHO, /* after a line, before its echo */
	RESET_AFTER_MANY,  /* after a hundred lines, reading none */
	RESET_AFTER_EOF,   /* after a line and a half-close */
	RESET_KINDS
};

static const char *const reset_names[RESET_KINDS] = {
    "a client that reset right after connecting",
    "a client that reset in the middle of a line",
    "a client that sent a line and reset before its echo",
    "a client that sent a hundred lines, read none and reset",
    "a client that sent a line, closed its side and reset",
};

static int reset_client(struct hx_check *c, enum reset_kind kind)
{
	struct hx_conn conn;
	struct hx_buf many;
	int rc = 0;

	if (connect_client(c, &conn, IO_MS) < 0)
		return -1;
	hx_buf_init(&many);
	switch (kind) {
	case RESET_AT_ONCE:
	case RESET_KINDS:
		break;
	case RESET_MID_LINE:
		rc = hx_send_str(c, &conn, "half a li", NULL);
		break;
	case RESET_BEFORE_ECHO:
		rc = hx_send_str(c, &conn, "a line\n", NULL);
		break;
	case RESET_AFTER_MANY:
		for (int i = 1; i <= 100; i++)
			hx_buf_addf(&many, "line %03d, never read\n", i);
		rc = hx_send(c, &conn, many.data, many.len, NULL);
		break;
	case RESET_AFTER_EOF:
		rc = hx_send_str(c, &conn, "bye\n", NULL);
		if (rc == 0)
			rc = hx_shutdown_write(c, &conn);
		break;
	}
	hx_reset(c, &conn);
	hx_buf_free(&many);
	return rc;
}

static void check_reset(struct hx_check *c)
{
	struct hx_proc *server = start_evloop(c, NULL);
	struct hx_conn other;
	int before;

	if (!server || connect_served(c, &other, 1, IO_MS) < 0)
		goto out;
	hx_proc_wait_idle(server, IO_MS);
	before = hx_proc_count_fds(server);
	for (int kind = 0; kind < RESET_KINDS; kind++) {
		char line[64];

		if (reset_client(c, (enum reset_kind)kind) < 0 ||
		    expect_fds_back(c, server, before, reset_names[kind]) < 0)
			goto out_close;
		snprintf(line, sizeof(line), "still here after reset %d\n",
			 kind + 1);
		if (expect_echo_str(c, &other, line, IO_MS, "client 1") < 0) {
			hx_note(c, "after %s", reset_names[kind]);
			goto out_close;
		}
	}
	expect_asleep(c, server, "after five clients reset");
out_close:
	hx_close(c, &other);
	if (!hx_ok(c))
		note_server_end(c, server);
out:
	finish(c, server);
}

static void check_idle(struct hx_check *c)
{
	struct hx_proc *server = start_evloop(c, NULL);
	struct hx_crowd crowd;
	struct hx_conn half, skipping;
	struct hx_buf line;

	hx_crowd_init(&crowd, "127.0.0.1", hx_port(c, 0));
	hx_buf_init(&line);
	if (!server || expect_asleep(c, server, "with no client at all") < 0)
		goto out;
	if (hx_crowd_grow(&crowd, IDLE_CLIENTS, MANY_BATCH, CROWD_MS) < 0) {
		crowd_failed(c, server, &crowd, "connecting idle clients");
		goto out;
	}
	if (connect_client(c, &half, IO_MS) < 0)
		goto out;
	if (connect_client(c, &skipping, IO_MS) < 0)
		goto out_close_half;
	/* one client in the middle of a line, one in a line too long */
	for (int i = 0; i < 2 * ECHO_LINE_MAX; i++)
		hx_buf_add(&line, "y", 1);
	if (hx_send_str(c, &half, "half a line", NULL) < 0 ||
	    hx_send(c, &skipping, line.data, line.len, NULL) < 0 ||
	    expect_lines(c, &skipping, TOO_LONG_REPLY, strlen(TOO_LONG_REPLY),
			 IO_MS, "a client with a line too long") < 0 ||
	    expect_asleep(c, server,
			  "with " TEXT(IDLE_CLIENTS) " silent clients, one in "
						     "the middle of a line and "
						     "one in a line too long") <
		0)
		goto out_close;
	/* and all of them are still served */
	if (hx_crowd_echo(&crowd, 1, CROWD_MS) < 0)
		crowd_failed(c, server, &crowd, "after the idle second");
	else if (hx_send_str(c, &half, "\n", NULL) == 0)
		expect_lines(c, &half, "half a line\n", 12, IO_MS,
			     "the client in the middle of a line");
out_close:
	hx_close(c, &skipping);
out_close_half:
	hx_close(c, &half);
	if (!hx_ok(c))
		note_server_end(c, server);
out:
	hx_crowd_close(&crowd);
	hx_buf_free(&line);
	finish(c, server);
}

/* Connects client number n and sends its first line; no answer expected
 * yet. */
static int connect_waiting(struct hx_check *c, struct hx_conn *conn, int n)
{
	char line[64];

	snprintf(line, sizeof(line), "hello from client %d\n", n);
	if (connect_client(c, conn, IO_MS) < 0)
		return -1;
	return hx_send_str(c, conn, line, NULL);
}

/* The answer client n waits for, once it is accepted. */
static int expect_first_line(struct hx_check *c, struct hx_conn *conn, int n,
			     int timeout_ms)
{
	char line[64];

	snprintf(line, sizeof(line), "hello from client %d\n", n);
	return expect_lines(c, conn, line, strlen(line), timeout_ms,
			    client_name(n));
}

static void check_fd_limit(struct hx_check *c)
{
	struct hx_proc *server = start_evloop(c, NULL);
	struct hx_conn conns[FD_LIMIT_FILES + FD_LIMIT_EXTRA];
	int n = 0, before, room;

	if (!server)
		goto out;
	hx_proc_wait_idle(server, IO_MS);
	before = hx_proc_count_fds(server);
	room = FD_LIMIT_FILES - before;
	hx_recordf(c, 0,
		   "the server holds %d descriptors of its %d: room for %d "
		   "clients",
		   before, FD_LIMIT_FILES, room);
	if (room < 2) {
		hx_fail(c, HX_FAIL,
			"the server holds %d descriptors before any client: "
			"it needs the standard three, the listening socket "
			"and the stop pipe, little more",
			before);
		goto out;
	}
	/* up to the limit: every client served */
	for (; n < room; n++)
		if (connect_served(c, &conns[n], n + 1, IO_MS) < 0) {
			hx_note(c,
				"the server's limit is %d descriptors and "
				"it held %d before any client: there was "
				"room for this one",
				FD_LIMIT_FILES, before);
			goto out_close;
		}
	/* past it: accept fails with EMFILE, and they wait */
	for (; n < room + FD_LIMIT_EXTRA; n++)
		if (connect_waiting(c, &conns[n], n + 1) < 0)
			goto out_close;
	if (expect_asleep(c, server,
			  "with every descriptor in use and " TEXT(
			      FD_LIMIT_EXTRA) " clients waiting to be "
					      "accepted (EMFILE: stop "
					      "watching the listening "
					      "socket until a client leaves)") <
	    0)
		goto out_close;
	for (int i = room; i < n; i++)
		if (expect_silence(c, server, &conns[i], client_name(i + 1),
				   "while the server had no descriptor left: "
				   "it waits in the backlog until a client "
				   "leaves") < 0)
			goto out_close;
	if (expect_echo_str(c, &conns[0], "client 1 is still served\n", IO_MS,
			    "client 1") < 0)
		goto out_close;
	/* each client that leaves makes room for one that waits */
	for (int i = 0; i < FD_LIMIT_EXTRA; i++) {
		hx_close(c, &conns[i]);
		hx_recordf(c, 0, "client %d left", i + 1);
		if (expect_first_line(c, &conns[room + i], room + i + 1,
				      IO_MS) < 0) {
			hx_note(c,
				"client %d had left: its descriptor was free "
				"for the next client waiting (accept again "
				"once a client leaves)",
				i + 1);
			goto out_close;
		}
	}
out_close:
	if (!hx_ok(c))
		note_server_end(c, server);
	close_all(c, conns, n);
out:
	finish(c, server);
}

/* One measurement of the load against port; its rate, or -1 after a
 * failure. */
static double measure(struct hx_check *c, const char *what, int port)
{
	struct hx_load_plan plan = {
	    .host = "127.0.0.1",
	    .port = port,
	    .clients = LOAD_CLIENTS,
	    .lines_per_connection = LOAD_LINES,
	    .line_bytes = LOAD_BYTES,
	    .pause_us = LOAD_PAUSE_US,
	    .duration_ms = LOAD_MS,
	    .timeout_ms = IO_MS,
	};
	struct hx_load_result r;

	if (hx_load_run(&plan, &r) < 0) {
		hx_fail(c, HX_ERROR, "the load generator: %s", r.error);
		return -1;
	}
	hx_recordf(c, 0,
		   "%s: %ld lines echoed on %ld connections in %lld ms "
		   "(%.0f lines/s), %ld failed connection(s)",
		   what, r.answers, r.connections, (long long)r.elapsed_ms,
		   hx_load_rate(&r), r.failures);
	if (r.failures > 0) {
		hx_fail(c, HX_FAIL,
			"under the load of %d clients, %ld connection(s) to "
			"%s failed; the first: %s",
			LOAD_CLIENTS, r.failures, what, r.error);
		return -1;
	}
	return hx_load_rate(&r);
}

static void check_throughput(struct hx_check *c)
{
	struct hx_echo_server echo;
	struct hx_proc *server;
	double best_echo = 0, best_loop = 0;
	char err[256];

	if (c->valgrind) {
		hx_skip(c, "throughput is not measured under Valgrind");
		return;
	}
	server = start_evloop(c, NULL);
	if (!server)
		return;
	if (hx_echo_start(&echo, "127.0.0.1", hx_port(c, 1), err, sizeof(err)) <
	    0) {
		hx_fail(c, HX_ERROR, "%s", err);
		goto out;
	}
	for (int round = 0; round < LOAD_ROUNDS && hx_ok(c); round++) {
		double rate = measure(c, "the plain echo server", echo.port);

		if (rate > best_echo)
			best_echo = rate;
		hx_proc_wait_idle(server, IO_MS);
		rate = measure(c, "evloop", hx_port(c, 0));
		if (rate > best_loop)
			best_loop = rate;
	}
	hx_echo_stop(&echo);
	if (!hx_ok(c))
		goto out;
	hx_recordf(c, 0,
		   "evloop: %.0f lines/s, %.0f%% of the plain echo's %.0f",
		   best_loop, best_echo > 0 ? 100 * best_loop / best_echo : 0,
		   best_echo);
	if (best_echo <= 0)
		hx_fail(c, HX_ERROR, "the plain echo server answered nothing");
	else if (best_loop * 100 < best_echo * LOAD_MIN_RATIO)
		hx_fail(c, HX_FAIL,
			"under %d clients at once (each connecting again and "
			"again, %d lines of %d bytes a connection, no pause), "
			"evloop echoed %.0f lines/s: %.0f%% of a plain echo "
			"server's %.0f lines/s measured in the same run, "
			"below the %d%% required. A loop that sleeps or polls "
			"with a timeout, or receives a byte at a time, does "
			"this",
			LOAD_CLIENTS, LOAD_LINES, LOAD_BYTES, best_loop,
			100 * best_loop / best_echo, best_echo, LOAD_MIN_RATIO);
out:
	if (!hx_ok(c))
		note_server_end(c, server);
	finish(c, server);
}

/* ---- stopping, tools and probes ------------------------------------------ */

/* Sends lines on conn and reads none, until its socket stays full (or
 * the server drops it). */
static void flood(struct hx_check *c, struct hx_proc *server,
		  struct hx_conn *conn, long limit)
{
	static char line[ECHO_LINE_MAX];
	long total = 0;

	memset(line, 'f', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	for (int quiet = 0; quiet < 2 && total < limit;) {
		ssize_t sent = send(conn->fd, line, sizeof(line),
				    MSG_NOSIGNAL | MSG_DONTWAIT);

		if (sent > 0) {
			total += sent;
			quiet = 0;
			continue;
		}
		if (sent < 0 && errno != EAGAIN)
			break;
		hx_proc_wait_idle(server, IO_MS);
		quiet++;
	}
	hx_recordf(c, conn->id, "sent %ld bytes of lines and read nothing",
		   total);
}

/* SIGTERM or SIGINT, and the exit must come with the totals. */
static int expect_stop(struct hx_check *c, struct hx_proc *server, int sig,
		       const char *when)
{
	if (hx_proc_signal_exit(c, server, sig, STOP_MS) < 0) {
		hx_note(c, "%s was sent %s", when, hx_signal_name(sig));
		return -1;
	}
	return hx_expect_contains(c, "the server's last words on stderr",
				  "evloop: served ",
				  server->err.data ? server->err.data : "");
}

static void check_stop_signal(struct hx_check *c)
{
	struct hx_proc *server = start_evloop(c, NULL);
	struct hx_crowd crowd;
	struct hx_conn half, flooder;

	hx_crowd_init(&crowd, "127.0.0.1", hx_port(c, 0));
	/* nothing to do */
	if (!server ||
	    expect_stop(c, server, SIGTERM, "the server, with no client,") < 0)
		goto out;
	finish(c, server);
	/* fifty clients, one in the middle of a line */
	server = start_evloop(c, NULL);
	if (!server)
		goto out;
	if (hx_crowd_grow(&crowd, 50, MANY_BATCH, CROWD_MS) < 0) {
		crowd_failed(c, server, &crowd, "connecting clients");
		goto out;
	}
	if (connect_client(c, &half, IO_MS) < 0)
		goto out;
	if (hx_send_str(c, &half, "half a line", NULL) == 0)
		expect_stop(c, server, SIGINT,
			    "the server, with 51 clients connected, one in the "
			    "middle of a line,");
	hx_close(c, &half);
	hx_crowd_close(&crowd);
	if (!hx_ok(c))
		goto out;
	finish(c, server);
	/* a client that never reads, its echo waiting */
	server = start_evloop(c, NULL);
	if (!server || connect_client(c, &flooder, IO_MS) < 0)
		goto out;
	flood(c, server, &flooder, OUT_MAX / 2);
	expect_stop(c, server, SIGTERM,
		    "the server, with echo waiting for a client that does not "
		    "read,");
	hx_close(c, &flooder);
out:
	if (!hx_ok(c))
		note_server_end(c, server);
	hx_crowd_close(&crowd);
	finish(c, server);
}

static void check_memcheck(struct hx_check *c)
{
	static const char half[] = "half a line, and gone";
	struct hx_proc *server = start_evloop(c, "memcheck");
	struct hx_conn a, b, other;
	struct hx_buf line, findings;
	long bytes, blocks;

	hx_buf_init(&line);
	hx_buf_init(&findings);
	if (!server || connect_client(c, &a, TOOL_IO_MS) < 0)
		goto out;
	if (connect_client(c, &b, TOOL_IO_MS) < 0)
		goto out_close_a;
	/* a: three lines and one too long; b: two lines */
	long_line(&line, ECHO_LINE_MAX + 1);
	if (expect_echo_str(c, &a, "one\ntwo\n", TOOL_IO_MS, "client a") < 0 ||
	    expect_echo_str(c, &b, "one from b\n", TOOL_IO_MS, "client b") <
		0 ||
	    hx_send(c, &a, line.data, line.len, NULL) < 0 ||
	    expect_lines(c, &a, TOO_LONG_REPLY, strlen(TOO_LONG_REPLY),
			 TOOL_IO_MS, "client a") < 0 ||
	    expect_echo_str(c, &a, "three\n", TOOL_IO_MS, "client a") < 0 ||
	    expect_echo_str(c, &b, "two from b\n", TOOL_IO_MS, "client b") < 0)
		goto out_close;
	hx_close(c, &b);
	/* a client with one line; one with half a line: 0 lines */
	if (connect_client(c, &other, TOOL_IO_MS) < 0)
		goto out_close;
	if (expect_echo_str(c, &other, "just one\n", TOOL_IO_MS, "client c") <
	    0) {
		hx_close(c, &other);
		goto out_close;
	}
	hx_close(c, &other);
	if (connect_client(c, &other, TOOL_IO_MS) < 0)
		goto out_close;
	/* it waits for the server's close */
	if (hx_send_str(c, &other, half, NULL) == 0 &&
	    hx_shutdown_write(c, &other) == 0 &&
	    hx_recv_all(c, &other, 1 << 16, TOOL_IO_MS) == 0 &&
	    other.in.len > 0)
		hx_fail_values(c, HX_FAIL, NULL, 0, other.in.data, other.in.len,
			       "client d sent half a line and closed: it got "
			       "an answer");
	hx_close(c, &other);
	if (!hx_ok(c))
		goto out_close;
	/* stopped while client a is still connected */
	if (hx_proc_signal_exit(c, server, SIGTERM, TOOL_STOP_MS) < 0)
		goto out_close;
	if (hx_expect_contains(c, "the server's last words on stderr",
			       "evloop: served 4 clients, 6 lines, 0 dropped\n",
			       server->err.data ? server->err.data : "") < 0) {
		hx_note(c, "four clients came: a with 3 lines (and one too "
			   "long), b with 2, c with 1, d with half a line; a "
			   "was still connected when SIGTERM came");
		goto out_close;
	}
	hx_proc_memcheck(server, &findings);
	hx_proc_heap_in_use(server, &bytes, &blocks);
	if (!strstr(findings.data ? findings.data : "", ": clean\n"))
		hx_fail(c, HX_FAIL, "Valgrind's memcheck, after SIGTERM: %.*s",
			(int)strcspn(findings.data ? findings.data : "", "\n"),
			findings.data ? findings.data : "nothing");
	else if (bytes > 0)
		hx_fail(c, HX_FAIL,
			"Valgrind's memcheck, after SIGTERM: %ld bytes in %ld "
			"block(s) still allocated at exit: conn_close every "
			"client still connected, free each conn and the "
			"arrays",
			bytes, blocks);
	if (!hx_ok(c)) {
		hx_buf_clear(&c->actual);
		hx_buf_add(&c->actual, server->log.data, server->log.len);
	}
out_close:
	hx_close(c, &b);
out_close_a:
	hx_close(c, &a);
	if (!hx_ok(c))
		note_server_end(c, server);
out:
	hx_buf_free(&line);
	hx_buf_free(&findings);
	finish(c, server);
}

static void check_leave_early(struct hx_check *c)
{
	static const char request[] = "a line the client will not read\n";
	struct hx_proc *server = start_evloop(c, NULL);
	struct hx_conn conn;

	if (!server || hx_expect_sigpipe_ignored(c, server) < 0 ||
	    hx_probe_leave_early(c, server, hx_port(c, 0), request,
				 sizeof(request) - 1, IO_MS) < 0)
		goto out;
	if (connect_client(c, &conn, IO_MS) == 0 &&
	    expect_echo_str(c, &conn, "the next client\n", IO_MS,
			    "the next client") < 0)
		note_server_end(c, server);
	hx_close(c, &conn);
out:
	finish(c, server);
}

/* One short visit of the fd-leak check's kinds, by number. */
static int visit(struct hx_check *c, struct hx_proc *server, int i)
{
	struct hx_conn conn;
	struct hx_buf line;
	int rc = 0;

	if (i % 6 == 5)
		return hx_probe_leave_early(c, server, hx_port(c, 0), "gone\n",
					    5, IO_MS);
	if (connect_client(c, &conn, IO_MS) < 0)
		return -1;
	hx_buf_init(&line);
	switch (i % 6) {
	case 0: /* a line and a close */
		rc = expect_echo_str(c, &conn, "a visit\n", IO_MS, "a client");
		break;
	case 1: /* a line and a reset */
		rc = expect_echo_str(c, &conn, "a visit\n", IO_MS, "a client");
		hx_reset(c, &conn);
		break;
	case 2: /* a line too long, then a close */
		long_line(&line, ECHO_LINE_MAX + 1);
		rc = hx_send(c, &conn, line.data, line.len, NULL);
		if (rc == 0)
			rc = expect_lines(c, &conn, TOO_LONG_REPLY,
					  strlen(TOO_LONG_REPLY), IO_MS,
					  "a client with a line too long");
		break;
	case 3: /* half a line, then a close */
		rc = hx_send_str(c, &conn, "half a", NULL);
		break;
	case 4: /* nothing at all */
		break;
	}
	hx_close(c, &conn);
	hx_buf_free(&line);
	return rc;
}

static void check_fd_leak(struct hx_check *c)
{
	struct hx_proc *server = start_evloop(c, NULL);
	int before;

	if (!server)
		goto out;
	hx_proc_wait_idle(server, IO_MS);
	before = hx_proc_count_fds(server);
	hx_recordf(c, 0, "the server holds %d descriptors", before);
	for (int i = 0; i < FD_LEAK_VISITS; i++) {
		if (visit(c, server, i) < 0) {
			hx_note(c,
				"after %d clients (each closed, reset, "
				"sent a line too long or half a line, or "
				"left before its echo)",
				i);
			note_server_end(c, server);
			goto out;
		}
		hx_proc_wait_idle(server, IO_MS);
	}
	expect_fds_back(c, server, before,
			"36 clients (closed, reset, a line too long, "
			"half a line, nothing, gone before the echo)");
out:
	finish(c, server);
}

static void check_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},	     {"9000", "extra", NULL}, {"abc", NULL},
	    {"0", NULL},     {"65536", NULL},	      {"-9000", NULL},
	    {"+9000", NULL}, {"9000x", NULL},	      {" 9000", NULL},
	    {"", NULL},
	};
	char port_arg[16];
	const char *taken[] = {port_arg, NULL};
	struct hx_conn holder;
	struct hx_proc *p;

	if (hx_expect_usage(c, "evloop", cases, SL_COUNT(cases), EXIT_MS) < 0)
		return;
	/* a port in use: a runtime error that names the call */
	if (hx_tcp_listen(c, &holder, "0.0.0.0", hx_port(c, 0)) < 0)
		return;
	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	p = hx_start_labelled(c, "evloop PORT (the port in use)", "evloop",
			      taken);
	if (p && hx_proc_expect_exit(c, p, 2, EXIT_MS) == 0)
		hx_expect_contains(c, "stderr of evloop with its port in use",
				   "bind", p->err.data ? p->err.data : "");
	hx_close(c, &holder);
}

/* The rubric: 100 points. */
static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "evloop and conn.c build without warnings",
	.points = 5,
	.timeout_ms = 60000,
	.programs = "evloop conn-cases",
	.hint = "Read the compiler's messages from the first one down; fix "
		"every warning too (an unused variable, a missing return, a "
		"signed and unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "conn-lines",
	.title = "conn.c: whole lines echoed, in pieces or many at once, "
		 "long ones refused once",
	.points = 5,
	.timeout_ms = 30000,
	.flags = SL_SANITIZE,
	.programs = "conn-cases",
	.hint = "recv into in + in_len, at most ECHO_LINE_MAX - in_len bytes; "
		"for each \"\\n\" memchr finds, conn_queue the line and "
		"memmove the rest to the front. ECHO_LINE_MAX bytes and no "
		"\"\\n\": TOO_LONG_REPLY once, skipping = 1, in_len = 0. At "
		"EOF, drop what is in in.",
	.run = check_conn_lines,
    },
    {
	.id = "conn-output",
	.title = "conn.c: what send does not take waits in out, up to OUT_MAX",
	.points = 7,
	.timeout_ms = 30000,
	.flags = SL_SANITIZE,
	.programs = "conn-cases",
	.hint = "send may take fewer bytes than asked, or none (EAGAIN): "
		"memmove the rest to the front of out and return CONN_KEEP, "
		"never loop until it is all sent. conn_queue refuses "
		"(CONN_DROP) when out_len + len > OUT_MAX. conn_events: "
		"POLLIN unless eof, POLLOUT only while out_len > 0.",
	.run = check_conn_output,
    },
    {
	.id = "conn-close",
	.title = "conn.c: EOF, resets and conn_close end a connection "
		 "cleanly",
	.points = 4,
	.timeout_ms = 30000,
	.flags = SL_SANITIZE | SL_LEAKS,
	.programs = "conn-cases",
	.hint = "recv returning 0: eof = 1, then CONN_CLOSE if nothing waits "
		"in out, else CONN_KEEP (conn_write returns CONN_CLOSE once "
		"it is sent). recv failing with anything but EAGAIN, "
		"EWOULDBLOCK or EINTR: CONN_CLOSE. conn_close closes fd and "
		"frees out.",
	.run = check_conn_close,
    },
    {
	.id = "echo",
	.title = "every line comes back exact, to each of two clients at "
		 "once",
	.points = 5,
	.timeout_ms = 15000,
	.flags = SL_SANITIZE,
	.programs = "evloop",
	.hint = "Each client has its own struct conn; poll every socket at "
		"once and call conn_read when one is readable. A client that "
		"closes its side gets all its echo before the server closes "
		"(watch POLLOUT for it until conn_write says CONN_CLOSE).",
	.run = check_echo,
    },
    {
	.id = "slow-senders",
	.title = "fifty clients sending a byte at a time: each gets its own "
		 "line, once whole",
	.points = 6,
	.timeout_ms = 30000,
	.programs = "evloop",
	.hint = "Never wait for the rest of a line: one recv per readable "
		"socket, keep the bytes in that client's conn, and go back to "
		"poll. A client with a whole line must be served while others "
		"are in the middle of theirs.",
	.run = check_slow_senders,
    },
    {
	.id = "many-clients",
	.title = "1,100 clients connected at once, every one served",
	.points = 10,
	.timeout_ms = 60000,
	.flags = SL_SANITIZE,
	.programs = "evloop",
	.hint = "No fixed limit on clients: grow the pollfd and conn arrays "
		"with realloc as clients come. Use poll or epoll, not select "
		"(whose fd_set stops at descriptor 1023). Accept until "
		"EAGAIN on a non-blocking listening socket.",
	.run = check_many_clients,
	.max_files = MANY_FILES,
    },
    {
	.id = "one-thread",
	.title = "one thread and no child process, however many clients",
	.points = 4,
	.timeout_ms = 30000,
	.programs = "evloop",
	.hint = "The loop serves every client itself: no pthread_create, no "
		"fork. What a client has not finished waits in its conn, not "
		"in a thread of its own.",
	.run = check_one_thread,
    },
    {
	.id = "never-reads",
	.title = "a client that never reads does not stall the loop, and is "
		 "dropped past OUT_MAX",
	.points = 8,
	.timeout_ms = 30000,
	.flags = SL_NAMESPACE,
	.programs = "evloop",
	.hint = "Every socket non-blocking; conn_write returns at EAGAIN with "
		"the rest kept in out. Keep reading such a client: when one "
		"more echo would pass OUT_MAX bytes, conn_queue says "
		"CONN_DROP and the loop closes it and counts it.",
	.run = check_never_reads,
    },
    {
	.id = "slow-reader",
	.title = "a client that reads late gets all its echo, in order, "
		 "even after its EOF",
	.points = 7,
	.timeout_ms = 30000,
	.flags = SL_NAMESPACE,
	.programs = "evloop",
	.hint = "Watch POLLOUT for a client while out holds something, and "
		"call conn_write when it comes. After EOF watch POLLOUT only "
		"(EOF stays readable), and close once out is empty. V=1 shows "
		"where the echo stopped.",
	.run = check_slow_reader,
    },
    {
	.id = "reset",
	.title = "clients that reset are closed, at any moment, and the "
		 "loop goes on",
	.points = 5,
	.timeout_ms = 20000,
	.programs = "evloop",
	.hint = "A reset shows as POLLERR or POLLHUP (with POLLIN): call "
		"conn_read, whose recv fails with ECONNRESET, and close the "
		"client. Never skip a client whose revents has POLLHUP or "
		"POLLERR: poll would return at once for it, for ever.",
	.run = check_reset,
    },
    {
	.id = "idle",
	.title = "with nothing to do the server sleeps, however many clients "
		 "wait",
	.points = 5,
	.timeout_ms = 20000,
	.programs = "evloop",
	.hint = "poll with no timeout (-1). Ask for POLLOUT only while out "
		"holds something: an idle socket is always writable, so "
		"POLLOUT on every client wakes the loop at once, for ever.",
	.run = check_idle,
    },
    {
	.id = "fd-limit",
	.title = "out of descriptors (EMFILE): no spinning, the next client "
		 "waits, then is served",
	.points = 5,
	.timeout_ms = 30000,
	.programs = "evloop",
	.hint = "When accept fails with EMFILE or ENFILE, stop watching the "
		"listening socket (events 0) and keep serving the others; "
		"watch it again once a client leaves. Never close or refuse "
		"the clients that wait.",
	.run = check_fd_limit,
	.max_files = FD_LIMIT_FILES,
    },
    {
	.id = "throughput",
	.title = "throughput under load: at least 25% of a plain echo "
		 "server's",
	.points = 5,
	.timeout_ms = 30000,
	.programs = "evloop",
	.hint = "No sleep and no poll timeout in the loop; recv as much as "
		"in has room for, not a byte at a time; send an echo at once "
		"when nothing waits before it. V=1 shows the rates measured.",
	.run = check_throughput,
    },
    {
	.id = "stop-signal",
	.title = "SIGTERM or SIGINT: totals and exit 0 promptly, whatever "
		 "the clients do",
	.points = 4,
	.timeout_ms = 30000,
	.programs = "evloop",
	.hint = "The handler sets the flag and writes a byte into the stop "
		"pipe, whose read end is in every poll: the loop wakes, "
		"closes every client, prints \"evloop: served C clients, L "
		"lines, D dropped\" and returns 0.",
	.run = check_stop_signal,
    },
    {
	.id = "memcheck",
	.title = "after SIGTERM: totals exact, nothing left allocated or open",
	.points = 5,
	.timeout_ms = 120000,
	.programs = "evloop",
	.hint = "After the loop: conn_close every client still connected "
		"(adding its lines to the totals), free each conn and the "
		"arrays, close the listening socket and the pipe. C counts "
		"clients accepted, L lines echoed, D clients dropped.",
	.run = check_memcheck,
    },
    {
	.id = "leave-early",
	.title = "a client that resets before its echo does not stop the "
		 "server",
	.points = 3,
	.timeout_ms = 10000,
	.programs = "evloop",
	.hint = "Ignore SIGPIPE with sigaction (SIG_IGN) at the start, so a "
		"send to a client that has gone fails with EPIPE or "
		"ECONNRESET; then close that client and go on.",
	.run = check_leave_early,
    },
    {
	.id = "fd-leak",
	.title = "36 clients of every kind leave no descriptor open",
	.points = 3,
	.timeout_ms = 30000,
	.programs = "evloop",
	.hint = "Every way a client ends (EOF, a reset, a failed send, a "
		"drop) leads to one conn_close, and its slot leaves the "
		"arrays.",
	.run = check_fd_leak,
	.max_files = FD_LEAK_FILES,
    },
    {
	.id = "usage",
	.title = "bad arguments: usage and status 1; a port in use: status 2",
	.points = 4,
	.timeout_ms = 20000,
	.programs = "evloop",
	.hint = "Exactly one argument, a whole number made of digits only, 1 "
		"to 65535; else \"usage: evloop PORT\" on stderr, status 1. A "
		"failed bind: \"evloop: bind: reason\", status 2.",
	.run = check_usage,
    },
};

static const struct sl_lab lab12 = {
    .number = "12",
    .name = "event-loop",
    .title = "one thread, many connections: an echo server with poll, "
	     "non-blocking sockets and a buffer per client",
    .files = {"evloop.c", "conn.c"},
    .given = {"evloop.h"},
    .programs =
	{
	    {.name = "evloop", .sources = {"evloop.c", "conn.c"}},
	    {.name = "conn-cases",
	     .sources = {"conn.c"},
	     .support = {"conn_cases.c"}},
	},
    .max_files = 512,
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab12);
