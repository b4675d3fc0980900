/* 05-broadcast.c - lab 05: SO_BROADCAST, listeners and discovery.
 *
 * Four programs. "broadcast ADDRESS PORT MESSAGE [COUNT]" sends MESSAGE to
 * a broadcast address; "listen PORT [COUNT]" prints every datagram it hears
 * as "from ADDRESS:PORT: MESSAGE\n"; "discover ADDRESS PORT [TIMEOUT_MS]"
 * broadcasts the question "DISCOVER" and prints each answer as
 * "answer from ADDRESS:PORT: NAME\n"; "responder PORT NAME" answers each
 * question with NAME, straight back to the asker.
 *
 * Broadcast to 127.255.255.255 works on loopback with no set-up; checks
 * for 255.255.255.255 give the sandbox a veth pair (hx_netdev.h). Where a
 * check is about one program, the harness plays the other side: it
 * broadcasts (with SO_BROADCAST) to the student's listeners, binds its own
 * listeners for the student's broadcaster, and answers as responders
 * (support/05-broadcast-peers.c). Discovery is timed: answers come before
 * and after discover's deadline, from the same address and port, and
 * only those before it count. The rules of the handout and the check of
 * each are listed in rules/05-broadcast.md. The rubric is the table at
 * the end of this file.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <endian.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../harness/hx_netdev.h"
#include "../sl_lab.h"

#define MESSAGE		 "hello, everyone on this network"
#define QUESTION	 "DISCOVER" /* the discovery question, exactly */
#define DISCOVER_MS	 400	    /* discover's TIMEOUT_MS in the checks */
#define SENDS		 3	    /* datagrams asked of the broadcaster */
#define UNKNOWN_HOST	 "no-such-host.invalid" /* RFC 6761: never resolves */
#define LARGEST_DATAGRAM 65507 /* 65535 - 20 (IPv4 header) - 8 (UDP) */

#include "support/05-broadcast-peers.c"

/* after the peers, which it uses */
#include "support/05-broadcast-discovery.c"
#include "support/05-broadcast-listeners.c"
#include "support/05-broadcast-discovery-checks.c"

/* ---- arguments -------------------------------------------------------- */

/* Starts program with args, which must bind its port (one more socket on
 * port than before): the arguments were taken. It is stopped then. */
static int expect_binds(struct hx_check *c, const char *program,
			const char *const *args, int port)
{
	char label[64];
	struct hx_proc *p;
	int before = count_bound(port);

	snprintf(label, sizeof(label), "%s %s %s", program, args[0],
		 args[1] ? args[1] : "");
	p = hx_start_labelled(c, label, program, args);
	if (!p || wait_bound(c, &p, 1, port, before + 1) < 0)
		return -1;
	p->stopped_by_harness = 1;
	hx_proc_kill(p);
	return 0;
}

/* Runs program with args, which must not end as a usage error (status
 * 1): the arguments were taken. What it does then is other checks'
 * business. */
static int expect_taken(struct hx_check *c, const char *program,
			const char *const *args)
{
	char label[96];
	struct hx_proc *p;

	snprintf(label, sizeof(label), "%s %s %s %s %s", program, args[0],
		 args[1], args[2] ? args[2] : "", args[3] ? args[3] : "");
	p = hx_start_labelled(c, label, program, args);
	if (!p || hx_proc_wait(c, p, DISCOVER_MS + IO_MS) < 0)
		return -1;
	if (WIFEXITED(p->wait_status) && WEXITSTATUS(p->wait_status) == 1)
		return hx_fail(c, HX_FAIL,
			       "%s printed the usage line, though every "
			       "argument is in range",
			       label);
	return 0;
}

