/* sl_run.c - run a lab's checks in parallel sandboxes and score them. */
#define _GNU_SOURCE
#include "sl_grade.h"
#include "sl_lock.h"
#include "sl_pool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../harness/hx_capture.h"
#include "../harness/hx_events.h"
#include "../harness/hx_time.h"

/* the lab's programs, inside */
#define SL_LAB_DIR "/lab"
/* budget under ASan or Valgrind */
#define SL_TOOL_MEMORY_MB 2048
/* the longest wait for the machine */
#define SL_LOCK_WAIT_MS 600000
/* a check that failed while the CPUs were this busy runs once more */
#define SL_RETRY_BUSY 0.6

/* What the sandbox body needs to know; copied into the child by fork. */
struct sl_job {
	const struct sl_run *run;     /* the run */
	const struct sl_check *check; /* the check to run */
	char bin_dir[700];	      /* the programs, as the body sees them */
	char work_dir[700];	      /* its writable folder, likewise */
	uint64_t seed;		      /* its seed */
	int isolated;		      /* namespaces */
};

/* The checks of a run, as the pool runs them. */
struct sl_checks {
	struct sl_run *run;
	struct hx_sandbox sandboxes[SL_MAX_CHECKS];
	struct sl_job jobs[SL_MAX_CHECKS];
	int locks[SL_MAX_CHECKS];	/* the machine's lock (sl_lock.h) */
	int64_t waiting[SL_MAX_CHECKS]; /* since when it waits for it, 0 */
	int turnstile;			/* held by an exclusive waiter */
	struct hx_cpu_mark cpu[SL_MAX_CHECKS]; /* the machine's CPU time
						  when it started */
	char first_try[SL_MAX_CHECKS][160];    /* when it ran twice: its first
						  run's status and the CPUs'
						  load then; "" */
	struct hx_buf first_message[SL_MAX_CHECKS]; /* and its message */
	int order[SL_MAX_CHECKS]; /* the checks in the order they start */
	int next;		  /* the next to start, in order */
	int waiting_running;	  /* SL_WAITS checks running */
};

volatile sig_atomic_t sl_stop_signal;

int sl_stopped(char *err, size_t errlen)
{
	if (!sl_stop_signal)
		return 0;
	snprintf(err, errlen, "stopped by %s", hx_signal_name(sl_stop_signal));
	return 1;
}

/* 1 when every user of the machine can read path: every folder above it
 * may be entered by others, and it may be read. */
static int sl_readable_by_all(const char *path)
{
	char partial[1024];
	struct stat st;

	if (stat(path, &st) < 0 || !(st.st_mode & S_IROTH))
		return 0;
	for (size_t i = 1; path[i]; i++) {
		if (path[i] != '/')
			continue;
		snprintf(partial, sizeof(partial), "%.*s", (int)i, path);
		if (stat(partial, &st) < 0 || !(st.st_mode & S_IXOTH))
			return 0;
	}
	return 1;
}

void sl_describe_isolation(char *out, size_t size)
{
	static const char *const material[] = {
	    "reference", "grader/checks/hidden", "bin/reference"};
	enum hx_mode mode = hx_sandbox_mode();
	const char *why = hx_sandbox_degraded_reason();
	size_t used;

	out[0] = '\0';
	if (mode == HX_MODE_SEALED)
		return;
	snprintf(out, size, "%s%s (%s)",
		 mode == HX_MODE_NO_PIDS ? "" : "DEGRADED: ",
		 hx_sandbox_mode_name(mode), why[0] ? why : "no reason given");
	if (mode != HX_MODE_BARRIER)
		return;
	for (size_t i = 0; i < sizeof(material) / sizeof(material[0]); i++) {
		char path[1024];

		snprintf(path, sizeof(path), "%s/%s", sl_root(), material[i]);
		used = strlen(out);
		if (sl_readable_by_all(path))
			snprintf(
			    out + used, size - used,
			    "; %s can be read by every user, the student's "
			    "programs too (chmod -R o-rwx it)",
			    path);
	}
}

uint64_t sl_check_seed(uint64_t run_seed, const char *id)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a of the id */

	for (const char *p = id; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h ^= run_seed + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h ? h : 1;
}

