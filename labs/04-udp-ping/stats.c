/* stats.c - the helpers of ping.h: numbers, times, pings and totals.
 *
 * Write each function as ping.h describes it. None of them exits or
 * keeps state of its own: the totals live in the caller's struct.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "ping.h"

long parse_number(const char *text, long min, long max)
{
	/* TODO: return -1 unless text[0] is a digit (isdigit, with the byte
	 * cast to unsigned char: this also refuses "", "-1" and " 5"). Set
	 * errno = 0, read the number with strtol(text, &end, 10), and return
	 * -1 if errno is set, if *end is not '\0' or if the value is below
	 * min or above max. Otherwise return the value. */
	(void)text;
	(void)min;
	(void)max;
	return -1;
}

double elapsed_ms(const struct timespec *start, const struct timespec *end)
{
	/* TODO: (end->tv_sec - start->tv_sec) seconds and (end->tv_nsec -
	 * start->tv_nsec) nanoseconds (which may be negative), as
	 * milliseconds in a double: seconds * 1000.0 + nanoseconds /
	 * 1000000.0. */
	(void)start;
	(void)end;
	return 0.0;
}

size_t format_ping(char *buf, size_t size, long seq,
		   const struct timespec *sent)
{
	/* TODO: the send time in whole milliseconds, sent->tv_sec * 1000 +
	 * sent->tv_nsec / 1000000 (as long long), then
	 * snprintf(buf, size, "PING %ld %lld\n", seq, ms). Return the
	 * length snprintf wrote (never more than size - 1). */
	(void)buf;
	(void)size;
	(void)seq;
	(void)sent;
	return 0;
}

void stats_init(struct ping_stats *stats)
{
	/* TODO: set every field to zero. */
	(void)stats;
}

void stats_add_reply(struct ping_stats *stats, double rtt_ms)
{
	/* TODO: the first reply (received == 0) sets min_ms and max_ms;
	 * later ones lower min_ms or raise max_ms. Add rtt_ms to sum_ms and
	 * count the reply in received. */
	(void)stats;
	(void)rtt_ms;
}

void stats_print(const struct ping_stats *stats)
{
	/* TODO: loss = 100.0 * (transmitted - received) / transmitted, in
	 * floating point (in integers 2 * 100 / 7 is 28, not 28.571).
	 * printf("%ld packets transmitted, %ld received, %.1f%% packet
	 * loss\n", ...). Then, only when received > 0,
	 * printf("rtt min/avg/max = %.3f/%.3f/%.3f ms\n", min, sum /
	 * received, max). */
	(void)stats;
}
