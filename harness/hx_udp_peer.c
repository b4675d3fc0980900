/* hx_udp_peer.c - a UDP responder with a fault plan, run in a thread. */
#define _GNU_SOURCE
#include "hx_udp_peer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hx_time.h"

const char *hx_udp_action_name(enum hx_udp_action action)
{
	static const char *const names[HX_UDP_NACTIONS] = {
	    [HX_UDP_REPLY] = "reply",
	    [HX_UDP_DROP] = "drop",
	    [HX_UDP_DUPLICATE] = "duplicate reply",
	    [HX_UDP_LATE] = "late reply",
	    [HX_UDP_REORDER] = "reply held back (reorder)",
	    [HX_UDP_OTHER_PORT] = "reply from another port",
	    [HX_UDP_STRAY] = "stray copy from another port, then reply",
	};

	if ((int)action < 0 || action >= HX_UDP_NACTIONS)
		return "unknown action";
	return names[action];
}

void hx_udp_peer_init(struct hx_udp_peer *peer)
{
	memset(peer, 0, sizeof(*peer));
	peer->main.fd = -1;
	peer->other.fd = -1;
	peer->wake[0] = -1;
	peer->wake[1] = -1;
}

long hx_udp_applied_ms(const struct hx_udp_seen *seen, int copy)
{
	if (copy < 0 || copy > 1 || seen->sent_ms[copy] == 0)
		return -1;
	return (long)(seen->sent_ms[copy] - seen->received_ms);
}

/* Queues a reply; a full queue is a harness error (the plan is too big). */
static void hx_udp_queue(struct hx_udp_peer *peer, int64_t due_ms, int seen,
			 int copy, int other)
{
	struct hx_udp_pending *p;

	if (peer->npending == HX_UDP_MAX_PENDING) {
		hx_fail(peer->check, HX_ERROR,
			"UDP peer: more than %d replies queued at once",
			HX_UDP_MAX_PENDING);
		return;
	}
	p = &peer->pending[peer->npending++];
	p->due_ms = due_ms;
	p->seen = seen;
	p->copy = copy;
	p->other = other;
}

/* Sends one queued reply now and notes when it left. */
static void hx_udp_send_pending(struct hx_udp_peer *peer,
				const struct hx_udp_pending *p)
{
	struct hx_udp_seen *s = &peer->seen[p->seen];
	struct hx_conn *from = p->other ? &peer->other : &peer->main;
	/* Taken before sendto: if the thread is preempted around the call,
	 * the delay noted is still no longer than the one the client saw. */
	int64_t at = hx_now_ms();
	ssize_t n;

	do
		n = sendto(from->fd, s->reply.data, s->reply.len, 0,
			   (struct sockaddr *)&s->from, s->from_len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		/* A client that has ended may make the kernel report its
		 * closed port here: that is not the peer's failure. */
		if (errno == ECONNREFUSED)
			hx_recordf(peer->check, from->id,
				   "reply to datagram %d not sent: %s",
				   p->seen + 1, strerror(errno));
		else
			hx_fail(peer->check, HX_ERROR, "UDP peer: sendto: %s",
				strerror(errno));
		return;
	}
	if (p->copy < 0)
		s->stray_ms = at;
	else
		s->sent_ms[p->copy] = at;
	hx_record(peer->check, from->id, '>', s->reply.data, s->reply.len);
}

/* Sends every reply that is due, earliest first (in queue order among
 * equals). A reply from the main socket to a datagram releases the held
 * replies to earlier datagrams, which then go right after it. Returns the time
 * of the next due reply, or INT64_MAX when none waits for a time. */
static int64_t hx_udp_send_due(struct hx_udp_peer *peer)
{
	for (;;) {
		int64_t now = hx_now_ms();
		int64_t next = INT64_MAX;
		int pick = -1;
		struct hx_udp_pending p;

		for (int i = 0; i < peer->npending; i++) {
			if (peer->pending[i].due_ms < next) {
				next = peer->pending[i].due_ms;
				pick = i;
			}
		}
		if (pick < 0 || next > now)
			return next;
		p = peer->pending[pick];
		memmove(&peer->pending[pick], &peer->pending[pick + 1],
			(size_t)(peer->npending - pick - 1) * sizeof(p));
		peer->npending--;
		hx_udp_send_pending(peer, &p);
		if (p.other || p.copy < 0)
			continue;
		for (int i = 0; i < peer->npending; i++)
			if (peer->pending[i].due_ms == INT64_MAX &&
			    peer->pending[i].seen < p.seen)
				peer->pending[i].due_ms = now;
	}
}

/* The step for datagram index: the callback's, the schedule's, or a reply
 * at once. */
