/* sl_pool.h - jobs run by child processes, several at once.
 *
 * One loop for the three things the grader runs in parallel: the checks
 * of a lab (each a sandbox), the students of a batch and the labs of a
 * course (each a forked worker). A job is a process the pool waits on
 * through one descriptor, with a deadline; the caller says how to start a
 * job, what to do when its descriptor is readable, when another may start
 * and how to kill one. The pool stops every job on a stop signal.
 */
#ifndef SL_POOL_H
#define SL_POOL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A running job, as the pool sees it. */
struct sl_pool_job {
	pid_t pid;	  /* its process (informational for the pool) */
	int fd;		  /* polled for input; -1: none (deadline only) */
	int64_t deadline; /* monotonic ms when it is late; 0: none */
};

struct sl_pool {
	int count;	 /* jobs 0..count-1, started in this order */
	int max_running; /* at most this many at once (at least 1) */
	void *ctx;	 /* passed to every callback */
	/* Starts job i and fills job. 0: started; 1: nothing to wait for
	 * (it is done, or skipped); 2: not yet (it waits for something
	 * outside the pool: asked again soon, later jobs wait behind it);
	 * -1: the pool stops, err says why. */
	int (*start)(void *ctx, int i, struct sl_pool_job *job, char *err,
		     size_t errlen);
	/* job i's descriptor is readable or has ended, or late is 1: its
	 * deadline has passed. Returns 1 when the job is over. */
	int (*ready)(void *ctx, int i, struct sl_pool_job *job, int late);
	/* 1 if another job may start beside running ones; NULL: always. */
	int (*admit)(void *ctx, int running);
	/* Kills job i at once (a stop signal or an error of the pool). */
	void (*kill)(void *ctx, int i, struct sl_pool_job *job);
};

/* Beyond their first few, jobs that mostly wait start while the CPUs are
 * busy less than this (a check beside other checks, a lab beside other
 * labs). */
#define SL_BUSY_LIMIT 0.7

/* An admit rule for jobs that mostly wait on timers and sockets: 1 while
 * fewer than first run, whatever the CPUs do; beyond, 1 while the
 * machine's CPUs are busy less than busy_limit (a share, 0 to 1). */
int sl_pool_admit_while_idle(int running, int first, double busy_limit);

/* Runs every job of pool to its end. 0, or -1 with err (a stop signal,
 * or a job that could not start); every job has then been killed. */
int sl_pool_run(const struct sl_pool *pool, char *err, size_t errlen);

/* Forks a worker process that runs body(fd, arg) and exits: in its own
 * process group, killed if the grader dies, writing to fd (the other end
 * is job->fd). Returns 0 or -1 with errno. */
int sl_pool_fork(struct sl_pool_job *job, void (*body)(int fd, void *arg),
		 void *arg);

/* Ends a worker of sl_pool_fork: kills its group first if kill_it, closes
 * its descriptor, waits for it. Returns its wait status. */
int sl_pool_reap(struct sl_pool_job *job, int kill_it);

/* Reads what job->fd has into *out (up to max bytes kept). Returns 1 at
 * end of file (the descriptor is then closed and -1), 0 otherwise. */
struct hx_buf;
int sl_pool_read(struct sl_pool_job *job, struct hx_buf *out, size_t max);

#endif