static void sl_job_body(int fd, void *arg)
{
	const struct sl_job *job = arg;
	struct hx_capture capture;
	struct hx_check c;

	hx_check_init(&c, job->check->id, job->seed);
	hx_capture_init(&capture);
	c.bin_dir = job->bin_dir;
	c.work_dir = job->work_dir;
	c.isolated = job->isolated;
	c.valgrind = job->run->opt.valgrind;
	c.sanitize = (job->check->flags & SL_SANITIZE) != 0 && !c.valgrind;
	c.detect_leaks = c.sanitize && (job->check->flags & SL_LEAKS) != 0;
	c.verbose = job->run->opt.verbose;
	c.max_files = job->check->max_files ? job->check->max_files
					    : job->run->lab->max_files;
	if (c.valgrind)
		hx_set_extra_scale(10.0);
	if (job->run->opt.pcap)
		hx_capture_start(&capture, c.isolated, HX_CAPTURE_MAX);
	if ((job->check->flags & SL_NAMESPACE) && !c.isolated)
		hx_skip(&c, "needs namespaces, which this machine does not "
			    "allow; the run is degraded");
	else if ((job->check->flags & SL_FIXTURES) && !c.isolated &&
		 !hx_fixtures_in_place())
		hx_skip(&c, "needs fixture files in /etc: namespaces, or root "
			    "in a throwaway container that says so "
			    "(SOCKLAB_CONTAINER=1); the run is degraded");
	else
		job->check->run(&c);
	hx_check_finish(&c);
	/* the capture and the events go first: the verdict ends the frames */
	hx_capture_stop(&capture);
	hx_capture_send(fd, &capture);
	hx_events_send(fd, &c);
	hx_verdict_send(fd, &c);
	hx_capture_free(&capture);
	hx_check_free(&c);
}

/* The program named in a space-separated list that did not build, or NULL. */
static const char *sl_missing_program(const struct sl_run *run,
				      const struct sl_check *check)
{
	static char name[64];
	const char *p = check->programs ? check->programs : "";

	while (*p) {
		size_t len = strcspn(p, " ");

		snprintf(name, sizeof(name), "%.*s", (int)len, p);
		for (int i = 0;
		     i < SL_MAX_PROGRAMS && run->lab->programs[i].name; i++)
			if (strcmp(run->lab->programs[i].name, name) == 0 &&
			    !run->build.built[i])
				return name;
		p += len;
		p += strspn(p, " ");
	}
	return NULL;
}

static void sl_result_error(struct sl_result *r, const char *fmt,
			    const char *what)
{
	hx_verdict_init(&r->verdict);
	r->verdict.status = HX_ERROR;
	hx_buf_addf(&r->verdict.message, fmt, what);
}

int sl_check_deadline_ms(const struct sl_run *run, const struct sl_check *check)
{
	/* under Valgrind every program runs ten times slower, and so may
	 * the whole check */
	return check->timeout_ms * (run->opt.valgrind ? 10 : 1);
}

/* Starts one check's sandbox: the lab's programs read-only at /lab, a
 * private /work; without namespaces, folders of the build instead. */
static int sl_start_check(const struct sl_run *run,
			  const struct sl_check *check, uint64_t seed,
			  struct sl_job *job, struct hx_sandbox *sb, char *err,
			  size_t errlen)
{
	struct hx_sandbox_spec spec;
	int sanitized = (check->flags & SL_SANITIZE) || run->opt.valgrind;

	job->run = run;
	job->check = check;
	job->seed = seed;
	job->isolated = run->isolated;
	hx_sandbox_spec_init(&spec, run->isolated,
			     sl_check_deadline_ms(run, check), sl_job_body,
			     job);
	if (sanitized)
		spec.budget.memory_mb = SL_TOOL_MEMORY_MB;
	if (run->isolated) {
		snprintf(job->bin_dir, sizeof(job->bin_dir), "%s", SL_LAB_DIR);
		snprintf(job->work_dir, sizeof(job->work_dir), "%s",
			 HX_WORK_DIR);
		spec.root.mounts[0] = (struct hx_mount){
		    .host = run->build.bin,
		    .inside = SL_LAB_DIR,
		};
		spec.root.nmounts = 1;
	} else {
		snprintf(job->bin_dir, sizeof(job->bin_dir), "%s",
			 run->build.bin);
		snprintf(job->work_dir, sizeof(job->work_dir), "%s/work-%s",
			 run->build.root, check->id);
		if (mkdir(job->work_dir, 0755) < 0) {
			snprintf(err, errlen, "mkdir %s: %s", job->work_dir,
				 strerror(errno));
			return -1;
		}
		/* under a uid barrier it becomes the student's uid's alone */
		spec.work_host = job->work_dir;
	}
	return hx_sandbox_start(sb, &spec, err, errlen);
}

/* A verdict is in: the points it earns, and whoever follows the run. */
static void sl_result_done(struct sl_run *run, int i)
{
	struct sl_result *r = &run->results[i];

	r->done = 1;
	r->points = r->verdict.status == HX_PASS ? r->check->points : 0;
	if (run->opt.progress)
		run->opt.progress(run, i, run->opt.progress_ctx);
}

