/* 04-udp-ping-runs.c - lab 04: one run of the ping client against a plan.
 *
 * Included by grader/checks/04-udp-ping.c (the Makefile compiles only the
 * check files themselves). A run starts the harness's UDP peer with a
 * plan, runs "ping HOST PORT COUNT TIMEOUT_MS", and compares what the
 * client did with what the plan implies: one datagram per ping, a line per
 * ping (a timeout where no valid reply came in time, a round trip no
 * shorter than the delay really applied), the summary's counts, the exit
 * status. What a run judges besides depends on what its check is about:
 * the round trips' upper bound and the summary's values (loss, min, avg,
 * max) in the checks about measuring, the time each ping waited in the
 * checks about timeouts, when each line reached the harness in one check.
 * So one mistake fails the checks whose hint is about it, and a loaded
 * machine that runs a client late fails no check about something else.
 */

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define EXIT_MS	     1500 /* a program exits after bad arguments */
#define RESOLVE_MS   3000 /* the client gives up on a name that cannot exist */
#define STOP_MS	     1000 /* the peer's thread stops */
#define RUN_SLACK_MS 1500 /* a run's deadline past COUNT * TIMEOUT_MS */

/* The time plans are made of: about time itself, so never scaled but
 * where a slow machine is allowed for. LATE_AFTER_MS: a late reply leaves
 * this long after the client's timeout, in the next ping's wait.
 * WAIT_EARLY_MS and WAIT_LATE_MS: a ping that timed out waited its
 * timeout, this much less or more (on the peer's clock). AT_ONCE_MS: a
 * line reaches the harness at most this long after its ping was decided. */
#define TIMEOUT_MS    300 /* the client's TIMEOUT_MS in most runs */
#define LATE_AFTER_MS 150 /* a late reply, after the timeout */
#define RTT_BELOW_MS  5	  /* a measured RTT may be this much shorter */
#define RTT_ABOVE_MS  100 /* and this much longer (scaled) */
#define TIME_SLACK_MS 400 /* timed runs: allowed past the timeouts' sum */
#define GUARD_MS      60  /* a reply must leave this long before timeout */
#define WAIT_EARLY_MS 25  /* a timed-out ping waited this much less */
#define WAIT_LATE_MS  200 /* or this much more (scaled) */
#define AT_ONCE_MS    120 /* a line after its ping's decision (scaled) */

#define MAX_PINGS   16		/* pings in the longest run */
#define FORGER_HOST "127.0.0.2" /* another address on loopback */

/* One run of the client and what it must show. */
struct ping_run {
	int count;			 /* COUNT */
	const struct hx_udp_step *steps; /* the plan, one step per ping */
	hx_udp_decide_fn decide;	 /* or a plan made as pings arrive */
	const char *host;  /* the peer's address; NULL: 127.0.0.1 */
	int timeout_ms;	   /* TIMEOUT_MS; 0: TIMEOUT_MS */
	int late_ms;	   /* when a late reply leaves, after its
			      ping came; 0: timeout + LATE_AFTER */
	int timed;	   /* 1: each ping that timed out waited its timeout,
			      from its own send */
	int judge_times;   /* 1: each round trip at most the delay applied
			      plus RTT_ABOVE_MS; else no shorter only */
	int judge_summary; /* 1: loss and min/avg/max are judged; else only
			      the counts and the shape */
	int judge_lines;   /* 1: each line reached the harness at once */
	int forge_from;	   /* > 0: from this ping on, a copy of each ping
			      comes first from the server's port on another
			      address, FORGER_HOST (IPv4 runs only) */
};

/* Shortcuts for plans written out. */
#define REPLY(ms)                                                              \
	{                                                                      \
		.action = HX_UDP_REPLY, .delay_ms = (ms)                       \
	}
#define DROP                                                                   \
	{                                                                      \
		.action = HX_UDP_DROP                                          \
	}
#define DUPLICATE(ms)                                                          \
	{                                                                      \
		.action = HX_UDP_DUPLICATE, .delay_ms = (ms), .gap_ms = 20     \
	}
#define LATE                                                                   \
	{                                                                      \
		.action = HX_UDP_LATE                                          \
	}
#define OTHER_PORT(ms)                                                         \
	{                                                                      \
		.action = HX_UDP_OTHER_PORT, .delay_ms = (ms)                  \
	}
#define STRAY(ms)                                                              \
	{                                                                      \
		.action = HX_UDP_STRAY, .delay_ms = (ms)                       \
	}
