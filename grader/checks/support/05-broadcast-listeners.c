/* 05-broadcast-listeners.c - lab 05: the listener's checks.
 *
 * Included by grader/checks/05-broadcast.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

/* ---- listeners -------------------------------------------------------- */

static void check_two_listeners(struct hx_check *c)
{
	int port = hx_port(c, 0);
	char port_arg[16], sender[32];
	const char *args[] = {port_arg, "1"};
	struct hx_proc *listeners[2];
	struct hx_conn harness;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (start_sharing(c, "listener", "listen", args, NULL, 2, port, 2,
			  listeners) < 0 ||
	    open_shared(c, &harness, "127.0.0.1", hx_port(c, 1)) < 0)
		return;
	snprintf(sender, sizeof(sender), "127.0.0.1:%d", hx_port(c, 1));
	if (hx_udp_send(c, &harness, HX_LOOPBACK_BROADCAST, port, MESSAGE,
			strlen(MESSAGE)) == 0)
		for (int i = 0; i < 2; i++)
			if (expect_heard(c, listeners[i], sender, MESSAGE, 0) <
			    0)
				break;
	hx_close(c, &harness);
}

/* Three student listeners and the harness's own on one port hear the
 * student's broadcaster; the harness learns the sender's port. */
static void check_three_listeners(struct hx_check *c)
{
	int port = hx_port(c, 0);
	char port_arg[16], sender[32];
	const char *args[] = {port_arg, "1"};
	struct hx_proc *listeners[3];
	struct hx_conn harness;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (open_shared(c, &harness, "0.0.0.0", port) < 0)
		return;
	if (start_sharing(c, "listener", "listen", args, NULL, 3, port, 4,
			  listeners) < 0 ||
	    !run_broadcaster(c, HX_LOOPBACK_BROADCAST, port, NULL) ||
	    hx_udp_recv(c, &harness, IO_MS) < 0)
		goto out_close;
	sender_text(&harness, sender, sizeof(sender));
	for (int i = 0; i < 3; i++)
		if (expect_heard(c, listeners[i], sender, MESSAGE, 0) < 0)
			goto out_close;
	/* The broadcaster has ended: whatever it sent is queued here. */
	if (hx_udp_try_recv(c, &harness, 0) >= 0)
		hx_fail(c, HX_FAIL,
			"the broadcaster sent more than one datagram, though "
			"it was given no COUNT (its default is 1)");
out_close:
	hx_close(c, &harness);
}

/* The student's broadcaster sends COUNT datagrams of exactly MESSAGE,
 * and two harness listeners on the port each get all of them. */
static void check_broadcast_sends(struct hx_check *c)
{
	int port = hx_port(c, 0);
	char count[8];
	struct hx_conn harness[2];
	struct hx_proc *sender;
	int opened = 0;

	snprintf(count, sizeof(count), "%d", SENDS);
	for (; opened < 2; opened++)
		if (open_shared(c, &harness[opened], "0.0.0.0", port) < 0)
			goto out_close;
	sender = run_broadcaster(c, HX_LOOPBACK_BROADCAST, port, count);
	if (!sender)
		goto out_close;
	for (int i = 0; i < 2 && hx_ok(c); i++)
		for (int n = 1; n <= SENDS && hx_ok(c); n++) {
			char what[64];

			snprintf(what, sizeof(what),
				 "datagram %d of %d at harness listener %d", n,
				 SENDS, i + 1);
			if (hx_udp_recv(c, &harness[i], IO_MS) < 0) {
				hx_note(c, "%s never came", what);
				break;
			}
			hx_expect_bytes(c, what, MESSAGE, strlen(MESSAGE),
					harness[i].in.data, harness[i].in.len);
		}
	if (hx_ok(c) && hx_udp_try_recv(c, &harness[0], 0) >= 0)
		hx_fail(c, HX_FAIL,
			"the broadcaster sent more than COUNT (%d) datagrams",
			SENDS);
	if (hx_ok(c))
		hx_expect_no_stdout(c, sender);
out_close:
	while (opened-- > 0)
		hx_close(c, &harness[opened]);
}

/* 255.255.255.255 over the sandbox's veth: the sender is its address. */
static void check_limited_broadcast(struct hx_check *c)
{
	int port = hx_port(c, 0);
	char port_arg[16], sender[32];
	const char *args[] = {port_arg, "1"};
	struct hx_proc *listener;
	struct hx_conn harness;

	if (hx_netdev_broadcast(c) < 0)
		return;
	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (open_shared(c, &harness, "0.0.0.0", port) < 0)
		return;
	if (start_sharing(c, "listener", "listen", args, NULL, 1, port, 2,
			  &listener) < 0 ||
	    !run_broadcaster(c, HX_LIMITED_BROADCAST, port, NULL) ||
	    hx_udp_recv(c, &harness, IO_MS) < 0)
		goto out_close;
	sender_text(&harness, sender, sizeof(sender));
	if (strncmp(sender, HX_NETDEV_ADDRESS ":",
		    strlen(HX_NETDEV_ADDRESS ":")) != 0)
		hx_fail(c, HX_ERROR,
			"the broadcast came from %s, not from the sandbox's "
			"device address " HX_NETDEV_ADDRESS,
			sender);
	else
		expect_heard(c, listener, sender, MESSAGE, 1);
out_close:
	hx_close(c, &harness);
}

