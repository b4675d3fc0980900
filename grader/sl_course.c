/* sl_course.c - several labs graded at once, their reports in order.
 *
 * Each lab is graded by a worker process of its own, several at once: a
 * lab's checks mostly wait on timers and sockets, so one lab leaves the
 * CPU idle. SL_COURSE_WORKERS labs start whatever the CPUs do, more
 * while they are not busy. Builds, which do use the CPU, take a token
 * each from a pipe holding one per core. The first lab's report is
 * printed as it comes; the others' are kept until every lab before them
 * is done, so the reports read in the labs' order.
 */
#define _GNU_SOURCE
#include "sl_grade.h"
#include "sl_course.h"
#include "sl_pool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "../harness/hx_time.h"

/* labs graded at once whatever the CPUs do; more start while they are
 * not busy */
#define SL_COURSE_WORKERS 4

/* One lab's worker. */
struct sl_lab_worker {
	struct hx_buf out; /* its report, then '\0' and "rc score max ms" */
	size_t shown;	   /* bytes of out already printed */
	int done;	   /* 1 once it has ended */
	int status;	   /* its wait status */
};

/* The course as the pool grades it. */
struct sl_course {
	const struct sl_options *opt;
	const struct sl_lab *const *labs;
	sl_grade_one_fn *grade;
	struct sl_lab_worker *w;
	struct sl_lab_total *totals;
	FILE *out;
	int n, next_shown, rc;
};

/* What a worker needs, copied into it by fork. */
struct sl_course_arg {
	const struct sl_options *opt;
	const struct sl_lab *lab;
	sl_grade_one_fn *grade;
};

/* In the worker: grades the lab with its report on fd, then a NUL and its
 * total (the report, being text, holds no NUL). */
static void sl_course_worker(int fd, void *arg)
{
	const struct sl_course_arg *a = arg;
	struct sl_lab_total t = {.lab = a->lab};
	int rc;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (dup2(fd, 1) < 0)
		_exit(2);
	close(fd);
	rc = a->grade(a->opt, a->lab, &t);
	fflush(stdout);
	fputc('\0', stdout);
	printf("%d %d %d %lld\n", rc, t.score, t.max_score,
	       (long long)t.duration_ms);
	fflush(stdout);
	_exit(rc);
}

static int sl_course_start(void *ctx, int i, struct sl_pool_job *job, char *err,
			   size_t errlen)
{
	struct sl_course *c = ctx;
	struct sl_course_arg arg = {
	    .opt = c->opt, .lab = c->labs[i], .grade = c->grade};

	hx_buf_init(&c->w[i].out);
	if (sl_pool_fork(job, sl_course_worker, &arg) < 0) {
		snprintf(err, errlen, "could not start grading %s-%s: %s",
			 c->labs[i]->number, c->labs[i]->name, strerror(errno));
		return -1;
	}
	return 0;
}

/* The lab's total from its worker's trailer; 2 when there is none. */
static void sl_course_total(struct sl_course *c, int i)
{
	struct sl_lab_worker *w = &c->w[i];
	struct sl_lab_total *t = &c->totals[i];
	const char *nul =
	    w->out.data ? memchr(w->out.data, '\0', w->out.len) : NULL;
	int lab_rc = 2, score = 0, max = 0;
	long long ms = 0;

	if (!nul ||
	    sscanf(nul + 1, "%d %d %d %lld", &lab_rc, &score, &max, &ms) != 4)
		lab_rc = 2;
	t->lab = c->labs[i];
	t->score = score;
	t->max_score = max;
	t->duration_ms = ms;
	if (lab_rc > c->rc)
		c->rc = lab_rc;
}

/* Prints what the labs in turn have to show: the first lab not yet
 * shown as it comes, the later ones once every lab before is done. */
static void sl_course_show(struct sl_course *c)
{
	while (c->next_shown < c->n) {
		struct sl_lab_worker *w = &c->w[c->next_shown];
		const char *nul =
		    w->out.data ? memchr(w->out.data, '\0', w->out.len) : NULL;
		size_t report = nul ? (size_t)(nul - w->out.data) : w->out.len;

		if (report > w->shown) {
			fwrite(w->out.data + w->shown, 1, report - w->shown,
			       c->out);
			fflush(c->out);
			w->shown = report;
		}
		if (!w->done)
			return;
		sl_course_total(c, c->next_shown);
		hx_buf_free(&w->out);
		if (++c->next_shown < c->n)
			fputc('\n', c->out);
	}
}

static int sl_course_ready(void *ctx, int i, struct sl_pool_job *job, int late)
{
	struct sl_course *c = ctx;

	(void)late; /* no deadline: each check of the lab has its own */
	if (!sl_pool_read(job, &c->w[i].out, (size_t)1 << 26)) {
		sl_course_show(c);
		return 0;
	}
	c->w[i].status = sl_pool_reap(job, 0);
	c->w[i].done = 1;
	sl_course_show(c);
	return 1;
}

static int sl_course_admit(void *ctx, int running)
{
	(void)ctx;
	return sl_pool_admit_while_idle(running, SL_COURSE_WORKERS,
					SL_BUSY_LIMIT);
}

static void sl_course_kill(void *ctx, int i, struct sl_pool_job *job)
{
	struct sl_course *c = ctx;

	sl_pool_reap(job, 1);
	hx_buf_free(&c->w[i].out);
}

int sl_grade_course(const struct sl_options *opt,
		    const struct sl_lab *const *labs, int n,
		    sl_grade_one_fn *grade, struct sl_lab_total *totals,
		    FILE *out)
{
	struct sl_options own = *opt;
	struct sl_course c = {.opt = &own,
			      .labs = labs,
			      .grade = grade,
			      .totals = totals,
			      .out = out,
			      .n = n};
	struct sl_pool pool = {.count = n,
			       .max_running = n,
			       .ctx = &c,
			       .start = sl_course_start,
			       .ready = sl_course_ready,
			       .admit = sl_course_admit,
			       .kill = sl_course_kill};
	char err[256];

	c.w = calloc((size_t)n + 1, sizeof(*c.w));
	if (!c.w)
		return 2;
	/* several labs share the CPUs: each starts one check at once, the
	 * rest only while the CPUs are not busy */
	own.min_running = 1;
	if (sl_build_tokens_open(hx_cores()) < 0) {
		free(c.w);
		return 2;
	}
	if (sl_pool_run(&pool, err, sizeof(err)) < 0) {
		if (!sl_stop_signal)
			fprintf(stderr, "socklab: %s\n", err);
		c.rc = 2;
	}
	for (int i = 0; i < n; i++)
		hx_buf_free(&c.w[i].out);
	sl_build_tokens_close();
	free(c.w);
	return sl_stop_signal ? 2 : c.rc;
}
