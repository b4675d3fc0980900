/* 04-udp-ping.c - lab 04: loss and round-trip time.
 *
 * The student writes a ping client, "ping HOST PORT COUNT TIMEOUT_MS".
 * The grader plays the echo server with the harness's UDP peer, which
 * follows a plan per datagram: reply after a delay, drop, reply twice,
 * reply after the client's timeout, hold a reply back, reply from another
 * port, or send a forged copy from another port first. Some plans are
 * written out below; the "stats" and "mixed" plans are drawn from the
 * check's seed, so the same seed gives the same plan.
 *
 * Every run is compared line by line with what the plan implies: a
 * timeout line where no valid reply came in time, and a time line whose
 * round trip lies within RTT_BELOW_MS / RTT_ABOVE_MS of the delay the
 * peer really applied (it notes when each ping arrived and when each
 * reply left). The tolerance is loose above, for a loaded machine, and
 * tight below: a reply cannot come back before it was sent.
 *
 * UDP has no pieces: a datagram arrives whole or not at all. The lab's
 * "bad input" is a reply that is not the reply (bad-reply, stray), and
 * its "input in pieces" the late, duplicate and reordered replies that
 * arrive while another ping waits. The rubric is the table at the end.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../harness/hx_udp_peer.h"
#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define EXIT_MS	   1500 /* a program exits after bad arguments */
#define RESOLVE_MS 3000 /* the client gives up on a name that cannot exist */
#define STOP_MS	   1000 /* the peer's thread stops */
#define RUN_SLACK_MS 1500 /* a run's deadline past COUNT * TIMEOUT_MS */

/* The time plans are made of: about time itself, so never scaled. */
#define TIMEOUT_MS     300 /* the client's TIMEOUT_MS in every run */
#define LATE_AFTER_MS  150 /* a late reply leaves this long after the
			      client's timeout, in the next ping's wait */
#define MIN_DELAY_MS   50  /* seeded delays of replies */
#define MAX_DELAY_MS   200 /* leaves TIMEOUT_MS - 200 ms to a slow client */
#define GAP_MS	       20  /* between the two copies of a duplicate */
#define RTT_BELOW_MS   5   /* a measured RTT may be this much shorter */
#define RTT_ABOVE_MS   60  /* and this much longer (scaled) */
#define TIME_SLACK_MS  400 /* total-time: allowed past COUNT * TIMEOUT_MS */
#define GUARD_MS       60  /* a reply must leave this long before timeout */
#define UNKNOWN_HOST   "no-such-host.invalid" /* RFC 6761: never resolves */

#define MAX_PINGS 16 /* pings in the longest run */

/* One run of the client and what it must show. */
struct ping_run {
	int count;                       /* COUNT */
	const struct hx_udp_step *steps; /* the plan, one step per ping */
	hx_udp_decide_fn decide;         /* or a plan made as pings arrive */
	int timed;                       /* 1: the total time is graded */
};

/* Shortcuts for plans written out. */
#define REPLY(ms)     { HX_UDP_REPLY, ms, 0, NULL, 0 }
#define DROP	      { HX_UDP_DROP, 0, 0, NULL, 0 }
#define DUPLICATE(ms) { HX_UDP_DUPLICATE, ms, GAP_MS, NULL, 0 }
#define LATE	      { HX_UDP_LATE, 0, 0, NULL, 0 }
#define OTHER_PORT(ms){ HX_UDP_OTHER_PORT, ms, 0, NULL, 0 }
#define STRAY(ms)     { HX_UDP_STRAY, ms, 0, NULL, 0 }

/* 1 if the plan gives s a reply that is the ping itself, from the
 * server's port, in time: the only datagram that makes a ping count as
 * received. The plan decides, not what was sent: a client that ends
 * before its replies have left has not waited for them. */
