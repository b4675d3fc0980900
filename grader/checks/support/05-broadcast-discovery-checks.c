/* 05-broadcast-discovery-checks.c - lab 05: the discovery's checks.
 *
 * Included by grader/checks/05-broadcast.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

/* ---- discovery -------------------------------------------------------- */

/* The harness plays three responders; the student's discover must list
 * each answer once. */
static void check_discover_harness(struct hx_check *c)
{
	enum { RESPONDERS = 3 };
	int port = hx_port(c, 0);
	struct hx_conn responders[RESPONDERS];
	struct hx_proc *discover;
	int opened = 0;

	for (; opened < RESPONDERS; opened++)
		if (open_shared(c, &responders[opened], "0.0.0.0", port) < 0)
			goto out_close;
	discover = start_discover(c, port);
	if (!discover)
		goto out_close;
	for (int i = 0; i < RESPONDERS && hx_ok(c); i++) {
		char what[64];

		snprintf(what, sizeof(what), "the question at responder %d",
			 i + 1);
		if (receive_from(c, &responders[i], discover, what, IO_MS) <
			0 ||
		    hx_expect_bytes(c, what, QUESTION, strlen(QUESTION),
				    responders[i].in.data,
				    responders[i].in.len) < 0)
			goto out_close;
	}
	/* All answer only now, so discover is sure to hear them all while
	 * it waits. */
	for (int i = 0; i < RESPONDERS && hx_ok(c); i++) {
		const struct sockaddr_in *asker =
		    (const struct sockaddr_in *)&responders[i].peer;
		char address[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &asker->sin_addr, address, sizeof(address));
		hx_udp_send(c, &responders[i], address, ntohs(asker->sin_port),
			    names[i], strlen(names[i]));
	}
	if (hx_ok(c))
		expect_answers(c, discover, port, RESPONDERS, 0);
	/* discover has ended, so any second question is already queued. */
	for (int i = 0; i < RESPONDERS && hx_ok(c); i++) {
		struct pollfd pfd = {.fd = responders[i].fd, .events = POLLIN};

		if (poll(&pfd, 1, 0) == 1 &&
		    hx_udp_recv(c, &responders[i], 0) >= 0)
			hx_fail(c, HX_FAIL,
				"responder %d got a second datagram from "
				"discover: the question must be sent once, or "
				"every responder answers it twice",
				i + 1);
	}
out_close:
	while (opened-- > 0)
		hx_close(c, &responders[opened]);
}

/* Discovery end to end: the student's responders and discover. */
static void check_discover_responders(struct hx_check *c, int n)
{
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *args[] = {port_arg, NULL};
	struct hx_proc *responders[MAX_PEERS], *discover;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (start_sharing(c, "responder", "responder", args, names, n, port, n,
			  responders) < 0)
		return;
	discover = start_discover(c, port);
	if (discover)
		expect_answers(c, discover, port, n, 1);
}

static void check_discover_two(struct hx_check *c)
{
	check_discover_responders(c, 2);
}

static void check_discover_three(struct hx_check *c)
{
	check_discover_responders(c, 3);
}

/* Two askers on their own addresses ask in turn; each must get the answer
 * itself, while a bystander bound to every address on the askers' port
 * must get nothing: a broadcast answer would reach it, not the askers. */
