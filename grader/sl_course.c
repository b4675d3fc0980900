/* sl_course.c - several labs graded at once, their reports in order.
 *
 * Each lab is graded by a worker process of its own, several at once: a
 * lab's checks mostly wait on timers and sockets, so one lab leaves the
 * CPU idle. Builds, which do use the CPU, take a token each from a pipe
 * holding one per core. The first lab's report is printed as it comes;
 * the others' are kept until every lab before them is done, so the
 * reports read in the labs' order.
 */
#define _GNU_SOURCE
#include "sl_grade.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define SL_COURSE_WORKERS 4 /* labs graded at once */

/* One lab's worker. */
struct sl_lab_worker {
	pid_t pid;           /* the worker, 0 before it starts and once done */
	int out_fd;          /* read end of its report, -1 at EOF */
	int total_fd;        /* read end of its total line, -1 at EOF */
	struct hx_buf out;   /* its report, kept until its turn */
	struct hx_buf total; /* "rc score max ms" */
	int done;            /* 1 once it has ended and been read */
};

/* In the worker: grades the lab, its report on out_fd, its total on
 * total_fd. Never returns. */
static void sl_course_worker(const struct sl_options *opt,
			     const struct sl_lab *lab, sl_grade_one_fn *grade,
			     int out_fd, int total_fd)
{
	struct sl_lab_total t = { .lab = lab };
	pid_t parent = getppid();
	FILE *totals;
	int rc;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(2);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (dup2(out_fd, 1) < 0)
		_exit(2);
	close(out_fd);
	rc = grade(opt, lab, &t);
	fflush(stdout);
	totals = fdopen(total_fd, "w");
	if (totals) {
		fprintf(totals, "%d %d %d %lld\n", rc, t.score, t.max_score,
			(long long)t.duration_ms);
		fclose(totals);
	}
	_exit(rc);
}

static int sl_course_start(const struct sl_options *opt,
			   const struct sl_lab *lab, sl_grade_one_fn *grade,
			   struct sl_lab_worker *w)
{
	int out[2], total[2];

	if (pipe2(out, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(total, O_CLOEXEC) < 0) {
		close(out[0]);
		close(out[1]);
		return -1;
	}
	fflush(stdout);
	w->pid = fork();
	if (w->pid == 0) {
		close(out[0]);
		close(total[0]);
		sl_course_worker(opt, lab, grade, out[1], total[1]);
	}
	close(out[1]);
	close(total[1]);
	if (w->pid < 0) {
		close(out[0]);
		close(total[0]);
		return -1;
	}
	w->out_fd = out[0];
	w->total_fd = total[0];
	hx_buf_init(&w->out);
	hx_buf_init(&w->total);
	return 0;
}

/* Reads what fd has into b; closes it at EOF. */
static void sl_course_read(int *fd, struct hx_buf *b)
{
	char chunk[16384];
	ssize_t n = read(*fd, chunk, sizeof(chunk));

	if (n > 0) {
		hx_buf_add(b, chunk, (size_t)n);
	} else if (n == 0 || errno != EINTR) {
		close(*fd);
		*fd = -1;
	}
}

/* The worker has said all it will: its total, and its exit. */
static void sl_course_finish(struct sl_lab_worker *w, const struct sl_lab *lab,
			     struct sl_lab_total *t, int *rc)
{
	int status = 0, lab_rc = 2, score = 0, max = 0;
	long long ms = 0;

