/* stats.c - the helpers of ping.h: numbers, times, pings and totals. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "ping.h"

long parse_number(const char *text, long min, long max)
{
	char *end;  /* strtol leaves here the first byte it did not use */
	long value; /* the number read */

	/* strtol would skip spaces and accept a sign: ask for a digit first. */
	if (!isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	value = strtol(text, &end, 10);
	/* The whole text must be the number, and the number in range. */
	if (errno != 0 || *end != '\0' || value < min || value > max)
		return -1;
	return value;
}

double elapsed_ms(const struct timespec *start, const struct timespec *end)
{
	/* Seconds and nanoseconds apart; the nanoseconds may be negative
	 * (end 2.1 s, start 1.9 s), which the sum handles. */
	double seconds = (double)(end->tv_sec - start->tv_sec);
	double nanoseconds = (double)(end->tv_nsec - start->tv_nsec);

	return seconds * 1000.0 + nanoseconds / 1000000.0;
}

size_t format_ping(char *buf, size_t size, long seq,
		   const struct timespec *sent)
{
	/* The send time in whole milliseconds: only for people reading the
	 * datagram, the client keeps its own struct timespec. */
	long long ms = (long long)sent->tv_sec * 1000 + sent->tv_nsec / 1000000;
	int n = snprintf(buf, size, "PING %ld %lld\n", seq, ms);

	/* snprintf returns the length it wanted; never report more than
	 * what fits (a MAX_PING buffer always fits). */
	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}

void stats_init(struct ping_stats *stats)
{
	stats->transmitted = 0;
	stats->received = 0;
	stats->min_ms = 0.0;
	stats->max_ms = 0.0;
	stats->sum_ms = 0.0;
}

void stats_add_reply(struct ping_stats *stats, double rtt_ms)
{
	/* The first reply sets min and max; later ones move them. */
	if (stats->received == 0 || rtt_ms < stats->min_ms)
		stats->min_ms = rtt_ms;
	if (stats->received == 0 || rtt_ms > stats->max_ms)
		stats->max_ms = rtt_ms;
	stats->sum_ms += rtt_ms;
	stats->received++;
}

void stats_print(const struct ping_stats *stats)
{
	long lost = stats->transmitted - stats->received;
	double loss = 0.0; /* percent, with fractions */

	/* 100.0 makes the division a floating-point one: 2 of 7 lost is
	 * 28.571...%, printed 28.6%. In integers, 2 * 100 / 7 is 28 and
	 * 2 / 7 * 100 is 0. */
	if (stats->transmitted > 0)
		loss = 100.0 * (double)lost / (double)stats->transmitted;
	printf("%ld packets transmitted, %ld received, %.1f%% packet loss\n",
	       stats->transmitted, stats->received, loss);

	/* Without a reply there is no round trip to summarise. */
	if (stats->received == 0)
		return;
	printf("rtt min/avg/max = %.3f/%.3f/%.3f ms\n", stats->min_ms,
	       stats->sum_ms / (double)stats->received, stats->max_ms);
}