static void check_responder_direct(struct hx_check *c)
{
	static const char *const askers[] = {"127.0.0.2", "127.0.0.3"};
	int port = hx_port(c, 0), asker_port = hx_port(c, 1);
	char port_arg[16];
	const char *args[] = {port_arg, "alpha"};
	struct hx_conn bystander, asker[2];
	struct hx_proc *responder;
	int opened = 0;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (start_sharing(c, "responder", "responder", args, NULL, 1, port, 1,
			  &responder) < 0 ||
	    open_shared(c, &bystander, "0.0.0.0", asker_port) < 0)
		return;
	for (; opened < 2; opened++)
		if (open_shared(c, &asker[opened], askers[opened], asker_port) <
		    0)
			goto out_close;
	for (int i = 0; i < 2 && hx_ok(c); i++) {
		struct pollfd pfd[2] = {{.fd = asker[i].fd, .events = POLLIN},
					{.fd = bystander.fd, .events = POLLIN}};
		char what[64], from[32], want_from[32];
		int64_t deadline = hx_deadline(IO_MS);
		int ready;

		snprintf(what, sizeof(what), "the answer to %s port %d",
			 askers[i], asker_port);
		if (hx_udp_send(c, &asker[i], HX_LOOPBACK_BROADCAST, port,
				QUESTION, strlen(QUESTION)) < 0)
			break;
		do
			ready = poll(pfd, 2, hx_remaining_ms(deadline));
		while (ready < 0 && errno == EINTR);
		if (pfd[1].revents & POLLIN) {
			hx_udp_recv(c, &bystander, 0);
			sender_text(&bystander, from, sizeof(from));
			hx_fail(c, HX_FAIL,
				"%s was broadcast: a socket bound to 0.0.0.0 "
				"port %d that asked nothing got it (from %s), "
				"and the asker, bound to %s, did not",
				what, asker_port, from, askers[i]);
			break;
		}
		if (!(pfd[0].revents & POLLIN)) {
			if (!hx_proc_running(responder))
				fail_ended(c, responder, what);
			else
				hx_fail(c, HX_TIMEOUT,
					"%s did not come within %.1f s", what,
					IO_MS / 1000.0);
			break;
		}
		if (hx_udp_recv(c, &asker[i], 0) < 0 ||
		    hx_expect_bytes(c, what, "alpha", 5, asker[i].in.data,
				    asker[i].in.len) < 0)
			break;
		sender_text(&asker[i], from, sizeof(from));
		snprintf(want_from, sizeof(want_from), "127.0.0.1:%d", port);
		hx_expect_str(c, "the sender of the answer", want_from, from);
	}
out_close:
	while (opened-- > 0)
		hx_close(c, &asker[opened]);
	hx_close(c, &bystander);
}

/* TIMEOUT_MS 1200 (more than a second): two answers in time, the second
 * after a long pause, and one after the deadline, from the same address
 * and port as the others. */
static void check_discover_deadline(struct hx_check *c)
{
	static const struct timed_answer answers[] = {
	    {.at_ms = 0, .name = "alpha"},
	    {.at_ms = 900, .name = "beta"},
	    {.at_ms = 2000, .name = "gamma"},
	};

	run_timed_discover(c, "1200", 1200, answers, SL_COUNT(answers));
}

/* TIMEOUT_MS left out: 1000 ms. */
static void check_discover_default(struct hx_check *c)
{
	static const struct timed_answer answers[] = {
	    {.at_ms = 700, .name = "alpha"},
	    {.at_ms = 1500, .name = "beta"},
	};

	run_timed_discover(c, NULL, 1000, answers, SL_COUNT(answers));
}

/* Datagrams that resemble the question get no answer; the question
 * itself, after them, gets exactly one. Each is sent alone, and judged
 * once the responder sleeps again (it has dealt with it). */
