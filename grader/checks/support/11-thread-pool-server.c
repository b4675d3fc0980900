/* 11-thread-pool-server.c - lab 11: starting the server, its clients, what
 * /proc says of it, the queue through its driver, and the echo.
 *
 * Included by grader/checks/11-thread-pool.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

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

/* Once the server has done all it can (every thread asleep), nothing has
 * come back on conn and it is still open. */
static int expect_silence(struct hx_check *c, struct hx_proc *server,
			  struct hx_conn *conn, const char *who,
			  const char *why)
{
	static const struct hx_silence silence = {
	    .idle_ms = IO_MS,
	    .listen_ms = SILENCE_MS,
	    .rule = "a client that waits for a worker must neither be refused "
		    "nor dropped"};

	return hx_expect_silence(c, server, conn, &silence, who, why);
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
	return hx_expect_echo_str(c, conn, line, timeout_ms, hx_client_name(n));
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
	return hx_expect_lines(c, conn, line, strlen(line), timeout_ms,
			       hx_client_name(n));
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

/* Nothing happens for two seconds: the server must sleep through it. */
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
	if (hx_expect_echo_str(c, &conn, "hello, world\n", IO_MS,
			       "the client") == 0 &&
	    hx_expect_echo_str(c, &conn, "\n", IO_MS, "the client") == 0 &&
	    hx_expect_echo_str(c, &conn, "ends in CR LF\r\n", IO_MS,
			       "the client") == 0 &&
	    hx_expect_echo(c, &conn, binary, sizeof(binary) - 1, NULL, IO_MS,
			   "the client") == 0 &&
	    hx_expect_echo_str(c, &conn, "two lines\nin one segment\n", IO_MS,
			       "the client") == 0 &&
	    hx_expect_echo(c, &conn, many.data, many.len, NULL, IO_MS,
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
	static const struct hx_plan byte_by_byte = {.split = HX_BYTES,
						    .delay_ms = 2};
	static const struct hx_plan random_pieces = {
	    .split = HX_RANDOM, .max_piece = 6, .delay_ms = 1};
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
	    hx_expect_lines(c, &conn, "hello, world\n", 13, IO_MS,
			    "the client (its line sent byte by byte)") < 0)
		goto out_close;
	if (hx_expect_echo(c, &conn, lines, sizeof(lines) - 1, &random_pieces,
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

static void check_long_line(struct hx_check *c)
{
	/* Pieces of up to 200 bytes, apart: a recv that asks for more than
	 * the buffer's free part is caught in the act. */
	static const struct hx_plan pieces = {
	    .split = HX_RANDOM, .max_piece = 200, .delay_ms = 1};
	static const char too_long_then_after[] = TOO_LONG_REPLY "after\n";
	static const char too_long_then_ok[] = TOO_LONG_REPLY "ok\n";
	struct hx_proc *server = start_pool(c, 2, 2, NULL);
	struct hx_buf line;
	struct hx_conn conn, next;

	hx_buf_init(&line);
	if (!server || connect_client(c, &conn, IO_MS) < 0)
		goto out;
	/* limit - 1 and limit: echoed whole */
	hx_long_line(&line, ECHO_LINE_MAX - 1);
	if (hx_expect_echo(c, &conn, line.data, line.len, &pieces, IO_MS,
			   "a line of 1023 bytes") < 0)
		goto out_close;
	hx_long_line(&line, ECHO_LINE_MAX);
	if (hx_expect_echo(c, &conn, line.data, line.len, &pieces, IO_MS,
			   "a line of exactly 1024 bytes") < 0)
		goto out_close;
	/* limit + 1: one error, and the next line is a line again */
	hx_long_line(&line, ECHO_LINE_MAX + 1);
	hx_buf_add(&line, "after\n", 6);
	if (hx_send(c, &conn, line.data, line.len, &pieces) < 0 ||
	    hx_expect_lines(c, &conn, too_long_then_after,
			    sizeof(too_long_then_after) - 1, IO_MS,
			    "a line of 1025 bytes, then \"after\"") < 0)
		goto out_close;
	/* far over: still one error for the whole line */
	hx_long_line(&line, 5000);
	hx_buf_add(&line, "ok\n", 3);
	if (hx_send(c, &conn, line.data, line.len, &pieces) < 0 ||
	    hx_expect_lines(c, &conn, too_long_then_ok,
			    sizeof(too_long_then_ok) - 1, IO_MS,
			    "a line of 5000 bytes, then \"ok\"") < 0)
		goto out_close;
	/* and the server goes on for everyone */
	if (connect_client(c, &next, IO_MS) == 0)
		hx_expect_echo_str(c, &next, "the next client\n", IO_MS,
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
