/* 04-udp-ping.c - lab 04: loss and round-trip time.
 *
 * The student writes a ping client, "ping HOST PORT COUNT TIMEOUT_MS".
 * The grader plays the echo server with the harness's UDP peer, which
 * follows a plan per datagram: reply after a delay, drop, reply twice,
 * reply after the client's timeout, hold a reply back, reply from another
 * port, reply with bytes that are not the ping, or send a forged copy from
 * another port first. Some plans are written out below; the "stats" and
 * "mixed" plans are drawn from the check's seed, so the same seed gives
 * the same plan. A run (support/04-udp-ping-runs.c) compares everything
 * the client did with what its plan implies.
 *
 * Every run is compared line by line: a timeout line where no valid reply
 * came in time, and a time line whose round trip lies within RTT_BELOW_MS
 * / RTT_ABOVE_MS of the delay the peer really applied (it notes when each
 * ping arrived and when each reply left). The summary's min/avg/max are
 * judged by the checks about statistics only (replies, stats,
 * stats-edges): elsewhere only the rtt line's shape, so that one mistake
 * in the statistics fails the checks whose hint is about it.
 *
 * UDP has no pieces: a datagram arrives whole or not at all. The lab's
 * "bad input" is a reply that is not the reply (bad-reply, stray), and
 * its "input in pieces" the late, duplicate and reordered replies that
 * arrive while another ping waits. The rules of the handout and the check
 * of each are listed in rules/04-udp-ping.md. The rubric is the table at
 * the end.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../harness/hx_udp_peer.h"
#include "../sl_lab.h"

/* Plans' times; MIDWAY_MS: in total-time, a datagram comes this long
 * into a ping's wait of WAIT_MS. */
#define MIN_DELAY_MS	50   /* seeded delays of replies */
#define MAX_DELAY_MS	200  /* leaves TIMEOUT_MS - 200 ms to a slow client */
#define GAP_MS		20   /* between the two copies of a duplicate */
#define WAIT_MS		400  /* total-time: each ping's TIMEOUT_MS */
#define MIDWAY_MS	320  /* total-time: a datagram into a ping's wait */
#define LONG_TIMEOUT_MS 1200 /* a timeout of more than a second */
#define UNKNOWN_HOST	"no-such-host.invalid" /* RFC 6761: never resolves */
#define CLOCK_SLACK_MS	5 /* a <time> may round up past its arrival */
#define SENT_WITHIN_MS                                                         \
	3000 /* a <time> this long before its arrival is                       \
		not the moment it was sent (scaled) */

#include "support/04-udp-ping-runs.c"

/* Defines the check function fn, which runs one written-out plan with the
 * other fields of struct ping_run given after it. */
#define PLAN_CHECK(fn, plan, ...)                                              \
	static void fn(struct hx_check *c)                                     \
	{                                                                      \
		const struct ping_run run = {                                  \
		    .count = SL_COUNT(plan), .steps = plan, __VA_ARGS__};      \
		run_ping(c, &run);                                             \
	}

static const struct hx_udp_step replies_plan[] = {
    REPLY(0), REPLY(20), REPLY(110), REPLY(60), REPLY(40),
};

/* A late reply to ping 2 comes while ping 3 waits (and ping 3 gets no
 * reply of its own), a late reply to ping 4 before ping 5's own. */
static const struct hx_udp_step late_plan[] = {
    REPLY(60), LATE, DROP, LATE, REPLY(200), REPLY(80),
};

/* The second copy of each reply arrives while the next ping waits. */
static const struct hx_udp_step duplicate_plan[] = {
    DUPLICATE(60), DUPLICATE(100), DROP, DUPLICATE(80), REPLY(120),
};

static const struct hx_udp_step all_lost_plan[] = {
    DROP,
    DROP,
    DROP,
    DROP,
};

/* No ping gets its reply, but a datagram comes MIDWAY_MS into the wait of
 * pings 1, 3 and 4: its echo from another port, the late reply to ping 2
 * (from the server's own port), bytes that are not the ping (from the
 * server's own port). A client whose wait starts again at a datagram
 * waits MIDWAY_MS too long there. */
static const struct hx_udp_step total_time_plan[] = {
    OTHER_PORT(MIDWAY_MS), LATE, DROP, NOT_THE_PING(MIDWAY_MS),
    OTHER_PORT(MIDWAY_MS),
};