static void check_responder_question(struct hx_check *c)
{
	static const struct {
		const char *bytes; /* the datagram */
		size_t len;	   /* its length */
		const char *what;  /* in feedback */
	} lookalikes[] = {
	    {"DISCOVERY", 9, "\"DISCOVERY\" (9 bytes, the question first)"},
	    {"DISCOVE", 7, "\"DISCOVE\" (7 bytes, the question cut short)"},
	    {"discover", 8, "\"discover\" (lowercase)"},
	    {"DISCOVER\n", 9, "\"DISCOVER\\n\" (with a newline)"},
	    {"DISCOVER\0", 9, "\"DISCOVER\\0\" (with a NUL byte)"},
	    {"", 0, "an empty datagram"},
	};
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *args[] = {port_arg, "alpha"};
	struct hx_proc *responder;
	struct hx_conn asker;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (start_sharing(c, "responder", "responder", args, NULL, 1, port, 1,
			  &responder) < 0 ||
	    open_shared(c, &asker, "0.0.0.0", hx_port(c, 1)) < 0)
		return;
	for (int i = 0; i < SL_COUNT(lookalikes) && hx_ok(c); i++) {
		if (hx_udp_send(c, &asker, "127.0.0.1", port,
				lookalikes[i].bytes, lookalikes[i].len) < 0)
			break;
		hx_proc_wait_idle(responder, IO_MS);
		if (hx_udp_try_recv(c, &asker, 0) >= 0)
			hx_fail(c, HX_FAIL,
				"the responder answered %s: only the 8 bytes "
				"DISCOVER are the question",
				lookalikes[i].what);
		else if (!hx_proc_running(responder))
			fail_ended(c, responder, "the next datagram");
	}
	if (hx_ok(c) &&
	    hx_udp_send(c, &asker, "127.0.0.1", port, QUESTION,
			strlen(QUESTION)) == 0 &&
	    receive_from(c, &asker, responder, "the answer to DISCOVER",
			 IO_MS) >= 0 &&
	    hx_expect_bytes(c, "the answer to DISCOVER", "alpha", 5,
			    asker.in.data, asker.in.len) == 0) {
		hx_proc_wait_idle(responder, IO_MS);
		if (hx_udp_try_recv(c, &asker, 0) >= 0)
			hx_fail(c, HX_FAIL,
				"the responder answered DISCOVER twice");
	}
	hx_close(c, &asker);
}

/* The responder answers a question, then exits 0 on SIGTERM (and, once
 * more, on SIGINT), having printed nothing on stdout. */
static void check_responder_stops(struct hx_check *c)
{
	static const int signals[] = {SIGTERM, SIGINT};
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *args[] = {port_arg, "alpha"};
	struct hx_conn asker;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (open_shared(c, &asker, "0.0.0.0", hx_port(c, 1)) < 0)
		return;
	for (int run = 0; run < SL_COUNT(signals) && hx_ok(c); run++) {
		struct hx_proc *responder;

		if (start_sharing(c, "responder", "responder", args, NULL, 1,
				  port, 1, &responder) < 0 ||
		    hx_udp_send(c, &asker, "127.0.0.1", port, QUESTION,
				strlen(QUESTION)) < 0 ||
		    receive_from(c, &asker, responder, "the answer to DISCOVER",
				 IO_MS) < 0 ||
		    hx_proc_signal_exit(c, responder, signals[run], IO_MS) < 0)
			break;
		hx_expect_no_stdout(c, responder);
	}
	hx_close(c, &asker);
}

/* The calls a refused broadcast may be reported from: sendto, or, for a
 * socket connected to the broadcast address, connect (which checks the
 * permission and the route at once), send or write. */
static const char *const refusing_calls[] = {"sendto", "connect", "send",
					     "write"};

/* Runs program, which must exit 2 with a message naming the failing
 * call, the address it was given and the reason (strerror's text). */
static int expect_refused(struct hx_check *c, const char *program,
			  const char *const *args, const char *reason)
{
	struct hx_proc *p = hx_start(c, program, args);
	const char *err;
	char what[48];

	if (!p || hx_proc_expect_exit(c, p, 2, DISCOVER_MS + IO_MS) < 0)
		return -1;
	err = p->err.data ? p->err.data : "";
	snprintf(what, sizeof(what), "stderr of %s", program);
	if (hx_expect_contains(c, what, reason, err) < 0 ||
	    hx_expect_contains(c, what, args[0], err) < 0)
		return -1;
	for (int i = 0; i < SL_COUNT(refusing_calls); i++)
		if (strstr(err, refusing_calls[i]))
			return 0;
	return hx_fail(c, HX_FAIL,
		       "%s says why and where, but not which call failed: name "
		       "it (sendto, or connect, send or write)",
		       what);
}

