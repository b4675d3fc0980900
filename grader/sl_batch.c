/* sl_batch.c - grade a class: one folder or archive per student, each
 * unpacked under limits, graded by sl_grade in its own worker process,
 * several at once, into a gradebook, a summary and per-student files.
 * A problem with one submission is that student's row; it never stops the
 * batch. */
#define _GNU_SOURCE
#include "sl_grade.h"
#include "sl_class.h"
#include "sl_export.h"
#include "sl_report.h"
#include "sl_files.h"
#include "sl_pool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../harness/hx_time.h"
#include "sl_escape.h"
#include "sl_unpack.h"
#include "sl_html.h"

#define SL_BUILD_MS   60000 /* compiling, on top of the checks */
#define SL_SPIN_CORES 1.5   /* CPU/wall of a neighbour that spun */
/* A check that timed out while its sandbox kept more than this share of
 * a core busy, or crashed keeping more than SL_CRASH_SHARE busy (more
 * than a core: many processes at once), disturbed its neighbours. */
#define SL_HOG_SHARE   0.5
#define SL_CRASH_SHARE 1.0
/* Share of its cores a batch keeps busy before it holds students back. */
#define SL_BUSY_SHARE	     0.7
#define SL_STUDENTS_PER_CORE 4 /* students at once, at most, per core */

/* The class as the pool grades it: student order[i] is job i, graded by
 * a worker process that sends its record back. */
struct sl_class {
	const struct sl_lab *lab;
	const struct sl_batch_options *opt;
	struct sl_student *s;	/* every student */
	char (*roots)[1200];	/* where each one's files are */
	int *order;		/* job i grades student order[i] */
	struct hx_buf *records; /* what each student's worker sent */
	FILE *progress;		/* the instructor's terminal, or NULL */
};

/* What a worker needs, copied into it by fork. */
struct sl_worker_arg {
	const struct sl_lab *lab;
	const struct sl_batch_options *opt;
	const struct sl_student *s;
	const char *root;
};

/* ---- the class ------------------------------------------------------- */

/* The kind of a class folder entry: 1 archive, 2 folder, 0 other; its
 * id is the name without the extension. */
static int sl_entry_kind(const char *dir, const char *name, char *id,
			 size_t size, char *why, size_t whylen)
{
	static const char *const exts[] = {".zip",    ".tar",	  ".tar.gz",
					   ".tgz",    ".tar.bz2", ".tbz2",
					   ".tar.xz", ".txz",	  ".tar.zst"};
	char path[1200];
	struct stat st;
	size_t len = strlen(name);

	snprintf(id, size, "%.120s", name); /* longer ones are odd names */
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (lstat(path, &st) < 0) {
		snprintf(why, whylen, "cannot read it: %s", strerror(errno));
		return 0;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(why, whylen, "refused: a symbolic link");
		return 0;
	}
	if (S_ISDIR(st.st_mode))
		return 2;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t elen = strlen(exts[i]);

		if (len > elen && strcmp(name + len - elen, exts[i]) == 0 &&
		    S_ISREG(st.st_mode)) {
			snprintf(id, size, "%.*s", (int)(len - elen), name);
			return 1;
		}
	}
	snprintf(why, whylen,
		 "refused: not a folder or an archive (.zip, "
		 ".tar, .tar.gz, .tar.bz2, .tar.xz, .tar.zst)");
	return 0;
}

static int sl_compare_at(const void *a, const void *b, void *students)
{
	const struct sl_student *s = students;

	return sl_compare_students(&s[*(const int *)a], &s[*(const int *)b]);
}

/* Puts the class in the order every batch and merge lists it. */
static int sl_sort_class(struct sl_student *s, int *kinds, int n)
{
	struct sl_student *sorted = calloc((size_t)n + 1, sizeof(*sorted));
	int *order = calloc((size_t)n + 1, sizeof(*order));
	int *sorted_kinds = calloc((size_t)n + 1, sizeof(*sorted_kinds));
	int rc = -1;

	if (!sorted || !order || !sorted_kinds)
		goto out_free;
	for (int i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, (size_t)n, sizeof(*order), sl_compare_at, s);
	for (int i = 0; i < n; i++) {
		sorted[i] = s[order[i]];
		sorted_kinds[i] = kinds[order[i]];
	}
	memcpy(s, sorted, (size_t)n * sizeof(*s));
	memcpy(kinds, sorted_kinds, (size_t)n * sizeof(*kinds));
	rc = 0;
out_free:
	free(sorted);
	free(order);
	free(sorted_kinds);
	return rc;
}

