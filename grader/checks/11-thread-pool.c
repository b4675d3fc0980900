/* 11-thread-pool.c - lab 11: an echo server with a fixed pool of worker
 * threads and a bounded queue.
 *
 * "pool PORT WORKERS QUEUE" echoes every line a client sends (pool.h).
 * Its queue (queue.c) is graded on its own first, through a driver linked
 * with it (support/queue_cases.c): order, waiting on an empty or a full
 * queue (spurious wakeups made on purpose), stopping. The server is then
 * graded from the outside: the checks play clients, hold workers busy
 * with clients that say nothing, count the server's threads and
 * descriptors and its wakeups in /proc, run it under Valgrind's thread
 * checker and memcheck, and measure its throughput under the harness's
 * load generator against a plain echo server measured in the same check.
 * The rubric is the table at the end of this file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../harness/hx_load.h"
#include "../../harness/hx_sched.h"
#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS      1500  /* the server starts listening */
#define IO_MS	      3000  /* an echo arrives, a client connects */
#define STOP_MS	      3000  /* the server exits after SIGTERM or SIGINT */
#define EXIT_MS	      1500  /* the server exits after bad arguments */
#define STEP_MS	      2000  /* a queue call returns or goes to sleep */
#define CASES_MS      20000 /* the queue driver runs one group */
#define SILENCE_MS    100   /* a client waits to see that nothing comes */
#define TOOL_READY_MS 15000 /* the server starts under Valgrind */
#define TOOL_IO_MS    8000  /* an echo arrives through it */
#define TOOL_STOP_MS  20000 /* it exits and Valgrind writes its report */

/* The protocol's limits, as pool.h has them. */
#define ECHO_LINE_MAX  1024 /* longest line, its "\n" included */
#define TOO_LONG_REPLY "error: line too long\n"

/* The idle check: a window with nothing to do, and what a thread may do
 * in it. */
#define IDLE_WINDOW_MS 1000 /* unscaled: the test is about time */
#define IDLE_WAKEUPS   3    /* times one thread may wake in the window */
#define IDLE_CPU_MS    50   /* CPU time the server may use in it */

/* The throughput check: the harness's load generator against the plain
 * echo server and against pool, in turns. */
#define LOAD_CLIENTS   16   /* client threads at once (= WORKERS) */
#define LOAD_LINES     4    /* lines per connection */
#define LOAD_BYTES     64   /* bytes per line */
#define LOAD_PAUSE_US  1000 /* think time between lines, after a close */
#define LOAD_MS	       300  /* one measurement (unscaled) */
#define LOAD_ROUNDS    2    /* measurements of each, best kept */
#define LOAD_MIN_RATIO 20   /* pool's best, in % of the echo's best */

#define FD_LEAK_FILES  32 /* RLIMIT_NOFILE of the fd-leak check */
#define FD_LEAK_VISITS 36 /* clients of the fd-leak check, six kinds */
#define MAX_CLIENTS    12 /* connections one check holds at once */

/* ---- starting and stopping the server ------------------------------ */

/* Starts "pool PORT workers queue" (under tool, if not NULL) and waits
 * until it listens. */
