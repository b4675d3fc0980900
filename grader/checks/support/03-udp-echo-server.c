/* 03-udp-echo-server.c - lab 03: the server.
 *
 * Included by grader/checks/03-udp-echo.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

/* ---- the server ------------------------------------------------------- */

static void check_echo(struct hx_check *c)
{
	static const char text[] = "Hello, UDP server! 1 2 3\n";
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port);
	const struct sockaddr_in *from;
	struct hx_conn peer;

	if (!server || open_peer(c, &peer, 0) < 0)
		return;
	if (expect_echo(c, server, &peer, port, "a short text", text,
			strlen(text)) < 0)
		goto out_close;
	/* A client that checks who answered only takes the reply from the
	 * address and port it sent to. */
	from = (const struct sockaddr_in *)&peer.peer;
	if (from->sin_family != AF_INET ||
	    from->sin_addr.s_addr != htonl(INADDR_LOOPBACK) ||
	    ntohs(from->sin_port) != port) {
		char where[INET6_ADDRSTRLEN + 16];

		address_text(&peer.peer, where, sizeof(where));
		hx_fail(c, HX_FAIL,
			"the reply came from %s, not from the server's own "
			"address and port, 127.0.0.1 port %d",
			where, port);
	}
out_close:
	hx_close(c, &peer);
}

static void check_two_clients(struct hx_check *c)
{
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port);
	struct hx_conn peers[2];

	if (!server || open_peer(c, &peers[0], 0) < 0)
		return;
	if (open_peer(c, &peers[1], 0) < 0)
		goto out_close;
	/* Each round both send before either reads, so the server always
	 * has datagrams from two senders waiting. The texts of one round
	 * have the same length, so only the address tells them apart. */
	for (int round = 1; round <= TWO_CLIENT_ROUNDS && hx_ok(c); round++) {
		char text[2][48], what[2][48];

		for (int i = 0; i < 2 && hx_ok(c); i++) {
			snprintf(text[i], sizeof(text[i]),
				 "client %c, datagram %d", 'A' + i, round);
			snprintf(what[i], sizeof(what[i]),
				 "client %c's datagram %d", 'A' + i, round);
			hx_udp_send(c, &peers[i], "127.0.0.1", port, text[i],
				    strlen(text[i]));
		}
		for (int i = 0; i < 2 && hx_ok(c); i++) {
			char label[96];

			snprintf(label, sizeof(label), "the reply to %s",
				 what[i]);
			if (receive_from(c, &peers[i], server, label, IO_MS) <
			    0)
				break;
			hx_expect_bytes(c, label, text[i], strlen(text[i]),
					peers[i].in.data, peers[i].in.len);
		}
	}
	hx_close(c, &peers[1]);
out_close:
	hx_close(c, &peers[0]);
}

static void check_empty(struct hx_check *c)
{
	static const char after[] = "and a datagram after the empty one";
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port);
	struct hx_conn peer;

	if (!server || open_peer(c, &peer, 0) < 0)
		return;
	if (expect_echo(c, server, &peer, port, "an empty datagram", "", 0) ==
	    0)
		expect_echo(c, server, &peer, port, "the datagram after it",
			    after, strlen(after));
	hx_close(c, &peer);
}

static void check_largest(struct hx_check *c)
{
	static char data[LARGEST_DATAGRAM];

	fill_lines(data, sizeof(data), "the largest datagram over IPv4");
	echo_once_on(c, hx_port(c, 0), "a datagram of 65507 bytes", data,
		     sizeof(data));
}

static void check_binary(struct hx_check *c)
{
	static char data[256 + 8];

	/* A NUL early on, then every byte value once. */
	memcpy(data, "bin\0ary:", 8);
	for (int i = 0; i < 256; i++)
		data[8 + i] = (char)i;
	echo_once_on(c, hx_port(c, 0), "binary bytes", data, sizeof(data));
}

