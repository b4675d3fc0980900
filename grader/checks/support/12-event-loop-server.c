/* 12-event-loop-server.c - lab 12: starting the server, its clients, what /proc
 * says of it, and conn.c through its driver.
 *
 * Included by grader/checks/12-event-loop.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

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

/* Once the server has done all it can (asleep), nothing has come back
 * on conn and it is still open. */
static int expect_silence(struct hx_check *c, struct hx_proc *server,
			  struct hx_conn *conn, const char *who,
			  const char *why)
{
	static const struct hx_silence silence = {
	    .idle_ms = IO_MS, .listen_ms = SILENCE_MS, .rule = NULL};

	return hx_expect_silence(c, server, conn, &silence, who, why);
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
	return hx_expect_echo_str(c, conn, line, timeout_ms, hx_client_name(n));
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