	while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
		;
	w->pid = 0;
	w->done = 1;
	if (w->total.data && sscanf(w->total.data, "%d %d %d %lld", &lab_rc,
				    &score, &max, &ms) != 4)
		lab_rc = 2;
	t->lab = lab;
	t->score = score;
	t->max_score = max;
	t->duration_ms = ms;
	if (lab_rc > *rc)
		*rc = lab_rc;
}

static void sl_course_kill(struct sl_lab_worker *w, int n)
{
	for (int i = 0; i < n; i++)
		if (w[i].pid > 0) {
			kill(-w[i].pid, SIGKILL);
			kill(w[i].pid, SIGKILL);
			while (waitpid(w[i].pid, NULL, 0) < 0 && errno == EINTR)
				;
			w[i].pid = 0;
		}
}

int sl_grade_course(const struct sl_options *opt,
		    const struct sl_lab *const *labs, int n,
		    sl_grade_one_fn *grade, struct sl_lab_total *totals,
		    FILE *out)
{
	struct sl_lab_worker *w = calloc((size_t)n, sizeof(*w));
	struct sl_options own = *opt;
	int next = 0, shown = 0, running = 0, rc = 0;

	if (!w)
		return 2;
	for (int i = 0; i < n; i++)
		w[i].out_fd = w[i].total_fd = -1;
	/* several labs share the CPUs: each starts one check at once, the
	 * rest only while the CPUs are not busy */
	own.min_running = 1;
	if (sl_build_tokens_open(sysconf(_SC_NPROCESSORS_ONLN)) < 0) {
		free(w);
		return 2;
	}
	while (shown < n) {
		struct pollfd pfd[2 * SL_COURSE_WORKERS + 2];
		int who[2 * SL_COURSE_WORKERS + 2], np = 0;

		if (sl_stop_signal)
			break;
		while (running < SL_COURSE_WORKERS && next < n) {
			if (sl_course_start(&own, labs[next], grade, &w[next]) < 0) {
				rc = 2;
				goto out_kill;
			}
			running++;
			next++;
		}
		/* the lab whose turn it is goes straight out */
		if (w[shown].out.len) {
			fwrite(w[shown].out.data, 1, w[shown].out.len, out);
			fflush(out);
			hx_buf_clear(&w[shown].out);
		}
		if (w[shown].out_fd < 0 && w[shown].total_fd < 0 &&
		    w[shown].pid > 0) {
			sl_course_finish(&w[shown], labs[shown], &totals[shown],
					 &rc);
			running--;
		}
		if (w[shown].done) {
			hx_buf_free(&w[shown].out);
			hx_buf_free(&w[shown].total);
			if (++shown < n)
				fputc('\n', out);
			continue;
		}
		for (int i = shown; i < next; i++) {
			if (w[i].out_fd >= 0) {
				pfd[np] = (struct pollfd){ .fd = w[i].out_fd,
							   .events = POLLIN };
				who[np++] = i;
			}
			if (w[i].total_fd >= 0) {
				pfd[np] = (struct pollfd){ .fd = w[i].total_fd,
							   .events = POLLIN };
				who[np++] = -1 - i;
			}
		}
		/* a worker is killed with the grader: no wait is unbounded */
		if (poll(pfd, (nfds_t)np, 1000) < 0 && errno != EINTR)
			break;
		for (int p = 0; p < np; p++) {
			int i = who[p] >= 0 ? who[p] : -1 - who[p];

			if (!pfd[p].revents)
				continue;
			if (who[p] >= 0)
				sl_course_read(&w[i].out_fd, &w[i].out);
			else
				sl_course_read(&w[i].total_fd, &w[i].total);
			/* a later lab that has ended frees its place */
			if (i != shown && w[i].out_fd < 0 && w[i].total_fd < 0 &&
			    w[i].pid > 0) {
				sl_course_finish(&w[i], labs[i], &totals[i], &rc);
				running--;
			}
		}
	}
out_kill:
	sl_course_kill(w, n);
	for (int i = 0; i < n; i++) {
		if (w[i].out_fd >= 0)
			close(w[i].out_fd);
		if (w[i].total_fd >= 0)
			close(w[i].total_fd);
		hx_buf_free(&w[i].out);
		hx_buf_free(&w[i].total);
	}
	sl_build_tokens_close();
	free(w);
	return sl_stop_signal ? 2 : rc;
}
