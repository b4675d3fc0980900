/* 12-event-loop-limits.c - lab 12: resets, idleness, the descriptor limit,
 * stopping, tools and probes.
 *
 * Included by grader/checks/12-event-loop.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

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
		if (hx_expect_echo_str(c, &other, line, IO_MS, "client 1") <
		    0) {
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
	    hx_expect_lines(c, &skipping, TOO_LONG_REPLY,
			    strlen(TOO_LONG_REPLY), IO_MS,
			    "a client with a line too long") < 0 ||
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
		hx_expect_lines(c, &half, "half a line\n", 12, IO_MS,
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
	return hx_expect_lines(c, conn, line, strlen(line), timeout_ms,
			       hx_client_name(n));
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
		if (expect_silence(c, server, &conns[i], hx_client_name(i + 1),
				   "while the server had no descriptor left: "
				   "it waits in the backlog until a client "
				   "leaves") < 0)
			goto out_close;
	if (hx_expect_echo_str(c, &conns[0], "client 1 is still served\n",
			       IO_MS, "client 1") < 0)
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
	hx_close_all(c, conns, n);
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
	hx_long_line(&line, ECHO_LINE_MAX + 1);
	if (hx_expect_echo_str(c, &a, "one\ntwo\n", TOOL_IO_MS, "client a") <
		0 ||
	    hx_expect_echo_str(c, &b, "one from b\n", TOOL_IO_MS, "client b") <
		0 ||
	    hx_send(c, &a, line.data, line.len, NULL) < 0 ||
	    hx_expect_lines(c, &a, TOO_LONG_REPLY, strlen(TOO_LONG_REPLY),
			    TOOL_IO_MS, "client a") < 0 ||
	    hx_expect_echo_str(c, &a, "three\n", TOOL_IO_MS, "client a") < 0 ||
	    hx_expect_echo_str(c, &b, "two from b\n", TOOL_IO_MS, "client b") <
		0)
		goto out_close;
	hx_close(c, &b);
	/* a client with one line; one with half a line: 0 lines */
	if (connect_client(c, &other, TOOL_IO_MS) < 0)
		goto out_close;
	if (hx_expect_echo_str(c, &other, "just one\n", TOOL_IO_MS,
			       "client c") < 0) {
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
	hx_fail_show(c, NULL, 0, server->log.data ? server->log.data : "",
		     server->log.len);
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
	    hx_expect_echo_str(c, &conn, "the next client\n", IO_MS,
			       "the next client") < 0)
		note_server_end(c, server);
	hx_close(c, &conn);
out:
	finish(c, server);
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
		if (hx_echo_visit(c, server, hx_port(c, 0), i, &echo_rules,
				  IO_MS) < 0) {
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
