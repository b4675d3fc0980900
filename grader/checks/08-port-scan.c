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

#include "../../harness/hx_footprint.h"
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
/* The first port of range-ends' long scan, which ends at 65535: the top
 * eighth of the range, enough ports to run a leaky scanner out of
 * descriptors, and a counter that wraps meets port 1 at once. */
#define TOP_EIGHTH 57344
/* IPv6 scans stay below the kernel's local ports (32768 and up), so that
 * no connect to ::1 can come from the port it tries. */
#define V6_LOW	2000
#define V6_HIGH 30000
#define V6_SPAN 20 /* the IPv6 scans try port - V6_SPAN .. port + V6_SPAN */

#define OPEN_PORTS	  8    /* open ports of exact-set and low-fds */
#define LOW_FILES	  32   /* RLIMIT_NOFILE of the low-fds check */
#define DESCRIPTORS_SPARE 8    /* descriptors the handout keeps for the rest */
#define LOW_SILENT	  30   /* silent ports side by side in low-fds */
#define LOW_SPAN	  8192 /* ports low-fds scans: an eighth of the range */
#define LOW_MARGIN	  200  /* its open ports from their slices' ends */
#define FEW_SOCKETS	  3    /* MAX_SOCKETS of the max-sockets check */
#define FEW_SILENT	  9    /* silent ports side by side there */
#define DEFAULT_SOCKETS	  256  /* MAX_SOCKETS left out */
#define DEFAULT_SILENT	  264  /* silent ports side by side: more than that */
#define UNREACHABLE_PORTS 200  /* more than LOW_FILES sockets */

#define SUMMARY_START	"scanned "
#define TEXT_EMFILE	"Too many open files"
#define TEXT_EAI_NONAME "Name or service not known"
#define TEXT_EAI_AGAIN	"Temporary failure in name resolution"
#define MAX_OPEN	16  /* open ports of one target */
#define MAX_SILENT	300 /* silent ports of one target */
#define MAX_MACHINE	256 /* ports the machine listens on, read */

#include "support/08-port-scan-scans.c"
#include "support/08-port-scan-sockets.c"

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

/* Deadlines of whole checks (scaled like all deadlines). */
#define CHECK_MS	   10000 /* a few ports, usage of one kind */
#define SCAN_CHECK_MS	   20000 /* scans of every port, usage */
#define LONG_SCAN_CHECK_MS 35000 /* long scans, one port at a time */
#define BUILD_MS	   60000 /* the build */

/* The rubric: 100 points. */
static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "scan builds without warnings",
	.points = 10,
	.timeout_ms = BUILD_MS,
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
	.timeout_ms = SCAN_CHECK_MS,
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
	.timeout_ms = LONG_SCAN_CHECK_MS,
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
	.timeout_ms = CHECK_MS,
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
	.timeout_ms = CHECK_MS,
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
	.timeout_ms = SCAN_CHECK_MS,
	.flags = SL_NETWORK | SL_WAITS,
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
	.timeout_ms = CHECK_MS,
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
	.timeout_ms = LONG_SCAN_CHECK_MS,
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
	.timeout_ms = SCAN_CHECK_MS,
	.flags = SL_NETWORK | SL_WAITS,
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
	.timeout_ms = SCAN_CHECK_MS,
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
	.timeout_ms = CHECK_MS,
	.flags = SL_NETWORK | SL_WAITS,
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
	.timeout_ms = CHECK_MS,
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
	.timeout_ms = SCAN_CHECK_MS,
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
	.timeout_ms = CHECK_MS,
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
