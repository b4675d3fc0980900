/* 08-port-scan-scans.c - lab 08: the targets a scan meets, and one run of the
 * scanner, watched and judged.
 *
 * Included by grader/checks/08-port-scan.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

/* What the checks open on the scanned host. */
struct target {
	const char *host;		    /* where they listen */
	int open[MAX_OPEN];		    /* listening ports, ascending */
	int nopen;			    /* entries in open */
	int filtered[MAX_SILENT];	    /* ports with a full accept queue */
	int nfiltered;			    /* entries in filtered */
	struct hx_conn listeners[MAX_OPEN]; /* the open ports' sockets */
	int full_fds[MAX_SILENT];   /* the full ports' listening sockets */
	int filler_fds[MAX_SILENT]; /* the connections that fill them */
};

/* How one run of the scanner is started and judged. */
struct scan_run {
	const char *host;      /* HOST */
	int first, last;       /* FIRST and LAST */
	int timeout_ms;	       /* TIMEOUT_MS; 0: left out (the default) */
	int max_sockets;       /* MAX_SOCKETS; 0: left out (the default) */
	int max_files;	       /* RLIMIT_NOFILE; 0: the harness's default */
	int wait_ms;	       /* how long the scan may take (scaled) */
	double min_s;	       /* the least time the summary may show */
	int socket_bound;      /* the most sockets it may hold at once, counted
				  while it runs; 0: not counted */
	const char *bound_why; /* where socket_bound comes from */
	struct hx_conn *watch; /* a listener on port 1: a connection to it
				  beyond what the range explains means the
				  port counter started over; NULL: none */
	int emfile_is_budget;  /* 1: EMFILE here means too many sockets in
				  flight, not sockets left open */
	int any_report;	       /* 1: only the summary is judged (a run about
				  the arguments, not the ports) */
};

static void target_init(struct target *t, const char *host)
{
	memset(t, 0, sizeof(*t));
	t->host = host;
	for (int i = 0; i < MAX_OPEN; i++)
		t->listeners[i].fd = -1;
	for (int i = 0; i < MAX_SILENT; i++) {
		t->full_fds[i] = -1;
		t->filler_fds[i] = -1;
	}
}

static void target_close(struct hx_check *c, struct target *t)
{
	for (int i = 0; i < t->nopen; i++)
		hx_close(c, &t->listeners[i]);
	for (int i = 0; i < t->nfiltered; i++) {
		if (t->filler_fds[i] >= 0)
			close(t->filler_fds[i]);
		if (t->full_fds[i] >= 0)
			close(t->full_fds[i]);
	}
}

/* Picks n distinct ports from the seed, one in each of n equal slices of
 * low..high, at least margin away from each slice's ends, ascending. */
static void pick_ports(struct hx_check *c, int *ports, int n, int low, int high,
		       int margin)
{
	int slice = (high - low + 1) / n;

	for (int i = 0; i < n; i++) {
		int start = low + i * slice;

		ports[i] = (int)hx_random_between(c, start + margin,
						  start + slice - 1 - margin);
	}
}

/* Listens on every port in t->open. */
static int open_ports(struct hx_check *c, struct target *t)
{
	for (int i = 0; i < t->nopen; i++)
		if (hx_tcp_listen(c, &t->listeners[i], t->host, t->open[i]) < 0)
			return -1;
	return 0;
}

/* Waits until fd is ready for events, under deadline; 1 ready, 0 not. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd pfd = {.fd = fd, .events = events};
	int n;

	do
		n = poll(&pfd, 1, hx_remaining_ms(deadline));
	while (n < 0 && errno == EINTR);
	return n > 0;
}

/* The address host:port (numeric IPv4 or IPv6) in addr; its length. */
static socklen_t make_addr(const char *host, int port,
			   struct sockaddr_storage *addr)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)addr;

	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		return sizeof(*v4);
	}
	inet_pton(AF_INET6, host, &v6->sin6_addr);
	v6->sin6_family = AF_INET6;
	v6->sin6_port = htons((uint16_t)port);
	return sizeof(*v6);
}

/* Makes port i of t->filtered a port whose connects are never answered:
 * a listening socket with backlog 0 holds one connection in its accept
 * queue; the harness makes that connection and never accepts it, so the
 * kernel drops every further SYN. The harness library's listeners have a
 * backlog of their own, hence the plain socket calls here. */
