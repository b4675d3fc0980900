/* 08-port-scan-sockets.c - lab 08: the exact set, descriptors and sockets,
 * range ends, refused and closed ports.
 *
 * Included by grader/checks/08-port-scan.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

static void check_exact_set(struct hx_check *c)
{
	struct target t;
	struct scan_run run = long_scan();

	/* OPEN_PORTS open ports, one in each eighth of the range. */
	target_init(&t, SCAN_HOST);
	t.nopen = OPEN_PORTS;
	pick_ports(c, t.open, OPEN_PORTS, 2, TOP_SCANNED - 1, 512);
	if (open_ports(c, &t) == 0)
		run_scan(c, &t, &run);
	target_close(c, &t);
}

static void check_low_fds(struct hx_check *c)
{
	struct target t;
	struct scan_run run = long_scan();
	int silent;

	/* LOW_SPAN ports, thousands of sockets through 24 or fewer: OPEN_PORTS
	 * open ones spread over them, and LOW_SILENT silent ports side by
	 * side, which hold their sockets for the whole timeout: the scanner
	 * fills every socket it allows itself, and they are counted. */
	target_init(&t, SCAN_HOST);
	run.first = (int)hx_random_between(c, 1, TOP_SCANNED - LOW_SPAN + 1);
	run.last = run.first + LOW_SPAN - 1;
	t.nopen = OPEN_PORTS;
	pick_ports(c, t.open, OPEN_PORTS, run.first + 1, run.last - 1,
		   LOW_MARGIN);
	silent = t.open[3] + (int)hx_random_between(c, 100, 300);
	add_silent_run(&t, silent, LOW_SILENT);
	run.max_files = LOW_FILES;
	run.wait_ms = LOW_SCAN_MS;
	run.timeout_ms = scaled_ms(LOW_FILTER_MS);
	run.min_s = waited_s(run.timeout_ms);
	run.socket_bound = LOW_FILES - DESCRIPTORS_SPARE;
	run.bound_why = "a descriptor limit of 32 (rlim_cur - 8)";
	run.emfile_is_budget = 1;
	if (open_ports(c, &t) == 0 && fill_ports(c, &t) == 0)
		run_scan(c, &t, &run);
	target_close(c, &t);
}

/* MAX_SOCKETS left out: DEFAULT_SILENT silent ports side by side, more
 * than the default lets the scanner hold. */
static void run_default_sockets(struct hx_check *c)
{
	struct target t;
	int port = (int)hx_random_between(c, 2000, 60000 - DEFAULT_SILENT);
	struct scan_run run = short_scan(port, 2);

	target_init(&t, SCAN_HOST);
	add_silent_run(&t, port, DEFAULT_SILENT);
	run.last = port + DEFAULT_SILENT + 1;
	run.timeout_ms = scaled_ms(LOW_FILTER_MS);
	run.min_s = waited_s(run.timeout_ms);
	run.wait_ms = SHORT_MS + 2 * LOW_FILTER_MS;
	run.socket_bound = DEFAULT_SOCKETS;
	run.bound_why = "MAX_SOCKETS left out (256)";
	if (fill_ports(c, &t) == 0)
		run_scan(c, &t, &run);
	target_close(c, &t);
}

static void check_max_sockets(struct hx_check *c)
{
	struct target t;
	int port = (int)hx_random_between(c, 2000, 60000);
	struct scan_run run = short_scan(port, 4);

	/* FEW_SILENT silent ports between two open ones, MAX_SOCKETS 3. */
	target_init(&t, SCAN_HOST);
	t.nopen = 2;
	t.open[0] = port - 3;
	t.open[1] = port + FEW_SILENT + 2;
	add_silent_run(&t, port, FEW_SILENT);
	run.last = port + FEW_SILENT + 4;
	run.timeout_ms = scaled_ms(FEW_FILTER_MS);
	run.max_sockets = FEW_SOCKETS;
	run.min_s = waited_s(run.timeout_ms);
	run.wait_ms = SHORT_MS + 3 * FEW_FILTER_MS;
	run.socket_bound = FEW_SOCKETS;
	run.bound_why = "MAX_SOCKETS 3";
	if (open_ports(c, &t) == 0 && fill_ports(c, &t) == 0 &&
	    run_scan(c, &t, &run) == 0) {
		/* One at a time: MAX_SOCKETS 1, the smallest allowed. */
		run.max_sockets = 1;
		run.socket_bound = 1;
		run.bound_why = "MAX_SOCKETS 1";
		run.first = port - 3;
		run.last = port + 1;
		run_scan(c, &t, &run);
	}
	target_close(c, &t);
	if (hx_ok(c))
		run_default_sockets(c);
}