/* Keeps the students of one shard; the others are not this run's. */
static int sl_keep_shard(struct sl_student *s, int *kinds, int n, int k,
			 int shards)
{
	int kept = 0;

	for (int i = 0; i < n; i++)
		if (sl_in_shard(s[i].id, k, shards)) {
			s[kept] = s[i];
			kinds[kept++] = kinds[i];
		}
	return kept;
}

/* Lists the class; duplicates and odd names are refused in their rows. */
static int sl_scan_class(const char *dir, struct sl_student **out, int *n,
			 int **kinds, char *err, size_t errlen)
{
	struct dirent **names;
	int count = scandir(dir, &names, NULL, alphasort), used = 0;

	if (count < 0) {
		snprintf(err, errlen, "cannot read %s: %s", dir,
			 strerror(errno));
		return -1;
	}
	*out = calloc((size_t)count + 1, sizeof(**out));
	*kinds = calloc((size_t)count + 1, sizeof(**kinds));
	if (!*out || !*kinds) {
		snprintf(err, errlen, "out of memory for %d submissions",
			 count);
		goto out_free;
	}
	for (int i = 0; i < count; i++) {
		struct sl_student *s = &(*out)[used];
		const char *name = names[i]->d_name;

		if (name[0] == '.')
			continue;
		(*kinds)[used] = sl_entry_kind(dir, name, s->id, sizeof(s->id),
					       s->problem, sizeof(s->problem));
		sl_show_name(s->source, sizeof(s->source), name);
		if (!sl_good_id(s->id)) {
			char shown[128];

			sl_show_name(shown, sizeof(shown), s->id);
			for (char *p = shown; *p; p++)
				if (!strchr("._@+-", *p) && !sl_is_alnum(*p))
					*p = '?';
			snprintf(
			    s->problem, sizeof(s->problem),
			    "refused: an odd name (use letters, digits and "
			    "._@+- only)");
			snprintf(s->id, sizeof(s->id), "%s", shown);
			(*kinds)[used] = 0;
		}
		used++;
	}
	if (sl_sort_class(*out, *kinds, used) < 0) {
		snprintf(err, errlen, "out of memory for %d submissions", used);
		free(*out);
		*out = NULL;
		goto out_free;
	}
	for (int i = 0; i < used; i++)
		for (int k = i + 1; k < used; k++)
			if (strcmp((*out)[i].id, (*out)[k].id) == 0) {
				snprintf(
				    (*out)[i].problem,
				    sizeof((*out)[i].problem),
				    "refused: two submissions for one student "
				    "(%s and %s); keep one",
				    (*out)[i].source, (*out)[k].source);
				snprintf((*out)[k].problem,
					 sizeof((*out)[k].problem), "%s",
					 (*out)[i].problem);
				(*kinds)[i] = (*kinds)[k] = 0;
			}
	*n = used;
out_free:
	for (int i = 0; i < count; i++)
		free(names[i]);
	free(names);
	return *out && *kinds ? 0 : -1;
}

/* ---- grading workers ------------------------------------------------- */

/* The batch's temporary folder: unpacked archives, every build. */
static char sl_batch_work[1024];
/* Its builds by what went into them, shared by the workers. */
static char sl_batch_cache[1100];

/* CPU time the student's grading used: from each sandbox's control
 * group, else from every process the worker reaped (it is their
 * subreaper, so orphans count too). */
static int64_t sl_cpu_ms(const struct sl_run *run)
{
	struct rusage usage;
	int64_t total = 0;

	if (hx_cgroup_kind() != 0) {
		for (int i = 0; i < run->lab->nchecks; i++)
			if (run->results[i].verdict.cpu_ms > 0)
				total += run->results[i].verdict.cpu_ms;
		return total;
	}
	if (getrusage(RUSAGE_CHILDREN, &usage) < 0)
		return 0;
	return (int64_t)usage.ru_utime.tv_sec * 1000 +
	       usage.ru_utime.tv_usec / 1000 +
	       (int64_t)usage.ru_stime.tv_sec * 1000 +
	       usage.ru_stime.tv_usec / 1000;
}

/* 1 when a check of run timed out or crashed while its programs kept
 * the CPU busy (SL_HOG_SHARE, SL_CRASH_SHARE: a spinning server, a fork
 * bomb), or without a control group to say: its neighbours' timing may
 * have suffered. A program that only waited out its deadline did not,
 * nor one a sanitizer stopped. */