static void hx_udp_choose(struct hx_udp_peer *peer, int index, const void *data,
			  size_t len, struct hx_udp_step *step)
{
	memset(step, 0, sizeof(*step));
	step->action = HX_UDP_REPLY;
	if (peer->decide)
		peer->decide(peer->decide_arg, index, data, len, step);
	else if (peer->schedule && index < peer->nschedule)
		*step = peer->schedule[index];
	if (step->action == HX_UDP_LATE)
		step->delay_ms = peer->late_ms;
}

/* Records one datagram and queues what its step asks for. */
static void hx_udp_handle(struct hx_udp_peer *peer, const void *data,
			  size_t len, const struct sockaddr_storage *from,
			  socklen_t from_len, int64_t at)
{
	int index = peer->nseen;
	struct hx_udp_seen *s;
	struct hx_udp_step step;
	int64_t due;

	hx_record(peer->check, peer->main.id, '<', data, len);
	if (index == HX_UDP_MAX_SEEN) {
		peer->overflow++;
		hx_recordf(peer->check, peer->main.id,
			   "datagram %d: not recorded, dropped (over %d)",
			   index + peer->overflow, HX_UDP_MAX_SEEN);
		return;
	}
	hx_udp_choose(peer, index, data, len, &step);
	s = &peer->seen[peer->nseen++];
	memset(s, 0, sizeof(*s));
	s->received_ms = at;
	hx_buf_add(&s->data, data, len);
	if (step.payload)
		hx_buf_add(&s->reply, step.payload, step.payload_len);
	else
		hx_buf_add(&s->reply, data, len);
	step.payload = NULL;
	s->step = step;
	memcpy(&s->from, from, from_len);
	s->from_len = from_len;
	hx_recordf(peer->check, peer->main.id, "datagram %d: %s, delay %d ms",
		   index + 1, hx_udp_action_name(step.action), step.delay_ms);

	due = at + step.delay_ms;
	switch (step.action) {
	case HX_UDP_REPLY:
	case HX_UDP_LATE:
		hx_udp_queue(peer, due, index, 0, 0);
		break;
	case HX_UDP_DROP:
	case HX_UDP_NACTIONS:
		break;
	case HX_UDP_DUPLICATE:
		hx_udp_queue(peer, due, index, 0, 0);
		hx_udp_queue(peer, due + step.gap_ms, index, 1, 0);
		break;
	case HX_UDP_REORDER:
		hx_udp_queue(peer, INT64_MAX, index, 0, 0);
		break;
	case HX_UDP_OTHER_PORT:
		hx_udp_queue(peer, due, index, 0, 1);
		break;
	case HX_UDP_STRAY:
		hx_udp_queue(peer, at, index, -1, 1);
		hx_udp_queue(peer, due, index, 0, 0);
		break;
	}
}

/* Takes every datagram waiting on the main socket. */
static void hx_udp_receive_all(struct hx_udp_peer *peer)
{
	char datagram[65536]; /* the largest datagram fits */

	for (;;) {
		struct sockaddr_storage from;
		socklen_t from_len = sizeof(from);
		ssize_t n = recvfrom(peer->main.fd, datagram, sizeof(datagram),
				     0, (struct sockaddr *)&from, &from_len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (errno != EAGAIN && errno != ECONNREFUSED)
				hx_fail(peer->check, HX_ERROR,
					"UDP peer: recvfrom: %s",
					strerror(errno));
			return;
		}
		hx_udp_handle(peer, datagram, (size_t)n, &from, from_len,
			      hx_now_ms());
	}
}

static void *hx_udp_run(void *arg)
{
	struct hx_udp_peer *peer = arg;

	for (;;) {
		int64_t next = hx_udp_send_due(peer);
		int64_t now = hx_now_ms();
		int64_t until = next < peer->end_ms ? next : peer->end_ms;
		struct pollfd pfd[2] = {
		    {.fd = peer->main.fd, .events = POLLIN},
		    {.fd = peer->wake[0], .events = POLLIN},
		};
		int ready;

		if (now >= peer->end_ms) {
			hx_recordf(peer->check, peer->main.id,
				   "UDP peer stopped: its lifetime is over");
			break;
		}
		ready = poll(pfd, 2, (int)(until - now));
		if (ready < 0 && errno != EINTR) {
			hx_fail(peer->check, HX_ERROR, "UDP peer: poll: %s",
				strerror(errno));
			break;
		}
		if (ready > 0 && pfd[1].revents) {
			/* Record what came before the stop: a client that
			 * has just ended may have sent it a moment ago. */
			hx_udp_receive_all(peer);
			break;
		}
		if (ready > 0 && (pfd[0].revents & POLLIN))
			hx_udp_receive_all(peer);
	}
	return NULL;
}