static int reply_is_valid(const struct hx_udp_seen *s)
{
	enum hx_udp_action a = s->step.action;

	return (a == HX_UDP_REPLY || a == HX_UDP_DUPLICATE ||
		a == HX_UDP_STRAY) &&
	       s->reply.len == s->data.len &&
	       memcmp(s->reply.data, s->data.data, s->data.len) == 0;
}

/* Says in the notes what the server did with each ping. */
static void note_plan(struct hx_check *c, const struct hx_udp_peer *peer)
{
	if (peer->nseen == 0)
		return;
	hx_note(c, "the server's plan (client timeout %d ms):", TIMEOUT_MS);
	for (int i = 0; i < peer->nseen; i++) {
		const struct hx_udp_seen *s = &peer->seen[i];
		long applied = hx_udp_applied_ms(s, 0);
		struct hx_buf text;

		hx_buf_init(&text);
		hx_escape_cut(&text, s->data.data, s->data.len, 40);
		if (!reply_is_valid(s) && s->step.action != HX_UDP_DROP &&
		    s->reply.len != s->data.len)
			hx_note(c, "  datagram %d \"%s\": a reply that is not "
				   "the ping, after %ld ms",
				i + 1, text.data, applied);
		else if (applied >= 0)
			hx_note(c, "  datagram %d \"%s\": %s, sent after %ld ms",
				i + 1, text.data,
				hx_udp_action_name(s->step.action), applied);
		else
			hx_note(c, "  datagram %d \"%s\": %s, never sent",
				i + 1, text.data,
				hx_udp_action_name(s->step.action));
		hx_buf_free(&text);
	}
}

/* Reads a number with exactly three decimals at *p ("52.417"); moves *p
 * past it. Returns 0, or -1 when the text has another shape. */
static int read_ms(const char **p, double *value)
{
	const char *s = *p;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	*value = strtod(s, &end);
	if (end - s < 5 || end[-4] != '.' ||
	    strspn(end - 3, "0123456789") < 3)
		return -1;
	*p = end;
	return 0;
}

/* 1 if got (the client's time) is within the tolerance of applied. */
static int rtt_fits(double got, double applied)
{
	return got >= applied - RTT_BELOW_MS &&
	       got <= applied + RTT_ABOVE_MS * hx_timeout_scale();
}

/* Appends to want the line the client should print for a round trip of
 * applied ms: its own line when its time fits, else applied itself, so
 * the first difference points at the time. A reply never sent (sent 0)
 * cannot have been measured. Returns 1 if it fitted. */
static int want_time_line(struct hx_buf *want, const char *line, size_t len,
			  const char *prefix, double applied, int sent)
{
	size_t plen = strlen(prefix);
	const char *p = line + plen;
	double got;

	if (sent && len > plen && memcmp(line, prefix, plen) == 0 &&
	    read_ms(&p, &got) == 0 && (size_t)(p - line) + 3 == len &&
	    memcmp(p, " ms", 3) == 0 && rtt_fits(got, applied)) {
		hx_buf_add(want, line, len);
		hx_buf_add(want, "\n", 1);
		return 1;
	}
	hx_buf_addf(want, "%s%.3f ms\n", prefix, applied);
	return 0;
}

/* The next line of text at *at (without its \n); *at moves past it. */
static size_t next_line(const char **at, const char **line)
{
	const char *end = strchr(*at, '\n');
	size_t len = end ? (size_t)(end - *at) : strlen(*at);

	*line = *at;
	*at += len + (end ? 1 : 0);
	return len;
}

/* Builds the stdout the plan implies, taking the client's own times where
 * they fit, and compares it with the client's. */