void sl_start_order(const struct sl_lab *lab, int *order)
{
	int n = 0;

	for (int waits = 1; waits >= 0; waits--)
		for (int i = 0; i < lab->nchecks; i++)
			if (!!(lab->checks[i].flags & SL_WAITS) == waits)
				order[n++] = i;
}

/* 1 when the check of the next to start waits out time (SL_WAITS). */
static int sl_next_waits(const struct sl_checks *all)
{
	return all->next < all->run->lab->nchecks &&
	       (all->run->lab->checks[all->order[all->next]].flags & SL_WAITS);
}

/* 1 when another check may start now. Most checks wait on timers and
 * sockets, not on the CPU: up to a core each start at once, then more
 * (up to opt.jobs) while the CPUs are not busy. A check that only waits
 * out time (SL_WAITS) starts whatever the CPUs do, and holds no core. */
static int sl_may_start(void *ctx, int running)
{
	const struct sl_checks *all = ctx;
	const struct sl_run *run = all->run;
	long cores = hx_cores();
	long first = run->opt.min_running > 0 ? run->opt.min_running : cores;

	if (run->opt.fixed_jobs || sl_next_waits(all))
		return 1;
	return sl_pool_admit_while_idle(
	    running - all->waiting_running, first > 0 ? (int)first : 1,
	    run->opt.busy_limit > 0 ? run->opt.busy_limit : SL_BUSY_LIMIT);
}

/* Starts check i in its sandbox; a check without a program to run, or
 * whose program did not build, is done at once. */
static int sl_check_start_one(struct sl_checks *all, int i,
			      struct sl_pool_job *job, char *err, size_t errlen)
{
	struct sl_run *run = all->run;
	struct sl_result *r = &run->results[i];
	const struct sl_check *check = &run->lab->checks[i];
	const char *missing;

	if (!r->selected || !check->run)
		return 1;
	missing = sl_missing_program(run, check);
	if (missing) {
		sl_result_error(r,
				"could not run: %s did not build (see the "
				"build check)",
				missing);
		sl_result_done(run, i);
		return 1;
	}
	if (!run->isolated) {
		/* the machine's network and /etc are shared: a check that
		 * needs them to itself runs alone */
		int exclusive =
		    (check->flags & SL_NETWORK) ||
		    ((check->flags & SL_FIXTURES) && hx_fixtures_in_place());
		char why[300];

		if (!all->waiting[i])
			all->waiting[i] = hx_now_ms();
		all->locks[i] =
		    sl_lock_try(exclusive, &all->turnstile, why, sizeof(why));
		if (all->locks[i] == -1 &&
		    hx_now_ms() - all->waiting[i] < SL_LOCK_WAIT_MS)
			return 2;
		if (all->locks[i] < 0) {
			sl_lock_release(-1, &all->turnstile);
			if (all->locks[i] == -1)
				snprintf(why, sizeof(why),
					 "other checks on this machine held "
					 "it for %d s",
					 SL_LOCK_WAIT_MS / 1000);
			sl_result_error(r,
					"could not run: the machine to "
					"itself: %s",
					why);
			sl_result_done(run, i);
			return 1;
		}
	}
	if (sl_start_check(run, check, r->seed, &all->jobs[i],
			   &all->sandboxes[i], err, errlen) < 0) {
		sl_lock_release(all->locks[i], NULL);
		all->locks[i] = -1;
		return -1;
	}
	job->pid = all->sandboxes[i].pid;
	job->fd = all->sandboxes[i].verdict_fd;
	job->deadline = all->sandboxes[i].deadline;
	hx_cpu_mark(&all->cpu[i]);
	return 0;
}

/* Starts the next check in order (the pool's job j is that check). */
static int sl_check_start(void *ctx, int j, struct sl_pool_job *job, char *err,
			  size_t errlen)
{
	struct sl_checks *all = ctx;
	int i = all->order[j];
	int started = sl_check_start_one(all, i, job, err, errlen);

	all->next = started == 2 ? j : j + 1;
	if (started == 0 && (all->run->lab->checks[i].flags & SL_WAITS))
		all->waiting_running++;
	return started;
}

/* A check that failed or ran out of time while the machine's CPUs were
 * busy (a neighbour, a build, another lab) may have failed on a time
 * the busy machine stretched: it runs once more, with the same seed, and
 * the second verdict stands; the report says so. A quiet machine's
 * failure stands at once. 1 when the second run started. */
