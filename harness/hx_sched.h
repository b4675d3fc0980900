/* hx_sched.h - what the scheduler says about a program: how many threads
 * it runs, and whether they sleep while there is nothing to do.
 *
 * A thread that waits well sleeps in one blocking call (accept, poll,
 * recv, pthread_cond_wait) until there is work: it uses no CPU and is not
 * switched in at all. A thread that spins shows in the CPU time; one that
 * polls (a sleep or a short timeout in a loop) shows in how often it was
 * switched out, which /proc counts per thread. Both are read from /proc,
 * never from the program.
 */
#ifndef HX_SCHED_H
#define HX_SCHED_H

#include "hx_check.h"
#include "hx_proc.h"

/* Threads of the process now, or -1 once it has ended. */
int hx_proc_count_threads(struct hx_proc *p);

/* What may happen in an idle window: nothing is sent to the program
 * while it lasts. */
struct hx_idle_limits {
	int window_ms;	 /* how long it is watched (unscaled: the test is
			    about time) */
	int max_wakeups; /* times one thread may be switched in */
	int max_cpu_ms;	 /* CPU time the whole process may use */
};

/* Once p is idle (every thread asleep, IO deadline timeout_ms), watches
 * it for limits->window_ms: fails when it used more CPU or a thread woke
 * more often than the limits allow, naming the thread (the main thread
 * or another) and saying what that means. when says what was going on
 * ("with every worker busy"). 0, or -1 after the failure. */
int hx_expect_asleep(struct hx_check *c, struct hx_proc *p,
		     const struct hx_idle_limits *limits, const char *when,
		     int timeout_ms);

#endif