static int expect_output(struct hx_check *c, const struct hx_udp_peer *peer,
			 int count, const char *out)
{
	const char *at = out ? out : "";
	long received = 0, fitted = 1;
	const char *skipped;
	double min = 0, max = 0, sum = 0;
	struct hx_buf want;
	int rc;

	hx_buf_init(&want);
	for (int k = 1; k <= count; k++) {
		const struct hx_udp_seen *s = &peer->seen[k - 1];
		const char *line;
		size_t len = next_line(&at, &line);
		char prefix[48];
		double applied;

		if (!reply_is_valid(s)) {
			hx_buf_addf(&want, "seq=%d timeout\n", k);
			continue;
		}
		/* A reply not sent: the client ended before its time. */
		applied = s->sent_ms[0] ? (double)hx_udp_applied_ms(s, 0)
					: (double)s->step.delay_ms;
		snprintf(prefix, sizeof(prefix), "seq=%d time=", k);
		fitted &= want_time_line(&want, line, len, prefix, applied,
					 s->sent_ms[0] != 0);
		if (received == 0 || applied < min)
			min = applied;
		if (received == 0 || applied > max)
			max = applied;
		sum += applied;
		received++;
	}
	hx_buf_addf(&want, "%d packets transmitted, %ld received, %.1f%% "
			   "packet loss\n",
		    count, received, 100.0 * (double)(count - received) / count);
	next_line(&at, &skipped); /* the summary: exact, in want already */
	if (received > 0) {
		/* The three times in one line: each must fit on its own. */
		const char *line, *p;
		size_t len = next_line(&at, &line);
		double got[3];
		double applied[3] = { min, sum / (double)received, max };
		int ok = len > 0 && strncmp(line, "rtt min/avg/max = ", 18) == 0;

		p = line + 18;
		for (int i = 0; ok && i < 3; i++)
			ok = read_ms(&p, &got[i]) == 0 &&
			     rtt_fits(got[i], applied[i]) &&
			     *p++ == (i < 2 ? '/' : ' ');
		ok = ok && (size_t)(p - line) + 2 == len &&
		     memcmp(p, "ms", 2) == 0;
		if (ok) {
			hx_buf_add(&want, line, len);
			hx_buf_add(&want, "\n", 1);
		} else {
			hx_buf_addf(&want,
				    "rtt min/avg/max = %.3f/%.3f/%.3f ms\n",
				    applied[0], applied[1], applied[2]);
			fitted = 0;
		}
	}
	rc = hx_expect_str(c, "client's stdout", want.data, out ? out : "");
	if (rc < 0 && !fitted)
		hx_note(c,
			"expected times are the delays the server really "
			"applied; a time within -%d/+%.0f ms of it passes",
			RTT_BELOW_MS, RTT_ABOVE_MS * hx_timeout_scale());
	hx_buf_free(&want);
	return rc;
}

/* -1 (after hx_fail) if the machine was too slow for the plan: a reply
 * meant to come in time left too close to the client's timeout. */
static int plan_was_kept(struct hx_check *c, const struct hx_udp_peer *peer)
{
	for (int i = 0; i < peer->nseen; i++) {
		long applied = hx_udp_applied_ms(&peer->seen[i], 0);

		if (reply_is_valid(&peer->seen[i]) &&
		    applied > TIMEOUT_MS - GUARD_MS)
			return hx_fail(c, HX_ERROR,
				       "the grader's reply to ping %d left "
				       "%ld ms after the ping arrived, too "
				       "close to the %d ms timeout: this "
				       "machine is too busy to grade timing; "
				       "run the check again",
				       i + 1, applied, TIMEOUT_MS);
	}
	return 0;
}

/* Requires the run's total time to be COUNT timeouts, give or take. */
static int expect_total_time(struct hx_check *c, const struct ping_run *run,
			     long waited)
{
	long floor = (long)run->count * TIMEOUT_MS;

	if (waited < floor - 5L * run->count)
		return hx_fail(c, HX_FAIL,
			       "the client ended after %ld ms, before its %d "
			       "pings could each have waited %d ms",
			       waited, run->count, TIMEOUT_MS);
	return 0;
}

