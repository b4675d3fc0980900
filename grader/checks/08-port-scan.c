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
 * check makes that happen on 127.0.0.1 on purpose, and the IPv6 scans stay
 * below the kernel's range of local ports for the same reason.
 *
 * While a scan runs, the check may count the scanner's sockets (from
 * /proc) and watch a listener for a second connection (a port counter
 * that went past 65535 and started over). Only range-ends scans up to
 * 65535: a counter that wraps there fails that one check, with its hint.
 *
 * The rules of the handout and the check behind each are listed in
 * rules/08-port-scan.md; the rubric is the table at the end of this file.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
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
#define SCAN_MS	    12000 /* a scan of every port ends (about 1 s is normal) */
#define LOW_SCAN_MS 25000 /* the same with silent ports, one at a time */
#define SHORT_MS    3000  /* a scan of a few ports ends, beyond its timeout */
#define IO_MS	    1000  /* the harness fills an accept queue */
#define EXIT_MS	    1500  /* the scanner exits after bad arguments */
#define RESOLVE_MS  3000  /* the scanner gives up on a name that cannot exist */
#define SAMPLE_MS   2	  /* how often a scan is looked at while it runs */

/* The full-range bound: FULL_FILTERED unanswered ports of FILTER_MS each
 * cost a scanner that tries one port at a time at least 16 s; one that
 * keeps many connects in flight needs about a second plus FILTER_MS. */
#define FULL_BOUND_MS 10000
#define FULL_FILTERED 32
#define FULL_OPEN     4

/* TIMEOUT_MS values the checks pass (scaled, but for the default). The
 * long one is over a second: a timeval or timespec made from it must
 * carry whole seconds. low-fds' is short, so that a scanner that tries
 * one port at a time still ends in time there (speed is full-range's
 * business). */
#define FILTER_MS	  500
#define LONG_FILTER_MS	  1500
#define DEFAULT_FILTER_MS 1000 /* the handout's default, when none is given */
#define FEW_FILTER_MS	  400  /* max-sockets */
#define LOW_FILTER_MS	  300  /* low-fds */

#define SCAN_HOST    "127.0.0.2" /* where the checks' ports listen */
#define SELF_HOST    "127.0.0.1" /* the source address of every connect */
#define V6_HOST	     "::1"	 /* IPv6 loopback */
#define DECOY_HOST   "127.0.0.1" /* listens beside ::1 on other ports */
#define UNREACHABLE  "192.0.2.1" /* TEST-NET-1: no route leads there */
#define UNKNOWN_HOST "no-such-host.invalid" /* RFC 6761: never resolves */
/* The last port of every long scan but range-ends'. */
#define TOP_SCANNED 65534
/* IPv6 scans stay below the kernel's local ports (32768 and up), so that
 * no connect to ::1 can come from the port it tries. */
#define V6_LOW	2000
#define V6_HIGH 30000
#define V6_SPAN 20 /* the IPv6 scans try port - V6_SPAN .. port + V6_SPAN */

#define OPEN_PORTS	  8   /* open ports of exact-set and low-fds */
#define LOW_FILES	  32  /* RLIMIT_NOFILE of the low-fds check */
#define DESCRIPTORS_SPARE 8   /* descriptors the handout keeps for the rest */
#define LOW_SILENT	  30  /* silent ports side by side in low-fds */
#define FEW_SOCKETS	  3   /* MAX_SOCKETS of the max-sockets check */
#define FEW_SILENT	  9   /* silent ports side by side there */
#define DEFAULT_SOCKETS	  256 /* MAX_SOCKETS left out */
#define DEFAULT_SILENT	  264 /* silent ports side by side: more than that */
#define UNREACHABLE_PORTS 200 /* more than LOW_FILES sockets */

#define SUMMARY_START	"scanned "
#define TEXT_EMFILE	"Too many open files"
#define TEXT_EAI_NONAME "Name or service not known"
#define TEXT_EAI_AGAIN	"Temporary failure in name resolution"
#define MAX_OPEN	16  /* open ports of one target */
#define MAX_SILENT	300 /* silent ports of one target */
#define MAX_MACHINE	256 /* ports the machine listens on, read */

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