static int fill_port(struct hx_check *c, struct target *t, int i)
{
	struct sockaddr_storage addr;
	socklen_t len = make_addr(t->host, t->filtered[i], &addr);
	int port = t->filtered[i], one = 1, fd;
	int64_t deadline = hx_deadline(IO_MS);

	fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return hx_fail(c, HX_ERROR, "socket: %s", strerror(errno));
	t->full_fds[i] = fd;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&addr, len) < 0 || listen(fd, 0) < 0)
		return hx_fail(c, HX_ERROR,
			       "harness could not listen on %s port %d: %s",
			       t->host, port, strerror(errno));
	fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return hx_fail(c, HX_ERROR, "socket: %s", strerror(errno));
	t->filler_fds[i] = fd;
	if (connect(fd, (struct sockaddr *)&addr, len) < 0 &&
	    errno != EINPROGRESS)
		return hx_fail(c, HX_ERROR, "connect to port %d: %s", port,
			       strerror(errno));
	/* The listener is readable once the connection is in its queue. */
	if (!wait_fd(t->full_fds[i], POLLIN, deadline))
		return hx_fail(c, HX_ERROR,
			       "harness could not fill the accept queue of "
			       "port %d within %.1f s",
			       port, IO_MS / 1000.0);
	return 0;
}

/* Fills every port of t->filtered; one transcript line for them all. */
static int fill_ports(struct hx_check *c, struct target *t)
{
	for (int i = 0; i < t->nfiltered; i++)
		if (fill_port(c, t, i) < 0)
			return -1;
	if (t->nfiltered == 1)
		hx_recordf(c, 0,
			   "%s port %d: listening with backlog 0 and a full "
			   "accept queue: connects there are never answered",
			   t->host, t->filtered[0]);
	else if (t->nfiltered > 1)
		hx_recordf(c, 0,
			   "%s: %d ports from %d to %d listen with backlog 0 "
			   "and a full accept queue: connects there are never "
			   "answered",
			   t->host, t->nfiltered, t->filtered[0],
			   t->filtered[t->nfiltered - 1]);
	return 0;
}

/* Makes count ports from first on silent, after those already in t. */
static void add_silent_run(struct target *t, int first, int count)
{
	for (int i = 0; i < count && t->nfiltered < MAX_SILENT; i++)
		t->filtered[t->nfiltered++] = first + i;
}

/* The report a correct scanner prints before its summary line: open and
 * filtered ports of t between first and last, in ascending order. */
/* 1 when a listening socket of /proc/net/tcp or tcp6 (local address
 * hex as the kernel writes it) takes connections to host: bound to host
 * itself or to any address of its family (a dual-stack :: takes IPv4
 * too). */
static int listens_for(const char *local, int v6_table, const char *host)
{
	int v6_host = strchr(host, ':') != NULL;
	char want[40] = "";

	if (v6_table) {
		if (strcmp(local, "00000000000000000000000000000000") == 0)
			return 1;
		if (v6_host && strcmp(host, "::1") == 0)
			snprintf(want, sizeof(want), "%s",
				 "00000000000000000000000001000000");
	} else if (!v6_host) {
		struct in_addr a;

		if (strcmp(local, "00000000") == 0)
			return 1;
		if (inet_pton(AF_INET, host, &a) == 1)
			snprintf(want, sizeof(want), "%08X", a.s_addr);
	}
	return want[0] && strcmp(local, want) == 0;
}

/* 1 when port is one of t's own, open or silent. */
static int targets(int port, const struct target *t)
{
	for (int i = 0; i < t->nopen; i++)
		if (t->open[i] == port)
			return 1;
	for (int i = 0; i < t->nfiltered; i++)
		if (t->filtered[i] == port)
			return 1;
	return 0;
}

/* Sorts ports[0..n) ascending and drops repeats; how many are left
 * (insertion sort: a machine listens on few ports). */