static void check_burst(struct hx_check *c)
{
	/* Longest first: a reply that drags bytes of an earlier, longer
	 * datagram behind it shows at once. */
	static const char *const texts[BURST] = {
	    "the first datagram of five, and the longest one",
	    "the second, shorter",
	    "third",
	    "4",
	    "fifth and last",
	};
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port);
	struct hx_conn peer;

	if (!server || open_peer(c, &peer, 0) < 0)
		return;
	for (int i = 0; i < BURST && hx_ok(c); i++)
		hx_udp_send(c, &peer, "127.0.0.1", port, texts[i],
			    strlen(texts[i]));
	for (int i = 0; i < BURST && hx_ok(c); i++) {
		char what[64];

		snprintf(what, sizeof(what), "the reply to datagram %d of %d",
			 i + 1, BURST);
		if (receive_from(c, &peer, server, what, IO_MS) < 0)
			break;
		hx_expect_bytes(c, what, texts[i], strlen(texts[i]),
				peer.in.data, peer.in.len);
	}
	hx_close(c, &peer);
}

static void check_stop_signal(struct hx_check *c)
{
	hx_expect_server_stops(c, "server", HX_UDP, hx_port(c, 0), NULL,
			       READY_MS);
}

/* The server echoes a few datagrams (of one length: what they are is
 * other checks' business) and is stopped with SIGTERM: whatever it printed
 * on stdout is out by then (exit flushes stdio's buffer), and so is a
 * LeakSanitizer report of memory it never freed. How it stops is
 * stop-signal's business: a server that does not is killed, and its
 * stdout judged all the same. */
static void check_server_stdout(struct hx_check *c)
{
	static const char *const texts[] = {"first", "again", "third"};
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port);
	struct hx_conn peer;
	int64_t deadline;

	if (!server || open_peer(c, &peer, 0) < 0)
		return;
	for (int i = 0; i < SL_COUNT(texts); i++)
		if (expect_echo(c, server, &peer, port, texts[i], texts[i],
				strlen(texts[i])) < 0)
			goto out_close;
	hx_proc_wait_idle(server, STOP_MS);
	server->stopped_by_harness = 1;
	hx_recordf(c, 0, "sent SIGTERM to %s", server->label);
	kill(server->pid, SIGTERM);
	deadline = hx_deadline(STOP_MS);
	while (hx_proc_running(server) && hx_remaining_ms(deadline) > 0)
		hx_proc_pump(server, 10);
	if (hx_proc_running(server))
		hx_proc_kill(server);
	hx_expect_no_stdout(c, server);
out_close:
	hx_close(c, &peer);
}

/* A socket of the harness holds the port (without SO_REUSEADDR, so no
 * option of the server's can share it): bind fails with EADDRINUSE, and
 * the server must say so and exit 2 instead of running deaf. */
static void check_server_busy_port(struct hx_check *c)
{
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *args[] = {port_arg, NULL};
	struct hx_conn holder;
	struct hx_proc *server;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (hx_udp_open(c, &holder, "0.0.0.0", port) < 0)
		return;
	server = hx_start(c, "server", args);
	if (server && hx_proc_expect_exit(c, server, 2, EXIT_MS) == 0 &&
	    hx_expect_contains(c, "server's stderr", "bind",
			       server->err.data) == 0)
		hx_expect_contains(c, "server's stderr",
				   "Address already in use", server->err.data);
	if (!hx_ok(c))
		hx_note(c,
			"a harness socket was bound to 0.0.0.0 port %d before "
			"the server started",
			port);
	hx_close(c, &holder);
}

static void check_server_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},	     {"abc", NULL},
	    {"0", NULL},     {"65536", NULL},
	    {"80x", NULL},   {"-1", NULL},
	    {"+9000", NULL}, {" 9000", NULL},
	    {"", NULL},	     {"9000", "extra", NULL},
	};

	if (hx_expect_usage(c, "server", cases, SL_COUNT(cases), EXIT_MS) < 0)
		return;
	/* The limit itself is a port like any other. Only where the check
	 * owns its network: elsewhere the port may be taken. */
	if (c->isolated)
		echo_once_on(c, HIGHEST_PORT, "a datagram to port 65535",
			     "port 65535", 10);
}