/* Forged copies from another port come first; two pings are answered
 * from another port only; the last two get a copy from the server's port
 * on another address first (forge_from). */
static const struct hx_udp_step stray_plan[] = {
    STRAY(120),	     OTHER_PORT(60), STRAY(80), REPLY(60),
    OTHER_PORT(100), REPLY(90),	     REPLY(70),
};

/* Lines 1 and 3 are decided by a reply, line 2 by a timeout; each has
 * a wait of at least 200 ms after it, in which it must show. */
static const struct hx_udp_step at_once_plan[] = {
    REPLY(10),
    DROP,
    REPLY(200),
    DROP,
};

/* The same faults as stray, over IPv6. */
static const struct hx_udp_step ipv6_plan[] = {
    STRAY(60),
    REPLY(30),
    OTHER_PORT(40),
};

/* A lost ping in the middle waits the whole LONG_TIMEOUT_MS. */
static const struct hx_udp_step long_timeout_plan[] = {
    REPLY(0),
    DROP,
    REPLY(0),
};

PLAN_CHECK(check_replies, replies_plan, .judge_times = 1, .judge_summary = 1)
PLAN_CHECK(check_late_reply, late_plan, .judge_times = 0)
PLAN_CHECK(check_duplicate, duplicate_plan, .judge_times = 0)
PLAN_CHECK(check_all_lost, all_lost_plan, .judge_summary = 1)
PLAN_CHECK(check_total_time, total_time_plan, .timed = 1, .timeout_ms = WAIT_MS,
	   .late_ms = WAIT_MS + MIDWAY_MS)
PLAN_CHECK(check_stray, stray_plan, .forge_from = 6)
PLAN_CHECK(check_at_once, at_once_plan, .judge_lines = 1)
PLAN_CHECK(check_long_timeout, long_timeout_plan, .timed = 1,
	   .timeout_ms = LONG_TIMEOUT_MS)

/* Runs a plan drawn from the seed with the given mix. */
static void run_seeded(struct hx_check *c, const struct hx_udp_mix *mix)
{
	struct hx_udp_step steps[MAX_PINGS];
	struct ping_run run = {
	    .steps = steps, .judge_times = 1, .judge_summary = 1};

	run.count = hx_udp_schedule_random(c, mix, steps, MAX_PINGS);
	if (run.count > 0)
		run_ping(c, &run);
}

static void check_stats(struct hx_check *c)
{
	/* 2 of 7 lost: 28.6%, which integer arithmetic gets wrong. */
	const struct hx_udp_mix mix = {
	    .count = {[HX_UDP_REPLY] = 5, [HX_UDP_DROP] = 2},
	    .min_delay_ms = MIN_DELAY_MS,
	    .max_delay_ms = MAX_DELAY_MS,
	};

	run_seeded(c, &mix);
}

static void check_mixed(struct hx_check *c)
{
	/* Every fault at least once: 4 of 9 lost, 44.4%. */
	const struct hx_udp_mix mix = {
	    .count = {[HX_UDP_REPLY] = 2,
		      [HX_UDP_DROP] = 1,
		      [HX_UDP_DUPLICATE] = 2,
		      [HX_UDP_LATE] = 1,
		      [HX_UDP_REORDER] = 1,
		      [HX_UDP_OTHER_PORT] = 1,
		      [HX_UDP_STRAY] = 1},
	    .min_delay_ms = MIN_DELAY_MS,
	    .max_delay_ms = MAX_DELAY_MS,
	    .gap_ms = GAP_MS,
	};

	run_seeded(c, &mix);
}

/* One ping, answered: min, avg and max are its time. One reply of three:
 * 66.7% loss (in integers 66, truncated 66.6), and still status 0. */
static void check_stats_edges(struct hx_check *c)
{
	static const struct hx_udp_step one[] = {REPLY(30)};
	static const struct hx_udp_step one_of_three[] = {REPLY(40), DROP,
							  DROP};
	const struct ping_run runs[] = {
	    {.count = 1, .steps = one, .judge_times = 1, .judge_summary = 1},
	    {.count = 3,
	     .steps = one_of_three,
	     .judge_times = 1,
	     .judge_summary = 1},
	};

	for (int i = 0; i < SL_COUNT(runs) && hx_ok(c); i++)
		run_ping(c, &runs[i]);
}

