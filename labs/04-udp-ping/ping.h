/* ping.h - what the parts of lab 04's ping client share.
 *
 * Exit statuses, limits, the ping datagram's format, and the helpers of
 * stats.c: parse_number reads a whole number from the command line,
 * elapsed_ms measures a round trip, format_ping writes one ping, and the
 * ping_stats functions keep and print the totals. Only main keeps state.
 */
#ifndef PING_H
#define PING_H

#include <stddef.h>
#include <time.h>

/* Exit statuses. 0, 1 and 2 are the same in every lab. */
#define EXIT_OK	      0 /* at least one reply came back */
#define EXIT_USAGE    1 /* wrong arguments: a "usage:" line was printed */
#define EXIT_RUNTIME  2 /* a call failed or the host is unknown: reported */
#define EXIT_NO_REPLY 3 /* every ping timed out */

/* Limits of the command line. */
#define MAX_COUNT      1000  /* pings in one run */
#define MAX_TIMEOUT_MS 60000 /* one ping's wait */

/* The largest UDP payload over IPv4; a reply is never longer than this. */
#define MAX_DATAGRAM 65507

/* A ping is the text "PING <seq> <time>\n": seq counts from 1, time is the
 * send time in whole milliseconds on the client's monotonic clock. The
 * server sends the same bytes back. */
#define MAX_PING 64 /* more than the longest ping */

/* The totals of a run. */
struct ping_stats {
	long transmitted; /* pings sent */
	long received;	  /* pings that got their reply in time */
	double min_ms;	  /* shortest round trip, when received > 0 */
	double max_ms;	  /* longest round trip, when received > 0 */
	double sum_ms;	  /* sum of the round trips, for the average */
};

/* Returns the number written in text, a whole number from min to max
 * with nothing before or after it, or -1 when it is not one. */
long parse_number(const char *text, long min, long max);

/* Milliseconds from start to end (both CLOCK_MONOTONIC), with fractions. */
double elapsed_ms(const struct timespec *start, const struct timespec *end);

/* Writes ping number seq, sent at time sent, into buf (size bytes, at
 * least MAX_PING); returns its length, without a terminating NUL. */
size_t format_ping(char *buf, size_t size, long seq,
		   const struct timespec *sent);

/* Empties the totals. */
void stats_init(struct ping_stats *stats);

/* Counts a reply whose round trip took rtt_ms. */
void stats_add_reply(struct ping_stats *stats, double rtt_ms);

/* Prints the summary lines on stdout:
 *	"N packets transmitted, M received, L% packet loss"
 *	"rtt min/avg/max = a/b/c ms"	(only when M > 0) */
void stats_print(const struct ping_stats *stats);

#endif