static int sl_retry_when_busy(struct sl_checks *all, int i,
			      struct sl_pool_job *job)
{
	struct sl_run *run = all->run;
	struct sl_result *r = &run->results[i];
	double busy = hx_cpu_busy_since(&all->cpu[i]);
	char err[256];

	if (all->first_try[i][0] || busy < SL_RETRY_BUSY ||
	    (r->verdict.status != HX_FAIL && r->verdict.status != HX_TIMEOUT))
		return 0;
	snprintf(all->first_try[i], sizeof(all->first_try[i]),
		 "this check ran twice: its first run (%s) came while the "
		 "machine's CPUs were %.0f%% busy",
		 hx_status_name(r->verdict.status), busy * 100.0);
	hx_buf_clear(&all->first_message[i]);
	hx_buf_add(&all->first_message[i], r->verdict.message.data,
		   r->verdict.message.len);
	if (sl_start_check(run, r->check, r->seed, &all->jobs[i],
			   &all->sandboxes[i], err, sizeof(err)) < 0)
		return 0;
	hx_verdict_free(&r->verdict);
	hx_verdict_init(&r->verdict);
	job->pid = all->sandboxes[i].pid;
	job->fd = all->sandboxes[i].verdict_fd;
	job->deadline = all->sandboxes[i].deadline;
	hx_cpu_mark(&all->cpu[i]);
	return 1;
}

/* Says in the verdict's notes that the check ran twice, and what its
 * first run said where the second says something else. */
static void sl_note_first_try(struct sl_checks *all, int i)
{
	struct hx_verdict *v = &all->run->results[i].verdict;
	const struct hx_buf *first = &all->first_message[i];
	const char *said = first->data ? first->data : "";

	if (first->len == v->message.len &&
	    memcmp(said, v->message.data ? v->message.data : "", first->len) ==
		0)
		hx_buf_addf(&v->notes,
			    "%s, and failed the same way; this is "
			    "the second run's verdict\n",
			    all->first_try[i]);
	else
		hx_buf_addf(&v->notes,
			    "%s; this is the second run's "
			    "verdict. The first said: %s\n",
			    all->first_try[i], said);
}

static int sl_check_ready(void *ctx, int j, struct sl_pool_job *job, int late)
{
	struct sl_checks *all = ctx;
	int i = all->order[j];

	(void)late; /* the sandbox knows its deadline */
	if (!hx_sandbox_collect(&all->sandboxes[i],
				&all->run->results[i].verdict)) {
		job->fd = all->sandboxes[i].verdict_fd;
		return 0;
	}
	if (sl_retry_when_busy(all, i, job))
		return 0;
	if (all->first_try[i][0])
		sl_note_first_try(all, i);
	sl_lock_release(all->locks[i], NULL);
	all->locks[i] = -1;
	if (all->run->lab->checks[i].flags & SL_WAITS)
		all->waiting_running--;
	sl_result_done(all->run, i);
	return 1;
}

static void sl_check_kill(void *ctx, int j, struct sl_pool_job *job)
{
	struct sl_checks *all = ctx;
	int i = all->order[j];

	(void)job;
	hx_sandbox_kill(&all->sandboxes[i]);
	sl_lock_release(all->locks[i], NULL);
	all->locks[i] = -1;
}

/* Runs every selected check with a program to run, opt.jobs at most at
 * once. */
static int sl_run_checks(struct sl_run *run, char *err, size_t errlen)
{
	struct sl_checks *all = calloc(1, sizeof(*all));
	struct sl_pool pool = {
	    .count = run->lab->nchecks,
	    .max_running = run->opt.jobs,
	    .ctx = all,
	    .start = sl_check_start,
	    .ready = sl_check_ready,
	    .admit = sl_may_start,
	    .kill = sl_check_kill,
	};

	int rc;

	if (!all) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	all->run = run;
	all->turnstile = -1;
	for (int i = 0; i < SL_MAX_CHECKS; i++)
		all->locks[i] = -1;
	sl_start_order(run->lab, all->order);
	rc = sl_pool_run(&pool, err, errlen);
	sl_lock_release(-1, &all->turnstile);
	for (int i = 0; i < SL_MAX_CHECKS; i++)
		hx_buf_free(&all->first_message[i]);
	free(all);
	return rc;
}

/* Bytes of the line s starts, its newline included. */
static size_t sl_line_length(const char *s)
{
	size_t len = strcspn(s, "\n");

	return len + (s[len] == '\n');
}

/* 1 when text holds block (whole lines) starting at a line's start. */
static int sl_has_block(const struct hx_buf *text, const char *block,
			size_t len)
{
	const char *at = text->data;

	while (at && (at = memmem(at, text->len - (size_t)(at - text->data),
				  block, len))) {
		if (at == text->data || at[-1] == '\n')
			return 1;
		at++;
	}
	return 0;
}