/* Sockets the process holds now (from /proc), or -1 if it has ended. */
static int count_sockets(struct hx_proc *p)
{
	char dir[64], path[320], link[64];
	struct dirent *e;
	DIR *fds;
	int count = 0;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)p->pid);
	fds = opendir(dir);
	if (!fds)
		return -1;
	while ((e = readdir(fds))) {
		ssize_t n;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0 && strncmp(link, "socket:", 7) == 0)
			count++;
	}
	closedir(fds);
	return count;
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
			int n = count_sockets(scan);

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

	/* The exact-set ports, and LOW_SILENT silent ports side by side,
	 * which hold their sockets for the whole timeout: the scanner
	 * fills every socket it allows itself, and they are counted. */
	target_init(&t, SCAN_HOST);
	t.nopen = OPEN_PORTS;
	pick_ports(c, t.open, OPEN_PORTS, 2, TOP_SCANNED - 1, 512);
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
	 * 65535 and started over makes. */
	target_init(&t, SCAN_HOST);
	t.nopen = 4;
	t.open[0] = 1;
	t.open[1] = 2;
	t.open[2] = 65534;
	t.open[3] = 65535;
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

static void check_full_range(struct hx_check *c)
{
	int ports[FULL_FILTERED + FULL_OPEN];
	struct target t;
	struct scan_run run = long_scan();

	/* Ports in slices across the range; every ninth one is open. */
	target_init(&t, SCAN_HOST);
	pick_ports(c, ports, FULL_FILTERED + FULL_OPEN, 2, TOP_SCANNED - 1, 8);
	for (int i = 0; i < FULL_FILTERED + FULL_OPEN; i++) {
		if (i % 9 == 4)
			t.open[t.nopen++] = ports[i];
		else
			t.filtered[t.nfiltered++] = ports[i];
	}
	run.timeout_ms = scaled_ms(FILTER_MS);
	run.wait_ms = FULL_BOUND_MS;
	run.min_s = waited_s(run.timeout_ms);
	if (open_ports(c, &t) == 0 && fill_ports(c, &t) == 0 &&
	    run_scan(c, &t, &run) < 0 && c->status == HX_TIMEOUT)
		hx_note(c,
			"%d ports never answer and each is given %d ms: tried "
			"one at a time they alone take %.1f s",
			FULL_FILTERED, run.timeout_ms,
			FULL_FILTERED * run.timeout_ms / 1000.0);
	target_close(c, &t);
}

static void check_ipv6(struct hx_check *c)
{
	struct target t, decoy;
	int port = (int)hx_random_between(c, V6_LOW, V6_HIGH);
	struct scan_run run = {.host = V6_HOST,
			       .first = port - V6_SPAN,
			       .last = port + V6_SPAN,
			       .timeout_ms = scaled_ms(FILTER_MS),
			       .wait_ms = SHORT_MS + FILTER_MS};

	if (!hx_need_ipv6_loopback(c))
		return;
	/* On ::1: two open ports and a silent one. On 127.0.0.1, other
	 * ports of the same range: a scanner that asks getaddrinfo for
	 * IPv4 only finds these instead. */
	target_init(&t, V6_HOST);
	target_init(&decoy, DECOY_HOST);
	t.nopen = 2;
	t.open[0] = port - 7;
	t.open[1] = port + 5;
	t.nfiltered = 1;
	t.filtered[0] = port;
	decoy.nopen = 2;
	decoy.open[0] = port - 4;
	decoy.open[1] = port + 9;
	run.min_s = waited_s(run.timeout_ms);
	if (open_ports(c, &t) < 0 || fill_ports(c, &t) < 0 ||
	    open_ports(c, &decoy) < 0 || run_scan(c, &t, &run) < 0)
		goto out_close;
	/* A name whose first address is ::1 (then 127.0.0.1). */
	run.host = HX_DUAL_HOST;
	run_scan(c, &t, &run);
out_close:
	target_close(c, &decoy);
	target_close(c, &t);
}

