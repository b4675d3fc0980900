/* 11-thread-pool-shutdown.c - lab 11: shutdown, tools and probes.
 *
 * Included by grader/checks/11-thread-pool.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

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
		if (hx_expect_echo_str(c, &conns[i], "a second line\n",
				       TOOL_IO_MS, hx_client_name(i + 1)) < 0)
			goto out_close;
	/* one waits in the queue until client 1 leaves */
	if (connect_waiting(c, &conns[n++], 4) < 0)
		goto out_close;
	hx_close(c, &conns[0]);
	if (expect_first_line(c, &conns[3], 4, TOOL_IO_MS) < 0)
		goto out_close;
	/* a line too long, a client that resets, two that leave */
	hx_long_line(&line, ECHO_LINE_MAX + 10);
	hx_buf_add(&line, "short\n", 6);
	if (hx_send(c, &conns[1], line.data, line.len, NULL) < 0 ||
	    hx_expect_lines(c, &conns[1], TOO_LONG_REPLY "short\n",
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
	hx_close_all(c, conns, n);
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
	static const int stops[] = {SIGINT, SIGTERM, 0};
	struct hx_proc *server = start_pool(c, 2, 2, NULL);
	struct hx_conn conns[6];
	int n = 0;

	/* the workers were born with both blocked; nothing to do: SIGTERM */
	if (server)
		hx_proc_wait_idle(server, IO_MS);
	if (!server ||
	    hx_expect_threads_block(
		c, server, stops,
		"start the workers with both blocked (pthread_sigmask "
		"before pthread_create, the old mask back after), so that "
		"only the main thread runs the handler") < 0 ||
	    hx_proc_signal_exit(c, server, SIGTERM, STOP_MS) < 0)
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
	hx_close_all(c, conns, n);
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
	hx_close_all(c, conns, n);
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
	    hx_expect_echo_str(c, &conn, "the next client\n", IO_MS,
			       "the next client") < 0)
		note_server_end(c, server);
	hx_close(c, &conn);
out:
	finish(c, server);
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
