/* 08-port-scan.c - lab 08: connect scanning.
 *
 * "scan HOST FIRST LAST [TIMEOUT_MS] [MAX_SOCKETS]" tries every TCP port
 * from FIRST to LAST and prints, in ascending port order, "open PORT" for
 * each port that accepted a connection and "filtered PORT" for each that
 * did not answer within TIMEOUT_MS, then "scanned N ports in S.SSS s".
 *
 * The checks play the scanned host: they listen on ports chosen from the
 * check's seed, make ports whose accept queue is full (a connect there is
 * never answered), and compare the scanner's report line by line. Scans
 * go to 127.0.0.2, which is loopback too but never the source address of
 * a connect, so a socket cannot connect to itself there; the self-connect
 * check makes that happen on 127.0.0.1 on purpose. The rubric is the table
 * at the end of this file.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define SCAN_MS	   12000 /* a scan of every port ends (about 1 s is normal) */
#define SHORT_MS   3000	 /* a scan of a few ports ends */
#define IO_MS	   1000	 /* the harness fills an accept queue */
#define EXIT_MS	   1500	 /* the scanner exits after bad arguments */
#define RESOLVE_MS 3000	 /* the scanner gives up on a name that cannot exist */

/* The full-range bound: FULL_FILTERED unanswered ports of FILTER_MS each
 * cost a scanner that tries one port at a time at least 16 s; one that
 * keeps many connects in flight needs about a second plus FILTER_MS. */
#define FULL_BOUND_MS 10000
#define FULL_FILTERED 32
#define FULL_OPEN     4
#define FILTER_MS     500 /* TIMEOUT_MS given to the scanner (scaled) */

#define SCAN_HOST     "127.0.0.2" /* where the checks' ports listen */
#define SELF_HOST     "127.0.0.1" /* the source address of every connect */
#define UNKNOWN_HOST  "no-such-host.invalid" /* RFC 6761: never resolves */
#define OPEN_PORTS    8	 /* open ports of the exact-set and low-fds checks */
#define LOW_FILES     32 /* RLIMIT_NOFILE of the low-fds check */
#define SUMMARY_START "scanned "
#define MAX_PORTS     (FULL_FILTERED + FULL_OPEN)

/* What the checks open on the scanned host. */
struct target {
	int open[MAX_PORTS];	 /* listening ports, ascending */
	int nopen;		 /* entries in open */
	int filtered[MAX_PORTS]; /* ports with a full accept queue */
	int nfiltered;		 /* entries in filtered */
	struct hx_conn listeners[MAX_PORTS]; /* the open ports' sockets */
	int full_fds[MAX_PORTS];   /* the full ports' listening sockets */
	int filler_fds[MAX_PORTS]; /* the connections that fill them */
};

/* How one run of the scanner is started and judged. */
struct scan_run {
	const char *host; /* HOST */
	int first, last;  /* FIRST and LAST */
	int timeout_ms;	  /* TIMEOUT_MS, 0: leave it to the default */
	int max_files;	  /* RLIMIT_NOFILE, 0: the harness's default */
	int wait_ms;	  /* how long the scan may take (scaled) */
	double min_s;	  /* the least time the summary may show */
};

static void target_init(struct target *t)
{
	memset(t, 0, sizeof(*t));
	for (int i = 0; i < MAX_PORTS; i++) {
		t->listeners[i].fd = -1;
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
		if (hx_tcp_listen(c, &t->listeners[i], SCAN_HOST, t->open[i]) <
		    0)
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

/* Makes port i of t->filtered a port whose connects are never answered:
 * a listening socket with backlog 0 holds one connection in its accept
 * queue; the harness makes that connection and never accepts it, so the
 * kernel drops every further SYN. The harness library's listeners have a
 * backlog of their own, hence the plain socket calls here. */
static int fill_port(struct hx_check *c, struct target *t, int i)
{
	struct sockaddr_in addr = {.sin_family = AF_INET};
	int port = t->filtered[i], one = 1, fd;
	int64_t deadline = hx_deadline(IO_MS);

	addr.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, SCAN_HOST, &addr.sin_addr);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return hx_fail(c, HX_ERROR, "socket: %s", strerror(errno));
	t->full_fds[i] = fd;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(fd, 0) < 0)
		return hx_fail(c, HX_ERROR,
			       "harness could not listen on %s "
			       "port %d: %s",
			       SCAN_HOST, port, strerror(errno));
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return hx_fail(c, HX_ERROR, "socket: %s", strerror(errno));
	t->filler_fds[i] = fd;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 &&
	    errno != EINPROGRESS)
		return hx_fail(c, HX_ERROR, "connect to port %d: %s", port,
			       strerror(errno));
	/* The listener is readable once the connection is in its queue. */
	if (!wait_fd(t->full_fds[i], POLLIN, deadline))
		return hx_fail(c, HX_ERROR,
			       "harness could not fill the accept queue of "
			       "port %d within %.1f s",
			       port, IO_MS / 1000.0);
	hx_recordf(c, 0,
		   "port %d: listening with backlog 0 and a full accept "
		   "queue: connects there are never answered",
		   port);
	return 0;
}