static int sl_disturbing(const struct sl_run *run)
{
	for (int i = 0; i < run->lab->nchecks; i++) {
		const struct sl_result *r = &run->results[i];
		const struct hx_verdict *v = &r->verdict;
		double share;

		if (!r->selected ||
		    (v->status != HX_TIMEOUT && v->status != HX_CRASH))
			continue;
		/* a sanitizer's or Valgrind's report ends the program: a bug
		 * found, not load (their runtimes are what used the CPU) */
		if (v->status == HX_CRASH && (v->cause == HX_CAUSE_SANITIZER ||
					      v->cause == HX_CAUSE_LEAK))
			continue;
		share = v->status == HX_CRASH ? SL_CRASH_SHARE : SL_HOG_SHARE;
		if (v->cpu_ms < 0 ||
		    (double)v->cpu_ms > share * (double)v->duration_ms)
			return 1;
	}
	return 0;
}

/* The share of its CPUs the batch's students keep busy before it holds
 * further ones back: its cores' share of SL_BUSY_SHARE (all of it once
 * sl_batch_keep_to_cores has kept the batch to -j N of them). */
static double sl_busy_limit(const struct sl_batch_options *opt)
{
	int cores = hx_cores();
	double share =
	    cores > opt->jobs ? (double)opt->jobs / (double)cores : 1.0;

	return SL_BUSY_SHARE * share;
}

int sl_batch_keep_to_cores(const struct sl_batch_options *opt, char *err,
			   size_t errlen)
{
	cpu_set_t mask, keep;
	int ours = 0, skip, kept = 0;

	if (sched_getaffinity(0, sizeof(mask), &mask) < 0 ||
	    CPU_COUNT(&mask) <= opt->jobs)
		return 0;
	skip = opt->shards > 1 ? (opt->shard - 1) * opt->jobs % CPU_COUNT(&mask)
			       : 0;
	CPU_ZERO(&keep);
	/* twice round: shard K's N may wrap past the last CPU */
	for (int pass = 0; pass < 2 && kept < opt->jobs; pass++)
		for (int cpu = 0; cpu < CPU_SETSIZE && kept < opt->jobs;
		     cpu++) {
			if (!CPU_ISSET(cpu, &mask))
				continue;
			if (pass == 0 && ours++ < skip)
				continue;
			if (!CPU_ISSET(cpu, &keep)) {
				CPU_SET(cpu, &keep);
				kept++;
			}
		}
	if (sched_setaffinity(0, sizeof(keep), &keep) == 0)
		return 0;
	snprintf(err, errlen, "keep to %d CPUs (-j): %s", opt->jobs,
		 strerror(errno));
	return -1;
}

/* In the worker: grades one student, writes its files, and sends the
 * points per check on fd. Never returns. */