static void check_usage(struct hx_check *c)
{
	static const char *const broadcast[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"127.255.255.255", "9000", NULL},
	    {"127.255.255.255", "abc", "hi", NULL},
	    {"127.255.255.255", "0", "hi", NULL},
	    {"127.255.255.255", "65536", "hi", NULL},
	    {"127.255.255.255", "+9000", "hi", NULL},
	    {"127.255.255.255", "9000", "hi", "0", NULL},
	    {"127.255.255.255", "9000", "hi", "1001", NULL},
	    {"127.255.255.255", "9000", "hi", "2", "extra", NULL},
	};
	static const char *const listen[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"abc", NULL},
	    {"0", NULL},
	    {"65536", NULL},
	    {" 9000", NULL},
	    {"9000", "0", NULL},
	    {"9000", "x", NULL},
	    {"9000", "1001", NULL},
	    {"9000", "1", "extra", NULL},
	};
	static const char *const discover[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"127.255.255.255", NULL},
	    {"127.255.255.255", "abc", NULL},
	    {"127.255.255.255", "65536", NULL},
	    {"127.255.255.255", "9000", "0", NULL},
	    {"127.255.255.255", "9000", "60001", NULL},
	    {"127.255.255.255", "9000", "-500", NULL},
	    {"127.255.255.255", "9000", "500", "x", NULL},
	};
	static const char *const responder[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"9000", NULL},
	    {"abc", "alpha", NULL},
	    {"0", "alpha", NULL},
	    {"65536", "alpha", NULL},
	    {"9000", "", NULL},
	    {"9000", "alpha", "extra", NULL},
	};
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *one[] = {HX_LOOPBACK_BROADCAST, port_arg, "hi", "1", NULL};
	const char *most[] = {HX_LOOPBACK_BROADCAST, port_arg, "hi", "1000",
			      NULL};
	const char *quick[] = {HX_LOOPBACK_BROADCAST, port_arg, "1", NULL};
	const char *long_count[] = {port_arg, "1000", NULL};
	const char *top_listen[] = {"65535", NULL};
	const char *top_responder[] = {"65535", "alpha", NULL};

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (hx_expect_usage(c, "broadcast", broadcast, SL_COUNT(broadcast),
			    EXIT_MS) < 0 ||
	    hx_expect_usage(c, "listen", listen, SL_COUNT(listen), EXIT_MS) <
		0 ||
	    hx_expect_usage(c, "discover", discover, SL_COUNT(discover),
			    EXIT_MS) < 0 ||
	    hx_expect_usage(c, "responder", responder, SL_COUNT(responder),
			    EXIT_MS) < 0)
		return;
	/* Every value in range is taken, the limits too. Port 65535 only
	 * where the check owns its network: elsewhere it may be taken. */
	if (expect_taken(c, "broadcast", one) < 0 ||
	    expect_taken(c, "broadcast", most) < 0 ||
	    expect_taken(c, "discover", quick) < 0 ||
	    expect_binds(c, "listen", long_count, port) < 0 || !c->isolated ||
	    expect_binds(c, "listen", top_listen, 65535) < 0)
		return;
	expect_binds(c, "responder", top_responder, 65535);
}

/* Deadlines of whole checks (scaled like all deadlines). */
#define CHECK_MS       8000  /* most checks */
#define LONG_CHECK_MS  10000 /* discovery with two or three responders */
#define USAGE_CHECK_MS 30000 /* usage: many runs of three programs */
#define BUILD_MS       60000 /* the build */