/* The bad-reply plan: replies from the server's own port that are not the
 * ping's bytes, around two good ones. */
static void decide_bad_reply(void *arg, int index, const void *data, size_t len,
			     struct hx_udp_step *step)
{
	static char bad[96];
	const char *ping = data;

	(void)arg;
	step->action = HX_UDP_REPLY;
	step->delay_ms = 30;
	switch (index) {
	case 0: /* empty */
		step->payload = "";
		break;
	case 1: /* cut short: no final \n */
		step->payload = data;
		step->payload_len = len > 0 ? len - 1 : 0;
		break;
	case 3: /* the right sequence number, the wrong time */
		step->payload = bad;
		step->payload_len = (size_t)snprintf(bad, sizeof(bad),
						     "PING %d 0\n", index + 1);
		break;
	case 4: /* binary */
		step->payload = "\0\xff"
				"PING 5";
		step->payload_len = 8;
		break;
	case 5: /* the ping and one byte more */
		step->payload_len = len < sizeof(bad) - 1 ? len : 0;
		memcpy(bad, ping, step->payload_len);
		bad[step->payload_len++] = 'X';
		step->payload = bad;
		break;
	default: /* 2 and 6: the real reply */
		step->delay_ms = 40 + 30 * (index / 3);
		break;
	}
}

static void check_bad_reply(struct hx_check *c)
{
	const struct ping_run run = {.count = 7, .decide = decide_bad_reply};

	run_ping(c, &run);
}

static void check_ipv6(struct hx_check *c)
{
	const struct ping_run run = {
	    .count = SL_COUNT(ipv6_plan), .steps = ipv6_plan, .host = "::1"};

	if (hx_need_ipv6_loopback(c))
		run_ping(c, &run);
}

static void check_requests(struct hx_check *c)
{
	static const struct hx_udp_step plan[] = {
	    REPLY(0),
	    REPLY(0),
	    REPLY(0),
	    REPLY(0),
	};
	int port = hx_port(c, 0);
	char port_arg[16], timeout_arg[16];
	const char *args[] = {"127.0.0.1", port_arg, "4", timeout_arg, NULL};
	struct hx_udp_peer peer;
	struct hx_proc *client;
	long long last = -1;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	snprintf(timeout_arg, sizeof(timeout_arg), "%d", TIMEOUT_MS);
	hx_udp_peer_init(&peer);
	peer.schedule = plan;
	peer.nschedule = SL_COUNT(plan);
	if (hx_udp_peer_start(c, &peer, "127.0.0.1", port,
			      4 * TIMEOUT_MS + 2 * RUN_SLACK_MS) < 0)
		return;
	client = hx_start(c, "ping", args);
	if (client)
		hx_proc_wait(c, client, 4 * TIMEOUT_MS + RUN_SLACK_MS);
	hx_udp_peer_stop(c, &peer, STOP_MS);
	if (!client || !hx_ok(c) ||
	    hx_expect_int(c, "datagrams the server received", 4, peer.nseen) <
		0)
		goto out_free;
	for (int k = 1; k <= peer.nseen; k++) {
		const struct hx_buf *d = &peer.seen[k - 1].data;
		char what[48], want[64];
		long long ms = -1;
		int used = 0;
		long seq = 0;

		/* "PING <seq> <ms>\n", written back from the numbers read,
		 * must be the datagram: no leading zeros, no extra spaces. */
		if (sscanf(d->data, "PING %ld %lld%n", &seq, &ms, &used) < 2)
			ms = -1;
		if (ms >= 0)
			snprintf(want, sizeof(want), "PING %d %lld\n", k, ms);
		else
			snprintf(want, sizeof(want), "PING %d <time>\n", k);
		snprintf(what, sizeof(what), "ping %d", k);
		if (hx_expect_bytes(c, what, want, strlen(want), d->data,
				    d->len) < 0)
			break;
		/* the same clock as the harness's: sent before it arrived,
		 * and not long before (wall-clock or microseconds are far
		 * off either way) */
		if (ms > peer.seen[k - 1].received_ms + CLOCK_SLACK_MS ||
		    ms < peer.seen[k - 1].received_ms -
			     (int64_t)(SENT_WITHIN_MS * hx_timeout_scale())) {
			hx_fail(c, HX_FAIL,
				"ping %d says it was sent at %lld ms, but "
				"CLOCK_MONOTONIC said %lld ms when it arrived: "
				"<time> is not milliseconds of CLOCK_MONOTONIC",
				k, ms, (long long)peer.seen[k - 1].received_ms);
			break;
		}
		if (ms < last) {
			hx_fail(c, HX_FAIL,
				"ping %d says it was sent at %lld ms, before "
				"ping %d (%lld ms)",
				k, ms, k - 1, last);
			break;
		}
		last = ms;
	}
out_free:
	hx_udp_peer_free(&peer);
}

