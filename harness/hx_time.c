/* hx_time.c - monotonic time, scaled deadlines, backoff for polling. */
#define _GNU_SOURCE
#include "hx_time.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double extra_scale = 1.0;

int64_t hx_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

double hx_timeout_scale(void)
{
	const char *text = getenv("SOCKLAB_TIMEOUT_SCALE");
	double scale = 1.0;

	if (text && *text) {
		char *end;
		double value = strtod(text, &end);

		if (*end == '\0' && value >= 1.0 && value <= 1000.0)
			scale = value;
	}
	return scale * extra_scale;
}

void hx_set_extra_scale(double factor)
{
	extra_scale = factor >= 1.0 ? factor : 1.0;
}

int64_t hx_deadline(int timeout_ms)
{
	return hx_now_ms() + (int64_t)(timeout_ms * hx_timeout_scale());
}

int hx_remaining_ms(int64_t deadline)
{
	int64_t left = deadline - hx_now_ms();

	if (left < 0)
		return 0;
	return left > 0x7fffffff ? 0x7fffffff : (int)left;
}

void hx_backoff(int *attempt, int64_t deadline)
{
	/* Polling for readiness is the design: the harness cannot be told
	 * when another process binds. The pause grows so a slow start costs
	 * few polls and a fast one is seen within a millisecond or two. */
	int wait_ms = 1 << (*attempt < 5 ? *attempt : 5);
	int left = hx_remaining_ms(deadline);
	struct timespec ts;

	if (wait_ms > left)
		wait_ms = left;
	ts.tv_sec = 0;
	ts.tv_nsec = (long)wait_ms * 1000000L;
	nanosleep(&ts, NULL);
	(*attempt)++;
}

void hx_pause(int ms)
{
	/* a fault plan's delay: the test is about time itself */
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int hx_cores(void)
{
	cpu_set_t mask;
	long online = sysconf(_SC_NPROCESSORS_ONLN);

	if (sched_getaffinity(0, sizeof(mask), &mask) == 0 &&
	    CPU_COUNT(&mask) > 0)
		return CPU_COUNT(&mask);
	return online > 0 ? (int)online : 1;
}

/* Reads /proc/stat: clock ticks in all, and idle or waiting for I/O, of
 * the CPUs this process may run on (all of them: the first line). 0, or
 * -1. */
static int hx_cpu_ticks(unsigned long long *total, unsigned long long *idle)
{
	unsigned long long v[8];
	char line[256];
	cpu_set_t mask;
	int all, counted = 0;
	FILE *f = fopen("/proc/stat", "re");

	if (!f)
		return -1;
	all = sched_getaffinity(0, sizeof(mask), &mask) < 0 ||
	      CPU_COUNT(&mask) >= sysconf(_SC_NPROCESSORS_ONLN);
	*total = *idle = 0;
	while (fgets(line, sizeof(line), f) && strncmp(line, "cpu", 3) == 0) {
		int cpu = -1, n;

		memset(v, 0, sizeof(v));
		if (line[3] == ' ')
			n = sscanf(
			    line, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
			    &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			    &v[7]);
		else
			n = sscanf(line,
				   "cpu%d %llu %llu %llu %llu %llu %llu %llu "
				   "%llu",
				   &cpu, &v[0], &v[1], &v[2], &v[3], &v[4],
				   &v[5], &v[6], &v[7]) -
			    1;
		if (n < 4)
			break;
		/* the first line sums every CPU; else only ours count */
		if (all ? cpu >= 0
			: cpu < 0 || cpu >= CPU_SETSIZE ||
			      !CPU_ISSET(cpu, &mask))
			continue;
		for (int i = 0; i < 8; i++)
			*total += v[i];
		*idle += v[3] + v[4];
		counted++;
		if (all)
			break;
	}
	fclose(f);
	return counted ? 0 : -1;
}

double hx_cpu_busy(void)
{
	static struct hx_cpu_mark mark;
	static int64_t last_ms;
	static double last = -1;
	double busy;

	if (last_ms && hx_now_ms() - last_ms < 20)
		return last;
	busy = last_ms ? hx_cpu_busy_since(&mark) : -1;
	if (busy >= 0 || !last_ms)
		last = busy;
	hx_cpu_mark(&mark);
	last_ms = hx_now_ms();
	return last;
}

void hx_cpu_mark(struct hx_cpu_mark *m)
{
	if (hx_cpu_ticks(&m->total, &m->idle) < 0)
		m->total = m->idle = 0;
}

double hx_cpu_busy_since(const struct hx_cpu_mark *m)
{
	unsigned long long total, idle;

	if (!m->total || hx_cpu_ticks(&total, &idle) < 0 || total <= m->total)
		return -1;
	return 1.0 - (double)(idle - m->idle) / (double)(total - m->total);
}