/* The rubric: 100 points. */
static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "all four programs build without warnings",
	.points = 10,
	.timeout_ms = BUILD_MS,
	.programs = "broadcast listen discover responder",
	.hint =
	    "Read the compiler's messages from the first one down; fix every "
	    "warning too (an unused variable, a missing return, a signed and "
	    "unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "two-listeners",
	.title = "Two listeners on one port both hear a broadcast to "
		 "127.255.255.255",
	.points = 7,
	.timeout_ms = CHECK_MS,
	.programs = "listen",
	.hint = "Set SO_REUSEADDR with setsockopt before bind, or the second "
		"listener's bind fails with \"Address already in use\"; bind "
		"to INADDR_ANY (a socket bound to 127.0.0.1 never gets "
		"broadcasts); print one line per datagram and exit 0 after "
		"COUNT of them.",
	.run = check_two_listeners,
    },
    {
	.id = "three-listeners",
	.title = "The broadcaster reaches three listeners at once on "
		 "127.255.255.255",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "broadcast listen",
	.hint =
	    "Run it yourself: three \"listen PORT 1\" in other terminals, then "
	    "\"broadcast 127.255.255.255 PORT hello\". The broadcaster needs "
	    "SO_BROADCAST and must exit 0; each listener needs SO_REUSEADDR "
	    "and prints \"from ADDRESS:PORT: hello\".",
	.run = check_three_listeners,
    },
    {
	.id = "broadcast-sends",
	.title =
	    "The broadcaster sends COUNT datagrams of exactly MESSAGE's bytes, "
	    "and nothing on stdout",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "broadcast",
	.hint =
	    "setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof on) before "
	    "sendto; send strlen(MESSAGE) bytes (no '\\0', no newline), COUNT "
	    "times (1 when COUNT is not given), to the address getaddrinfo "
	    "gave, and print nothing on stdout (logs go to stderr).",
	.run = check_broadcast_sends,
    },
    {
	.id = "limited-broadcast",
	.title =
	    "A broadcast to 255.255.255.255 reaches a listener over a network "
	    "device",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.flags = SL_NAMESPACE,
	.programs = "broadcast listen",
	.hint = "255.255.255.255 is sent out of a real network device, here "
		"one with address 10.9.0.1: the listener must print the "
		"address recvfrom reports (\"from 10.9.0.1:PORT: ...\"), and "
		"the broadcaster must send to whatever address it was given, "
		"not a fixed one.",
	.run = check_limited_broadcast,
    },
    {
	.id = "sender-address",
	.title = "The listener prints the sender's own address and port",
	.points = 7,
	.timeout_ms = CHECK_MS,
	.programs = "listen",
	.hint =
	    "Print the address recvfrom filled in (not getsockname, which is "
	    "your own socket): inet_ntop for the address, ntohs(sin_port) for "
	    "the port, and set the length argument to sizeof(from) before "
	    "every recvfrom.",
	.run = check_sender_address,
    },
    {
	.id = "lengths",
	.title =
	    "The listener prints a long, a short, an empty and the largest "
	    "datagram, each exactly",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "listen",
	.hint =
	    "recvfrom returns the datagram's length n and adds no '\\0': write "
	    "exactly n bytes (fwrite or write), or set buf[n] = '\\0' (with a "
	    "buffer one byte larger) before printing with %s. Otherwise the "
	    "short message is followed by the rest of the long one. 0 is an "
	    "empty datagram (a line with nothing after \": \"), and the "
	    "buffers must hold MAX_DATAGRAM bytes and the line around them.",
	.run = check_lengths,
    },
    {
	.id = "listen-forever",
	.title = "Without COUNT the listener prints each line at once and runs "
		 "until SIGTERM or SIGINT, then exits 0",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "listen",
	.hint =
	    "COUNT left out means no limit: loop until the stop flag is set (a "
	    "handler for SIGINT and SIGTERM, sigaction without SA_RESTART, so "
	    "recvfrom fails with EINTR), then return 0. Write each line whole "
	    "and at once: one writen, or printf then fflush(stdout) (stdout is "
	    "a pipe here, fully buffered).",
	.run = check_listen_forever,
    },
    {
	.id = "discover-harness",
	.title = "discover prints the answers of three responders, once each",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "discover",
	.hint = "Send \"DISCOVER\" (8 bytes) once with SO_BROADCAST, then keep "
		"calling recvfrom until TIMEOUT_MS after the question, with "
		"poll or SO_RCVTIMEO set to the time left; print \"answer from "
		"ADDRESS:PORT: NAME\" for each answer and do not stop at the "
		"first.",
	.run = check_discover_harness,
    },
    {
	.id = "discover-two",
	.title =
	    "Discovery with two responders on one port lists both, once each",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "discover responder",
	.hint =
	    "Each responder binds the port with SO_REUSEADDR and answers every "
	    "\"DISCOVER\" it gets with its NAME, sent with sendto to the "
	    "address recvfrom gave; discover collects answers until its "
	    "timeout.",
	.run = check_discover_two,
    },
    {
	.id = "discover-three",
	.title = "Discovery with three responders on one port lists all three",
	.points = 3,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "discover responder",
	.hint =
	    "As with two responders: every responder on the port gets its own "
	    "copy of the broadcast question, and discover must wait for all of "
	    "them, printing each answer once.",
	.run = check_discover_three,
    },
    {
	.id = "discover-deadline",
	.title = "discover takes answers until TIMEOUT_MS (1200) after its "
		 "question, then stops; a later answer is not printed",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.flags = SL_WAITS,
	.programs = "discover",
	.hint = "Compute the deadline once, send time + TIMEOUT_MS, and before "
		"each recvfrom poll for the milliseconds left until it (or set "
		"SO_RCVTIMEO to them, with tv_usec below 1000000): waiting the "
		"whole TIMEOUT_MS again after each answer lets answers in "
		"after the deadline and runs too long.",
	.run = check_discover_deadline,
    },
    {
	.id = "discover-default",
	.title = "discover without TIMEOUT_MS waits 1000 ms",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.flags = SL_WAITS,
	.programs = "discover",
	.hint = "With two arguments TIMEOUT_MS is 1000: set the default before "
		"reading argv[3], and read argv[3] only when argc is 4.",
	.run = check_discover_default,
    },
    {
	.id = "responder-direct",
	.title = "The responder answers each asker directly, not by broadcast",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "responder",
	.hint =
	    "Answer with sendto(fd, name, strlen(name), 0, (struct sockaddr "
	    "*)&asker, asker_len), where asker is the address recvfrom filled "
	    "in: a unicast reply that only the asker gets. Do not send to a "
	    "broadcast address.",
	.run = check_responder_direct,
    },
    {
	.id = "responder-question",
	.title =
	    "The responder answers the 8 bytes DISCOVER only, not datagrams "
	    "that resemble it",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "responder",
	.hint = "The question is exactly the 8 bytes of QUESTION: compare n == "
		"strlen(QUESTION) and memcmp(buf, QUESTION, n) == 0. strncmp "
		"of 8 bytes takes \"DISCOVERY\" and \"DISCOVER\\n\", and "
		"strcmp on a terminated buffer takes \"DISCOVER\\0...\"; "
		"ignore anything else.",
	.run = check_responder_question,
    },
    {
	.id = "responder-stops",
	.title =
	    "The responder exits 0 on SIGTERM and SIGINT and prints nothing on "
	    "stdout",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "responder",
	.hint =
	    "install_stop_handlers (sigaction, no SA_RESTART) makes recvfrom "
	    "fail with EINTR: test stop_requested, close the socket and return "
	    "0. Log with fprintf(stderr, ...), never printf.",
	.run = check_responder_stops,
    },
    {
	.id = "forgot-flag",
	.title =
	    "A broadcast the kernel refuses (EACCES, ENETUNREACH) is reported: "
	    "exit 2",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.programs = "broadcast discover",
	.hint = "Test what sendto returns (or connect, send or write, if you "
		"connect the socket): when it is negative, print the call, the "
		"address and strerror(errno), e.g. \"broadcast: sendto "
		"127.255.255.255 port 9000: Permission denied\", and return 2. "
		"EACCES is what you get without SO_BROADCAST, ENETUNREACH "
		"where no route leads to the address.",
	.run = check_forgot_flag,
    },
    {
	.id = "busy-port",
	.title = "listen and responder report a port they cannot bind, exit 2",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "listen responder",
	.hint = "Test what bind returns (open_shared_port returns -1 and names "
		"the call): print the call, the port and strerror(errno), e.g. "
		"\"listen: bind port 9000: Address already in use\", and "
		"return 2.",
	.run = check_busy_port,
    },
    {
	.id = "unknown-host",
	.title = "broadcast and discover report an unknown ADDRESS, exit 2",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "broadcast discover",
	.hint = "When getaddrinfo (resolve_ipv4) returns non-zero, print the "
		"address and gai_strerror(rc) (getaddrinfo does not set "
		"errno), e.g. \"broadcast: no-such-host.invalid: Name or "
		"service not known\", and return 2.",
	.run = check_unknown_host,
    },
    {
	.id = "usage",
	.title =
	    "Every program rejects bad arguments with a usage line, status 1, "
	    "and takes every value in range",
	.points = 4,
	.timeout_ms = USAGE_CHECK_MS,
	.programs = "broadcast listen discover responder",
	.hint = "Check the argument count and every number with parse_number "
		"before any socket call (PORT 1..65535, COUNT 1..1000, "
		"TIMEOUT_MS 1..60000, NAME not empty; digits only, the limits "
		"included) before any socket call; otherwise print the usage "
		"line from the handout on stderr and return 1.",
	.run = check_usage,
    },
};

static const struct sl_lab lab05 = {
    .number = "05",
    .name = "broadcast",
    .title =
	"SO_BROADCAST: a broadcaster and listeners, and discovery of servers",
    .files = {"broadcast.c", "listen.c", "discover.c", "responder.c",
	      "bcast.c"},
    .given = {"bcast.h"},
    .programs =
	{
	    {.name = "broadcast", .sources = {"broadcast.c", "bcast.c"}},
	    {.name = "listen", .sources = {"listen.c", "bcast.c"}},
	    {.name = "discover", .sources = {"discover.c", "bcast.c"}},
	    {.name = "responder", .sources = {"responder.c", "bcast.c"}},
	},
    .max_files = 32,
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab05);