static int sort_unique(int *ports, int n)
{
	int kept = 0;

	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && ports[j - 1] > ports[j]; j--) {
			int swap = ports[j];

			ports[j] = ports[j - 1];
			ports[j - 1] = swap;
		}
	for (int i = 0; i < n; i++)
		if (kept == 0 || ports[kept - 1] != ports[i])
			ports[kept++] = ports[i];
	return kept;
}

/* Without a network namespace of its own the check scans the machine's
 * loopback: a port some program of the machine listens on (sshd's 22)
 * answers too, and is expected open. Reads the listening sockets that
 * take connections to t's host, other than t's own, into open[]
 * (ascending, at most max); their count. */
static int machine_listeners(const struct target *t, int *open, int max)
{
	static const char *const tables[] = {"/proc/net/tcp", "/proc/net/tcp6"};
	int n = 0;

	for (int i = 0; i < 2; i++) {
		FILE *f = fopen(tables[i], "re");
		char line[512], local[40];
		unsigned port, state;

		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line,
				   " %*d: %39[0-9A-F]:%x %*[0-9A-F]:%*x %x",
				   local, &port, &state) == 3 &&
			    state == 0x0A && listens_for(local, i, t->host) &&
			    !targets((int)port, t) && n < max)
				open[n++] = (int)port;
		fclose(f);
	}
	return sort_unique(open, n);
}

/* The report a correct scanner prints for t from first to last, with
 * the ports in machine[] (nmachine of them, ascending) open too. */
static void expected_report(const struct target *t, const int *machine,
			    int nmachine, int first, int last,
			    struct hx_buf *out)
{
	int o = 0, f = 0, m = 0;

	while (o < t->nopen || f < t->nfiltered || m < nmachine) {
		int next_open = o < t->nopen ? t->open[o] : 65536;
		int next_filtered = f < t->nfiltered ? t->filtered[f] : 65536;
		int next_machine = m < nmachine ? machine[m] : 65536;
		int port =
		    next_open < next_filtered ? next_open : next_filtered;
		const char *word = port == next_open ? "open" : "filtered";

		if (next_machine <= port) {
			/* the check's own listener there would have failed */
			port = next_machine;
			word = "open";
			m++;
			o += port == next_open;
		} else if (port == next_open) {
			o++;
		} else {
			f++;
		}
		if (port >= first && port <= last)
			hx_buf_addf(out, "%s %d\n", word, port);
	}
}

/* Checks the summary line: its exact shape, N, and a time between min_s
 * and what the harness measured (wall_ms) plus a little. */
static int expect_summary(struct hx_check *c, const char *line, long nports,
			  double min_s, int64_t wall_ms)
{
	char prefix[80], shape[96];
	const char *p;
	double seconds;

	snprintf(prefix, sizeof(prefix), SUMMARY_START "%ld ports in ", nports);
	snprintf(shape, sizeof(shape), "%sS.SSS s\n", prefix);
	p = line + strlen(prefix);
	if (strncmp(line, prefix, strlen(prefix)) != 0)
		return hx_expect_str(c, "summary line", shape, line);
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == line + strlen(prefix) || p[0] != '.' || p[1] < '0' ||
	    p[1] > '9' || p[2] < '0' || p[2] > '9' || p[3] < '0' ||
	    p[3] > '9' || strcmp(p + 4, " s\n") != 0)
		return hx_expect_str(c, "summary line", shape, line);
	seconds = strtod(line + strlen(prefix), NULL);
	if (seconds > wall_ms / 1000.0 + 0.1)
		return hx_fail(c, HX_FAIL,
			       "the summary says the scan took %.3f s, but it "
			       "ran for %.3f s",
			       seconds, wall_ms / 1000.0);
	if (seconds < min_s)
		return hx_fail(c, HX_FAIL,
			       "the summary says the scan took %.3f s, less "
			       "than the %.3f s a filtered port must be "
			       "waited for",
			       seconds, min_s);
	return 0;
}

/* Accepts, without waiting, every connection queued on the watched
 * listener; returns how many. */
static int accept_queued(struct hx_conn *listener)
{
	int n = 0;

	for (;;) {
		int fd = accept4(listener->fd, NULL, NULL, SOCK_CLOEXEC);

		if (fd >= 0)
			close(fd);
		else if (errno != ECONNABORTED && errno != EINTR)
			return n;
		n++;
	}
}

