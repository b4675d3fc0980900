/* 11-thread-pool-pool.c - lab 11: the pool: workers, the bounded queue,
 * idleness and throughput.
 *
 * Included by grader/checks/11-thread-pool.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

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
			if (hx_expect_echo_str(c, &conns[i], line, IO_MS,
					       hx_client_name(i + 1)) < 0)
				goto out_close;
		}
	/* one leaves: its worker serves a fourth at once */
	hx_close(c, &conns[0]);
	if (connect_served(c, &conns[n++], 4, IO_MS) < 0)
		hx_note(c, "client 1 had left, so a worker was free");
out_close:
	if (!hx_ok(c))
		note_server_end(c, server);
	hx_close_all(c, conns, n);
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
	    hx_expect_echo_str(c, &conns[2], "and more from client 3\n", IO_MS,
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
	hx_close_all(c, conns, n);
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
		if (expect_silence(c, server, &conns[i], hx_client_name(i + 1),
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
	hx_close_all(c, conns, n);
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
	hx_close_all(c, conns, n);
out:
	finish(c, server);
}

static void check_pool_size(struct hx_check *c)
{
	struct hx_proc *server = start_pool(c, 5, 3, NULL);
	struct hx_conn conns[8];
	char when[64];
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
	hx_close_all(c, conns, n);
	n = 0;
	/* the first eight are gone (served or closed) before more come */
	hx_proc_wait_idle(server, IO_MS);
	/* clients in a row: nothing is started per client, nothing lingers.
	 * Few enough that a pool which polls its queue once a second (slow,
	 * but the right size) ends well inside the check's deadline. */
	for (int i = 1; i <= IN_A_ROW; i++) {
		struct hx_conn conn;
		int rc = connect_served(c, &conn, i, IO_MS);

		hx_close(c, &conn);
		if (rc < 0)
			goto out;
	}
	snprintf(when, sizeof(when), "after %d clients in a row", IN_A_ROW);
	expect_threads(c, server, 6, when);
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