static struct hx_proc *start_pool(struct hx_check *c, int workers, int queue,
				  const char *tool)
{
	char port_arg[16], workers_arg[16], queue_arg[16];
	const char *args[] = {port_arg, workers_arg, queue_arg, NULL};
	struct hx_spawn spawn = {
	    .label = "server", .program = "pool", .args = args, .tool = tool};
	struct hx_proc *server;

	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	snprintf(workers_arg, sizeof(workers_arg), "%d", workers);
	snprintf(queue_arg, sizeof(queue_arg), "%d", queue);
	hx_recordf(c, 0, "starting pool %s %d %d%s%s", port_arg, workers, queue,
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

/* Once the server has done all it can (every thread asleep), nothing has
 * come back on conn and it is still open. */
static int expect_silence(struct hx_check *c, struct hx_proc *server,
			  struct hx_conn *conn, const char *who,
			  const char *why)
{
	hx_proc_wait_idle(server, IO_MS);
	hx_recv_for(c, conn, SILENCE_MS);
	if (conn->eof) {
		note_server_end(c, server);
		return hx_fail(c, HX_FAIL,
			       "%s was %s %s: a client that waits for a worker "
			       "must neither be refused nor dropped",
			       who, conn->reset ? "reset" : "closed", why);
	}
	if (conn->in.len > 0) {
		return hx_fail_values(c, HX_FAIL, NULL, 0, conn->in.data,
				      conn->in.len, "%s got an answer %s", who,
				      why);
	}
	return 0;
}

/* "client N" */
static const char *client_name(int n)
{
	static char names[MAX_CLIENTS + 8][16];
	int slot = n % (MAX_CLIENTS + 8);

	snprintf(names[slot], sizeof(names[slot]), "client %d", n);
	return names[slot];
}

/* Connects client number n (1-based) and requires its first line back:
 * it is being served. The connection stays open: a worker is busy. */
static int connect_served(struct hx_check *c, struct hx_conn *conn, int n,
			  int timeout_ms)
{
	char line[64];

	snprintf(line, sizeof(line), "hello from client %d\n", n);
	if (connect_client(c, conn, timeout_ms) < 0)
		return -1;
	return expect_echo_str(c, conn, line, timeout_ms, client_name(n));
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

/* The answer client n waits for, once a worker takes it. */
static int expect_first_line(struct hx_check *c, struct hx_conn *conn, int n,
			     int timeout_ms)
{
	char line[64];

	snprintf(line, sizeof(line), "hello from client %d\n", n);
	return expect_lines(c, conn, line, strlen(line), timeout_ms,
			    client_name(n));
}

/* ---- what /proc says about the server -------------------------------- */

/* The server's thread count must be want. */
static int expect_threads(struct hx_check *c, struct hx_proc *server, int want,
			  const char *when)
{
	int n;

	hx_proc_wait_idle(server, IO_MS);
	n = hx_proc_count_threads(server);
	if (n < 0) {
		note_server_end(c, server);
		return hx_fail(c, HX_FAIL, "the server ended %s", when);
	}
	hx_recordf(c, 0, "the server has %d threads %s", n, when);
	if (n == want)
		return 0;
	return hx_fail(c, HX_FAIL,
		       "the server has %d thread(s) %s; expected %d: the main "
		       "thread and WORKERS (%d) workers, all started before "
		       "the first accept, none per client",
		       n, when, want, want - 1);
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

/* ---- the queue, through its test driver -------------------------------- */

/* Runs the driver on one group of queue cases and fails with the list of
 * the cases that failed. */
static void run_queue_group(struct hx_check *c, const char *group)
{
	static const struct hx_cases queue = {
	    .program = "queue-cases",
	    .subject = "queue",
	    .failed = "queue.c does not behave as pool.h says",
	    .crashed = "look for a slot index outside the ring, or a use of "
		       "the slots after free",
	    .code = "queue.c",
	};
	char step[16];
	const char *args[] = {group, step, NULL};

	snprintf(step, sizeof(step), "%d", (int)(STEP_MS * hx_timeout_scale()));
	hx_run_cases(c, &queue, args, CASES_MS);
}

static void check_queue_order(struct hx_check *c)
{
	run_queue_group(c, "order");
}

static void check_queue_wait(struct hx_check *c)
{
	run_queue_group(c, "wait");
}

static void check_queue_stop(struct hx_check *c)
{
	run_queue_group(c, "stop");
}

/* ---- the echo ----------------------------------------------------------- */

static void check_echo(struct hx_check *c)
{
	static const char binary[] = "bin\0ary \xff\xfe\x01 bytes\n";
	struct hx_proc *server = start_pool(c, 2, 4, NULL);
	struct hx_buf many;
	struct hx_conn conn;

	if (!server || connect_client(c, &conn, IO_MS) < 0)
		goto out;
	hx_buf_init(&many);
	for (int i = 1; i <= 100; i++)
		hx_buf_addf(&many, "line %03d of a hundred sent at once\n", i);
	if (expect_echo_str(c, &conn, "hello, world\n", IO_MS, "the client") ==
		0 &&
	    expect_echo_str(c, &conn, "\n", IO_MS, "the client") == 0 &&
	    expect_echo_str(c, &conn, "ends in CR LF\r\n", IO_MS,
			    "the client") == 0 &&
	    expect_echo(c, &conn, binary, sizeof(binary) - 1, NULL, IO_MS,
			"the client") == 0 &&
	    expect_echo_str(c, &conn, "two lines\nin one segment\n", IO_MS,
			    "the client") == 0 &&
	    expect_echo(c, &conn, many.data, many.len, NULL, IO_MS,
			"the client") == 0 &&
	    hx_shutdown_write(c, &conn) == 0) {
		/* the client is done: the server closes its side too */
		if (hx_recv_all(c, &conn, 1 << 16, IO_MS) == 0 &&
		    conn.in.len > 0) {
			hx_fail_values(c, HX_FAIL, NULL, 0, conn.in.data,
				       conn.in.len,
				       "after its last line the client "
				       "got more than its echo");
		}
	}
	if (!hx_ok(c))
		note_server_end(c, server);
	hx_buf_free(&many);
	hx_close(c, &conn);
out:
	finish(c, server);
}

static void check_pieces(struct hx_check *c)
{
	/* A pause between pieces, so no single recv gets them all. */
	static const struct hx_plan byte_by_byte = {HX_BYTES, 0, 2};
	static const struct hx_plan random_pieces = {HX_RANDOM, 6, 1};
	static const char lines[] = "alpha\nbeta\ngamma gamma\n\ndelta\n"
				    "epsilon, the last\n";
	struct hx_proc *server = start_pool(c, 2, 2, NULL);
	struct hx_conn conn, tail;

	if (!server || connect_client(c, &conn, IO_MS) < 0)
		goto out;
	/* A line without its "\n" is not a line yet: no answer. */
	if (hx_send_str(c, &conn, "hello, world", &byte_by_byte) < 0 ||
	    expect_silence(c, server, &conn, "the client",
			   "before its line's \"\\n\" was sent: echo whole "
			   "lines, each once its \"\\n\" has come") < 0 ||
	    hx_send_str(c, &conn, "\n", NULL) < 0 ||
	    expect_lines(c, &conn, "hello, world\n", 13, IO_MS,
			 "the client (its line sent byte by byte)") < 0)
		goto out_close;
	if (expect_echo(c, &conn, lines, sizeof(lines) - 1, &random_pieces,
			IO_MS, "the client") < 0)
		goto out_close;
	/* Bytes after the last "\n" at the close are not a line. */
	if (connect_client(c, &tail, IO_MS) < 0)
		goto out_close;
	if (hx_send_str(c, &tail, "one\ntwo", &byte_by_byte) == 0 &&
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
	hx_close(c, &conn);
out:
	finish(c, server);
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

static void check_long_line(struct hx_check *c)
{
	/* Pieces of up to 200 bytes, apart: a recv that asks for more than
	 * the buffer's free part is caught in the act. */
	static const struct hx_plan pieces = {HX_RANDOM, 200, 1};
	static const char too_long_then_after[] = TOO_LONG_REPLY "after\n";
	static const char too_long_then_ok[] = TOO_LONG_REPLY "ok\n";
	struct hx_proc *server = start_pool(c, 2, 2, NULL);
	struct hx_buf line;
	struct hx_conn conn, next;

	hx_buf_init(&line);
	if (!server || connect_client(c, &conn, IO_MS) < 0)
		goto out;
	/* limit - 1 and limit: echoed whole */
	long_line(&line, ECHO_LINE_MAX - 1);
	if (expect_echo(c, &conn, line.data, line.len, &pieces, IO_MS,
			"a line of 1023 bytes") < 0)
		goto out_close;
	long_line(&line, ECHO_LINE_MAX);
	if (expect_echo(c, &conn, line.data, line.len, &pieces, IO_MS,
			"a line of exactly 1024 bytes") < 0)
		goto out_close;
	/* limit + 1: one error, and the next line is a line again */
	long_line(&line, ECHO_LINE_MAX + 1);
	hx_buf_add(&line, "after\n", 6);
	if (hx_send(c, &conn, line.data, line.len, &pieces) < 0 ||
	    expect_lines(c, &conn, too_long_then_after,
			 sizeof(too_long_then_after) - 1, IO_MS,
			 "a line of 1025 bytes, then \"after\"") < 0)
		goto out_close;
	/* far over: still one error for the whole line */
	long_line(&line, 5000);
	hx_buf_add(&line, "ok\n", 3);
	if (hx_send(c, &conn, line.data, line.len, &pieces) < 0 ||
	    expect_lines(c, &conn, too_long_then_ok,
			 sizeof(too_long_then_ok) - 1, IO_MS,
			 "a line of 5000 bytes, then \"ok\"") < 0)
		goto out_close;
	/* and the server goes on for everyone */
	if (connect_client(c, &next, IO_MS) == 0)
		expect_echo_str(c, &next, "the next client\n", IO_MS,
				"the next client");
	hx_close(c, &next);
out_close:
	if (!hx_ok(c))
		note_server_end(c, server);
	hx_close(c, &conn);
out:
	hx_buf_free(&line);
	finish(c, server);
}

/* ---- the pool ----------------------------------------------------------- */

static void check_concurrent(struct hx_check *c)
{
	struct hx_proc *server = start_pool(c, 3, 2, NULL);
	struct hx_conn conns[4];
	int n = 0;

	if (!server)
		goto out;
	/* two clients that say nothing more hold two workers */
	for (; n < 2; n++)
		if (connect_served(c, &conns[n], n + 1, IO_MS) < 0)
			goto out_close;
	hx_recordf(c, 0, "two of three workers are busy with silent clients");
	/* the third worker serves a third client at once */
	if (connect_served(c, &conns[n++], 3, IO_MS) < 0) {
		hx_note(c, "two clients were connected and silent: while "
			   "fewer clients than WORKERS are connected, each "
			   "must be served at once");
		goto out_close;
	}
	/* all three talk, in turns: each gets its own lines */
	for (int round = 1; round <= 3; round++)
		for (int i = 0; i < n; i++) {
			char line[64];

			snprintf(line, sizeof(line),
				 "round %d from client %d\n", round, i + 1);
			if (expect_echo_str(c, &conns[i], line, IO_MS,
					    client_name(i + 1)) < 0)
				goto out_close;
		}
	/* one leaves: its worker serves a fourth at once */
	hx_close(c, &conns[0]);
	if (connect_served(c, &conns[n++], 4, IO_MS) < 0)
		hx_note(c, "client 1 had left, so a worker was free");
out_close:
	if (!hx_ok(c))
		note_server_end(c, server);
	close_all(c, conns, n);
out:
	finish(c, server);
}

static void check_all_busy(struct hx_check *c)
{
	struct hx_proc *server = start_pool(c, 2, 2, NULL);
	struct hx_conn conns[4];
	int n = 0;

	if (!server)
		goto out;
	for (; n < 2; n++)
		if (connect_served(c, &conns[n], n + 1, IO_MS) < 0)
			goto out_close;
	hx_recordf(c, 0, "both workers are busy with silent clients");
	/* clients 3 and 4 wait: not answered, not refused, not dropped */
	for (; n < 4; n++)
		if (connect_waiting(c, &conns[n], n + 1) < 0)
			goto out_close;
	if (expect_silence(c, server, &conns[2], "client 3",
			   "while both workers were busy: a pool of "
			   "WORKERS threads serves WORKERS clients at a "
			   "time, the others wait in the queue") < 0 ||
	    expect_silence(c, server, &conns[3], "client 4",
			   "while both workers were busy") < 0)
		goto out_close;
	/* client 1 leaves: client 3, the first to wait, is served */
	hx_close(c, &conns[0]);
	hx_recordf(c, 0, "client 1 left");
	if (expect_first_line(c, &conns[2], 3, IO_MS) < 0) {
		hx_note(c, "client 1 had left, so its worker should have "
			   "taken the connection that waited longest");
		goto out_close;
	}
	if (expect_silence(c, server, &conns[3], "client 4",
			   "while clients 2 and 3 held both workers (did "
			   "the queue serve the newest first?)") < 0 ||
	    expect_echo_str(c, &conns[2], "and more from client 3\n", IO_MS,
			    "client 3") < 0)
		goto out_close;
	hx_close(c, &conns[1]);
	hx_recordf(c, 0, "client 2 left");
	if (expect_first_line(c, &conns[3], 4, IO_MS) < 0)
		hx_note(c, "client 2 had left, so its worker should have "
			   "taken client 4");
out_close:
	if (!hx_ok(c))
		note_server_end(c, server);
	close_all(c, conns, n);
out:
	finish(c, server);
}

#define BOUNDED_WORKERS 2
#define BOUNDED_QUEUE	2
#define BOUNDED_CLIENTS 10

static void check_bounded(struct hx_check *c)
{
	struct hx_proc *server =
	    start_pool(c, BOUNDED_WORKERS, BOUNDED_QUEUE, NULL);
	struct hx_conn conns[BOUNDED_CLIENTS];
	int n = 0, before, held, most;

	if (!server)
		goto out;
	hx_proc_wait_idle(server, IO_MS);
	before = hx_proc_count_fds(server);
	for (; n < BOUNDED_WORKERS; n++)
		if (connect_served(c, &conns[n], n + 1, IO_MS) < 0)
			goto out_close;
	for (; n < BOUNDED_CLIENTS; n++)
		if (connect_waiting(c, &conns[n], n + 1) < 0)
			goto out_close;
	hx_proc_wait_idle(server, IO_MS);
	held = hx_proc_count_fds(server) - before;
	most = BOUNDED_WORKERS + BOUNDED_QUEUE + 1;
	hx_recordf(c, 0,
		   "%d clients connected; the server holds %d "
		   "connections",
		   BOUNDED_CLIENTS, held);
	if (held > most) {
		hx_fail(c, HX_FAIL,
			"with %d clients connected to pool PORT %d %d, the "
			"server holds %d connections: at most %d (the busy "
			"workers' %d, the queue's %d, and one accepted while "
			"the queue was full). A full queue must make the main "
			"thread wait before it accepts more: the others wait "
			"in the kernel's backlog",
			BOUNDED_CLIENTS, BOUNDED_WORKERS, BOUNDED_QUEUE, held,
			most, BOUNDED_WORKERS, BOUNDED_QUEUE);
		goto out_close;
	}
	for (int i = BOUNDED_WORKERS; i < n; i++)
		if (expect_silence(c, server, &conns[i], client_name(i + 1),
				   "while both workers were busy") < 0)
			goto out_close;
	/* The first clients leave one by one: every waiting client is
	 * served in turn, in the order it connected. */
	for (int i = 0; i + BOUNDED_WORKERS < n; i++) {
		hx_close(c, &conns[i]);
		hx_recordf(c, 0, "client %d left", i + 1);
		if (expect_first_line(c, &conns[i + BOUNDED_WORKERS],
				      i + BOUNDED_WORKERS + 1, IO_MS) < 0) {
			hx_note(c,
				"client %d had left; the clients still "
				"waiting must be served in the order they "
				"connected, none lost",
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

static void check_idle(struct hx_check *c)
{
	struct hx_proc *server = start_pool(c, 4, 2, NULL);
	struct hx_conn conns[7];
	int n = 0;

	if (!server || expect_asleep(c, server, "with no client at all") < 0)
		goto out;
	/* four silent clients hold the workers, two wait in the queue, one
	 * more is accepted and waits for room: the main thread waits too */
	for (; n < 4; n++)
		if (connect_served(c, &conns[n], n + 1, IO_MS) < 0)
			goto out_close;
	for (; n < 7; n++)
		if (connect_waiting(c, &conns[n], n + 1) < 0)
			goto out_close;
	if (expect_asleep(c, server,
			  "with every worker busy and the queue full") < 0)
		goto out_close;
	/* and everyone is served once the first four leave */
	for (int i = 0; i < 4; i++)
		hx_close(c, &conns[i]);
	for (int i = 4; i < 7; i++)
		if (expect_first_line(c, &conns[i], i + 1, IO_MS) < 0)
			break;
out_close:
	if (!hx_ok(c))
		note_server_end(c, server);
	close_all(c, conns, n);
out:
	finish(c, server);
}

static void check_pool_size(struct hx_check *c)
{
	struct hx_proc *server = start_pool(c, 5, 3, NULL);
	struct hx_conn conns[8];
	int n = 0;

	if (!server || expect_threads(c, server, 6, "before any client") < 0)
		goto out;
	for (; n < 5; n++)
		if (connect_served(c, &conns[n], n + 1, IO_MS) < 0)
			goto out_close;
	for (; n < 8; n++)
		if (connect_waiting(c, &conns[n], n + 1) < 0)
			goto out_close;
	if (expect_threads(c, server, 6,
			   "with 5 clients served and 3 waiting") < 0)
		goto out_close;
	close_all(c, conns, n);
	n = 0;
	/* the first eight are gone (served or closed) before more come */
	hx_proc_wait_idle(server, IO_MS);
	/* twenty clients in a row: nothing is started per client */
	for (int i = 1; i <= 20; i++) {
		struct hx_conn conn;
		int rc = connect_served(c, &conn, i, IO_MS);

		hx_close(c, &conn);
		if (rc < 0)
			goto out;
	}
	expect_threads(c, server, 6, "after 20 clients in a row");
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
	double best_echo = 0, best_pool = 0;
	char err[256];

	if (c->valgrind) {
		hx_skip(c, "throughput is not measured under Valgrind");
		return;
	}
	server = start_pool(c, LOAD_CLIENTS, 2 * LOAD_CLIENTS, NULL);
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
		rate = measure(c, "pool", hx_port(c, 0));
		if (rate > best_pool)
			best_pool = rate;
	}
	hx_echo_stop(&echo);
	if (!hx_ok(c))
		goto out;
	hx_recordf(c, 0, "pool: %.0f lines/s, %.0f%% of the plain echo's %.0f",
		   best_pool, best_echo > 0 ? 100 * best_pool / best_echo : 0,
		   best_echo);
	if (best_echo <= 0)
		hx_fail(c, HX_ERROR, "the plain echo server answered nothing");
	else if (best_pool * 100 < best_echo * LOAD_MIN_RATIO)
		hx_fail(
		    c, HX_FAIL,
		    "under %d clients at once (each sending %d-byte lines, "
		    "%d a connection, with a 1 ms pause between lines and "
		    "after each close), pool %d %d echoed %.0f lines/s: %.0f%% "
		    "of a plain echo server's %.0f lines/s measured in "
		    "the same run, below the %d%% required. A worker that "
		    "is slow to notice a new connection (a sleep or a "
		    "timed wait in a loop) or one client served at a time "
		    "does this",
		    LOAD_CLIENTS, LOAD_BYTES, LOAD_LINES, LOAD_CLIENTS,
		    2 * LOAD_CLIENTS, best_pool, 100 * best_pool / best_echo,
		    best_echo, LOAD_MIN_RATIO);
out:
	if (!hx_ok(c))
		note_server_end(c, server);
	finish(c, server);
}

/* ---- shutdown, tools and probes ----------------------------------------- */

static void check_race(struct hx_check *c)
{
	struct hx_proc *server = start_pool(c, 3, 2, "helgrind");
	struct hx_conn conns[8];
	struct hx_buf line;
	int n = 0;

	hx_buf_init(&line);
	if (!server)
		goto out;
	/* three workers busy at once, their lines interleaved */
	for (; n < 3; n++)
		if (connect_served(c, &conns[n], n + 1, TOOL_IO_MS) < 0)
			goto out_close;
	for (int i = 0; i < 3; i++)
		if (expect_echo_str(c, &conns[i], "a second line\n", TOOL_IO_MS,
				    client_name(i + 1)) < 0)
			goto out_close;
	/* one waits in the queue until client 1 leaves */
	if (connect_waiting(c, &conns[n++], 4) < 0)
		goto out_close;
	hx_close(c, &conns[0]);
	if (expect_first_line(c, &conns[3], 4, TOOL_IO_MS) < 0)
		goto out_close;
	/* a line too long, a client that resets, two that leave */
	long_line(&line, ECHO_LINE_MAX + 10);
	hx_buf_add(&line, "short\n", 6);
	if (hx_send(c, &conns[1], line.data, line.len, NULL) < 0 ||
	    expect_lines(c, &conns[1], TOO_LONG_REPLY "short\n",
			 strlen(TOO_LONG_REPLY "short\n"), TOOL_IO_MS,
			 "client 2") < 0)
		goto out_close;
	hx_reset(c, &conns[2]);
	hx_close(c, &conns[1]);
	if (connect_served(c, &conns[n], n + 1, TOOL_IO_MS) < 0)
		goto out_close;
	n++;
	/* stopped with clients 4 and 5 connected: every worker ends */
	hx_proc_wait_idle(server, TOOL_IO_MS);
	if (hx_proc_signal_exit(c, server, SIGTERM, TOOL_STOP_MS) == 0)
		hx_proc_expect_tool_clean(c, server);
out_close:
	if (!hx_ok(c))
		note_server_end(c, server);
	close_all(c, conns, n);
out:
	hx_buf_free(&line);
	finish(c, server);
}

/* Sends lines without reading the echo until neither side's buffers take
 * more: the worker is then stuck in a send to this client. */
static int flood(struct hx_check *c, struct hx_proc *server,
		 struct hx_conn *conn)
{
	static char line[ECHO_LINE_MAX];
	long total = 0;

	memset(line, 'f', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	fcntl(conn->fd, F_SETFL, fcntl(conn->fd, F_GETFL) | O_NONBLOCK);
	for (int quiet = 0; quiet < 2;) {
		ssize_t sent = send(conn->fd, line, sizeof(line), MSG_NOSIGNAL);

		if (sent > 0) {
			total += sent;
			quiet = 0;
			continue;
		}
		if (sent < 0 && errno != EAGAIN)
			return hx_fail(c, HX_FAIL,
				       "a client that never reads: send "
				       "failed after %ld bytes: %s",
				       total, strerror(errno));
		hx_proc_wait_idle(server, IO_MS);
		quiet++;
	}
	hx_recordf(c, conn->id, "sent %ld bytes of lines and read nothing",
		   total);
	return 0;
}

static void check_stop_signal(struct hx_check *c)
{
	struct hx_proc *server = start_pool(c, 2, 2, NULL);
	struct hx_conn conns[6];
	int n = 0;

	/* nothing to do: SIGTERM */
	if (!server || hx_proc_signal_exit(c, server, SIGTERM, STOP_MS) < 0)
		goto out;
	finish(c, server);
	/* busy workers, a full queue, one more accepted and one in the
	 * backlog: SIGINT */
	server = start_pool(c, 2, 2, NULL);
	if (!server)
		goto out;
	for (; n < 2; n++)
		if (connect_served(c, &conns[n], n + 1, IO_MS) < 0)
			goto out_close;
	for (; n < 6; n++)
		if (connect_waiting(c, &conns[n], n + 1) < 0)
			goto out_close;
	if (hx_proc_signal_exit(c, server, SIGINT, STOP_MS) < 0) {
		hx_note(c, "two clients held both workers, the queue was full "
			   "and the main thread waited for room: every one of "
			   "these waits must end when the signal comes");
		goto out_close;
	}
	finish(c, server);
	close_all(c, conns, n);
	n = 0;
	/* a worker stuck sending to a client that never reads: SIGTERM */
	server = start_pool(c, 2, 2, NULL);
	if (!server || connect_served(c, &conns[n++], 1, IO_MS) < 0 ||
	    flood(c, server, &conns[0]) < 0)
		goto out_close;
	if (hx_proc_signal_exit(c, server, SIGTERM, STOP_MS) < 0)
		hx_note(c, "a worker was stuck in a send to a client that "
			   "never reads: it must wake up and end too");
out_close:
	if (!hx_ok(c))
		note_server_end(c, server);
	close_all(c, conns, n);
out:
	finish(c, server);
}

/* What memcheck found in p beyond hx_proc_memcheck's errors, bytes lost
 * and descriptors: memory still allocated at exit, reachable or not (a
 * server that joins its threads and frees what it allocated has none).
 * Appends to out; only the lines Valgrind wrote for p itself count. */
static void memcheck_in_use(const struct hx_proc *p, struct hx_buf *out)
{
	char prefix[32];
	const char *line = p->log.data ? p->log.data : "";
	int plen = snprintf(prefix, sizeof(prefix), "==%d== ", (int)p->pid);
	long bytes = 0, blocks = 0;

	while (*line) {
		size_t len = strcspn(line, "\n");

		if ((int)len > plen && strncmp(line, prefix, (size_t)plen) == 0)
			sscanf(line + plen, " in use at exit: %ld bytes in %ld",
			       &bytes, &blocks);
		line += len;
		line += *line == '\n';
	}
	if (bytes > 0)
		hx_buf_addf(out,
			    "%ld bytes in %ld block(s) still allocated at "
			    "exit",
			    bytes, blocks);
}

static void check_memcheck(struct hx_check *c)
{
	static const char half[] = "half a line, and gone";
	struct hx_proc *server = start_pool(c, 3, 2, "memcheck");
	struct hx_conn a, b, other;
	struct hx_buf line, findings;

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
	/* it waits for the server's close: then a worker has taken it */
	if (hx_send_str(c, &other, half, NULL) == 0 &&
	    hx_shutdown_write(c, &other) == 0 &&
	    hx_recv_all(c, &other, 1 << 16, TOOL_IO_MS) == 0 &&
	    other.in.len > 0) {
		hx_fail_values(c, HX_FAIL, NULL, 0, other.in.data, other.in.len,
			       "client d sent half a line and closed: it got "
			       "an answer");
	}
	hx_close(c, &other);
	if (!hx_ok(c))
		goto out_close;
	/* stopped while client a is still connected */
	hx_proc_wait_idle(server, TOOL_IO_MS);
	if (hx_proc_signal_exit(c, server, SIGTERM, TOOL_STOP_MS) < 0)
		goto out_close;
	if (hx_expect_contains(c, "the server's last words on stderr",
			       "pool: served 4 clients, 6 lines\n",
			       server->err.data ? server->err.data : "") < 0) {
		hx_note(c, "four clients came: a with 3 lines (and one too "
			   "long), b with 2, c with 1, d with half a line; a "
			   "was still connected when SIGTERM came");
		goto out_close;
	}
	hx_proc_memcheck(server, &findings);
	if (!strstr(findings.data ? findings.data : "", ": clean\n")) {
		hx_fail(c, HX_FAIL, "Valgrind's memcheck, after SIGTERM: %.*s",
			(int)strcspn(findings.data ? findings.data : "", "\n"),
			findings.data ? findings.data : "nothing");
	} else {
		hx_buf_clear(&findings);
		memcheck_in_use(server, &findings);
		if (findings.len > 0)
			hx_fail(c, HX_FAIL,
				"Valgrind's memcheck, after SIGTERM: %s: free "
				"what main allocated, and join every worker "
				"(a thread never joined keeps its memory)",
				findings.data);
	}
	hx_fail_show(c, NULL, 0, server->log.data, server->log.len);
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
	struct hx_proc *server = start_pool(c, 2, 2, NULL);
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
	struct hx_proc *server = start_pool(c, 2, 2, NULL);
	int64_t deadline;
	int before, attempt = 0;

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
	/* a connection still queued is not a leak: give the workers time
	 * to take the last ones */
	deadline = hx_deadline(IO_MS);
	while (hx_proc_count_fds(server) > before &&
	       hx_remaining_ms(deadline) > 0)
		hx_backoff(&attempt, deadline);
	hx_expect_fds_steady(c, server, before,
			     "36 clients (closed, reset, a line too long, "
			     "half a line, nothing, gone before the echo)",
			     IO_MS);
out:
	finish(c, server);
}

static void check_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"9000", NULL},
	    {"9000", "4", NULL},
	    {"9000", "4", "4", "extra", NULL},
	    {"abc", "4", "4", NULL},
	    {"0", "4", "4", NULL},
	    {"65536", "4", "4", NULL},
	    {"9000", "0", "4", NULL},
	    {"9000", "65", "4", NULL},
	    {"9000", "-4", "4", NULL},
	    {"9000", "4x", "4", NULL},
	    {"9000", " 4", "4", NULL},
	    {"9000", "4", "0", NULL},
	    {"9000", "4", "1025", NULL},
	    {"9000", "4", "", NULL},
	};
	char port_arg[16];
	const char *taken[] = {port_arg, "2", "2", NULL};
	struct hx_conn holder, conn;
	struct hx_proc *p;

	if (hx_expect_usage(c, "pool", cases, SL_COUNT(cases), EXIT_MS) < 0)
		return;
	/* the limits themselves are fine: 64 workers and 1024 slots, and
	 * a single worker with a single slot */
	p = start_pool(c, 64, 1024, NULL);
	if (!p || connect_served(c, &conn, 1, IO_MS) < 0 ||
	    (hx_close(c, &conn), hx_proc_signal_exit(c, p, SIGTERM, STOP_MS)) <
		0) {
		hx_note(c, "pool PORT 64 1024 is the largest pool allowed");
		return;
	}
	p = start_pool(c, 1, 1, NULL);
	if (!p || connect_served(c, &conn, 1, IO_MS) < 0 ||
	    (hx_close(c, &conn), connect_served(c, &conn, 2, IO_MS)) < 0 ||
	    (hx_close(c, &conn), hx_proc_signal_exit(c, p, SIGTERM, STOP_MS)) <
		0) {
		hx_note(c, "pool PORT 1 1 is the smallest pool allowed");
		return;
	}
	/* a port in use: a runtime error that names the call */
	if (hx_tcp_listen(c, &holder, "0.0.0.0", hx_port(c, 0)) < 0)
		return;
	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	p = hx_start_labelled(c, "pool PORT 2 2 (the port in use)", "pool",
			      taken);
	if (p && hx_proc_expect_exit(c, p, 2, EXIT_MS) == 0)
		hx_expect_contains(c, "stderr of pool with its port in use",
				   "bind", p->err.data ? p->err.data : "");
	hx_close(c, &holder);
}
/* The rubric: 100 points. */
static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "pool and the queue build without warnings",
	.points = 6,
	.timeout_ms = 60000,
	.programs = "pool queue-cases",
	.hint =
	    "Read the compiler's messages from the first one down; fix every "
	    "warning too (an unused variable, a missing return, a signed and "
	    "unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "queue-order",
	.title =
	    "the queue: first in, first out, round its ring, up to 1024 slots",
	.points = 4,
	.timeout_ms = 30000,
	.flags = SL_SANITIZE,
	.programs = "queue-cases",
	.hint = "The tail is (head + count) % capacity; queue_take returns "
		"fds[head], then head = (head + 1) % capacity and count--. "
		"queue_init mallocs capacity ints.",
	.run = check_queue_order,
    },
    {
	.id = "queue-wait",
	.title = "the queue: take waits while empty, put while full, in a loop",
	.points = 7,
	.timeout_ms = 30000,
	.programs = "queue-cases",
	.hint = "Wait with while (count == 0 && !stopping) "
		"pthread_cond_wait(&not_empty, &lock), never with if: a wait "
		"may return when nothing changed. The same in queue_put with "
		"count == capacity and not_full. Signal not_empty on every put "
		"and not_full on every take.",
	.run = check_queue_wait,
    },
    {
	.id = "queue-stop",
	.title = "the queue: stop wakes every waiter, destroy closes and frees",
	.points = 4,
	.timeout_ms = 30000,
	.flags = SL_SANITIZE | SL_LEAKS,
	.programs = "queue-cases",
	.hint =
	    "queue_stop sets stopping and broadcasts both conditions. Every "
	    "way out of queue_put and queue_take unlocks the mutex. "
	    "queue_destroy closes the count fds still queued (from head) "
	    "and frees the slots.",
	.run = check_queue_stop,
    },
    {
	.id = "echo",
	.title = "every line comes back exact: empty, CR LF, NUL bytes, a "
		 "hundred at once",
	.points = 7,
	.timeout_ms = 10000,
	.flags = SL_SANITIZE,
	.programs = "pool",
	.hint =
	    "Echo each line with its \"\\n\", byte for byte: use the lengths "
	    "recv and memchr give, never strlen or a string function (a line "
	    "may hold '\\0'). Keep the bytes after a line for the next one. "
	    "recv returning 0: close the connection.",
	.run = check_echo,
    },
    {
	.id = "pieces",
	.title = "lines in pieces: answered once whole; a last piece without "
		 "\"\\n\" is not",
	.points = 5,
	.timeout_ms = 10000,
	.programs = "pool",
	.hint = "One recv is not one line: receive into the free part of the "
		"buffer and echo only when memchr finds the \"\\n\", the whole "
		"line in one send. At the client's close, drop bytes with no "
		"\"\\n\" after them.",
	.run = check_pieces,
    },
    {
	.id = "long-line",
	.title =
	    "lines of 1023 and 1024 bytes echoed, longer ones refused once",
	.points = 5,
	.timeout_ms = 10000,
	.flags = SL_SANITIZE,
	.programs = "pool",
	.hint =
	    "recv at most sizeof(buf) - len bytes. When the buffer holds "
	    "ECHO_LINE_MAX bytes and no \"\\n\", send TOO_LONG_REPLY once, "
	    "empty the buffer and drop bytes until the line's \"\\n\"; then "
	    "go on with the next line.",
	.run = check_long_line,
    },
    {
	.id = "concurrent",
	.title =
	    "silent clients below WORKERS do not keep the next one waiting",
	.points = 7,
	.timeout_ms = 15000,
	.programs = "pool",
	.hint = "Start WORKERS threads before the first accept; each loops on "
		"queue_take and serves its client to the end. Never hold the "
		"queue's mutex while serving a client, and never serve one in "
		"the main thread.",
	.run = check_concurrent,
    },
    {
	.id = "all-busy",
	.title = "with every worker busy, the next clients wait, then are "
		 "served in order",
	.points = 7,
	.timeout_ms = 20000,
	.programs = "pool",
	.hint =
	    "Exactly WORKERS clients are served at a time: never start a "
	    "thread "
	    "per client. A connection that finds every worker busy waits in "
	    "the queue; queue_take returns the oldest (fds[head]), not the "
	    "newest.",
	.run = check_all_busy,
    },
    {
	.id = "bounded",
	.title =
	    "a full queue makes accept wait; every waiting client is served",
	.points = 6,
	.timeout_ms = 30000,
	.programs = "pool",
	.hint = "queue_put waits while count == capacity, so the main thread "
		"stops accepting and new clients wait in the kernel's backlog "
		"(listen with 128). Never grow the queue; signal not_full in "
		"queue_take.",
	.run = check_bounded,
    },
    {
	.id = "idle",
	.title = "with nothing to do, no thread spins or polls",
	.points = 5,
	.timeout_ms = 20000,
	.programs = "pool",
	.hint =
	    "A thread with nothing to do sleeps until there is something: in "
	    "pthread_cond_wait (in its while loop), accept or poll with no "
	    "timeout. No usleep, sched_yield or timed wait in a loop that "
	    "tests the queue or a flag.",
	.run = check_idle,
    },
    {
	.id = "pool-size",
	.title =
	    "exactly WORKERS + 1 threads: before, during and after clients",
	.points = 4,
	.timeout_ms = 20000,
	.programs = "pool",
	.hint = "main creates WORKERS threads with pthread_create before it "
		"accepts, and no other thread ever: not per client, not when "
		"the queue is full. Only SIGTERM ends them.",
	.run = check_pool_size,
    },
    {
	.id = "throughput",
	.title = "throughput under load: at least 20% of a plain echo server's",
	.points = 6,
	.timeout_ms = 30000,
	.programs = "pool",
	.hint =
	    "Each put must wake a waiting worker at once (pthread_cond_signal "
	    "while holding the mutex), and each worker serves its client "
	    "while the others serve theirs. V=1 shows the rates measured.",
	.run = check_throughput,
    },
    {
	.id = "race",
	.title =
	    "no data race: clients, a queue, resets and SIGTERM under helgrind",
	.points = 6,
	.timeout_ms = 120000,
	.programs = "pool",
	.hint =
	    "Every variable two threads use is read and written with its "
	    "mutex held: the queue's fields inside queue.c only, the totals "
	    "with their own mutex. A worker's line buffer is its own (a "
	    "local array). V=1 shows the whole report.",
	.run = check_race,
    },
    {
	.id = "stop-signal",
	.title =
	    "SIGTERM or SIGINT: exit 0 promptly, even with every thread busy",
	.points = 6,
	.timeout_ms = 20000,
	.programs = "pool",
	.hint =
	    "The handler sets the flag and writes a byte into the stop pipe. "
	    "The main thread polls the listening socket and the pipe; a "
	    "worker polls its client and the pipe before each recv and "
	    "send. Then queue_stop, pthread_join every worker, return 0.",
	.run = check_stop_signal,
    },
    {
	.id = "memcheck",
	.title =
	    "after SIGTERM: totals printed, nothing left allocated or open",
	.points = 5,
	.timeout_ms = 120000,
	.programs = "pool",
	.hint =
	    "After the workers are joined: queue_destroy (closes what waits, "
	    "frees the slots), close the listening socket and the pipe, print "
	    "\"pool: served C clients, L lines\" and return. Free every "
	    "malloc; join, never detach, the workers.",
	.run = check_memcheck,
    },
    {
	.id = "leave-early",
	.title =
	    "a client that resets before its echo does not stop the server",
	.points = 3,
	.timeout_ms = 10000,
	.programs = "pool",
	.hint =
	    "Ignore SIGPIPE with sigaction (SIG_IGN) before the first thread "
	    "starts, so a send to a client that has gone fails with EPIPE or "
	    "ECONNRESET; then close that client and take the next.",
	.run = check_leave_early,
    },
    {
	.id = "fd-leak",
	.title = "36 clients of every kind leave no descriptor open",
	.points = 3,
	.timeout_ms = 30000,
	.programs = "pool",
	.hint = "Every way serve_client ends (EOF, a reset, a failed send, the "
		"stop pipe) leads to one close of the client's socket, in the "
		"worker that took it. A fd queue_put refused is closed by "
		"main.",
	.run = check_fd_leak,
	.max_files = FD_LEAK_FILES,
    },
    {
	.id = "usage",
	.title = "bad arguments: usage and status 1; a port in use: status 2",
	.points = 4,
	.timeout_ms = 20000,
	.programs = "pool",
	.hint =
	    "Exactly three arguments, each a whole number made of digits only: "
	    "PORT 1 to 65535, WORKERS 1 to 64, QUEUE 1 to 1024; else "
	    "\"usage: pool PORT WORKERS QUEUE\" on stderr, status 1. A failed "
	    "bind: \"pool: bind: reason\", status 2.",
	.run = check_usage,
    },
};

static const struct sl_lab lab11 = {
    .number = "11",
    .name = "thread-pool",
    .title = "pthreads: an echo server with a fixed pool of workers and a "
	     "bounded queue",
    .files = {"pool.c", "queue.c"},
    .given = {"pool.h"},
    .programs =
	{
	    {.name = "pool", .sources = {"pool.c", "queue.c"}},
	    {.name = "queue-cases",
	     .sources = {"queue.c"},
	     .support = {"queue_cases.c"}},
	},
    .max_files = 64,
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab11);