#define NOT_THE_PING(ms)                                                       \
	{                                                                      \
		.action = HX_UDP_REPLY, .delay_ms = (ms),                      \
		.payload = "PING 0 0\n", .payload_len = 9                      \
	}

static int run_timeout(const struct ping_run *run)
{
	return run->timeout_ms ? run->timeout_ms : TIMEOUT_MS;
}

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
static void note_plan(struct hx_check *c, const struct ping_run *run,
		      const struct hx_udp_peer *peer)
{
	if (peer->nseen == 0)
		return;
	hx_note(c,
		"the server's plan (client timeout %d ms):", run_timeout(run));
	for (int i = 0; i < peer->nseen; i++) {
		const struct hx_udp_seen *s = &peer->seen[i];
		long applied = hx_udp_applied_ms(s, 0);
		struct hx_buf text;

		hx_buf_init(&text);
		hx_escape_cut(&text, s->data.data, s->data.len, 40);
		if (!reply_is_valid(s) && s->step.action != HX_UDP_DROP &&
		    (s->reply.len != s->data.len ||
		     memcmp(s->reply.data, s->data.data, s->data.len) != 0))
			hx_note(c,
				"  datagram %d \"%s\": a reply that is not the "
				"ping, after %ld ms",
				i + 1, text.data, applied);
		else if (applied >= 0)
			hx_note(c,
				"  datagram %d \"%s\": %s, sent after %ld ms",
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
	if (end - s < 5 || end[-4] != '.' || strspn(end - 3, "0123456789") < 3)
		return -1;
	*p = end;
	return 0;
}

/* 1 if got (the client's time) is within the tolerance of applied: no
 * shorter (a reply cannot come back before it was sent), and, when
 * judged, not much longer. */
static int rtt_fits(double got, double applied, int judged)
{
	return got >= applied - RTT_BELOW_MS &&
	       (!judged || got <= applied + RTT_ABOVE_MS * hx_timeout_scale());
}

/* Appends to want the line the client should print for a round trip of
 * applied ms: its own line when its time fits, else applied itself, so
 * the first difference points at the time. A reply never sent (sent 0)
 * cannot have been measured. Returns 1 if it fitted, -1 if the line is a
 * time line whose time does not fit, 0 if it is no time line at all. */
static int want_time_line(struct hx_buf *want, const char *line, size_t len,
			  const char *prefix, double applied, int sent,
			  int judged)
{
	size_t plen = strlen(prefix);
	const char *p = line + plen;
	double got;
	int shaped = len > plen && memcmp(line, prefix, plen) == 0 &&
		     read_ms(&p, &got) == 0 && (size_t)(p - line) + 3 == len &&
		     memcmp(p, " ms", 3) == 0;

	if (shaped && sent && rtt_fits(got, applied, judged)) {
		hx_buf_add(want, line, len);
		hx_buf_add(want, "\n", 1);
		return 1;
	}
	hx_buf_addf(want, "%s%.3f ms\n", prefix, applied);
	return shaped ? -1 : 0;
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

/* Appends the rtt line the client should print: its own when it has the
 * shape "rtt min/avg/max = a/b/c ms" and (when judged) each value fits
 * its own of applied[]; else the applied values. Returns 1 if its own
 * line was taken. */
static int want_rtt_line(struct hx_buf *want, const char *line, size_t len,
			 const double applied[3], int judged)
{
	static const char prefix[] = "rtt min/avg/max = ";
	const char *p = line + strlen(prefix);
	int ok =
	    len > strlen(prefix) && strncmp(line, prefix, strlen(prefix)) == 0;

	for (int i = 0; ok && i < 3; i++) {
		double got;

		ok = read_ms(&p, &got) == 0 &&
		     (!judged || rtt_fits(got, applied[i], 1)) &&
		     *p++ == (i < 2 ? '/' : ' ');
	}
	ok = ok && (size_t)(p - line) + 2 == len && memcmp(p, "ms", 2) == 0;
	if (ok) {
		hx_buf_add(want, line, len);
		hx_buf_add(want, "\n", 1);
	} else if (judged) {
		hx_buf_addf(want, "rtt min/avg/max = %.3f/%.3f/%.3f ms\n",
			    applied[0], applied[1], applied[2]);
	} else {
		hx_buf_addf(want, "rtt min/avg/max = <min>/<avg>/<max> ms\n");
	}
	return ok;
}

/* Appends the summary line: the client's own when N and M are right and
 * its loss has the shape "L.L" (and, when judged, is exact); else the
 * exact one. */
static void want_summary_line(struct hx_buf *want, const char *line, size_t len,
			      int count, long received, int judged)
{
	char head[96];
	size_t hlen = (size_t)snprintf(head, sizeof(head),
				       "%d packets transmitted, %ld received, ",
				       count, received);
	const char *p = line + hlen;
	size_t digits = len > hlen ? strspn(p, "0123456789") : 0;
	int shaped = len > hlen && memcmp(line, head, hlen) == 0 && digits &&
		     p[digits] == '.' &&
		     isdigit((unsigned char)p[digits + 1]) &&
		     len == hlen + digits + 2 + strlen("% packet loss") &&
		     memcmp(p + digits + 2, "% packet loss", 13) == 0;

	if (shaped && !judged) {
		hx_buf_add(want, line, len);
		hx_buf_add(want, "\n", 1);
		return;
	}
	hx_buf_addf(want, "%s%.1f%% packet loss\n", head,
		    100.0 * (double)(count - received) / count);
}

/* Builds the stdout the plan implies, taking the client's own times where
 * they fit, and compares it with the client's. */
static int expect_output(struct hx_check *c, const struct ping_run *run,
			 const struct hx_udp_peer *peer, const char *out)
{
	const char *at = out ? out : "";
	long received = 0;
	int times_off = 0, rtt_ok = 1;
	const char *line;
	size_t len;
	double min = 0, max = 0, sum = 0;
	struct hx_buf want;
	int rc;

	hx_buf_init(&want);
	for (int k = 1; k <= run->count; k++) {
		const struct hx_udp_seen *s = &peer->seen[k - 1];
		char prefix[48];
		double applied;
		int fit;

		len = next_line(&at, &line);
		if (!reply_is_valid(s)) {
			hx_buf_addf(&want, "seq=%d timeout\n", k);
			continue;
		}
		/* A reply not sent: the client ended before its time. */
		applied = s->sent_ms[0] ? (double)hx_udp_applied_ms(s, 0)
					: (double)s->step.delay_ms;
		snprintf(prefix, sizeof(prefix), "seq=%d time=", k);
		fit = want_time_line(&want, line, len, prefix, applied,
				     s->sent_ms[0] != 0, run->judge_times);
		times_off += fit < 0;
		if (received == 0 || applied < min)
			min = applied;
		if (received == 0 || applied > max)
			max = applied;
		sum += applied;
		received++;
	}
	len = next_line(&at, &line);
	want_summary_line(&want, line, len, run->count, received,
			  run->judge_summary);
	if (received > 0) {
		double applied[3] = {min, sum / (double)received, max};

		len = next_line(&at, &line);
		rtt_ok = want_rtt_line(&want, line, len, applied,
				       run->judge_summary);
	}
	rc = hx_expect_str(c, "client's stdout", want.data, out ? out : "");
	if (rc < 0 && times_off && run->judge_times)
		hx_note(c,
			"expected times are the delays the server really "
			"applied; a time within -%d/+%.0f ms of it passes",
			RTT_BELOW_MS, RTT_ABOVE_MS * hx_timeout_scale());
	else if (rc < 0 && times_off)
		hx_note(c, "a round trip is never shorter than the delay the "
			   "server really applied (shown): a shorter one was "
			   "measured up to a datagram that came before the "
			   "reply, and is not the reply");
	if (rc < 0 && !rtt_ok && run->judge_summary)
		hx_note(c,
			"min, avg and max are judged against the delays "
			"applied, each within -%d/+%.0f ms",
			RTT_BELOW_MS, RTT_ABOVE_MS * hx_timeout_scale());
	hx_buf_free(&want);
	return rc;
}

/* -1 (after hx_fail) if the machine was too slow for the plan: a reply
 * meant to come in time left too close to the client's timeout. */
static int plan_was_kept(struct hx_check *c, const struct ping_run *run,
			 const struct hx_udp_peer *peer)
{
	for (int i = 0; i < peer->nseen; i++) {
		long applied = hx_udp_applied_ms(&peer->seen[i], 0);

		if (reply_is_valid(&peer->seen[i]) &&
		    applied > run_timeout(run) - GUARD_MS)
			return hx_fail(c, HX_ERROR,
				       "the grader's reply to ping %d left %ld "
				       "ms after the ping arrived, too close "
				       "to the %d ms timeout: this machine is "
				       "too busy to grade timing; run the "
				       "check again",
				       i + 1, applied, run_timeout(run));
	}
	return 0;
}

/* Requires every ping that timed out to have waited its timeout from its
 * own send: the next ping comes that long after it, whatever arrived
 * meanwhile (the peer's clock, on both sides); a ping that got its reply
 * to be followed by the next at once; and the run as a whole to take its
 * timeouts, no less and not much more. */
static int expect_waits(struct hx_check *c, const struct ping_run *run,
			const struct hx_udp_peer *peer, long waited)
{
	int timeout = run_timeout(run);
	long most = timeout + (long)(WAIT_LATE_MS * hx_timeout_scale());
	long floor = 0;

	for (int k = 1; k <= run->count; k++)
		if (!reply_is_valid(&peer->seen[k - 1]))
			floor += timeout;
	for (int k = 1; k < run->count; k++) {
		const struct hx_udp_seen *s = &peer->seen[k - 1];
		long gap = (long)(peer->seen[k].received_ms - s->received_ms);

		if (reply_is_valid(s)) {
			long after =
			    (long)(peer->seen[k].received_ms - s->sent_ms[0]);

			if (s->sent_ms[0] && after > most - timeout)
				return hx_fail(
				    c, HX_FAIL,
				    "ping %d came %ld ms after the reply to "
				    "ping %d left: the next ping goes out as "
				    "soon as a ping has its reply",
				    k + 1, after, k);
			continue;
		}
		if (gap < timeout - WAIT_EARLY_MS)
			return hx_fail(c, HX_FAIL,
				       "ping %d came %ld ms after ping %d, "
				       "which got no reply: ping %d gave up "
				       "before its %d ms timeout",
				       k + 1, gap, k, k, timeout);
		if (gap > most)
			return hx_fail(c, HX_FAIL,
				       "ping %d came %ld ms after ping %d, "
				       "which got no reply: ping %d waited %ld "
				       "ms too long (its timeout is %d ms, "
				       "counted from its own send, whatever "
				       "arrives meanwhile)",
				       k + 1, gap, k, k, gap - timeout,
				       timeout);
	}
	if (waited < floor - 5L * run->count)
		return hx_fail(c, HX_FAIL,
			       "the client ended after %ld ms, before its "
			       "pings could each have waited %d ms",
			       waited, timeout);
	if (waited > floor + TIME_SLACK_MS * hx_timeout_scale())
		return hx_fail(
		    c, HX_FAIL,
		    "the client took %ld ms; its pings' timeouts "
		    "add up to %ld ms (at most %.0f ms more passes): "
		    "the last ping waited too long",
		    waited, floor, TIME_SLACK_MS * hx_timeout_scale());
	return 0;
}

/* Requires each line but the last to have reached the harness at once:
 * a time line right after its reply left, a timeout line right after
 * its ping's deadline. (The last one comes with the summary anyway.) A
 * line that came only with the summary at the end was held in stdio's
 * buffer: that cause is named. (The harness reads stdout all along, so
 * each byte's arrival time is known once the client has ended.) */
static int expect_lines_at_once(struct hx_check *c, const struct ping_run *run,
				const struct hx_udp_peer *peer,
				struct hx_proc *client)
{
	const char *out = client->out.data ? client->out.data : "";
	const char *at = out;
	int within = (int)(AT_ONCE_MS * hx_timeout_scale());
	int64_t end = client->out.len
			  ? hx_proc_arrival_ms(client, client->out.len - 1)
			  : -1;

	for (int k = 1; k < run->count; k++) {
		const struct hx_udp_seen *s = &peer->seen[k - 1];
		int64_t decided =
		    (reply_is_valid(s) ? s->sent_ms[0]
				       : s->received_ms + run_timeout(run)) -
		    c->started_ms;
		const char *line;
		size_t len = next_line(&at, &line);
		int64_t came =
		    hx_proc_arrival_ms(client, (size_t)(line - out) + len);
		long late = (long)(came - decided);

		if (came < 0 || late <= within)
			continue;
		if (came >= end) {
			hx_set_cause(c, HX_CAUSE_LATE_OUTPUT,
				     "%s: \"%.*s\" came %ld ms late, with the "
				     "summary at the end",
				     client->label, (int)len, line, late);
			return hx_fail(c, HX_FAIL,
				       "line %d, \"%.*s\", reached the grader "
				       "only when the client ended, %ld ms "
				       "after its ping was decided (at most "
				       "%d ms passes)",
				       k, (int)len, line, late, within);
		}
		return hx_fail(c, HX_FAIL,
			       "line %d, \"%.*s\", reached the grader %ld ms "
			       "after its ping was decided (at most %d ms "
			       "passes): print it as soon as the reply came "
			       "or the time ran out",
			       k, (int)len, line, late, within);
	}
	return 0;
}

/* A run whose pings are answered by a forger too: its plan, the peer
 * (whose record of the previous datagram tells where the client is) and
 * a socket on the server's port at another address. */
struct forged_run {
	const struct ping_run *run;	/* the plan: steps, from which ping */
	const struct hx_udp_peer *peer; /* the peer running it */
	struct hx_conn forger;		/* FORGER_HOST, the server's port */
	struct hx_check *check;		/* for the transcript */
};

/* The peer's decide for a forged run, on the peer's thread: the plan's
 * step, and from ping forge_from on a copy of the ping sent at once from
 * the forger, to where the previous ping came from (the client's one
 * socket). */
static void decide_forged(void *arg, int index, const void *data, size_t len,
			  struct hx_udp_step *step)
{
	struct forged_run *f = arg;
	const struct hx_udp_seen *previous;

	if (index < f->run->count)
		*step = f->run->steps[index];
	if (index + 1 < f->run->forge_from || index == 0)
		return;
	previous = &f->peer->seen[index - 1];
	if (sendto(f->forger.fd, data, len, 0,
		   (const struct sockaddr *)&previous->from,
		   previous->from_len) == (ssize_t)len)
		hx_record(f->check, f->forger.id, '>', data, len);
}

/* Starts the peer with the run's plan and "ping HOST PORT COUNT
 * TIMEOUT_MS", waits for the client, and compares everything it did with
 * the plan: datagrams sent, stdout, exit status, and what the run judges
 * besides (waits, lines at once). */
static void run_ping(struct hx_check *c, const struct ping_run *run)
{
	const char *host = run->host ? run->host : "127.0.0.1";
	int timeout = run_timeout(run);
	int port = hx_port(c, 0);
	char port_arg[16], count_arg[16], timeout_arg[16];
	const char *args[] = {host, port_arg, count_arg, timeout_arg, NULL};
	int budget = run->count * timeout + RUN_SLACK_MS;
	struct hx_udp_peer peer;
	struct forged_run forged = {.run = run, .peer = &peer, .check = c};
	struct hx_proc *client;
	int64_t started;
	long waited;
	int received = 0;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	snprintf(count_arg, sizeof(count_arg), "%d", run->count);
	snprintf(timeout_arg, sizeof(timeout_arg), "%d", timeout);
	hx_udp_peer_init(&peer);
	peer.schedule = run->steps;
	peer.nschedule = run->steps ? run->count : 0;
	peer.decide = run->decide;
	peer.late_ms = run->late_ms ? run->late_ms : timeout + LATE_AFTER_MS;
	forged.forger.fd = -1;
	if (run->forge_from > 0) {
		if (hx_udp_open(c, &forged.forger, FORGER_HOST, port) < 0)
			return;
		hx_recordf(c, forged.forger.id,
			   "forger on %s port %d, the server's port",
			   FORGER_HOST, port);
		peer.schedule = NULL;
		peer.decide = decide_forged;
		peer.decide_arg = &forged;
	}
	if (hx_udp_peer_start(c, &peer, host, port, budget + RUN_SLACK_MS) < 0)
		goto out_close;

	started = hx_now_ms();
	client = hx_start(c, "ping", args);
	if (client && hx_proc_wait(c, client, budget) < 0)
		hx_note(c,
			"%d pings with a %d ms timeout each should take at "
			"most %d ms; the client was given %d ms",
			run->count, timeout, run->count * timeout, budget);
	waited = (long)(hx_now_ms() - started);
	hx_udp_peer_stop(c, &peer, STOP_MS);
	if (!client || !hx_ok(c))
		goto out_note;

	if (hx_expect_int(c, "datagrams the server received (one per ping)",
			  run->count, peer.nseen) < 0 ||
	    plan_was_kept(c, run, &peer) < 0)
		goto out_note;
	for (int i = 0; i < peer.nseen; i++)
		received += reply_is_valid(&peer.seen[i]);
	if (hx_proc_expect_exit(c, client, received > 0 ? 0 : 3, EXIT_MS) < 0 ||
	    expect_output(c, run, &peer, client->out.data) < 0)
		goto out_note;
	if (run->timed && expect_waits(c, run, &peer, waited) < 0)
		goto out_note;
	if (run->judge_lines)
		expect_lines_at_once(c, run, &peer, client);
out_note:
	if (!hx_ok(c))
		note_plan(c, run, &peer);
	if (!hx_ok(c) && run->forge_from > 0)
		hx_note(c,
			"from ping %d on, a copy of each ping came at once "
			"from %s port %d: the server's port, another address",
			run->forge_from, FORGER_HOST, port);
	hx_udp_peer_free(&peer);
out_close:
	if (forged.forger.fd >= 0)
		hx_close(c, &forged.forger);
}
