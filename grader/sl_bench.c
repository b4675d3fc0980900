/* sl_bench.c - how long grading takes, next to the floor of its parts. */
#define _GNU_SOURCE
#include "sl_grade.h"
#include "sl_bench.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../harness/hx_time.h"

#define SL_BENCH_MAX_ROUNDS 1000

static int sl_compare_ms(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int64_t sl_median(int64_t *values, int n)
{
	qsort(values, (size_t)n, sizeof(values[0]), sl_compare_ms);
	return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* The floor's check: start one process and wait for it. */
static void sl_floor_body(int fd, void *arg)
{
	struct hx_check c;
	struct hx_proc *p;

	hx_check_init(&c, "floor", 1);
	c.work_dir = arg;
	p = hx_start(&c, "/bin/true", NULL);
	if (p)
		hx_proc_expect_exit(&c, p, 0, 5000);
	hx_check_finish(&c);
	hx_verdict_send(fd, &c);
	hx_check_free(&c);
}

/* Wall time of one empty sandbox that starts one process. */
static int64_t sl_floor_once(char *work, char *err, size_t errlen)
{
	struct hx_sandbox_spec spec;
	struct hx_sandbox sb;
	struct hx_verdict v;
	int64_t started = hx_now_ms();

	hx_sandbox_spec_init(&spec, hx_sandbox_probe(), 10000, sl_floor_body,
			     hx_sandbox_probe() ? HX_WORK_DIR : work);
	if (hx_sandbox_start(&sb, &spec, err, errlen) < 0)
		return -1;
	while (!hx_sandbox_collect(&sb, &v)) {
		struct pollfd pfd = {.fd = sb.verdict_fd, .events = POLLIN};

		poll(&pfd, 1, 100);
	}
	if (v.status != HX_PASS) {
		snprintf(err, errlen, "floor sandbox failed: %s",
			 v.message.data ? v.message.data : "");
		hx_verdict_free(&v);
		return -1;
	}
	hx_verdict_free(&v);
	return hx_now_ms() - started;
}

static int64_t sl_floor(int rounds, char *err, size_t errlen)
{
	char work[] = "/tmp/socklab-floor.XXXXXX";
	int64_t times[SL_BENCH_MAX_ROUNDS];
	int64_t median = -1;

	if (!mkdtemp(work)) {
		snprintf(err, errlen, "mkdtemp failed");
		return -1;
	}
	chmod(work, 0755);
	for (int i = 0; i < rounds; i++) {
		times[i] = sl_floor_once(work, err, errlen);
		if (times[i] < 0)
			goto out_remove;
	}
	median = sl_median(times, rounds);
out_remove:
	rmdir(work);
	return median;
}

static int sl_bench_lab(const struct sl_lab *lab, int rounds, int jobs,
			int64_t floor_ms, FILE *out, char *err, size_t errlen)
{
	static struct sl_run run;
	static int64_t per_check[SL_MAX_CHECKS][SL_BENCH_MAX_ROUNDS];
	static int64_t per_cpu[SL_MAX_CHECKS][SL_BENCH_MAX_ROUNDS];
	int64_t totals[SL_BENCH_MAX_ROUNDS];
	char dir[1024], name[128];

	sl_lab_dirname(lab, name, sizeof(name));
	snprintf(dir, sizeof(dir), "%s/reference", sl_root());
	for (int round = 0; round < rounds; round++) {
		memset(&run, 0, sizeof(run));
		run.lab = lab;
		run.opt.dir = dir;
		run.opt.seed = 1;
		run.opt.jobs = jobs;
		run.opt.format = "text";
		if (sl_grade(&run, err, errlen) < 0)
			return -1;
		if (run.score != run.max_score) {
			snprintf(err, errlen, "reference %s scored %d/%d", name,
				 run.score, run.max_score);
			sl_run_free(&run);
			return -1;
		}
		totals[round] = run.duration_ms;
		for (int i = 0; i < lab->nchecks; i++) {
			per_check[i][round] =
			    run.results[i].verdict.duration_ms;
			per_cpu[i][round] = run.results[i].verdict.cpu_ms;
		}
		sl_run_free(&run);
	}
	fprintf(out, "%-16s %-22s %10s %8s %8s\n", name, "check", "median ms",
		"x floor", "CPU ms");
	for (int i = 0; i < lab->nchecks; i++) {
		int64_t m, cpu;
		char cpu_text[24] = "-"; /* no control group: not known */

		if (!lab->checks[i].run || (lab->checks[i].flags & SL_HIDDEN))
			continue;
		m = sl_median(per_check[i], rounds);
		cpu = sl_median(per_cpu[i], rounds);
		if (cpu >= 0)
			snprintf(cpu_text, sizeof(cpu_text), "%lld",
				 (long long)cpu);
		fprintf(out, "%-16s %-22s %10lld %8.1f %8s\n", "",
			lab->checks[i].id, (long long)m,
			floor_ms > 0 ? (double)m / (double)floor_ms : 0,
			cpu_text);
	}
	fprintf(out, "%-16s %-22s %10lld %8.1f\n", "", "WHOLE LAB (-j)",
		(long long)sl_median(totals, rounds),
		floor_ms > 0
		    ? (double)sl_median(totals, rounds) / (double)floor_ms
		    : 0);
	return 0;
}

int sl_bench(const char *const *labs, int nlabs, int rounds, int jobs,
	     FILE *out, char *err, size_t errlen)
{
	int64_t floor_ms;

	if (rounds > SL_BENCH_MAX_ROUNDS)
		rounds = SL_BENCH_MAX_ROUNDS;
	floor_ms = sl_floor(rounds * 4, err, errlen);
	if (floor_ms < 0)
		return -1;
	fprintf(
	    out,
	    "socklab bench: %d rounds, -j%d, references from %s/reference\n",
	    rounds, jobs, sl_root());
	fprintf(out,
		"floor (empty sandbox + start and reap one process): "
		"%lld ms median\n\n",
		(long long)floor_ms);
	if (floor_ms == 0)
		floor_ms = 1;
	for (int i = 0; i < (nlabs ? nlabs : sl_lab_count()); i++) {
		const struct sl_lab *lab =
		    nlabs ? sl_lab_find(labs[i]) : sl_lab_at(i);

		if (sl_bench_lab(lab, rounds, jobs, floor_ms, out, err,
				 errlen) < 0)
			return -1;
		fflush(out);
	}
	return 0;
}