static void check_unreachable(struct hx_check *c)
{
	struct scan_run run = {.host = UNREACHABLE,
			       .first = 1,
			       .last = UNREACHABLE_PORTS,
			       .max_files = LOW_FILES,
			       .wait_ms = SHORT_MS};
	struct hx_buf want;

	/* No route leads to UNREACHABLE: every connect fails at once with
	 * ENETUNREACH, which decides its port (filtered) there and then.
	 * More ports than descriptors: each socket must be closed. */
	hx_recordf(c, 0, "%s: no route; connects fail with ENETUNREACH",
		   UNREACHABLE);
	hx_buf_init(&want);
	for (int port = run.first; port <= run.last; port++)
		hx_buf_addf(&want, "filtered %d\n", port);
	run_scan_for(c, &run, want.data);
	hx_buf_free(&want);
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
	int port = (int)hx_random_between(c, 33000, 60000);
	struct scan_run run = short_scan(port, 3);
	char range[32];

	/* With one local port to choose from, the connect to that very port
	 * goes out from it: TCP connects the socket to itself. */
	target_init(&t, SELF_HOST);
	run.host = SELF_HOST;
	snprintf(range, sizeof(range), "%d %d", port, port);
	if (write_sysctl(c, "/proc/sys/net/ipv4/ip_local_port_range", range) <
	    0)
		return;
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
	    {SCAN_HOST, "1", "0", NULL},
	    {SCAN_HOST, "1", "65536", NULL},
	    {SCAN_HOST, "65536", "65536", NULL},
	    {SCAN_HOST, "10", "5", NULL},
	    {SCAN_HOST, "-5", "10", NULL},
	    {SCAN_HOST, "+5", "10", NULL},
	    {SCAN_HOST, " 7", "10", NULL},
	    {SCAN_HOST, "1", "", NULL},
	    {SCAN_HOST, "0x10", "20", NULL},
	    {SCAN_HOST, "1", "4294967306", NULL},
	    {SCAN_HOST, "1", "10", "0", NULL},
	    {SCAN_HOST, "1", "10", "60001", NULL},
	    {SCAN_HOST, "1", "10", "1.5", NULL},
	    {SCAN_HOST, "1", "10", "100", "0", NULL},
	    {SCAN_HOST, "1", "10", "100", "65536", NULL},
	    {SCAN_HOST, "1", "10", "100", "8", "extra", NULL},
	};
	struct target t;
	int port = (int)hx_random_between(c, 2000, 60000);
	struct scan_run run = short_scan(port, 0);

	if (hx_expect_usage(c, "scan", cases, SL_COUNT(cases), EXIT_MS) < 0)
		return;
	/* The limits themselves are numbers to accept: TIMEOUT_MS 1 and
	 * 60000, MAX_SOCKETS 1 and 65535, FIRST equal to LAST. These runs
	 * scan, so they need the sandbox's own loopback: without a network
	 * namespace, 127.0.0.2 is the machine's. */
	if (!c->isolated)
		return;
	target_init(&t, SCAN_HOST);
	run.timeout_ms = 1;
	run.max_sockets = 1;
	/* In 1 ms a refusal has come (loopback answers within connect
	 * itself), but a scanner that looks at the clock before the events
	 * may call the port filtered: this run is about the argument. */
	run.any_report = 1;
	if (run_scan(c, &t, &run) < 0)
		return;
	run.any_report = 0;
	run.last = port + 1;
	run.timeout_ms = 60000;
	run.max_sockets = 65535;
	run_scan(c, &t, &run);
}

/* Runs the scanner on UNKNOWN_HOST and requires status 2 and a message
 * with the host and reason (gai_strerror's text; NULL: any). */
static int expect_unknown(struct hx_check *c, const char *reason)
{
	const char *args[] = {UNKNOWN_HOST, "1", "10", NULL};
	struct hx_proc *scan = hx_start(c, "scan", args);
	const char *err;

	if (!scan || hx_proc_expect_exit(c, scan, 2, RESOLVE_MS) < 0)
		return -1;
	err = scan->err.len ? scan->err.data : "";
	if (hx_expect_contains(c, "scan's stderr", UNKNOWN_HOST, err) < 0 ||
	    (reason && hx_expect_contains(c, "scan's stderr", reason, err) < 0))
		return -1;
	return hx_expect_str(c, "scan's stdout", "",
			     scan->out.len ? scan->out.data : "");
}

static void check_unknown_host(struct hx_check *c)
{
	/* Without namespaces the machine's own resolver answers, for a
	 * reason not known in advance: the host is required, not the text. */
	if (!c->isolated) {
		expect_unknown(c, NULL);
		return;
	}
	/* The sandbox's own world: hosts from files, then a DNS server at
	 * 127.0.0.1 where nothing listens: EAI_AGAIN. */
	if (expect_unknown(c, TEXT_EAI_AGAIN) < 0) {
		hx_note(c, "this run's resolver asks a DNS server that never "
			   "answers: getaddrinfo fails with EAI_AGAIN");
		return;
	}
	/* Files only: EAI_NONAME, the handout's example. */
	if (hx_fixture_file(c, "/etc/nsswitch.conf",
			    "hosts: files\nservices: files\n") < 0)
		return;
	expect_unknown(c, TEXT_EAI_NONAME);
}