/* Closes what start opened. */
static void hx_udp_close_all(struct hx_check *c, struct hx_udp_peer *peer)
{
	hx_close(c, &peer->main);
	hx_close(c, &peer->other);
	for (int i = 0; i < 2; i++) {
		if (peer->wake[i] >= 0)
			close(peer->wake[i]);
		peer->wake[i] = -1;
	}
}

/* The port a bound socket got. */
static int hx_udp_bound_port(int fd)
{
	struct sockaddr_storage addr;
	socklen_t len = sizeof(addr);

	if (getsockname(fd, (struct sockaddr *)&addr, &len) < 0)
		return -1;
	if (addr.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&addr)->sin6_port);
	return ntohs(((struct sockaddr_in *)&addr)->sin_port);
}

int hx_udp_peer_start(struct hx_check *c, struct hx_udp_peer *peer,
		      const char *host, int port, int lifetime_ms)
{
	sigset_t all, old;
	int rc;

	peer->check = c;
	if (hx_udp_open(c, &peer->main, host, port) < 0)
		return -1;
	if (hx_udp_open(c, &peer->other, host, 0) < 0)
		goto out_close;
	if (pipe2(peer->wake, O_CLOEXEC) < 0) {
		hx_fail(c, HX_ERROR, "UDP peer: pipe: %s", strerror(errno));
		goto out_close;
	}
	peer->port = hx_udp_bound_port(peer->main.fd);
	peer->other_port = hx_udp_bound_port(peer->other.fd);
	peer->end_ms = hx_deadline(lifetime_ms);
	peer->npending = 0;
	hx_recordf(c, peer->main.id,
		   "UDP peer on %s port %d (other replies from port %d)", host,
		   peer->port, peer->other_port);

	/* Signals meant for the check (SIGCHLD, ...) stay on its thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&peer->thread, NULL, hx_udp_run, peer);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		hx_fail(c, HX_ERROR, "UDP peer: pthread_create: %s",
			strerror(rc));
		goto out_close;
	}
	peer->running = 1;
	return 0;

out_close:
	hx_udp_close_all(c, peer);
	return -1;
}

int hx_udp_peer_stop(struct hx_check *c, struct hx_udp_peer *peer,
		     int timeout_ms)
{
	struct timespec until;
	int64_t wait_ms;
	ssize_t n;
	int rc = 0;

	if (!peer->running)
		return 0;
	do
		n = write(peer->wake[1], "x", 1);
	while (n < 0 && errno == EINTR);

	/* The thread never blocks longer than to its next reply, so it
	 * answers the pipe at once; the deadline guards against a bug. */
	wait_ms = (int64_t)(timeout_ms * hx_timeout_scale());
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += (time_t)(wait_ms / 1000);
	until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	if (pthread_timedjoin_np(peer->thread, NULL, &until) != 0) {
		rc = hx_fail(c, HX_ERROR,
			     "UDP peer: its thread did not stop within %d ms",
			     timeout_ms);
		pthread_cancel(peer->thread);
		pthread_join(peer->thread, NULL);
	}
	peer->running = 0;
	if (peer->npending > 0)
		hx_recordf(c, peer->main.id,
			   "UDP peer stopped with %d replies not sent",
			   peer->npending);
	hx_udp_close_all(c, peer);
	return rc;
}

void hx_udp_peer_free(struct hx_udp_peer *peer)
{
	for (int i = 0; i < peer->nseen; i++) {
		hx_buf_free(&peer->seen[i].data);
		hx_buf_free(&peer->seen[i].reply);
	}
	peer->nseen = 0;
}

int hx_udp_schedule_random(struct hx_check *c, const struct hx_udp_mix *mix,
			   struct hx_udp_step *steps, int max)
{
	int n = 0;

	for (int a = 0; a < HX_UDP_NACTIONS; a++) {
		for (int k = 0; k < mix->count[a]; k++) {
			if (n == max)
				return hx_fail(
				    c, HX_ERROR,
				    "UDP schedule: more than %d steps", max);
			memset(&steps[n], 0, sizeof(steps[n]));
			steps[n++].action = (enum hx_udp_action)a;
		}
	}
	/* Fisher-Yates from the seed, then the delays in the final order,
	 * so the schedule depends on the seed and the mix only. */
	for (int i = n - 1; i > 0; i--) {
		int j = (int)hx_random_between(c, 0, i);
		struct hx_udp_step t = steps[i];

		steps[i] = steps[j];
		steps[j] = t;
	}
	for (int i = 0; i < n; i++) {
		enum hx_udp_action a = steps[i].action;

		if (a != HX_UDP_DROP && a != HX_UDP_LATE && a != HX_UDP_REORDER)
			steps[i].delay_ms = (int)hx_random_between(
			    c, mix->min_delay_ms, mix->max_delay_ms);
		if (a == HX_UDP_DUPLICATE)
			steps[i].gap_ms = mix->gap_ms;
	}
	return n;
}