static void check_sender_address(struct hx_check *c)
{
	static const char text[] = "who sent this?";
	int port = hx_port(c, 0);
	char port_arg[16], sender[32];
	const char *args[] = {port_arg, "1"};
	struct hx_proc *listener;
	struct hx_conn harness;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	/* A port whose two bytes differ, so a missing ntohs shows. */
	if (start_sharing(c, "listener", "listen", args, NULL, 1, port, 1,
			  &listener) < 0 ||
	    open_shared(c, &harness, "127.0.0.1", hx_port(c, 1)) < 0)
		return;
	snprintf(sender, sizeof(sender), "127.0.0.1:%d", hx_port(c, 1));
	if (hx_udp_send(c, &harness, HX_LOOPBACK_BROADCAST, port, text,
			strlen(text)) == 0)
		expect_heard(c, listener, sender, text, 1);
	hx_close(c, &harness);
}

/* A long datagram, then a short one (whose line must not carry bytes of
 * the long one), an empty one (a line with nothing after ": "), and the
 * largest (whole, and with no byte written past a buffer: the programs
 * are the AddressSanitizer builds here). */
static void check_lengths(struct hx_check *c)
{
	static char long_text[1200], largest[LARGEST_DATAGRAM + 1];
	static const char short_text[] = "short";
	const char *bodies[] = {long_text, short_text, "", largest};
	int port = hx_port(c, 0);
	char port_arg[16], count_arg[8], sender[32];
	const char *args[] = {port_arg, count_arg};
	const char *senders[] = {sender, sender, sender, sender};
	struct hx_proc *listener;
	struct hx_conn harness;
	size_t used = 0;

	for (int n = 1; used + 24 < sizeof(long_text); n++)
		used +=
		    (size_t)snprintf(long_text + used, sizeof(long_text) - used,
				     "%04d a long datagram. ", n);
	for (size_t i = 0; i < LARGEST_DATAGRAM; i++)
		largest[i] = (char)('a' + i % 26);
	snprintf(port_arg, sizeof(port_arg), "%d", port);
	snprintf(count_arg, sizeof(count_arg), "%d", SL_COUNT(bodies));
	if (start_sharing(c, "listener", "listen", args, NULL, 1, port, 1,
			  &listener) < 0 ||
	    open_shared(c, &harness, "127.0.0.1", hx_port(c, 1)) < 0)
		return;
	snprintf(sender, sizeof(sender), "127.0.0.1:%d", hx_port(c, 1));
	for (int i = 0; i < SL_COUNT(bodies) && hx_ok(c); i++)
		hx_udp_send(c, &harness, HX_LOOPBACK_BROADCAST, port, bodies[i],
			    strlen(bodies[i]));
	if (hx_ok(c) && hx_proc_expect_exit(c, listener, 0, IO_MS) == 0)
		expect_lines(c, "stdout of listen PORT 4", &listener->out,
			     "from ", senders, bodies, SL_COUNT(bodies), 0, 0);
	hx_close(c, &harness);
}

/* Without COUNT, the listener prints each datagram as it comes (the
 * grader reads its line while it runs) and runs on until SIGTERM, or
 * SIGINT, then exits 0. */
static void check_listen_forever(struct hx_check *c)
{
	static const int signals[] = {SIGTERM, SIGINT};
	static const int datagrams[] = {3, 1};
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *args[] = {port_arg, NULL};
	struct hx_conn harness;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (open_shared(c, &harness, "127.0.0.1", hx_port(c, 1)) < 0)
		return;
	for (int run = 0; run < SL_COUNT(signals) && hx_ok(c); run++) {
		struct hx_proc *listener;

		if (start_sharing(c, "listener", "listen", args, NULL, 1, port,
				  1, &listener) < 0)
			break;
		for (int i = 1; i <= datagrams[run] && hx_ok(c); i++) {
			char text[48], needle[64];
			int64_t sent;

			snprintf(text, sizeof(text), "datagram %d of %d", i,
				 datagrams[run]);
			snprintf(needle, sizeof(needle), ": %s\n", text);
			sent = hx_now_ms() - c->started_ms;
			if (hx_udp_send(c, &harness, HX_LOOPBACK_BROADCAST,
					port, text, strlen(text)) < 0 ||
			    expect_line_soon(c, listener, needle, sent) < 0)
				hx_note(c,
					"listener %d was started as \"listen "
					"%d\", without COUNT: it prints a line "
					"for each datagram and runs until a "
					"signal",
					run + 1, port);
		}
		if (hx_ok(c))
			hx_proc_signal_exit(c, listener, signals[run], IO_MS);
	}
	hx_close(c, &harness);
}