/* Starts the scanner for run; returns it, or NULL after a failure. */
static struct hx_proc *start_scan(struct hx_check *c,
				  const struct scan_run *run)
{
	char first[16], last[16], timeout[16], sockets[16], label[128];
	const char *args[6] = {run->host, first, last};
	struct hx_spawn spawn = {.label = label,
				 .program = "scan",
				 .args = args,
				 .max_files = run->max_files};
	int n = 3, used;

	snprintf(first, sizeof(first), "%d", run->first);
	snprintf(last, sizeof(last), "%d", run->last);
	snprintf(timeout, sizeof(timeout), "%d",
		 run->timeout_ms ? run->timeout_ms : DEFAULT_FILTER_MS);
	snprintf(sockets, sizeof(sockets), "%d", run->max_sockets);
	/* MAX_SOCKETS alone cannot be given: TIMEOUT_MS comes first. */
	if (run->timeout_ms || run->max_sockets)
		args[n++] = timeout;
	if (run->max_sockets)
		args[n++] = sockets;
	used = snprintf(label, sizeof(label), "scan");
	for (int i = 0; i < n; i++)
		used += snprintf(label + used, sizeof(label) - (size_t)used,
				 " %s", args[i]);
	if (run->max_files)
		snprintf(label + used, sizeof(label) - (size_t)used,
			 " (%d descriptors)", run->max_files);
	return hx_start_with(c, &spawn);
}

/* Fails the check as a scan that went round: it tried port 1 again. */
static int fail_wrapped(struct hx_check *c, struct hx_proc *scan, int hits,
			int allowed)
{
	hx_proc_kill(scan);
	return hx_fail(c, HX_FAIL,
		       "%s connected to port 1 %d times though the range "
		       "holds it %d time(s): after 65535 its port counter "
		       "started over (a uint16_t goes from 65535 to 0), so "
		       "`port <= 65535` never becomes false and the scan "
		       "never ends; it was stopped",
		       scan->label, hits, allowed);
}

/* Watches the scan until it exits (or run->wait_ms passes): counts its
 * sockets and the connections to the watched listener as it goes. 0 once
 * it has exited; -1 after a failure. */
static int watch_scan(struct hx_check *c, struct hx_proc *scan,
		      const struct scan_run *run, int *most_sockets)
{
	int64_t deadline = hx_deadline(run->wait_ms);
	int allowed = run->first <= 1 && run->last >= 1;
	int hits = 0;

	*most_sockets = 0;
	while (hx_proc_running(scan)) {
		if (hx_remaining_ms(deadline) == 0) {
			scan->timed_out = 1;
			hx_proc_kill(scan);
			return hx_fail(c, HX_TIMEOUT,
				       "%s did not exit within %.1f s",
				       scan->label, run->wait_ms / 1000.0);
		}
		if (run->socket_bound) {
			int n = hx_proc_count_sockets(scan);

			if (n > *most_sockets)
				*most_sockets = n;
		}
		if (run->watch) {
			hits += accept_queued(run->watch);
			if (hits > allowed)
				return fail_wrapped(c, scan, hits, allowed);
		}
		hx_proc_pump(scan, SAMPLE_MS);
		if (scan->out_fd < 0 && scan->err_fd < 0)
			hx_pause(1); /* exiting: nothing left to read */
	}
	if (run->watch) {
		hits += accept_queued(run->watch);
		if (hits > allowed)
			return fail_wrapped(c, scan, hits, allowed);
	}
	return 0;
}

/* After a scan ended badly: if it ran out of descriptors where only
 * sockets left open explain it, names that cause. */
static void name_emfile(struct hx_check *c, struct hx_proc *scan,
			const struct scan_run *run)
{
	if (!run->emfile_is_budget && scan->err.len &&
	    strstr(scan->err.data, TEXT_EMFILE))
		hx_set_cause(
		    c, HX_CAUSE_DESCRIPTORS,
		    "%s ran out of descriptors (EMFILE) with far fewer "
		    "connects in flight than its limit: the sockets "
		    "of ports already decided are left open",
		    scan->label);
}

/* Requires the scan to have ended with status 0, its report to be exactly
 * want, its summary right, its stderr empty, and no more sockets at once
 * than run->socket_bound. */
