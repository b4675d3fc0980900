/* 05-broadcast-discovery.c - lab 05: the harness's side of discovery.
 *
 * Included by grader/checks/05-broadcast.c, after support/05-broadcast-
 * peers.c. Starts the student's discover and judges its answers; plays
 * responders that answer at given times, before and after discover's
 * deadline, from one address and port, and times when discover ends.
 */

static const char *const names[] = {"alpha", "beta", "gamma"};

/* Starts "discover 127.255.255.255 PORT DISCOVER_MS". */
static struct hx_proc *start_discover(struct hx_check *c, int port)
{
	char port_arg[16], timeout_arg[16];
	const char *args[] = {HX_LOOPBACK_BROADCAST, port_arg, timeout_arg,
			      NULL};

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	snprintf(timeout_arg, sizeof(timeout_arg), "%d", DISCOVER_MS);
	return hx_start(c, "discover", args);
}

/* discover must exit 0 after its timeout, with one line per name. */
static void expect_answers(struct hx_check *c, struct hx_proc *discover,
			   int port, int n, int sorted)
{
	char sender[32];
	const char *senders[MAX_PEERS];

	snprintf(sender, sizeof(sender), "127.0.0.1:%d", port);
	for (int i = 0; i < n; i++)
		senders[i] = sender;
	if (hx_proc_expect_exit(c, discover, 0, DISCOVER_MS + IO_MS) == 0)
		expect_lines(c, "stdout of discover", &discover->out,
			     "answer from ", senders, names, n, 0, sorted);
	if (!hx_ok(c))
		hx_note(c, "%d responders on port %d each answered once", n,
			port);
}

/* An answer the harness sends as a responder, at_ms after the question
 * reached it. */
struct timed_answer {
	int at_ms;	  /* when, after the question came */
	const char *name; /* the answer's bytes */
};

/* When p ends, waiting on its pidfd until the time until (on hx_now_ms's
 * clock): the time it ended, or -1 if it still runs then. */
static int64_t wait_end(int pidfd, int64_t until)
{
	for (;;) {
		struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
		int64_t now = hx_now_ms();
		int ready;

		if (pidfd < 0 || now >= until)
			return -1;
		ready = poll(&pfd, 1, (int)(until - now));
		if (ready < 0 && errno == EINTR)
			continue;
		return ready > 0 ? hx_now_ms() : -1;
	}
}

/* Runs discover (timeout_arg: its TIMEOUT_MS, NULL: left out, so
 * timeout_ms is the default) against harness responders that answer at
 * the times given, from the same address and port. An answer that comes
 * after the deadline must not be printed, and discover must end at its
 * deadline: no sooner (it would miss answers), not much later (its wait
 * started again). Times are about time itself: never scaled but the
 * allowance for a slow machine. */
static void run_timed_discover(struct hx_check *c, const char *timeout_arg,
			       int timeout_ms,
			       const struct timed_answer *answers, int n)
{
	int port = hx_port(c, 0);
	char port_arg[16], sender[32];
	const char *args[] = {HX_LOOPBACK_BROADCAST, port_arg, timeout_arg,
			      NULL};
	long most = timeout_ms + (long)(DEADLINE_LATE_MS * hx_timeout_scale());
	const char *senders[MAX_PEERS], *bodies[MAX_PEERS];
	struct hx_conn responders[MAX_PEERS];
	struct hx_proc *discover;
	int64_t asked = 0, ended = -1;
	int opened = 0, pidfd = -1, in_time = 0;
	const char *late = NULL;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	snprintf(sender, sizeof(sender), "127.0.0.1:%d", port);
	for (; opened < n; opened++)
		if (open_shared(c, &responders[opened], "0.0.0.0", port) < 0)
			goto out_close;
	discover = hx_start(c, "discover", args);
	if (!discover)
		goto out_close;
	for (int i = 0; i < n; i++) {
		char what[64];

		snprintf(what, sizeof(what), "the question at responder %d",
			 i + 1);
		if (receive_from(c, &responders[i], discover, what, IO_MS) < 0)
			goto out_close;
		if (i == 0)
			asked = hx_now_ms();
	}
	pidfd = (int)syscall(SYS_pidfd_open, discover->pid, 0);
	for (int i = 0; i < n && hx_ok(c); i++) {
		const struct sockaddr_in *asker =
		    (const struct sockaddr_in *)&responders[i].peer;
		char address[INET_ADDRSTRLEN];

		if (ended < 0)
			ended = wait_end(pidfd, asked + answers[i].at_ms);
		else
			hx_pause((int)(asked + answers[i].at_ms - hx_now_ms()));
		inet_ntop(AF_INET, &asker->sin_addr, address, sizeof(address));
		hx_udp_send(c, &responders[i], address, ntohs(asker->sin_port),
			    answers[i].name, strlen(answers[i].name));
		if (answers[i].at_ms < timeout_ms) {
			senders[in_time] = sender;
			bodies[in_time++] = answers[i].name;
		} else if (!late) {
			late = answers[i].name;
		}
	}
	if (ended < 0)
		ended = wait_end(pidfd, asked + most + IO_MS);
	if (!hx_ok(c) || hx_proc_expect_exit(c, discover, 0, IO_MS) < 0)
		goto out_note;
	if (late && discover->out.data && strstr(discover->out.data, late)) {
		hx_fail(c, HX_FAIL,
			"discover printed the answer \"%s\", which came after "
			"its TIMEOUT_MS of %d ms had passed since the question",
			late, timeout_ms);
		goto out_note;
	}
	if (ended - asked < timeout_ms - DEADLINE_EARLY_MS) {
		hx_fail(c, HX_FAIL,
			"discover ended %ld ms after its question, before its "
			"TIMEOUT_MS of %d ms",
			(long)(ended - asked), timeout_ms);
		goto out_note;
	}
	if (ended - asked > most) {
		hx_fail(c, HX_FAIL,
			"discover ended %ld ms after its question; its "
			"TIMEOUT_MS is %d ms (at most %ld ms passes)",
			(long)(ended - asked), timeout_ms, most);
		goto out_note;
	}
	expect_lines(c, "stdout of discover", &discover->out, "answer from ",
		     senders, bodies, in_time, 0, 0);
out_note:
	if (!hx_ok(c)) {
		hx_note(c,
			"discover was run %s; the responders answered, after "
			"the question:",
			timeout_arg ? "with a TIMEOUT_MS"
				    : "without TIMEOUT_MS "
				      "(its default)");
		for (int i = 0; i < n; i++)
			hx_note(c, "  \"%s\" after %d ms%s", answers[i].name,
				answers[i].at_ms,
				answers[i].at_ms < timeout_ms ? ""
							      : " (too late)");
	}
out_close:
	if (pidfd >= 0)
		close(pidfd);
	while (opened-- > 0)
		hx_close(c, &responders[opened]);
}