/* Starts the peer with the run's plan and "ping 127.0.0.1 PORT COUNT
 * TIMEOUT_MS", waits for the client, and compares everything it did with
 * the plan: datagrams sent, stdout, exit status, and for timed runs the
 * total time. */
static void run_ping(struct hx_check *c, const struct ping_run *run)
{
	int port = hx_port(c, 0);
	char port_arg[16], count_arg[16], timeout_arg[16];
	const char *args[] = { "127.0.0.1", port_arg, count_arg, timeout_arg,
			       NULL };
	int budget = run->count * TIMEOUT_MS +
		     (run->timed ? TIME_SLACK_MS : RUN_SLACK_MS);
	struct hx_udp_peer peer;
	struct hx_proc *client;
	int64_t started;
	long waited;
	int received = 0;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	snprintf(count_arg, sizeof(count_arg), "%d", run->count);
	snprintf(timeout_arg, sizeof(timeout_arg), "%d", TIMEOUT_MS);
	hx_udp_peer_init(&peer);
	peer.schedule = run->steps;
	peer.nschedule = run->steps ? run->count : 0;
	peer.decide = run->decide;
	peer.late_ms = TIMEOUT_MS + LATE_AFTER_MS;
	if (hx_udp_peer_start(c, &peer, "127.0.0.1", port,
			      budget + RUN_SLACK_MS) < 0)
		return;

	started = hx_now_ms();
	client = hx_start(c, "ping", args);
	if (client && hx_proc_wait(c, client, budget) < 0)
		hx_note(c,
			"%d pings with a %d ms timeout each should take at "
			"most %d ms; the client was given %d ms",
			run->count, TIMEOUT_MS, run->count * TIMEOUT_MS,
			budget);
	waited = (long)(hx_now_ms() - started);
	hx_udp_peer_stop(c, &peer, STOP_MS);
	if (!client || !hx_ok(c))
		goto out_note;

	if (hx_expect_int(c, "datagrams the server received (one per ping)",
			  run->count, peer.nseen) < 0 ||
	    plan_was_kept(c, &peer) < 0)
		goto out_note;
	for (int i = 0; i < peer.nseen; i++)
		received += reply_is_valid(&peer.seen[i]);
	if (hx_proc_expect_exit(c, client, received > 0 ? 0 : 3, EXIT_MS) <
		    0 ||
	    expect_output(c, &peer, run->count, client->out.data) < 0)
		goto out_note;
	if (run->timed)
		expect_total_time(c, run, waited);
out_note:
	if (!hx_ok(c))
		note_plan(c, &peer);
	hx_udp_peer_free(&peer);
}

/* Defines the check function fn, which runs one written-out plan. */
#define PLAN_CHECK(fn, plan, timed)                                           \
	static void fn(struct hx_check *c)                                    \
	{                                                                     \
		const struct ping_run run = { SL_COUNT(plan), plan, NULL,     \
					      timed };                        \
		run_ping(c, &run);                                            \
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
	DROP, DROP, DROP, DROP,
};

/* Every ping's reply comes from another port half-way through its wait:
 * a client whose wait starts again at every datagram waits 1.5 times. */
static const struct hx_udp_step total_time_plan[] = {
	OTHER_PORT(150), OTHER_PORT(150), OTHER_PORT(150), OTHER_PORT(150),
	OTHER_PORT(150),
};

/* Forged copies from another port come first; two pings are answered
 * from another port only. */
static const struct hx_udp_step stray_plan[] = {
	STRAY(120), OTHER_PORT(60), STRAY(80), REPLY(60), OTHER_PORT(100),
};

PLAN_CHECK(check_replies, replies_plan, 0)
PLAN_CHECK(check_late_reply, late_plan, 0)
PLAN_CHECK(check_duplicate, duplicate_plan, 0)
PLAN_CHECK(check_all_lost, all_lost_plan, 0)
PLAN_CHECK(check_total_time, total_time_plan, 1)
PLAN_CHECK(check_stray, stray_plan, 0)

