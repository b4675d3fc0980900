/* hx_time.h - monotonic time and deadlines scaled for slow machines. */
#ifndef HX_TIME_H
#define HX_TIME_H

#include <stdint.h>

/* Milliseconds on the monotonic clock. */
int64_t hx_now_ms(void);

/* The factor every deadline is multiplied by: SOCKLAB_TIMEOUT_SCALE
 * (a number >= 1, default 1), times the extra factor set by
 * hx_set_extra_scale (used under Valgrind). */
double hx_timeout_scale(void);
void hx_set_extra_scale(double factor);

/* timeout_ms scaled, as an absolute time on the monotonic clock. */
int64_t hx_deadline(int timeout_ms);

/* Milliseconds left until deadline, never negative. */
int hx_remaining_ms(int64_t deadline);

/* Waits before the next try of a readiness poll: 1 ms, doubling up to
 * 32 ms, never past the deadline. *attempt counts the tries. */
void hx_backoff(int *attempt, int64_t deadline);

/* Pauses ms milliseconds (unscaled): only where the test is about time
 * itself, such as a fault plan's delay between pieces. */
void hx_pause(int ms);

/* The CPUs this process may run on (its affinity: taskset, a container's
 * cpuset, batch -j), at least 1. */
int hx_cores(void);

/* How busy the CPUs this process may run on were since the last call (at
 * least 20 ms ago, else the last answer): 0 idle to 1 every one of them
 * busy, from /proc/stat; -1 where it cannot be read. */
double hx_cpu_busy(void);

/* The CPU time so far of the CPUs this process may run on, to measure
 * how busy they were over a span: hx_cpu_mark, then hx_cpu_busy_since
 * gives their busy share (0 to 1) since the mark, -1 when unknown. */
struct hx_cpu_mark {
	unsigned long long total, idle; /* /proc/stat's clock ticks */
};
void hx_cpu_mark(struct hx_cpu_mark *m);
double hx_cpu_busy_since(const struct hx_cpu_mark *m);

#endif