/* Runs "ping 127.0.0.1 PORT count timeout" and requires its first ping
 * to arrive: the arguments were taken. What it does then is other checks'
 * business, so it is stopped there. */
static int expect_accepted(struct hx_check *c, const char *count,
			   const char *timeout)
{
	int port = hx_port(c, 0);
	char port_arg[16], label[96];
	const char *args[] = {"127.0.0.1", port_arg, count, timeout, NULL};
	struct hx_proc *client;
	struct hx_conn server;
	int ready;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	snprintf(label, sizeof(label), "ping 127.0.0.1 %d %s %s", port, count,
		 timeout);
	if (hx_udp_open(c, &server, "127.0.0.1", port) < 0)
		return -1;
	client = hx_start_labelled(c, label, "ping", args);
	ready = client ? hx_wait_readable(c, server.fd, client,
					  "before its first ping came", EXIT_MS)
		       : -1;
	if (ready == 0)
		hx_fail(c, HX_TIMEOUT, "%s sent no ping within %.1f s", label,
			EXIT_MS / 1000.0);
	if (ready != 1)
		hx_note(c, "COUNT %s and TIMEOUT_MS %s are in range", count,
			timeout);
	if (client && hx_proc_running(client)) {
		client->stopped_by_harness = 1;
		hx_proc_kill(client);
	}
	hx_close(c, &server);
	return hx_ok(c) ? 0 : -1;
}

static void check_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"127.0.0.1", "9000", "3", NULL},
	    {"9000", "3", "300", NULL},
	    {"", "9000", "3", "300", NULL},
	    {"127.0.0.1", "abc", "3", "300", NULL},
	    {"127.0.0.1", "0", "3", "300", NULL},
	    {"127.0.0.1", "65536", "3", "300", NULL},
	    {"127.0.0.1", "9000", "0", "300", NULL},
	    {"127.0.0.1", "9000", "1001", "300", NULL},
	    {"127.0.0.1", "9000", "three", "300", NULL},
	    {"127.0.0.1", "9000", "-1", "300", NULL},
	    {"127.0.0.1", "9000", "+3", "300", NULL},
	    {"127.0.0.1", "9000", "3", "0", NULL},
	    {"127.0.0.1", "9000", "3", "60001", NULL},
	    {"127.0.0.1", "9000", "3", "300ms", NULL},
	    {"127.0.0.1", "9000", "3", " 300", NULL},
	    {"127.0.0.1", "9000", "3", "300", "extra", NULL},
	};

	if (hx_expect_usage(c, "ping", cases, SL_COUNT(cases), EXIT_MS) < 0)
		return;
	/* Every value in range is taken, the limits too. */
	if (expect_accepted(c, "1000", "60000") == 0)
		expect_accepted(c, "1", "1");
}

static void check_unknown_host(struct hx_check *c)
{
	char port_arg[16];
	const char *args[] = {UNKNOWN_HOST, port_arg, "3", "300", NULL};
	struct hx_proc *client;

	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	client = hx_start(c, "ping", args);
	if (client && hx_proc_expect_exit(c, client, 2, RESOLVE_MS) == 0)
		hx_expect_contains(c, "client's stderr", UNKNOWN_HOST,
				   client->err.data);
}

/* Deadlines of whole checks (scaled like all deadlines). */
#define CHECK_MS      8000  /* most checks */
#define LONG_CHECK_MS 15000 /* usage: many runs of ping */
#define BUILD_MS      60000 /* the build */