/* The rubric: 100 points. */
static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "scan builds without warnings",
	.points = 10,
	.timeout_ms = 60000,
	.programs = "scan",
	.hint = "Read the compiler's messages from the first one down; "
		"fix every warning too (an unused variable, a signed "
		"and unsigned comparison, a missing return).",
	.run = NULL,
    },
    {
	.id = "exact-set",
	.title = "A scan of ports 1 to 65534 reports exactly the open "
		 "ones",
	.points = 11,
	.timeout_ms = 20000,
	.flags = SL_NETWORK,
	.programs = "scan",
	.hint = "A writable socket only says the connect has ended, "
		"well or badly: ask getsockopt(fd, SOL_SOCKET, "
		"SO_ERROR, ...) how. 0 is open, ECONNREFUSED closed. "
		"Keep one state per port and print \"open PORT\" lines "
		"in ascending order after the scan, then \"scanned N "
		"ports in S.SSS s\"; print nothing on stderr.",
	.run = check_exact_set,
    },
    {
	.id = "range-ends",
	.title = "Ports 1 and 65535 are scanned, alone and in ranges",
	.points = 10,
	.timeout_ms = 30000,
	.flags = SL_NETWORK | SL_SANITIZE,
	.programs = "scan",
	.hint = "FIRST and LAST are both scanned: loop while port <= "
		"last. Keep the port in an int: a uint16_t goes from "
		"65535 to 0, so port <= 65535 stays true and the scan "
		"starts over. Size the state array PORT_MAX + 1 "
		"(65536) so states[65535] exists.",
	.run = check_range_ends,
    },
    {
	.id = "accept-close",
	.title = "A port that accepts and closes at once is open",
	.points = 4,
	.timeout_ms = 6000,
	.flags = SL_NETWORK,
	.programs = "scan",
	.hint = "The port is open when the connect succeeds (SO_ERROR "
		"is 0), whatever the server does next: decide there, "
		"close your socket, and read nothing from it.",
	.run = check_accept_close,
    },
    {
	.id = "refused",
	.title = "Refused ports are not reported; memory is freed",
	.points = 6,
	.timeout_ms = 10000,
	.flags = SL_NETWORK | SL_SANITIZE | SL_LEAKS,
	.programs = "scan",
	.hint = "poll reports a refused connect as writable too "
		"(POLLOUT with POLLERR and POLLHUP): only getsockopt "
		"SO_ERROR tells ECONNREFUSED from a connection. Print "
		"nothing for a closed port. Free what you allocate "
		"(freeaddrinfo, the state array, the poll arrays) "
		"before main returns.",
	.run = check_refused,
    },
    {
	.id = "filtered",
	.title = "A silent port is filtered after the timeout: 500, "
		 "1500 and the default",
	.points = 11,
	.timeout_ms = 16000,
	.flags = SL_NETWORK,
	.programs = "scan",
	.hint = "Give each connect a deadline (start time + "
		"TIMEOUT_MS, 1000 when it is left out); pass poll the "
		"time left until the earliest one, and after each poll "
		"close every socket past its deadline and mark its "
		"port filtered. A timeout of 1000 ms or more is whole "
		"seconds plus the rest: tv_nsec and tv_usec must stay "
		"below one second. Print the results in port order "
		"after the scan, not as answers come.",
	.run = check_filtered,
    },
    {
	.id = "self-connect",
	.title = "A socket that connects to itself is not an open port",
	.points = 4,
	.timeout_ms = 6000,
	.flags = SL_NAMESPACE,
	.programs = "scan",
	.hint = "Scanning your own machine, the kernel may give a "
		"socket the very port it is trying as its own port, "
		"and TCP connects it to itself. After a connect "
		"succeeds, compare getsockname with getpeername: equal "
		"means closed.",
	.run = check_self_connect,
    },
    {
	.id = "low-fds",
	.title = "With 32 descriptors: at most 24 sockets, every port "
		 "found",
	.points = 8,
	.timeout_ms = 35000,
	.flags = SL_NETWORK,
	.programs = "scan",
	.hint = "Each socket is a descriptor and socket() fails with "
		"EMFILE past the limit. Read it with "
		"getrlimit(RLIMIT_NOFILE) and keep at most rlim_cur - "
		"8 sockets in flight (DESCRIPTORS_SPARE), whatever "
		"MAX_SOCKETS says; close every socket as soon as its "
		"port is decided.",
	.run = check_low_fds,
    },
    {
	.id = "max-sockets",
	.title = "MAX_SOCKETS 3, 1 and left out (256): never more in "
		 "flight",
	.points = 6,
	.timeout_ms = 16000,
	.flags = SL_NETWORK,
	.programs = "scan",
	.hint = "MAX_SOCKETS is the most connects in flight at once: "
		"start a new one only while fewer than that many are "
		"open (in_flight < max_sockets), and pass the parsed "
		"argument to the scan, not SOCKETS_DEFAULT; without "
		"it, SOCKETS_DEFAULT (256).",
	.run = check_max_sockets,
    },
    {
	.id = "full-range",
	.title = "65534 ports, 32 of them silent, in 10 seconds",
	.points = 9,
	.timeout_ms = 18000,
	.flags = SL_NETWORK,
	.programs = "scan",
	.hint = "Keep up to MAX_SOCKETS connects in flight at once and "
		"start a new one as soon as one ends: silent ports then "
		"wait their timeout together, not one after another.",
	.run = check_full_range,
    },
    {
	.id = "ipv6",
	.title = "::1 and a name whose first address is ::1 are "
		 "scanned over IPv6",
	.points = 8,
	.timeout_ms = 10000,
	.flags = SL_NETWORK,
	.programs = "scan",
	.hint = "Ask getaddrinfo for AF_UNSPEC and scan its first "
		"address in its own family: socket(ai_family, ...), "
		"the port in sin6_port for AF_INET6 (with htons), and "
		"the address's own length (ai_addrlen) for connect. "
		"Keep it in a struct sockaddr_storage, not a "
		"sockaddr_in.",
	.run = check_ipv6,
    },
    {
	.id = "unreachable",
	.title = "Connects that fail at once: every port filtered, no "
		 "socket left open",
	.points = 5,
	.timeout_ms = 8000,
	.flags = SL_NAMESPACE,
	.programs = "scan",
	.hint = "connect may fail at once (ENETUNREACH: no route to "
		"the host): that decides the port there and then, "
		"filtered for any error but ECONNREFUSED. Close that "
		"socket too, and do not put it in the poll array (its "
		"SO_ERROR has already been taken).",
	.run = check_unreachable,
    },
    {
	.id = "usage",
	.title = "Bad arguments get a usage line and status 1; the "
		 "limits are accepted",
	.points = 5,
	.timeout_ms = 12000,
	.programs = "scan",
	.hint = "Accept 3 to 5 arguments; FIRST and LAST whole numbers "
		"from 1 to 65535 with FIRST <= LAST, TIMEOUT_MS from 1 "
		"to 60000, MAX_SOCKETS from 1 to 65535, the limits "
		"included (parse_number: a digit first, strtol into a "
		"long, nothing after it). Otherwise print \"usage: "
		"scan HOST FIRST LAST [TIMEOUT_MS] [MAX_SOCKETS]\" on "
		"stderr and return 1.",
	.run = check_usage,
    },
    {
	.id = "unknown-host",
	.title = "An unknown host is reported with gai_strerror's "
		 "reason, status 2",
	.points = 3,
	.timeout_ms = 8000,
	.programs = "scan",
	.hint = "When getaddrinfo returns rc != 0, print the host and "
		"gai_strerror(rc) on stderr (not strerror(errno), and "
		"not a fixed text: the reason depends on what failed) "
		"and return 2.",
	.run = check_unknown_host,
    },
};

static const struct sl_lab lab08 = {
    .number = "08",
    .name = "port-scan",
    .title =
	"Connect scanning: non-blocking connects, poll and a descriptor budget",
    .files = {"scan.c", "scanner.c"},
    .given = {"scanner.h"},
    .programs =
	{
	    {.name = "scan", .sources = {"scan.c", "scanner.c"}},
	},
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab08);
