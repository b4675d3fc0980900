/* sl_pool.c - jobs run by child processes, several at once. */
#define _GNU_SOURCE
#include "sl_pool.h"
#include "sl_grade.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../harness/hx_time.h"

#define SL_POOL_IDLE_MS	 1000 /* the longest wait: stop signals are seen */
#define SL_POOL_ADMIT_MS 25   /* how often a held-back job looks again */

static void sl_pool_kill_all(const struct sl_pool *pool,
			     struct sl_pool_job *jobs, const int *running)
{
	for (int i = 0; i < pool->count; i++)
		if (running[i])
			pool->kill(pool->ctx, i, &jobs[i]);
}

int sl_pool_admit_while_idle(int running, int first, double busy_limit)
{
	double busy;

	if (running < first)
		return 1;
	busy = hx_cpu_busy();
	return busy >= 0 && busy < busy_limit;
}

int sl_pool_run(const struct sl_pool *pool, char *err, size_t errlen)
{
	int n = pool->count, next = 0, active = 0, rc = 0;
	int max = pool->max_running > 0 ? pool->max_running : 1;
	struct sl_pool_job *jobs = calloc((size_t)n + 1, sizeof(*jobs));
	int *running = calloc((size_t)n + 1, sizeof(*running));
	struct pollfd *pfd = calloc((size_t)n + 1, sizeof(*pfd));
	int *who = calloc((size_t)n + 1, sizeof(*who));

	if (!jobs || !running || !pfd || !who) {
		snprintf(err, errlen, "out of memory");
		free(jobs);
		free(running);
		free(pfd);
		free(who);
		return -1;
	}
	for (;;) {
		int np = 0, wait_ms = SL_POOL_IDLE_MS, held = 0;

		if (sl_stopped(err, errlen)) {
			rc = -1;
			break;
		}
		while (next < n && active < max &&
		       (active == 0 || !pool->admit ||
			pool->admit(pool->ctx, active))) {
			int i = next++, started;

			jobs[i] = (struct sl_pool_job){.fd = -1};
			started =
			    pool->start(pool->ctx, i, &jobs[i], err, errlen);
			if (started < 0) {
				rc = -1;
				goto out;
			}
			if (started == 2) {
				/* it waits; so do the jobs behind it */
				next--;
				held = 1;
				break;
			}
			if (started == 0) {
				running[i] = 1;
				active++;
			}
		}
		if (active == 0 && next >= n)
			break;
		if (held)
			wait_ms = SL_POOL_ADMIT_MS;
		for (int i = 0; i < n; i++) {
			int left;

			if (!running[i])
				continue;
			if (jobs[i].deadline &&
			    hx_remaining_ms(jobs[i].deadline) == 0) {
				if (pool->ready(pool->ctx, i, &jobs[i], 1)) {
					running[i] = 0;
					active--;
				}
				continue;
			}
			pfd[np] =
			    (struct pollfd){.fd = jobs[i].fd, .events = POLLIN};
			who[np++] = i;
			left = jobs[i].deadline
				   ? hx_remaining_ms(jobs[i].deadline) + 1
				   : SL_POOL_IDLE_MS;
			if (left < wait_ms)
				wait_ms = left;
		}
		/* held back for the CPU: look again soon */
		if (next < n && active > 0 && wait_ms > SL_POOL_ADMIT_MS)
			wait_ms = SL_POOL_ADMIT_MS;
		if (np == 0) {
			/* nothing to poll: only a held-back job to retry */
			poll(NULL, 0, wait_ms);
			continue;
		}
		if (poll(pfd, (nfds_t)np, wait_ms) < 0 && errno != EINTR) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			rc = -1;
			goto out;
		}
		for (int p = 0; p < np; p++) {
			int i = who[p];

			/* a descriptor of -1 is polled for its deadline only */
			if (!pfd[p].revents && jobs[i].fd >= 0)
				continue;
			if (!pfd[p].revents &&
			    hx_remaining_ms(jobs[i].deadline))
				continue;
			if (pool->ready(pool->ctx, i, &jobs[i], 0)) {
				running[i] = 0;
				active--;
			}
		}
	}
out:
	if (rc < 0)
		sl_pool_kill_all(pool, jobs, running);
	free(jobs);
	free(running);
	free(pfd);
	free(who);
	return rc;
}

int sl_pool_fork(struct sl_pool_job *job, void (*body)(int fd, void *arg),
		 void *arg)
{
	int pipefd[2];
	pid_t parent = getpid();

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -1;
	fflush(NULL);
	job->pid = fork();
	if (job->pid == 0) {
		setpgid(0, 0);
		/* it dies with the grader, and its sandboxes with it */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(2);
		close(pipefd[0]);
		body(pipefd[1], arg);
		_exit(0);
	}
	close(pipefd[1]);
	if (job->pid < 0) {
		close(pipefd[0]);
		return -1;
	}
	job->fd = pipefd[0];
	return 0;
}

int sl_pool_reap(struct sl_pool_job *job, int kill_it)
{
	int status = 0;

	if (job->pid <= 0)
		return 0;
	if (kill_it) {
		kill(-job->pid, SIGKILL);
		kill(job->pid, SIGKILL);
	}
	if (job->fd >= 0) {
		close(job->fd);
		job->fd = -1;
	}
	while (waitpid(job->pid, &status, 0) < 0 && errno == EINTR)
		;
	job->pid = 0;
	return status;
}

int sl_pool_read(struct sl_pool_job *job, struct hx_buf *out, size_t max)
{
	char chunk[16384];
	ssize_t n;

	if (job->fd < 0)
		return 1;
	n = read(job->fd, chunk, sizeof(chunk));
	if (n > 0) {
		if (out->len < max)
			hx_buf_add(out, chunk, (size_t)n);
		return 0;
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	close(job->fd);
	job->fd = -1;
	return 1;
}