static int judge_scan(struct hx_check *c, struct hx_proc *scan,
		      const struct scan_run *run, int64_t started_ms,
		      int most_sockets, const char *want)
{
	const char *out, *last_line;
	struct hx_buf report;
	int rc;

	if (hx_proc_expect_exit(c, scan, 0, EXIT_MS) < 0) {
		name_emfile(c, scan, run);
		return -1;
	}
	out = scan->out.len ? scan->out.data : "";
	/* The summary is the last line; the report is what comes before. */
	last_line = scan->out.len > 1 ? out + scan->out.len - 1 : out;
	while (last_line > out && last_line[-1] != '\n')
		last_line--;
	if (strncmp(last_line, SUMMARY_START, strlen(SUMMARY_START)) != 0)
		last_line = out + scan->out.len; /* no summary: all is report */
	hx_buf_init(&report);
	hx_buf_add(&report, out, (size_t)(last_line - out));
	rc = 0;
	if (!run->any_report)
		rc = hx_expect_str(c,
				   "ports reported (stdout before the summary)",
				   want, report.data ? report.data : "");
	hx_buf_free(&report);
	if (rc == 0)
		rc = expect_summary(c, last_line, run->last - run->first + 1,
				    run->min_s, hx_now_ms() - started_ms);
	if (rc == 0)
		rc = hx_expect_str(c, "stderr of a scan that ran to its end",
				   "", scan->err.len ? scan->err.data : "");
	if (rc == 0 && run->socket_bound && most_sockets > run->socket_bound)
		rc = hx_fail(c, HX_FAIL,
			     "%s held %d sockets at once; %s allows %d",
			     scan->label, most_sockets, run->bound_why,
			     run->socket_bound);
	return rc;
}

/* Runs the scanner and requires its report to be exactly want. */
static int run_scan_for(struct hx_check *c, const struct scan_run *run,
			const char *want)
{
	int64_t started_ms = hx_now_ms();
	struct hx_proc *scan;
	int most_sockets;

	if (run->watch)
		accept_queued(run->watch); /* what an earlier scan left */
	scan = start_scan(c, run);
	if (!scan || watch_scan(c, scan, run, &most_sockets) < 0)
		return -1;
	return judge_scan(c, scan, run, started_ms, most_sockets, want);
}

/* Runs the scanner and judges it against the ports of t. */
static int run_scan(struct hx_check *c, const struct target *t,
		    const struct scan_run *run)
{
	struct hx_buf want;
	int machine[MAX_MACHINE];
	int nmachine = 0;
	int rc;

	if (!c->isolated) {
		nmachine = machine_listeners(t, machine, MAX_MACHINE);
		if (nmachine > 0)
			hx_recordf(c, 0,
				   "%d port(s) this machine listens on answer "
				   "at %s too: expected open",
				   nmachine, t->host);
	}
	hx_buf_init(&want);
	expected_report(t, machine, nmachine, run->first, run->last, &want);
	rc = run_scan_for(c, run, want.data ? want.data : "");
	hx_buf_free(&want);
	return rc;
}

/* TIMEOUT_MS for the scanner, scaled like the deadlines, so a slow
 * machine's answers are not taken for silence. */
static int scaled_ms(int ms)
{
	return (int)(ms * hx_timeout_scale());
}

/* The least time a summary may show after waiting timeout_ms once. */
static double waited_s(int timeout_ms)
{
	return timeout_ms / 1000.0 - 0.005;
}

/* A scan of SCAN_HOST from 1 to TOP_SCANNED, with defaults for the rest. */
static struct scan_run long_scan(void)
{
	return (struct scan_run){.host = SCAN_HOST,
				 .first = 1,
				 .last = TOP_SCANNED,
				 .wait_ms = SCAN_MS};
}

/* A scan of SCAN_HOST around port: span ports on either side, with
 * TIMEOUT_MS FILTER_MS: below a second, so that only the checks about
 * timeouts meet a timeout of a second or more. */
static struct scan_run short_scan(int port, int span)
{
	return (struct scan_run){.host = SCAN_HOST,
				 .first = port - span,
				 .last = port + span,
				 .timeout_ms = scaled_ms(FILTER_MS),
				 .wait_ms = SHORT_MS};
}