static int fill_ports(struct hx_check *c, struct target *t)
{
	for (int i = 0; i < t->nfiltered; i++)
		if (fill_port(c, t, i) < 0)
			return -1;
	return 0;
}

/* The report a correct scanner prints before its summary line: open and
 * filtered ports of t between first and last, in ascending order. */
static void expected_report(const struct target *t, int first, int last,
			    struct hx_buf *out)
{
	int o = 0, f = 0;

	while (o < t->nopen || f < t->nfiltered) {
		int take_open = f == t->nfiltered ||
				(o < t->nopen && t->open[o] < t->filtered[f]);
		int port = take_open ? t->open[o++] : t->filtered[f++];

		if (port >= first && port <= last)
			hx_buf_addf(out, "%s %d\n",
				    take_open ? "open" : "filtered", port);
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

/* Starts the scanner for run; returns it, or NULL after a failure. */
static struct hx_proc *start_scan(struct hx_check *c,
				  const struct scan_run *run)
{
	char first[16], last[16], timeout[16], label[96];
	const char *args[] = {run->host, first, last, NULL, NULL};
	struct hx_spawn spawn = {.label = label,
				 .program = "scan",
				 .args = args,
				 .max_files = run->max_files};

	snprintf(first, sizeof(first), "%d", run->first);
	snprintf(last, sizeof(last), "%d", run->last);
	if (run->timeout_ms) {
		snprintf(timeout, sizeof(timeout), "%d", run->timeout_ms);
		args[3] = timeout;
	}
	snprintf(label, sizeof(label), "scan %s %s %s%s%s", run->host, first,
		 last, run->timeout_ms ? " " : "",
		 run->timeout_ms ? timeout : "");
	return hx_start_with(c, &spawn);
}

/* Waits for the scan to end with status 0 within run->wait_ms, then
 * requires its report to be exactly want and its summary line right. */
static int finish_scan(struct hx_check *c, struct hx_proc *scan,
		       const struct scan_run *run, int64_t started_ms,
		       const char *want)
{
	const char *out, *last_line;
	struct hx_buf report;
	int rc;

	if (hx_proc_expect_exit(c, scan, 0, run->wait_ms) < 0)
		return -1;
	out = scan->out.len ? scan->out.data : "";
	/* The summary is the last line; the report is what comes before. */
	last_line = scan->out.len > 1 ? out + scan->out.len - 1 : out;
	while (last_line > out && last_line[-1] != '\n')
		last_line--;
	if (strncmp(last_line, SUMMARY_START, strlen(SUMMARY_START)) != 0)
		last_line = out + scan->out.len; /* no summary: all is report */
	hx_buf_init(&report);
	hx_buf_add(&report, out, (size_t)(last_line - out));
	rc = hx_expect_str(c, "ports reported (stdout before the summary)",
			   want, report.data ? report.data : "");
	hx_buf_free(&report);
	if (rc == 0)
		rc = expect_summary(c, last_line, run->last - run->first + 1,
				    run->min_s, hx_now_ms() - started_ms);
	return rc;
}

/* Runs the scanner and judges it against the ports of t. */
static int run_scan(struct hx_check *c, const struct target *t,
		    const struct scan_run *run)
{
	int64_t started_ms = hx_now_ms();
	struct hx_proc *scan = start_scan(c, run);
	struct hx_buf want;
	int rc;

	if (!scan)
		return -1;
	hx_buf_init(&want);
	expected_report(t, run->first, run->last, &want);
	rc = finish_scan(c, scan, run, started_ms, want.data ? want.data : "");
	hx_buf_free(&want);
	return rc;
}

/* A scan of every port of SCAN_HOST, with defaults for the rest. */
static struct scan_run full_scan(void)
{
	return (struct scan_run){SCAN_HOST, 1, 65535, 0, 0, SCAN_MS, 0};
}

/* OPEN_PORTS open ports, one in each eighth of the range, far apart. */
static void run_open_set(struct hx_check *c, int max_files)
{
	struct target t;
	struct scan_run run = full_scan();

	target_init(&t);
	t.nopen = OPEN_PORTS;
	pick_ports(c, t.open, OPEN_PORTS, 2, 65534, 512);
	run.max_files = max_files;
	if (open_ports(c, &t) == 0)
		run_scan(c, &t, &run);
	target_close(c, &t);
}

static void check_exact_set(struct hx_check *c)
{
	run_open_set(c, 0);
}

static void check_low_fds(struct hx_check *c)
{
	run_open_set(c, LOW_FILES);
}

static void check_range_ends(struct hx_check *c)
{
	struct target t;
	struct scan_run run = full_scan();

	target_init(&t);
	t.nopen = 2;
	t.open[0] = 1;
	t.open[1] = 65535;
	if (open_ports(c, &t) < 0)
		goto out_close;
	if (run_scan(c, &t, &run) < 0)
		goto out_close;
	/* A range of one port, at each end. */
	run.wait_ms = SHORT_MS;
	run.last = 1;
	if (run_scan(c, &t, &run) < 0)
		goto out_close;
	run.first = run.last = 65535;
	run_scan(c, &t, &run);
out_close:
	target_close(c, &t);
}

static void check_refused(struct hx_check *c)
{
	struct scan_run run = {SCAN_HOST, 0, 0, 0, 0, SHORT_MS, 0};
	struct target t;
	int port = (int)hx_random_between(c, 2000, 60000);

	/* A port that listened a moment ago refuses like all the others. */
	target_init(&t);
	t.nopen = 1;
	t.open[0] = port;
	if (open_ports(c, &t) == 0) {
		hx_close(c, &t.listeners[0]);
		t.nopen = 0;
		run.first = port - 50;
		run.last = port + 50;
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
	struct scan_run run = {SCAN_HOST, 0, 0, 0, 0, SHORT_MS, 0};
	struct closer k = {.c = c, .stop_fd = -1};
	uint64_t one = 1;
	pthread_t thread;

	target_init(&t);
	t.nopen = 1;
	t.open[0] = (int)hx_random_between(c, 2000, 60000);
	if (open_ports(c, &t) < 0)
		goto out_close;
	k.conn = &t.listeners[0];
	k.stop_fd = eventfd(0, EFD_CLOEXEC);
	k.deadline = hx_deadline(SHORT_MS);
	if (k.stop_fd < 0 || pthread_create(&thread, NULL, close_at_once, &k)) {
		hx_fail(c, HX_ERROR,
			"harness could not start its accepting "
			"thread");
		goto out_close;
	}
	run.first = t.open[0] - 10;
	run.last = t.open[0] + 10;
	run_scan(c, &t, &run);
	if (write(k.stop_fd, &one, sizeof(one)) < 0)
		hx_note(c, "eventfd: %s", strerror(errno));
	pthread_join(thread, NULL);
out_close:
	if (k.stop_fd >= 0)
		close(k.stop_fd);
	target_close(c, &t);
}

/* TIMEOUT_MS for the scanner: FILTER_MS, scaled like the deadlines, so a
 * slow machine's answers are not taken for silence. */
static int filter_ms(void)
{
	return (int)(FILTER_MS * hx_timeout_scale());
}

static void check_filtered(struct hx_check *c)
{
	struct target t;
	struct scan_run run = {SCAN_HOST, 0, 0, filter_ms(), 0, SHORT_MS, 0};
	int port = (int)hx_random_between(c, 2000, 60000);

	/* Open ports on both sides: the filtered one answers last, yet it
	 * is reported in its place. */
	target_init(&t);
	t.nopen = 2;
	t.open[0] = port - 2;
	t.open[1] = port + 2;
	t.nfiltered = 1;
	t.filtered[0] = port;
	run.first = port - 5;
	run.last = port + 5;
	run.min_s = run.timeout_ms / 1000.0 - 0.005;
	if (open_ports(c, &t) == 0 && fill_ports(c, &t) == 0)
		run_scan(c, &t, &run);
	target_close(c, &t);
}

static void check_full_range(struct hx_check *c)
{
	int ports[MAX_PORTS];
	struct target t;
	struct scan_run run = full_scan();

	/* Ports in slices across the range; every ninth one is open. */
	target_init(&t);
	pick_ports(c, ports, MAX_PORTS, 2, 65534, 8);
	for (int i = 0; i < MAX_PORTS; i++) {
		if (i % 9 == 4)
			t.open[t.nopen++] = ports[i];
		else
			t.filtered[t.nfiltered++] = ports[i];
	}
	run.timeout_ms = filter_ms();
	run.wait_ms = FULL_BOUND_MS;
	run.min_s = run.timeout_ms / 1000.0 - 0.005;
	if (open_ports(c, &t) == 0 && fill_ports(c, &t) == 0 &&
	    run_scan(c, &t, &run) < 0 && c->status == HX_TIMEOUT)
		hx_note(c,
			"%d ports never answer and each is given %d ms: tried "
			"one at a time they alone take %.1f s",
			FULL_FILTERED, run.timeout_ms,
			FULL_FILTERED * run.timeout_ms / 1000.0);
	target_close(c, &t);
}

/* Writes text to a file under /proc/sys (in this network namespace). */
static int write_sysctl(struct hx_check *c, const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n = -1;

	if (fd >= 0) {
		n = write(fd, text, strlen(text));
		close(fd);
	}
	if (n != (ssize_t)strlen(text))
		return hx_skip(c, "cannot write %s: %s", path, strerror(errno));
	hx_recordf(c, 0, "wrote \"%s\" to %s", text, path);
	return 0;
}

static void check_self_connect(struct hx_check *c)
{
	struct target t;
	struct scan_run run = {SELF_HOST, 0, 0, 0, 0, SHORT_MS, 0};
	int port = (int)hx_random_between(c, 33000, 60000);
	char range[32];

	/* With one local port to choose from, the connect to that very port
	 * goes out from it: TCP connects the socket to itself. */
	target_init(&t);
	snprintf(range, sizeof(range), "%d %d", port, port);
	if (write_sysctl(c, "/proc/sys/net/ipv4/ip_local_port_range", range) <
	    0)
		return;
	run.first = port - 3;
	run.last = port + 3;
	run_scan(c, &t, &run);
}

static void check_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {SCAN_HOST, NULL},
	    {SCAN_HOST, "1", NULL},
	    {SCAN_HOST, "abc", "10", NULL},
	    {SCAN_HOST, "1x", "10", NULL},
	    {SCAN_HOST, "0", "10", NULL},
	    {SCAN_HOST, "1", "65536", NULL},
	    {SCAN_HOST, "10", "5", NULL},
	    {SCAN_HOST, "-5", "10", NULL},
	    {SCAN_HOST, "1", "10", "0", NULL},
	    {SCAN_HOST, "1", "10", "100", "0", NULL},
	    {SCAN_HOST, "1", "10", "100", "8", "extra", NULL},
	};

	hx_expect_usage(c, "scan", cases, SL_COUNT(cases), EXIT_MS);
}

static void check_unknown_host(struct hx_check *c)
{
	const char *args[] = {UNKNOWN_HOST, "1", "10", NULL};
	struct hx_proc *scan = hx_start(c, "scan", args);

	if (scan && hx_proc_expect_exit(c, scan, 2, RESOLVE_MS) == 0)
		hx_expect_contains(c, "scan's stderr", UNKNOWN_HOST,
				   scan->err.len ? scan->err.data : "");
}

/* The rubric: 100 points. */
static const struct sl_check checks[] = {
	{
		.id = "build",
		.title = "scan builds without warnings",
		.points = 10,
		.timeout_ms = 60000,
		.programs = "scan",
		.hint = "Read the compiler's messages from the first one down; fix every "
			"warning too (an unused variable, a signed and unsigned comparison, "
			"a missing return).",
		.run = NULL,
	},
	{
		.id = "exact-set",
		.title = "A scan of every port reports exactly the open ones",
		.points = 16,
		.timeout_ms = 20000,
		.flags = SL_NAMESPACE,
		.programs = "scan",
		.hint = "A writable socket only says the connect has ended, well or badly: "
			"ask getsockopt(fd, SOL_SOCKET, SO_ERROR, ...) how. 0 is open, "
			"ECONNREFUSED closed. Keep one state per port and print \"open PORT\" "
			"lines in ascending order after the scan, then \"scanned N ports in "
			"S.SSS s\".",
		.run = check_exact_set,
	},
	{
		.id = "range-ends",
		.title = "Ports 1 and 65535 are scanned, alone and in a range",
		.points = 10,
		.timeout_ms = 25000,
		.flags = SL_NAMESPACE,
		.programs = "scan",
		.hint = "FIRST and LAST are both scanned: loop while port <= last. Keep the "
			"port in an int, not a uint16_t (65535 + 1 wraps to 0), and size the "
			"state array 65536.",
		.run = check_range_ends,
	},
	{
		.id = "accept-close",
		.title = "A port that accepts and closes at once is open",
		.points = 6,
		.timeout_ms = 6000,
		.flags = SL_NAMESPACE,
		.programs = "scan",
		.hint = "The port is open when the connect succeeds (SO_ERROR is 0), whatever "
			"the server does next: decide there, close your socket, and read "
			"nothing from it.",
		.run = check_accept_close,
	},
	{
		.id = "refused",
		.title = "Refused ports are not reported",
		.points = 8,
		.timeout_ms = 6000,
		.flags = SL_NAMESPACE,
		.programs = "scan",
		.hint = "poll reports a refused connect as writable too (POLLOUT with POLLERR "
			"and POLLHUP): only getsockopt SO_ERROR tells ECONNREFUSED from a "
			"connection. Print nothing for a closed port.",
		.run = check_refused,
	},
	{
		.id = "filtered",
		.title = "A port that never answers is filtered after the timeout",
		.points = 14,
		.timeout_ms = 6000,
		.flags = SL_NAMESPACE,
		.programs = "scan",
		.hint = "Give each connect a deadline (start time + TIMEOUT_MS); pass poll the "
			"time left until the earliest one, and after each poll close every "
			"socket past its deadline and mark its port filtered. Never poll "
			"with -1 or connect in blocking mode. Print the results in port "
			"order after the scan, not as answers come.",
		.run = check_filtered,
	},
	{
		.id = "self-connect",
		.title = "A socket that connects to itself is not an open port",
		.points = 6,
		.timeout_ms = 6000,
		.flags = SL_NAMESPACE,
		.programs = "scan",
		.hint = "Scanning your own machine, the kernel may give a socket the very "
			"port it is trying as its own port, and TCP connects it to itself. "
			"After a connect succeeds, compare getsockname with getpeername: "
			"equal means closed.",
		.run = check_self_connect,
	},
	{
		.id = "low-fds",
		.title = "With only 32 descriptors the scan still finds every port",
		.points = 10,
		.timeout_ms = 20000,
		.flags = SL_NAMESPACE,
		.programs = "scan",
		.hint = "Each socket is a descriptor and socket() fails with EMFILE past the "
			"limit. Read it with getrlimit(RLIMIT_NOFILE) and keep at most "
			"rlim_cur minus a few (stdin, stdout, stderr, the C library) in "
			"flight; close every socket as soon as its port is decided.",
		.run = check_low_fds,
	},
	{
		.id = "full-range",
		.title = "Every port, 32 of them silent, in 10 seconds",
		.points = 12,
		.timeout_ms = 18000,
		.flags = SL_NAMESPACE,
		.programs = "scan",
		.hint = "Keep up to MAX_SOCKETS connects in flight at once and start a new "
			"one as soon as one ends: silent ports then wait their timeout "
			"together, not one after another.",
		.run = check_full_range,
	},
	{
		.id = "usage",
		.title = "Bad arguments get a usage line and status 1",
		.points = 5,
		.timeout_ms = 10000,
		.programs = "scan",
		.hint = "Accept 3 to 5 arguments; FIRST and LAST whole numbers from 1 to 65535 "
			"with FIRST <= LAST, TIMEOUT_MS from 1 to 60000, MAX_SOCKETS from 1 "
			"to 65535 (parse_number: a digit first, strtol, nothing after it). "
			"Otherwise print \"usage: scan HOST FIRST LAST [TIMEOUT_MS] "
			"[MAX_SOCKETS]\" on stderr and return 1.",
		.run = check_usage,
	},
	{
		.id = "unknown-host",
		.title = "An unknown host is reported, status 2",
		.points = 3,
		.timeout_ms = 6000,
		.programs = "scan",
		.hint = "When getaddrinfo returns non-zero, print the host and "
			"gai_strerror(rc) on stderr, e.g. \"scan: no-such-host.invalid: Name "
			"or service not known\", and return 2.",
		.run = check_unknown_host,
	},
};

static const struct sl_lab lab08 = {
	.number = "08",
	.name = "port-scan",
	.title = "Connect scanning: non-blocking connects, poll and a descriptor budget",
	.files = { "scan.c", "scanner.c" },
	.given = { "scanner.h" },
	.programs = {
		{ .name = "scan", .sources = { "scan.c", "scanner.c" } },
	},
	.checks = checks,
	.nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab08);