static void sl_worker_main(int fd, void *arg)
{
	const struct sl_worker_arg *a = arg;
	const struct sl_lab *lab = a->lab;
	const struct sl_batch_options *opt = a->opt;
	const struct sl_student *s = a->s;
	const char *root = a->root;
	static struct sl_run run;
	char err[1024] = "", path[1200];
	FILE *out, *rec = fdopen(fd, "w");

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* its build goes in the batch's own folder, which the batch removes
	 * whatever becomes of the worker */
	setenv("TMPDIR", sl_batch_work, 1);
	memset(&run, 0, sizeof(run));
	run.lab = lab;
	run.opt.dir = root;
	run.opt.format = "text";
	/* a student's checks mostly wait: one at a time, more while the
	 * CPUs are not busy; a regrade alone gets a core each */
	run.opt.jobs = 4 * hx_cores();
	run.opt.min_running = opt->check_jobs > 0 ? opt->check_jobs : 1;
	run.opt.busy_limit = sl_busy_limit(opt);
	/* identical files across the class are built once */
	run.opt.build_cache = sl_batch_cache;
	run.opt.seed = opt->seed;
	run.opt.hidden = 1;
	if (!rec || sl_grade(&run, err, sizeof(err)) < 0) {
		if (rec) {
			fprintf(rec, "E\t%s\n", err);
			fclose(rec);
		}
		_exit(1);
	}
	sl_split_hidden(&run);
	snprintf(run.build.submission, sizeof(run.build.submission), "%s",
		 s->source);
	snprintf(path, sizeof(path), "%s/%s.json", opt->out, s->id);
	if (sl_report_json(&run, path, err, sizeof(err)) < 0)
		fprintf(rec, "E\t%s\n", err);
	snprintf(path, sizeof(path), "%s/%s.txt", opt->out, s->id);
	if ((out = fopen(path, "w"))) {
		/* the student's own feedback: hidden checks by name */
		sl_report_text_for(&run, 0, out);
		sl_report_hidden(&run, out);
		fclose(out);
	}
	if (opt->format) {
		/* a folder per format: no student's id can name another's
		 * export ("bob.gradescope" next to bob's Gradescope file) */
		snprintf(path, sizeof(path), "%s/%s/%s%s", opt->out,
			 opt->format, s->id,
			 strcmp(opt->format, "html") == 0
			     ? ".html"
			     : sl_export_extension(opt->format));
		if ((out = fopen(path, "w"))) {
			/* the page is the student's feedback, as STUDENT.txt */
			if (strcmp(opt->format, "html") == 0)
				sl_report_html(&run, 0, out);
			else
				sl_export(&run, opt->format, out, err,
					  sizeof(err));
			fclose(out);
		}
	}
	fprintf(rec, "U\t%lld\n", (long long)sl_cpu_ms(&run));
	fprintf(rec, "D\t%d\n", sl_disturbing(&run));
	fprintf(rec, "S\t%d\t%d\t%d\t%d\t%lld\n", run.score, run.max_score,
		run.hidden_score, run.hidden_max, (long long)run.duration_ms);
	for (int i = 0; i < lab->nchecks; i++) {
		const struct sl_result *r = &run.results[i];
		const char *m = r->verdict.message.data;

		if (!r->selected)
			continue;
		fprintf(rec, "C\t%d\t%d\t%d\t", i, (int)r->verdict.status,
			r->points);
		for (; r->verdict.status != HX_PASS && m && *m && *m != '\n';
		     m++)
			fputc(*m == '\t' ? ' ' : *m, rec);
		fputc('\n', rec);
	}
	sl_run_free(&run);
	_exit(fclose(rec) == 0 ? 0 : 1);
}

/* Reads a worker's record into its student's row. */
static void sl_parse_record(const struct sl_lab *lab, char *record,
			    struct sl_student *s)
{
	for (char *line = strtok(record, "\n"); line;
	     line = strtok(NULL, "\n")) {
		long long ms;
		int i, status, points, used = 0;

		if (strncmp(line, "E\t", 2) == 0 && !s->problem[0])
			snprintf(s->problem, sizeof(s->problem),
				 "could not grade: %s", line + 2);
		else if (sscanf(line, "U\t%lld", &ms) == 1)
			s->cpu_ms = ms;
		else if (sscanf(line, "D\t%d", &i) == 1)
			s->disturbing = i == 1;
		else if (sscanf(line, "S\t%d\t%d\t%d\t%d\t%lld", &s->score,
				&s->max_score, &s->hidden_score, &s->hidden_max,
				&ms) == 5) {
			s->duration_ms = ms;
			s->graded = 1;
		} else if (sscanf(line, "C\t%d\t%d\t%d\t%n", &i, &status,
				  &points, &used) == 3 &&
			   used && i >= 0 && i < lab->nchecks) {
			s->points[i] = points;
			s->status[i] = status;
			snprintf(s->message[i], sizeof(s->message[i]), "%s",
				 line + used);
		}
	}
}

static int64_t sl_worker_budget(const struct sl_lab *lab)
{
	int64_t ms = SL_BUILD_MS;

	for (int i = 0; i < lab->nchecks; i++)
		ms += lab->checks[i].timeout_ms;
	return ms;
}

/* The worker of student st has ended, or was late and is killed: what
 * it sent is the student's row. */
static void sl_worker_finish(const struct sl_lab *lab, struct sl_pool_job *job,
			     struct hx_buf *record, struct sl_student *st,
			     int late)
{
	int status = sl_pool_reap(job, late);

	st->ended_ms = hx_now_ms();
	if (record->data)
		sl_parse_record(lab, record->data, st);
	if (late)
		snprintf(st->problem, sizeof(st->problem),
			 "grading did not finish within %.0f s",
			 (double)sl_worker_budget(lab) * hx_timeout_scale() /
			     1000);
	else if (!st->graded && !st->problem[0])
		snprintf(st->problem, sizeof(st->problem),
			 "grading ended without a result (%s %d)",
			 WIFSIGNALED(status) ? "signal" : "status",
			 WIFSIGNALED(status) ? WTERMSIG(status)
					     : WEXITSTATUS(status));
	if (!st->graded)
		st->score = st->hidden_score = 0;
	hx_buf_free(record);
}

