/* hx_udp_peer.h - a UDP responder with a fault plan, run in a thread.
 *
 * The peer binds a port and answers every datagram it receives as its
 * plan says: echo it at once or after a delay, drop it, echo it twice,
 * echo it after the client has given up, hold it back until the next
 * reply has gone, answer from another port, or send a forged copy from
 * another port first. The plan is a schedule (step i for the i-th
 * datagram), made by hand or from the check's seed, or a callback asked
 * for each datagram as it arrives.
 *
 * Delayed replies wait in a queue; the one thread polls with the time to
 * the earliest of them, so any number of replies can be in flight without
 * sleeping. For every datagram the peer keeps when it arrived and when
 * each reply left, so a check can compare the round-trip times a client
 * measures with the delays really applied. Every byte goes into the
 * check's transcript. The peer prints nothing and never exits: failures
 * are recorded with hx_fail.
 *
 *	struct hx_udp_peer peer;
 *
 *	hx_udp_peer_init(&peer);
 *	peer.schedule = steps;
 *	peer.nschedule = n;
 *	if (hx_udp_peer_start(c, &peer, "127.0.0.1", port, 10000) < 0)
 *		return;
 *	... run the client ...
 *	hx_udp_peer_stop(c, &peer, 1000);
 *	... read peer.seen[0 .. peer.nseen - 1] ...
 *	hx_udp_peer_free(&peer);
 */
#ifndef HX_UDP_PEER_H
#define HX_UDP_PEER_H

#include <pthread.h>
#include <stdint.h>
#include <sys/socket.h>

#include "hx_check.h"
#include "hx_net.h"

#define HX_UDP_MAX_SEEN	   256 /* datagrams recorded; later ones dropped */
#define HX_UDP_MAX_PENDING 512 /* replies waiting to be sent at once */

/* What the peer does with one datagram. Every reply is the datagram's own
 * bytes (an echo) unless the step gives a payload. */
enum hx_udp_action {
	HX_UDP_REPLY,	   /* reply after delay_ms (0: at once) */
	HX_UDP_DROP,	   /* never reply */
	HX_UDP_DUPLICATE,  /* reply after delay_ms, and again gap_ms later */
	HX_UDP_LATE,	   /* reply after the peer's late_ms */
	HX_UDP_REORDER,	   /* hold the reply; send it right after the main
			      socket's reply to a later datagram (never, if
			      none comes) */
	HX_UDP_OTHER_PORT, /* reply after delay_ms, from the other socket */
	HX_UDP_STRAY,	   /* a copy from the other socket at once, then the
			      reply after delay_ms */
	HX_UDP_NACTIONS	   /* number of actions */
};

/* Name of an action in feedback: "drop", "late reply". */
const char *hx_udp_action_name(enum hx_udp_action action);

/* One step of a plan. */
struct hx_udp_step {
	enum hx_udp_action action; /* what to do */
	int delay_ms;		   /* before the (first) reply */
	int gap_ms;		   /* HX_UDP_DUPLICATE: between the copies */
	const void *payload;	   /* reply with these bytes; NULL: echo */
	size_t payload_len;	   /* bytes of payload */
};

/* Asked for each datagram when set: index counts datagrams from 0. It
 * fills step (which starts as "reply at once"); payload is copied, so it
 * may point to the callback's own stack. Runs on the peer's thread. */
typedef void (*hx_udp_decide_fn)(void *arg, int index, const void *data,
				 size_t len, struct hx_udp_step *step);

/* What the peer saw and did, per datagram. */
struct hx_udp_seen {
	int64_t received_ms;	      /* hx_now_ms() just after it was read */
	struct hx_buf data;	      /* its bytes */
	struct hx_udp_step step;      /* what was done (payload: NULL) */
	struct hx_buf reply;	      /* the bytes of each reply */
	struct sockaddr_storage from; /* its sender */
	socklen_t from_len;	      /* size of from */
	int64_t sent_ms[2]; /* just before each reply left, 0: never */
	int64_t stray_ms;   /* just before the stray copy left, 0: never */
};

/* A reply waiting for its time. */
struct hx_udp_pending {
	int64_t due_ms; /* when to send it; INT64_MAX: held (reorder) */
	int seen;	/* index of the datagram it answers */
	int copy;	/* 0 first reply, 1 duplicate, -1 stray copy */
	int other;	/* 1: send from the other socket */
};

struct hx_udp_peer {
	/* Set by the check between init and start. */
	const struct hx_udp_step *schedule; /* step per datagram, or NULL */
	int nschedule;		 /* steps in schedule; later datagrams get
				    a reply at once */
	hx_udp_decide_fn decide; /* asked instead of the schedule when set */
	void *decide_arg;	 /* first argument of decide */
	int late_ms;		 /* delay of HX_UDP_LATE */

	/* Filled by start; read by the check after stop. */
	int port;				  /* port of the main socket */
	int other_port;				  /* port of the other socket */
	struct hx_udp_seen seen[HX_UDP_MAX_SEEN]; /* every datagram, in order */
	int nseen;				  /* datagrams in seen */
	int overflow; /* datagrams not recorded (over the cap) */

	/* Private to the peer. */
	struct hx_check *check; /* check whose transcript is written */
	struct hx_conn main;	/* the socket clients send to */
	struct hx_conn other;	/* the socket of other-port replies */
	int wake[2];		/* pipe: a byte asks the thread to stop */
	int64_t end_ms;		/* the thread stops by itself then */
	struct hx_udp_pending pending[HX_UDP_MAX_PENDING]; /* queued replies */
	int npending;	  /* entries in pending */
	pthread_t thread; /* the responder */
	int running;	  /* 1 between start and stop */
};

/* Zeroes a peer: no schedule (reply at once to everything). */
void hx_udp_peer_init(struct hx_udp_peer *peer);

/* Binds the main socket to host:port and another socket to host, port 0,
 * then starts the thread, which runs until stop or for at most
 * lifetime_ms (scaled). The sockets are bound when this returns, so a
 * client may send at once. Returns 0, or -1 after hx_fail. */
int hx_udp_peer_start(struct hx_check *c, struct hx_udp_peer *peer,
		      const char *host, int port, int lifetime_ms);

/* Stops the thread and joins it within timeout_ms (scaled); replies
 * still queued are never sent. Returns 0, or -1 after hx_fail. */
int hx_udp_peer_stop(struct hx_check *c, struct hx_udp_peer *peer,
		     int timeout_ms);

/* Frees what the peer recorded (after stop). */
void hx_udp_peer_free(struct hx_udp_peer *peer);

/* The delay a reply really got: its copy's send time minus the arrival
 * time, or -1 when that copy was never sent. Both times are taken on the
 * safe side, so a client's round trip is never shorter than this (to the
 * millisecond the clock is read in). */
long hx_udp_applied_ms(const struct hx_udp_seen *seen, int copy);

/* How many steps of each action a seeded schedule holds, and its delays. */
struct hx_udp_mix {
	int count[HX_UDP_NACTIONS]; /* steps of each action */
	int min_delay_ms;	    /* delays are drawn from min..max */
	int max_delay_ms;	    /* (replies, duplicates, strays, ...) */
	int gap_ms;		    /* gap between duplicate copies */
};

/* Fills steps with the mix in an order and with delays drawn from the
 * check's seed (hx_random): the same seed gives the same schedule.
 * Returns the number of steps, at most max (-1 after hx_fail if the mix
 * holds more). */
int hx_udp_schedule_random(struct hx_check *c, const struct hx_udp_mix *mix,
			   struct hx_udp_step *steps, int max);

#endif