/* Runs a plan drawn from the seed with the given mix. */
static void run_seeded(struct hx_check *c, const struct hx_udp_mix *mix)
{
	struct hx_udp_step steps[MAX_PINGS];
	struct ping_run run = { 0, steps, NULL, 0 };

	run.count = hx_udp_schedule_random(c, mix, steps, MAX_PINGS);
	if (run.count > 0)
		run_ping(c, &run);
}

static void check_stats(struct hx_check *c)
{
	/* 2 of 7 lost: 28.6%, which integer arithmetic gets wrong. */
	const struct hx_udp_mix mix = {
		.count = { [HX_UDP_REPLY] = 5, [HX_UDP_DROP] = 2 },
		.min_delay_ms = MIN_DELAY_MS,
		.max_delay_ms = MAX_DELAY_MS,
	};

	run_seeded(c, &mix);
}

static void check_mixed(struct hx_check *c)
{
	/* Every fault at least once: 4 of 9 lost, 44.4%. */
	const struct hx_udp_mix mix = {
		.count = { [HX_UDP_REPLY] = 2, [HX_UDP_DROP] = 1,
			   [HX_UDP_DUPLICATE] = 2, [HX_UDP_LATE] = 1,
			   [HX_UDP_REORDER] = 1, [HX_UDP_OTHER_PORT] = 1,
			   [HX_UDP_STRAY] = 1 },
		.min_delay_ms = MIN_DELAY_MS,
		.max_delay_ms = MAX_DELAY_MS,
		.gap_ms = GAP_MS,
	};

	run_seeded(c, &mix);
}

/* The bad-reply plan: replies from the server's own port that are not the
 * ping's bytes, around two good ones. */
static void decide_bad_reply(void *arg, int index, const void *data,
			     size_t len, struct hx_udp_step *step)
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
		step->payload = "\0\xff" "PING 5";
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
	const struct ping_run run = { 7, NULL, decide_bad_reply, 0 };

	run_ping(c, &run);
}