/* Where a student's files are, once unpacked; a problem otherwise. */
static void sl_prepare(const struct sl_lab *lab, const char *class_dir,
		       const char *work, int kind, struct sl_student *s,
		       char *root, size_t size)
{
	char path[1200], files[256] = "";
	int found = 0;

	snprintf(path, sizeof(path), "%s/%s", class_dir, s->source);
	if (kind == 1) {
		char dest[1200];

		/* students/ of their own: an id is a name the class chose,
		 * and must not meet the batch's builds or temporary files */
		snprintf(dest, sizeof(dest), "%s/students/%s", work, s->id);
		sl_unpack(path, dest, s->problem, sizeof(s->problem));
		if (s->problem[0])
			return;
		snprintf(path, sizeof(path), "%s", dest);
	} else {
		strncat(s->source, "/",
			sizeof(s->source) - strlen(s->source) - 1);
	}
	if (sl_find_lab_files(lab, path, root, size, &found) == 0)
		return;
	for (int i = 0; i < SL_MAX_FILES && lab->files[i]; i++)
		snprintf(files + strlen(files), sizeof(files) - strlen(files),
			 "%s%s", i ? ", " : "", lab->files[i]);
	snprintf(s->problem, sizeof(s->problem),
		 "none of the lab's files (%s) was found in it", files);
}

/* Starts the worker of job i, unless its student was refused. */
static int sl_worker_start(void *ctx, int i, struct sl_pool_job *job, char *err,
			   size_t errlen)
{
	struct sl_class *c = ctx;
	int k = c->order[i];
	struct sl_student *st = &c->s[k];
	struct sl_worker_arg arg = {
	    .lab = c->lab, .opt = c->opt, .s = st, .root = c->roots[k]};

	(void)err;
	(void)errlen;
	if (st->problem[0])
		return 1;
	hx_buf_init(&c->records[k]);
	st->started_ms = hx_now_ms();
	if (sl_pool_fork(job, sl_worker_main, &arg) < 0) {
		snprintf(st->problem, sizeof(st->problem),
			 "could not start grading: %s", strerror(errno));
		return 1;
	}
	job->deadline = hx_deadline((int)sl_worker_budget(c->lab));
	return 0;
}

/* A student's line on the instructor's terminal: once its grading has
 * finished, the score; and why it was not graded, if it was not. */
static void sl_show_progress(FILE *progress, const struct sl_lab *lab,
			     const struct sl_student *s, int finished)
{
	struct hx_buf id, why;

	if (!progress)
		return;
	hx_buf_init(&id);
	hx_buf_init(&why);
	sl_escape_line(&id, s->id, strlen(s->id));
	sl_escape_line(&why, s->problem, strlen(s->problem));
	hx_buf_add(&id, "", 0);
	hx_buf_add(&why, "", 0);
	if (finished)
		fprintf(progress, "  %-24s %3d/%d%s%s%s\n", id.data, s->score,
			sl_lab_total_points(lab),
			s->regraded ? "  (again, alone)" : "",
			why.len ? "  " : "", why.data);
	else
		fprintf(progress, "  %-24s not graded: %s\n", id.data,
			why.data);
	hx_buf_free(&id);
	hx_buf_free(&why);
}

/* Reads what the worker of job i sent; once it has ended (or is late),
 * its student's row is complete. */
static int sl_worker_ready(void *ctx, int i, struct sl_pool_job *job, int late)
{
	struct sl_class *c = ctx;
	int k = c->order[i];

	if (!late && !sl_pool_read(job, &c->records[k], 1 << 20))
		return 0;
	sl_worker_finish(c->lab, job, &c->records[k], &c->s[k], late);
	sl_show_progress(c->progress, c->lab, &c->s[k], 1);
	return 1;
}

static void sl_worker_kill(void *ctx, int i, struct sl_pool_job *job)
{
	struct sl_class *c = ctx;

	sl_pool_reap(job, 1);
	hx_buf_free(&c->records[c->order[i]]);
}

