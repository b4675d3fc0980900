/* 12-event-loop-echo.c - lab 12: the echo, many clients on one thread, and full
 * sockets.
 *
 * Included by grader/checks/12-event-loop.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

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
	if (hx_expect_echo_str(c, &a, "hello, world\n", IO_MS, "client a") <
		0 ||
	    hx_expect_echo_str(c, &b, "hello from b\n", IO_MS, "client b") <
		0 ||
	    hx_expect_echo_str(c, &a, "\n", IO_MS, "client a") < 0 ||
	    hx_expect_echo_str(c, &a, "ends in CR LF\r\n", IO_MS, "client a") <
		0 ||
	    hx_expect_echo(c, &b, binary, sizeof(binary) - 1, NULL, IO_MS,
			   "client b") < 0 ||
	    hx_expect_echo_str(c, &a, "two lines\nin one segment\n", IO_MS,
			       "client a") < 0 ||
	    hx_expect_echo(c, &b, many.data, many.len, NULL, IO_MS,
			   "client b") < 0 ||
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
		if (hx_expect_echo_str(
			c, &fast, "a whole line at once\n", IO_MS,
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

		if (hx_expect_lines(c, &conns[i], line, len, IO_MS,
				    hx_client_name(i + 1)) < 0)
			goto out_close;
	}
	/* random pieces, several lines */
	if (hx_expect_echo(c, &conns[0], lines, sizeof(lines) - 1,
			   &random_pieces, IO_MS,
			   "client 1 (lines in random pieces)") < 0)
		goto out_close;
	/* bytes after the last "\n" at the close are not a line */
	if (connect_client(c, &tail, IO_MS) < 0)
		goto out_close;
	if (hx_send_str(c, &tail, "one\ntwo",
			&(struct hx_plan){.split = HX_BYTES, .delay_ms = 1}) ==
		0 &&
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
	hx_close_all(c, conns, n);
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
		hx_expect_echo_str(c, &conn, "after the crowd\n", IO_MS,
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
	if (hx_expect_echo_str(c, other, line, IO_MS, "client b") == 0)
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
	if (hx_expect_echo_str(c, &b, "b reads its echo\n", IO_MS, "client b") <
		0 ||
	    connect_client(c, &a, IO_MS) < 0)
		goto out_close_b;
	/* a's echo says it was accepted: its descriptor is counted */
	if (hx_expect_echo_str(c, &a, "a reads this one echo\n", IO_MS,
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
	if (hx_expect_echo_str(c, &b, "b is here\n", IO_MS, "client b") < 0)
		goto out_close_b;
	hx_proc_wait_idle(server, IO_MS);
	before = hx_proc_count_fds(server);
	if (connect_client(c, &a, IO_MS) < 0)
		goto out_close_b;
	/* a sends 48000 bytes and reads nothing yet: most of its echo
	 * waits in the server */
	numbered_lines(&lines, 1, SLOW_LINES, SLOW_LINE_BYTES);
	if (hx_send(c, &a, lines.data, lines.len, NULL) < 0 ||
	    hx_expect_echo_str(c, &b, "b is served meanwhile\n", IO_MS,
			       "client b") < 0 ||
	    expect_asleep(c, server,
			  "with 48000 bytes of echo waiting for a client "
			  "that does not read yet") < 0)
		goto out_close_a;
	/* then a reads: every line, in order, none lost */
	if (hx_expect_lines(c, &a, lines.data, lines.len, IO_MS,
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