static void check_requests(struct hx_check *c)
{
	static const struct hx_udp_step plan[] = {
		REPLY(0), REPLY(0), REPLY(0), REPLY(0),
	};
	int port = hx_port(c, 0);
	char port_arg[16], timeout_arg[16];
	const char *args[] = { "127.0.0.1", port_arg, "4", timeout_arg, NULL };
	struct hx_udp_peer peer;
	struct hx_proc *client;
	long long last = -1;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	snprintf(timeout_arg, sizeof(timeout_arg), "%d", TIMEOUT_MS);
	hx_udp_peer_init(&peer);
	peer.schedule = plan;
	peer.nschedule = SL_COUNT(plan);
	if (hx_udp_peer_start(c, &peer, "127.0.0.1", port, 4 * TIMEOUT_MS +
			      2 * RUN_SLACK_MS) < 0)
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

#define MAX_USAGE_ARGS 7

/* Runs ping once per row of cases (NULL-terminated argument lists); each
 * run must print a "usage:" line on stderr and exit with status 1. */
static void check_usage(struct hx_check *c)
{
	static const char *const cases[][MAX_USAGE_ARGS] = {
		{ NULL },
		{ "127.0.0.1", "9000", "3", NULL },
		{ "9000", "3", "300", NULL },
		{ "", "9000", "3", "300", NULL },
		{ "127.0.0.1", "abc", "3", "300", NULL },
		{ "127.0.0.1", "0", "3", "300", NULL },
		{ "127.0.0.1", "65536", "3", "300", NULL },
		{ "127.0.0.1", "9000", "0", "300", NULL },
		{ "127.0.0.1", "9000", "three", "300", NULL },
		{ "127.0.0.1", "9000", "-1", "300", NULL },
		{ "127.0.0.1", "9000", "3", "0", NULL },
		{ "127.0.0.1", "9000", "3", "300ms", NULL },
		{ "127.0.0.1", "9000", "3", "300", "extra", NULL },
	};

	for (int i = 0; i < SL_COUNT(cases); i++) {
		char label[96], what[128];
		struct hx_proc *p;
		int used = snprintf(label, sizeof(label), "ping");

		for (int a = 0; cases[i][a] && used < (int)sizeof(label); a++)
			used += snprintf(label + used,
					 sizeof(label) - (size_t)used,
					 cases[i][a][0] ? " %s" : " \"%s\"",
					 cases[i][a]);
		if (!cases[i][0])
			snprintf(label + used, sizeof(label) - (size_t)used,
				 " (no arguments)");
		snprintf(what, sizeof(what), "stderr of %s", label);
		p = hx_start_labelled(c, label, "ping", cases[i]);
		if (!p || hx_proc_expect_exit(c, p, 1, EXIT_MS) < 0 ||
		    hx_expect_contains(c, what, "usage:", p->err.data) < 0)
			return;
	}
}

static void check_unknown_host(struct hx_check *c)
{
	char port_arg[16];
	const char *args[] = { UNKNOWN_HOST, port_arg, "3", "300", NULL };
	struct hx_proc *client;

	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	client = hx_start(c, "ping", args);
	if (client && hx_proc_expect_exit(c, client, 2, RESOLVE_MS) == 0)
		hx_expect_contains(c, "client's stderr", UNKNOWN_HOST,
				   client->err.data);
}

/* The rubric: 100 points. */
static const struct sl_check checks[] = {
	{
		.id = "build",
		.title = "ping builds with no warnings under -Wall -Wextra",
		.points = 10,
		.timeout_ms = 60000,
		.programs = "ping",
		.hint = "Read the compiler's messages from the first one down; fix every "
			"warning too (an unused variable, a missing return, a signed and "
			"unsigned comparison).",
		.run = NULL,
	},
	{
		.id = "requests",
		.title = "each ping is one datagram, PING seq time and a newline, "
			"seq from 1",
		.points = 6,
		.timeout_ms = 5000,
		.programs = "ping",
		.hint = "Send one datagram per ping, written by format_ping: \"PING %ld "
			"%lld\\n\" with seq counting 1, 2, ... COUNT and the send time in "
			"whole milliseconds of CLOCK_MONOTONIC; send its length, no NUL, "
			"and never send a ping twice.",
		.run = check_requests,
	},
	{
		.id = "replies",
		.title = "every ping answered: one time line each, 0.0% loss, "
			"rtt line",
		.points = 10,
		.timeout_ms = 5000,
		.programs = "ping",
		.hint = "Take the time with clock_gettime(CLOCK_MONOTONIC) just before "
			"sendto and just after recvfrom returns the reply; print "
			"\"seq=N time=%.3f ms\" with elapsed_ms of the two, then the "
			"summary of stats_print.",
		.run = check_replies,
	},
	{
		.id = "stats",
		.title = "a seeded plan of delays and drops: loss exact, RTTs "
			"within tolerance",
		.points = 12,
		.timeout_ms = 7000,
		.programs = "ping",
		.hint = "Loss is 100.0 * (transmitted - received) / transmitted, printed "
			"with %.1f (2 of 7 is 28.6%); min, avg and max come from the "
			"replies only, avg = sum / received. A dropped ping prints "
			"\"seq=N timeout\" after TIMEOUT_MS.",
		.run = check_stats,
	},
	{
		.id = "late-reply",
		.title = "a reply that comes after its timeout does not count "
			"for the next ping",
		.points = 10,
		.timeout_ms = 6000,
		.programs = "ping",
		.hint = "A datagram is the reply to the current ping only if its bytes "
			"are exactly the ping's (n == len and memcmp == 0): a late reply "
			"to an earlier ping carries another sequence number. Ignore it "
			"and keep waiting until this ping's own deadline.",
		.run = check_late_reply,
	},
	{
		.id = "duplicate",
		.title = "a reply that arrives twice counts once",
		.points = 8,
		.timeout_ms = 6000,
		.programs = "ping",
		.hint = "Stop waiting at the first valid reply and send the next ping at "
			"once; the second copy then arrives while the next ping waits, "
			"and its bytes are not that ping's, so it is ignored.",
		.run = check_duplicate,
	},
	{
		.id = "all-lost",
		.title = "every ping lost: 100.0% loss, no rtt line, status 3",
		.points = 8,
		.timeout_ms = 5000,
		.programs = "ping",
		.hint = "When received is 0, print only the transmitted line (no rtt "
			"line: an average of nothing is 0/0) and return 3 from main.",
		.run = check_all_lost,
	},
	{
		.id = "total-time",
		.title = "a ping waits TIMEOUT_MS from its send, not from the "
			"last datagram",
		.points = 10,
		.timeout_ms = 5000,
		.programs = "ping",
		.hint = "Compute each ping's deadline once, send time + TIMEOUT_MS, and "
			"before every recvfrom set SO_RCVTIMEO to what is left of it "
			"(never 0: a zero timeval waits forever). Setting the full "
			"timeout again after an ignored datagram makes a ping wait too "
			"long; without any timeout recvfrom waits forever.",
		.run = check_total_time,
	},
	{
		.id = "stray",
		.title = "datagrams from another port are ignored, even copies of "
			"the reply",
		.points = 8,
		.timeout_ms = 6000,
		.programs = "ping",
		.hint = "Compare the address recvfrom fills in with the server's (family, "
			"address and port) and ignore any other sender: a copy of the "
			"reply from another port is not the reply.",
		.run = check_stray,
	},
	{
		.id = "bad-reply",
		.title = "a reply that is not the ping's exact bytes is "
			"ignored",
		.points = 6,
		.timeout_ms = 6000,
		.programs = "ping",
		.hint = "Compare the whole reply with the ping you sent: same length and "
			"same bytes (memcmp). An empty datagram, one cut short, one with "
			"a byte more or another time is not the reply; never use the "
			"reply as a C string (it may hold NUL bytes).",
		.run = check_bad_reply,
	},
	{
		.id = "mixed",
		.title = "a seeded plan with every fault: drop, delay, duplicate, "
			"late, reorder, other port",
		.points = 5,
		.timeout_ms = 8000,
		.programs = "ping",
		.hint = "Run with V=1 and the seed shown to see the plan and every "
			"datagram; each fault has a check of its own whose hint applies.",
		.run = check_mixed,
	},
	{
		.id = "usage",
		.title = "bad arguments print a usage line on stderr, exit 1",
		.points = 4,
		.timeout_ms = 12000,
		.programs = "ping",
		.hint = "Require exactly four arguments: a non-empty HOST, PORT from 1 to "
			"65535, COUNT from 1 to 1000, TIMEOUT_MS from 1 to 60000, each "
			"checked with parse_number; otherwise print \"usage: ping HOST "
			"PORT COUNT TIMEOUT_MS\" on stderr and return 1.",
		.run = check_usage,
	},
	{
		.id = "unknown-host",
		.title = "an unknown host is reported on stderr, exit 2",
		.points = 3,
		.timeout_ms = 6000,
		.programs = "ping",
		.hint = "When getaddrinfo returns non-zero, print the host and "
			"gai_strerror(rc) (getaddrinfo does not set errno), e.g. \"ping: "
			"no-such-host.invalid: Name or service not known\", and return 2.",
		.run = check_unknown_host,
	},
};

static const struct sl_lab lab04 = {
	.number = "04",
	.name = "udp-ping",
	.title = "Loss and round-trip time: a UDP ping client",
	.files = { "ping.c", "stats.c" },
	.given = { "ping.h" },
	.programs = {
		{ .name = "ping", .sources = { "ping.c", "stats.c" } },
	},
	.checks = checks,
	.nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab04);