static int sl_has_status(const struct sl_student *s, int count,
			 enum hx_status a, enum hx_status b)
{
	for (int c = 0; c < count; c++)
		if (s->points[c] >= 0 &&
		    (s->status[c] == (int)a || s->status[c] == (int)b))
			return 1;
	return 0;
}

/* 1 when s kept more than SL_SPIN_CORES cores busy on average while it
 * was graded: its programs spun (or forked spinners). */
static int sl_spun(const struct sl_student *s)
{
	int64_t wall = s->ended_ms - s->started_ms;

	return wall > 0 && s->cpu_ms > (int64_t)(SL_SPIN_CORES * (double)wall);
}

static int sl_failed_any(const struct sl_lab *lab, const struct sl_student *s)
{
	for (int c = 0; c < lab->nchecks; c++)
		if (s->points[c] >= 0 && s->status[c] != HX_PASS &&
		    s->status[c] != HX_SKIPPED)
			return 1;
	return 0;
}

/* 1 when another student may start beside running ones. A student's
 * checks mostly wait on timers and sockets: opt->jobs students start
 * whatever the CPUs do, more while the batch's cores are not busy. */
static int sl_admit_student(void *ctx, int running)
{
	const struct sl_class *c = ctx;

	return sl_pool_admit_while_idle(running, c->opt->jobs,
					sl_busy_limit(c->opt));
}

/* A student graded next to a neighbour whose load may have cost them
 * points is graded again, alone, and the second result counts, as
 * `socklab grade` would give it:
 * - a timeout or an error (a timing check that found the machine too
 *   busy) next to a neighbour whose programs timed out or crashed while
 *   keeping the CPU busy (a fork bomb, a spinning server: sl_disturbing);
 * - without control groups (no equal CPU share per sandbox), any failure
 *   next to a neighbour that spun. */
static int sl_needs_regrade(const struct sl_lab *lab,
			    const struct sl_student *s, int n, int i)
{
	int slow = sl_has_status(&s[i], lab->nchecks, HX_TIMEOUT, HX_ERROR);
	int unshared = hx_cgroup_kind() == 0;

	if (!s[i].graded || s[i].regraded || !sl_failed_any(lab, &s[i]))
		return 0;
	for (int k = 0; k < n; k++) {
		if (k == i || !s[k].graded ||
		    s[k].started_ms >= s[i].ended_ms ||
		    s[i].started_ms >= s[k].ended_ms)
			continue;
		if (slow && s[k].disturbing)
			return 1;
		if (unshared && sl_spun(&s[k]))
			return 1;
	}
	return 0;
}