/* Appends the compiler's log to into, less the diagnostics into already
 * shows: a source that several programs link is compiled once, and its
 * warnings are in each program's log. A diagnostic is a line that starts
 * in the first column with the indented lines after it (the source line
 * and its caret). */
static void sl_add_new_blocks(struct hx_buf *into, const char *log)
{
	while (*log) {
		size_t len = sl_line_length(log);

		while (log[len] == ' ')
			len += sl_line_length(log + len);
		if (!sl_has_block(into, log, len))
			hx_buf_add(into, log, len);
		log += len;
	}
}

/* The build check: clean build, and worth something only with a working
 * feature, so that an untouched stub scores zero. */
static void sl_judge_build(struct sl_run *run, struct sl_result *r)
{
	const struct sl_lab *lab = run->lab;
	struct hx_verdict *v = &r->verdict;
	int failed = 0, warned = 0, other_passed = 0, others = 0;

	hx_verdict_init(v);
	for (int i = 0; i < SL_MAX_PROGRAMS && lab->programs[i].name; i++) {
		if (!run->build.built[i])
			failed++;
		else if (run->build.warnings[i])
			warned++;
		if (run->build.log[i].len)
			sl_add_new_blocks(&v->actual, run->build.log[i].data);
	}
	if (run->build.files.len)
		hx_buf_addf(&v->notes, "%s", run->build.files.data);
	for (int i = 0; i < lab->nchecks; i++)
		if (lab->checks[i].run && run->results[i].selected) {
			others++;
			other_passed |=
			    run->results[i].verdict.status == HX_PASS;
		}
	if (failed) {
		v->status = HX_FAIL;
		hx_buf_addf(&v->message,
			    "%d program(s) did not compile; the compiler said:",
			    failed);
	} else if (warned) {
		v->status = HX_FAIL;
		hx_buf_addf(
		    &v->message,
		    "the programs compile, with warnings; every warning "
		    "counts:");
	} else if (others > 0 && !other_passed) {
		v->status = HX_FAIL;
		hx_buf_addf(
		    &v->message,
		    "the programs compile without warnings, but no other "
		    "check passes yet: these points come with the first "
		    "working feature");
	}
}

int sl_grade(struct sl_run *run, char *err, size_t errlen)
{
	const struct sl_lab *lab = run->lab;
	int64_t started = hx_now_ms();
	int found = run->opt.check == NULL;

	run->isolated = hx_sandbox_probe();
	sl_describe_isolation(run->degraded, sizeof(run->degraded));
	for (int i = 0; i < lab->nchecks; i++) {
		const struct sl_check *check = &lab->checks[i];
		struct sl_result *r = &run->results[i];

		memset(r, 0, sizeof(*r));
		r->check = check;
		r->seed = sl_check_seed(run->opt.seed, check->id);
		hx_verdict_init(&r->verdict);
		r->selected = (check->flags & SL_HIDDEN) ? run->opt.hidden : 1;
		if (run->opt.check) {
			r->selected = strcmp(run->opt.check, check->id) == 0;
			found |= r->selected;
		}
	}
	if (!found) {
		snprintf(err, errlen,
			 "lab %s-%s has no check \"%s\" (socklab "
			 "rubric %s lists them)",
			 lab->number, lab->name, run->opt.check, lab->number);
		return -1;
	}
	if (sl_build_lab(run, err, errlen) < 0)
		return -1;
	if (run->opt.progress)
		run->opt.progress(run, -1, run->opt.progress_ctx);
	if (sl_run_checks(run, err, errlen) < 0)
		return -1;
	/* every sandbox has ended; wait until its last process is gone */
	hx_fixtures_recover();
	if (hx_sandbox_reap_all(5000) < 0) {
		snprintf(err, errlen,
			 "some processes of the checks did not end");
		return -1;
	}
	run->score = run->max_score = 0;
	for (int i = 0; i < lab->nchecks; i++) {
		struct sl_result *r = &run->results[i];

		if (!r->selected)
			continue;
		if (!lab->checks[i].run)
			sl_judge_build(run, r);
		r->points = r->verdict.status == HX_PASS ? r->check->points : 0;
		run->score += r->points;
		run->max_score += r->check->points;
	}
	run->duration_ms = hx_now_ms() - started;
	return 0;
}

void sl_run_free(struct sl_run *run)
{
	for (int i = 0; i < run->lab->nchecks; i++)
		hx_verdict_free(&run->results[i].verdict);
	sl_build_cleanup(run);
}