/* The rubric: 100 points. */
static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "ping builds with no warnings under -Wall -Wextra",
	.points = 10,
	.timeout_ms = BUILD_MS,
	.programs = "ping",
	.hint =
	    "Read the compiler's messages from the first one down; fix every "
	    "warning too (an unused variable, a missing return, a signed and "
	    "unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "requests",
	.title = "each ping is one datagram, PING seq time and a newline, "
		 "seq from 1",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.programs = "ping",
	.hint =
	    "Send one datagram per ping, written by format_ping: \"PING %ld "
	    "%lld\\n\" with seq counting 1, 2, ... COUNT and the send time in "
	    "whole milliseconds of CLOCK_MONOTONIC; send its length, no NUL, "
	    "and never send a ping twice.",
	.run = check_requests,
    },
    {
	.id = "replies",
	.title = "every ping answered: one time line each, 0.0% loss, "
		 "rtt line",
	.points = 8,
	.timeout_ms = CHECK_MS,
	.programs = "ping",
	.hint = "Take the time with clock_gettime(CLOCK_MONOTONIC) just before "
		"sendto and just after recvfrom returns the reply; print "
		"\"seq=N time=%.3f ms\" with elapsed_ms of the two "
		"(milliseconds, with fractions), then the summary of "
		"stats_print.",
	.run = check_replies,
    },
    {
	.id = "stats",
	.title = "a seeded plan of delays and drops: loss exact, RTTs "
		 "within tolerance",
	.points = 9,
	.timeout_ms = CHECK_MS,
	.flags = SL_WAITS,
	.programs = "ping",
	.hint =
	    "Loss is 100.0 * (transmitted - received) / transmitted, printed "
	    "with %.1f (2 of 7 is 28.6%); min, avg and max come from the "
	    "replies only, avg = sum / received, and the first reply sets both "
	    "min and max (a min that starts at 0 stays 0). A dropped ping "
	    "prints \"seq=N timeout\" after TIMEOUT_MS.",
	.run = check_stats,
    },
    {
	.id = "stats-edges",
	.title = "one ping answered, and one reply of three: min = avg = max, "
		 "66.7% loss, status 0",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.flags = SL_WAITS,
	.programs = "ping",
	.hint =
	    "With one reply, min, avg and max are all its time: let the first "
	    "reply set min and max (stats->received == 0), whatever stats_init "
	    "put there. 1 of 3 received is 66.7% lost (%.1f rounds; integers "
	    "give 66), and one reply is enough for status 0.",
	.run = check_stats_edges,
    },
    {
	.id = "late-reply",
	.title = "a reply that comes after its timeout does not count "
		 "for the next ping",
	.points = 7,
	.timeout_ms = CHECK_MS,
	.flags = SL_WAITS,
	.programs = "ping",
	.hint = "A datagram is the reply to the current ping only if its bytes "
		"are exactly the ping's (n == len and memcmp == 0): a late "
		"reply to an earlier ping carries another sequence number. "
		"Ignore it and keep waiting until this ping's own deadline.",
	.run = check_late_reply,
    },
    {
	.id = "duplicate",
	.title = "a reply that arrives twice counts once",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.programs = "ping",
	.hint =
	    "Stop waiting at the first valid reply and send the next ping at "
	    "once; the second copy then arrives while the next ping waits, and "
	    "its bytes are not that ping's, so it is ignored.",
	.run = check_duplicate,
    },
    {
	.id = "all-lost",
	.title = "every ping lost: 100.0% loss, no rtt line, status 3",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.flags = SL_WAITS,
	.programs = "ping",
	.hint = "When received is 0, print only the transmitted line (no rtt "
		"line: an average of nothing is 0/0) and return 3 from main.",
	.run = check_all_lost,
    },
    {
	.id = "total-time",
	.title = "a ping waits TIMEOUT_MS from its send, whatever datagrams "
		 "arrive meanwhile",
	.points = 8,
	.timeout_ms = CHECK_MS,
	.flags = SL_WAITS,
	.programs = "ping",
	.hint =
	    "Compute each ping's deadline once, send time + TIMEOUT_MS, and "
	    "before every recvfrom set SO_RCVTIMEO to what is left of it "
	    "(never 0: a zero timeval waits forever), after every ignored "
	    "datagram: from another port, a late reply or bytes that are not "
	    "the ping from the server's own port. Setting the full timeout "
	    "again makes a ping wait too long; without any timeout recvfrom "
	    "waits forever.",
	.run = check_total_time,
    },
    {
	.id = "stray",
	.title = "datagrams from another port or address are ignored, even "
		 "copies of the reply",
	.points = 7,
	.timeout_ms = CHECK_MS,
	.flags = SL_WAITS,
	.programs = "ping",
	.hint = "Compare the address recvfrom fills in with the server's "
		"(family, address and port) and ignore any other sender: a "
		"copy of the reply from another port of the server's host, or "
		"from the server's port on another address, is not the reply.",
	.run = check_stray,
    },
    {
	.id = "bad-reply",
	.title = "a reply that is not the ping's exact bytes is "
		 "ignored",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.flags = SL_WAITS,
	.programs = "ping",
	.hint =
	    "Compare the whole reply with the ping you sent: same length and "
	    "same bytes (memcmp). An empty datagram, one cut short, one with a "
	    "byte more or another time is not the reply; never use the reply "
	    "as a C string (it may hold NUL bytes).",
	.run = check_bad_reply,
    },
    {
	.id = "mixed",
	.title = "a seeded plan with every fault: drop, delay, duplicate, "
		 "late, reorder, other port",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.flags = SL_WAITS,
	.programs = "ping",
	.hint = "Run with V=1 and the seed shown to see the plan and every "
		"datagram; each fault has a check of its own whose hint "
		"applies.",
	.run = check_mixed,
    },
    {
	.id = "at-once",
	.title = "each line shows as soon as its ping has its reply or timed "
		 "out",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.flags = SL_WAITS,
	.programs = "ping",
	.hint = "Print each ping's line as soon as it is decided (its reply "
		"came or its time ran out), not after waiting on, and "
		"fflush(stdout) after it: stdout to a pipe or a file is fully "
		"buffered, and printf's lines stay in the buffer until it "
		"fills or the program exits.",
	.run = check_at_once,
    },
    {
	.id = "ipv6",
	.title = "pings an IPv6 address (::1), ignoring another port there",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "ping",
	.hint = "Create the socket with the family getaddrinfo returned "
		"(socket(res->ai_family, ...)), keep the server's address in a "
		"struct sockaddr_storage, and compare senders of the family "
		"AF_INET6 with sockaddr_in6: sin6_port and sin6_addr (memcmp "
		"of its 16 bytes).",
	.run = check_ipv6,
    },
    {
	.id = "long-timeout",
	.title = "a TIMEOUT_MS of 1200: a lost ping waits 1.2 s, a second and "
		 "200000 microseconds",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.flags = SL_WAITS,
	.programs = "ping",
	.hint = "tv_usec must stay below 1000000 (setsockopt fails with EINVAL "
		"otherwise): tv_sec = whole seconds of the time left, tv_usec "
		"= the microseconds of the rest. Check what setsockopt "
		"returns.",
	.run = check_long_timeout,
    },
    {
	.id = "usage",
	.title = "bad arguments print a usage line on stderr, exit 1; "
		 "every value in range is taken",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "ping",
	.hint =
	    "Require exactly four arguments: a non-empty HOST, PORT from 1 to "
	    "65535, COUNT from 1 to 1000, TIMEOUT_MS from 1 to 60000, each "
	    "checked with parse_number (digits only, the limits included); "
	    "otherwise print \"usage: ping HOST PORT COUNT TIMEOUT_MS\" on "
	    "stderr and return 1.",
	.run = check_usage,
    },
    {
	.id = "unknown-host",
	.title = "an unknown host is reported on stderr, exit 2",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "ping",
	.hint = "When getaddrinfo returns non-zero, print the host and "
		"gai_strerror(rc) (getaddrinfo does not set errno), e.g. "
		"\"ping: no-such-host.invalid: Name or service not known\", "
		"and return 2.",
	.run = check_unknown_host,
    },
};

static const struct sl_lab lab04 = {
    .number = "04",
    .name = "udp-ping",
    .title = "Loss and round-trip time: a UDP ping client",
    .files = {"ping.c", "stats.c"},
    .given = {"ping.h"},
    .programs =
	{
	    {.name = "ping", .sources = {"ping.c", "stats.c"}},
	},
    .max_files = 32,
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab04);