static int sl_make_dir(const char *path, char *err, size_t errlen)
{
	char partial[1024];

	for (size_t i = 1; i <= strlen(path); i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		snprintf(partial, sizeof(partial), "%.*s", (int)i, path);
		if (mkdir(partial, 0755) < 0 && errno != EEXIST) {
			snprintf(err, errlen, "mkdir %s: %s", partial,
				 strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* A refused student's feedback: why, and what to hand in. */
static void sl_write_refusal(const struct sl_lab *lab, const char *out_dir,
			     const struct sl_student *s)
{
	char path[1200];
	FILE *out;

	if (!sl_good_id(s->id))
		return;
	snprintf(path, sizeof(path), "%s/%s.txt", out_dir, s->id);
	out = fopen(path, "w");
	if (!out)
		return;
	fprintf(out, "socklab %s-%s: %s\n  submission ", lab->number, lab->name,
		lab->title);
	sl_put(out, sl_escape_line, s->source);
	fputs(" was not graded: ", out);
	sl_put(out, sl_escape_line, s->problem);
	fprintf(out, "\nscore 0/%d\n", sl_lab_total_points(lab));
	fclose(out);
}

int sl_batch(const struct sl_lab *lab, const struct sl_batch_options *opt,
	     FILE *progress, char *err, size_t errlen)
{
	struct sl_student *s = NULL;
	char class_dir[1024], work[1024], path[1200];
	const char *tmp = getenv("TMPDIR");
	int *kinds = NULL, n = 0, again = 0, rc = -1;
	int jobs = opt->jobs < 1	     ? 1
		   : opt->jobs > SL_MAX_JOBS ? SL_MAX_JOBS
					     : opt->jobs;
	struct sl_batch_options o = *opt;
	struct sl_class c = {.lab = lab, .opt = &o, .progress = progress};
	struct sl_pool pool = {.ctx = &c,
			       .start = sl_worker_start,
			       .ready = sl_worker_ready,
			       .kill = sl_worker_kill};

	o.jobs = jobs;
	if (!realpath(opt->submissions, class_dir)) {
		snprintf(err, errlen, "submissions folder %s: %s",
			 opt->submissions, strerror(errno));
		return -1;
	}
	if (sl_make_dir(opt->out, err, errlen) < 0)
		return -1;
	if (opt->format) {
		snprintf(path, sizeof(path), "%s/%s", opt->out, opt->format);
		if (sl_make_dir(path, err, errlen) < 0)
			return -1;
	}
	snprintf(work, sizeof(work), "%s/socklab-batch.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(work)) {
		snprintf(err, errlen, "mkdtemp %s: %s", work, strerror(errno));
		return -1;
	}
	snprintf(sl_batch_work, sizeof(sl_batch_work), "%s", work);
	snprintf(sl_batch_cache, sizeof(sl_batch_cache), "%s/builds", work);
	/* each student's compiler and programs reach their build folder
	 * inside; the unpacked class and the builds kept stay the grader's */
	if (sl_barrier_passage(work, err, errlen) < 0)
		goto out_remove;
	snprintf(path, sizeof(path), "%s/students", work);
	if (mkdir(path, 0700) < 0) {
		snprintf(err, errlen, "mkdir %s: %s", path, strerror(errno));
		goto out_remove;
	}
	if (sl_scan_class(class_dir, &s, &n, &kinds, err, errlen) < 0)
		goto out_remove;
	if (opt->shards > 1)
		n = sl_keep_shard(s, kinds, n, opt->shard, opt->shards);
	c.s = s;
	c.roots = calloc((size_t)n + 1, sizeof(*c.roots));
	c.order = calloc((size_t)n + 1, sizeof(*c.order));
	c.records = calloc((size_t)n + 1, sizeof(*c.records));
	if (!c.roots || !c.order || !c.records) {
		snprintf(err, errlen, "out of memory");
		goto out_remove;
	}
	hx_sandbox_probe(); /* once, before the workers inherit the answer */
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < SL_MAX_CHECKS; k++)
			s[i].points[k] = -1;
		s[i].max_score = sl_lab_total_points(lab);
		c.order[i] = i;
		if (kinds[i])
			sl_prepare(lab, class_dir, work, kinds[i], &s[i],
				   c.roots[i], sizeof(c.roots[i]));
		if (s[i].problem[0]) {
			sl_write_refusal(lab, opt->out, &s[i]);
			sl_show_progress(progress, lab, &s[i], 0);
		}
	}
	if (progress)
		fflush(progress);
	pool.count = n;
	pool.max_running = jobs * SL_STUDENTS_PER_CORE;
	pool.admit = sl_admit_student;
	if (sl_pool_run(&pool, err, errlen) < 0)
		goto out_stop;
	/* again, one at a time, those a neighbour may have slowed down */
	for (int i = 0; i < n; i++)
		if (sl_needs_regrade(lab, s, n, i))
			c.order[again++] = i;
	for (int j = 0; j < again; j++) {
		struct sl_student *st = &s[c.order[j]];

		memset(st->points, 0xff, sizeof(st->points));
		memset(st->message, 0, sizeof(st->message));
		st->graded = 0;
		st->regraded = 1;
	}
	o.check_jobs = jobs;
	pool.count = again;
	pool.max_running = 1;
	pool.admit = NULL;
	if (sl_pool_run(&pool, err, errlen) < 0)
		goto out_stop;
	/* processes of killed workers came to us; let them go */
	hx_sandbox_reap_all(5000);
	snprintf(path, sizeof(path), "%s/gradebook.csv", opt->out);
	if (sl_write_gradebook(lab, s, n, path, err, errlen) < 0)
		goto out_remove;
	snprintf(path, sizeof(path), "%s/summary.md", opt->out);
	if (sl_write_summary(lab, s, n, path, err, errlen) < 0)
		goto out_remove;
	if (sl_write_records(lab, s, n, opt->out, err, errlen) < 0)
		goto out_remove;
	rc = 0;
	goto out_remove;
out_stop:
	/* a stop signal: the pool has killed every worker; their
	 * sandboxes' processes came to us */
	hx_sandbox_reap_all(5000);
out_remove:
	sl_remove_tree(work);
	free(c.roots);
	free(c.order);
	free(c.records);
	free(kinds);
	free(s);
	return rc;
}