/* Without a route for 255.255.255.255 (a sandbox with loopback only),
 * sendto fails with ENETUNREACH; then, with SO_BROADCAST made to do
 * nothing, every broadcast fails with EACCES. */
static void check_forgot_flag(struct hx_check *c)
{
	char port_arg[16], timeout_arg[16];
	const char *unreachable_args[] = {HX_LIMITED_BROADCAST, port_arg,
					  MESSAGE, NULL};
	const char *broadcast_args[] = {HX_LOOPBACK_BROADCAST, port_arg,
					MESSAGE, NULL};
	const char *discover_args[] = {HX_LOOPBACK_BROADCAST, port_arg,
				       timeout_arg, NULL};

	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	snprintf(timeout_arg, sizeof(timeout_arg), "%d", DISCOVER_MS);
	/* Only where the sandbox owns its network: elsewhere this machine
	 * may have a route, and the broadcast would really go out. */
	if (c->isolated && expect_refused(c, "broadcast", unreachable_args,
					  "Network is unreachable") < 0) {
		hx_note(c, "this sandbox has no network device but loopback, "
			   "so nothing can be sent to 255.255.255.255");
		return;
	}
	if (pretend_broadcast_forgotten(c) < 0)
		return;
	if (expect_refused(c, "broadcast", broadcast_args,
			   "Permission denied") == 0)
		expect_refused(c, "discover", discover_args,
			       "Permission denied");
	if (!hx_ok(c))
		hx_note(c, "the harness made setsockopt(SO_BROADCAST) do "
			   "nothing, so that a broadcast fails with EACCES");
}

/* A harness socket holds the port without SO_REUSEADDR, so the student's
 * bind fails however it is set up: the program must say so, exit 2. */
static int expect_busy(struct hx_check *c, const char *program,
		       const char *const *args)
{
	struct hx_proc *p = hx_start(c, program, args);
	char what[48];

	snprintf(what, sizeof(what), "stderr of %s", program);
	if (!p || hx_proc_expect_exit(c, p, 2, EXIT_MS) < 0 ||
	    hx_expect_contains(c, what, "bind", p->err.data) < 0 ||
	    hx_expect_contains(c, what, "Address already in use", p->err.data) <
		0)
		return -1;
	return 0;
}

static void check_busy_port(struct hx_check *c)
{
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *listen_args[] = {port_arg, "1", NULL};
	const char *responder_args[] = {port_arg, "alpha", NULL};
	struct hx_conn holder;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (hx_udp_open(c, &holder, "0.0.0.0", port) < 0)
		return;
	if (expect_busy(c, "listen", listen_args) == 0)
		expect_busy(c, "responder", responder_args);
	if (!hx_ok(c))
		hx_note(c,
			"a harness socket without SO_REUSEADDR held 0.0.0.0 "
			"port %d",
			port);
	hx_close(c, &holder);
}

/* The unknown host is named with getaddrinfo's own text. */
static void check_unknown_host(struct hx_check *c)
{
	char port_arg[16], timeout_arg[16];
	const char *broadcast_args[] = {UNKNOWN_HOST, port_arg, MESSAGE, NULL};
	const char *discover_args[] = {UNKNOWN_HOST, port_arg, timeout_arg,
				       NULL};
	const char *const *runs[] = {broadcast_args, discover_args};
	const char *programs[] = {"broadcast", "discover"};

	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	snprintf(timeout_arg, sizeof(timeout_arg), "%d", DISCOVER_MS);
	for (int i = 0; i < 2 && hx_ok(c); i++) {
		struct hx_proc *p = hx_start(c, programs[i], runs[i]);
		char what[48];

		snprintf(what, sizeof(what), "stderr of %s", programs[i]);
		if (p && hx_proc_expect_exit(c, p, 2, RESOLVE_MS) == 0)
			hx_expect_contains(c, what, UNKNOWN_HOST, p->err.data);
	}
}