static void check_range_ends(struct hx_check *c)
{
	struct target t;
	struct scan_run run = long_scan();
	static const int ranges[][2] = {
	    {1, 1}, {1, 2}, {65534, 65535}, {65535, 65535}};

	/* Ports 1, 2, 65534 and 65535 open; port 1 is watched for a second
	 * connection in every scan, which only a counter that went past
	 * 65535 and started over makes. The long scan: the top eighth. */
	target_init(&t, SCAN_HOST);
	t.nopen = 4;
	t.open[0] = 1;
	t.open[1] = 2;
	t.open[2] = 65534;
	t.open[3] = 65535;
	run.first = TOP_EIGHTH;
	run.last = 65535;
	run.watch = &t.listeners[0];
	if (open_ports(c, &t) < 0 || run_scan(c, &t, &run) < 0)
		goto out_close;
	run.wait_ms = SHORT_MS;
	run.timeout_ms = scaled_ms(FILTER_MS);
	for (int i = 0; i < SL_COUNT(ranges); i++) {
		run.first = ranges[i][0];
		run.last = ranges[i][1];
		if (run_scan(c, &t, &run) < 0)
			break;
	}
out_close:
	target_close(c, &t);
}

static void check_refused(struct hx_check *c)
{
	struct target t;
	int port = (int)hx_random_between(c, 2000, 60000);
	struct scan_run run = short_scan(port, 50);

	/* A port that listened a moment ago refuses like all the others. */
	target_init(&t, SCAN_HOST);
	t.nopen = 1;
	t.open[0] = port;
	if (open_ports(c, &t) == 0) {
		hx_close(c, &t.listeners[0]);
		t.nopen = 0;
		run_scan(c, &t, &run);
	}
	target_close(c, &t);
}

/* Accepts every connection to a listener and closes it at once, in a
 * thread, until told to stop through an eventfd. */
struct closer {
	struct hx_check *c;   /* for the transcript */
	struct hx_conn *conn; /* the listener */
	int stop_fd;	      /* eventfd: readable when it must stop */
	int64_t deadline;     /* it stops then in any case */
};

static void *close_at_once(void *arg)
{
	struct closer *k = arg;

	for (;;) {
		struct pollfd pfd[2] = {{.fd = k->conn->fd, .events = POLLIN},
					{.fd = k->stop_fd, .events = POLLIN}};
		int ready = poll(pfd, 2, hx_remaining_ms(k->deadline));
		int fd;

		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0 || pfd[1].revents)
			break;
		fd = accept4(k->conn->fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0) {
			hx_recordf(k->c, k->conn->id,
				   "accepted a connection and closed it");
			close(fd);
		}
	}
	return NULL;
}

static void check_accept_close(struct hx_check *c)
{
	struct target t;
	int port = (int)hx_random_between(c, 2000, 60000);
	struct scan_run run = short_scan(port, 10);
	struct closer k = {.c = c, .stop_fd = -1};
	uint64_t one = 1;
	pthread_t thread;

	target_init(&t, SCAN_HOST);
	t.nopen = 1;
	t.open[0] = port;
	if (open_ports(c, &t) < 0)
		goto out_close;
	k.conn = &t.listeners[0];
	k.stop_fd = eventfd(0, EFD_CLOEXEC);
	k.deadline = hx_deadline(SHORT_MS);
	if (k.stop_fd < 0 || pthread_create(&thread, NULL, close_at_once, &k)) {
		hx_fail(c, HX_ERROR,
			"harness could not start its accepting thread");
		goto out_close;
	}
	run_scan(c, &t, &run);
	if (write(k.stop_fd, &one, sizeof(one)) < 0)
		hx_note(c, "eventfd: %s", strerror(errno));
	pthread_join(thread, NULL);
out_close:
	if (k.stop_fd >= 0)
		close(k.stop_fd);
	target_close(c, &t);
}

static void check_filtered(struct hx_check *c)
{
	struct target t;
	int port = (int)hx_random_between(c, 2000, 60000);
	struct scan_run run = short_scan(port, 5);
	/* TIMEOUT_MS 500, then 1500 (more than a second), then left out:
	 * the default, 1000 (not scaled: it is the scanner's own). */
	const int timeouts[] = {scaled_ms(FILTER_MS), scaled_ms(LONG_FILTER_MS),
				0};

	/* Open ports on both sides: the filtered one answers last, yet it
	 * is reported in its place. */
	target_init(&t, SCAN_HOST);
	t.nopen = 2;
	t.open[0] = port - 2;
	t.open[1] = port + 2;
	t.nfiltered = 1;
	t.filtered[0] = port;
	if (open_ports(c, &t) < 0 || fill_ports(c, &t) < 0)
		goto out_close;
	for (int i = 0; i < SL_COUNT(timeouts); i++) {
		int waited = timeouts[i] ? timeouts[i] : DEFAULT_FILTER_MS;

		run.timeout_ms = timeouts[i];
		run.min_s = waited_s(waited);
		run.wait_ms = SHORT_MS + waited;
		if (run_scan(c, &t, &run) < 0)
			break;
	}
out_close:
	target_close(c, &t);
}
