/* hx_sched.c - threads and wakeups of a program, from /proc. */
#define _GNU_SOURCE
#include "hx_sched.h"
#include "hx_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx_time.h"

#define HX_SCHED_MAX_THREADS 128 /* threads one sample follows */

/* One look at a process: its CPU time and, per thread, how often the
 * scheduler switched it out (voluntarily or not). */
struct hx_sched_sample {
	int tids[HX_SCHED_MAX_THREADS];	     /* thread ids */
	long switches[HX_SCHED_MAX_THREADS]; /* context switches so far */
	int nthreads;			     /* threads sampled */
	long ticks;			     /* utime + stime, clock ticks */
};

int hx_proc_count_threads(struct hx_proc *p)
{
	char path[64];
	struct dirent *e;
	DIR *dir;
	int n = 0;

	if (!hx_proc_running(p))
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)p->pid);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((e = readdir(dir)))
		n += e->d_name[0] != '.';
	closedir(dir);
	return n;
}

/* The number after key in a /proc status text; 0 if absent. */
static long hx_status_number(const char *text, const char *key)
{
	const char *at = strstr(text, key);

	return at ? strtol(at + strlen(key), NULL, 10) : 0;
}

static int hx_sched_sample(struct hx_proc *p, struct hx_sched_sample *s)
{
	char path[320], text[4096], *close_paren;
	unsigned long utime, stime;
	struct dirent *e;
	DIR *dir;

	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)p->pid);
	if (hx_read_proc(path, text, sizeof(text)) < 0)
		return -1;
	/* after "pid (comm) ": utime and stime are fields 14 and 15 */
	close_paren = strrchr(text, ')');
	if (!close_paren ||
	    sscanf(close_paren + 2,
		   "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
		   &utime, &stime) != 2)
		return -1;
	s->ticks = (long)(utime + stime);
	snprintf(path, sizeof(path), "/proc/%d/task", (int)p->pid);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((e = readdir(dir)) && s->nthreads < HX_SCHED_MAX_THREADS) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/status",
			 (int)p->pid, e->d_name);
		if (hx_read_proc(path, text, sizeof(text)) < 0)
			continue;
		s->tids[s->nthreads] = atoi(e->d_name);
		s->switches[s->nthreads] =
		    hx_status_number(text, "\nvoluntary_ctxt_switches:") +
		    hx_status_number(text, "\nnonvoluntary_ctxt_switches:");
		s->nthreads++;
	}
	closedir(dir);
	return 0;
}

int hx_expect_asleep(struct hx_check *c, struct hx_proc *p,
		     const struct hx_idle_limits *limits, const char *when,
		     int timeout_ms)
{
	struct hx_sched_sample before, after;
	long ticks_ms = 1000 / sysconf(_SC_CLK_TCK);
	long cpu_ms;

	hx_proc_wait_idle(p, timeout_ms);
	if (hx_sched_sample(p, &before) < 0)
		goto out_ended;
	hx_pause(limits->window_ms);
	if (hx_sched_sample(p, &after) < 0)
		goto out_ended;
	cpu_ms = (after.ticks - before.ticks) * ticks_ms;
	hx_recordf(c, 0, "%s: %s used %ld ms of CPU in %d ms", when, p->label,
		   cpu_ms, limits->window_ms);
	if (cpu_ms > limits->max_cpu_ms)
		return hx_fail(c, HX_FAIL,
			       "%s, with nothing to do, %s used %ld ms of CPU "
			       "in %d ms: a thread is spinning in a loop "
			       "instead of sleeping in a blocking call "
			       "(pthread_cond_wait, accept, poll, recv)",
			       when, p->label, cpu_ms, limits->window_ms);
	for (int i = 0; i < after.nthreads; i++)
		for (int j = 0; j < before.nthreads; j++) {
			long woke = after.switches[i] - before.switches[j];

			if (after.tids[i] != before.tids[j] ||
			    woke <= limits->max_wakeups)
				continue;
			return hx_fail(
			    c, HX_FAIL,
			    "%s, with nothing to do, %s of %s woke up %ld "
			    "times in %d ms: it polls (a sleep or a short "
			    "timeout in a loop) instead of sleeping until "
			    "there is work",
			    when,
			    after.tids[i] == (int)p->pid ? "the main thread"
							 : "another thread",
			    p->label, woke, limits->window_ms);
		}
	return 0;
out_ended:
	hx_note_end(c, p);
	return hx_fail(c, HX_FAIL, "%s ended %s", p->label, when);
}
