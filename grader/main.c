/* main.c - the socklab command: list, grade, batch, rubric, build, bench. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "sl_escape.h"
#include "sl_grade.h"

#define SL_DEFAULT_SEED 1

static void usage(FILE *out)
{
	fprintf(out,
		"usage: socklab list\n"
		"       socklab grade LAB [--dir DIR] [--check ID] [-j N] "
		"[--json FILE]\n"
		"                         [--format FORMAT] [--seed N|random] "
		"[-v] [--valgrind] [--hidden]\n"
		"       socklab batch LAB SUBMISSIONS [--out DIR] [-j N] "
		"[--seed N] [--format EXPORT]\n"
		"                         [--shard K/N] [--unconfined]\n"
		"       socklab merge --out DIR SHARD_OUT...\n"
		"       socklab rubric LAB\n"
		"       socklab build LAB [--dir DIR] --out DIR\n"
		"       socklab bench [LAB...] [--rounds N] [-j N]\n"
		"LAB is a number (02) or a name (tcp-hello). FORMAT is text, tsv "
		"or an EXPORT:\ngradescope, autolab, junit or github (exports "
		"run the hidden checks too).\nExit status: 0 all checks passed "
		"(batch: it ran), 1 some failed, 2 socklab\ncould not run.\n");
}

static int fail(const char *fmt, const char *what)
{
	fprintf(stderr, "socklab: ");
	fprintf(stderr, fmt, what);
	fputc('\n', stderr);
	return 2;
}

static const struct sl_lab *find_lab(const char *key)
{
	const struct sl_lab *lab = key ? sl_lab_find(key) : NULL;

	if (!lab && key) {
		fprintf(stderr, "socklab: no lab \"%s\"; the labs are:\n", key);
		sl_report_list(stderr);
	}
	return lab;
}

static int parse_number(const char *text, long low, long high, long *value)
{
	char *end;

	errno = 0;
	*value = strtol(text, &end, 10);
	return errno || end == text || *end || *value < low || *value > high ?
		       -1 :
		       0;
}

/* --seed N or --seed random. */
static int parse_seed(const char *text, uint64_t *seed)
{
	long number;

	if (strcmp(text, "random") == 0) {
		*seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16);
		return 0;
	}
	if (parse_number(text, 0, 0x7fffffffL, &number) < 0)
		return fail("--seed needs a number or \"random\", not \"%s\"",
			    text);
	*seed = (uint64_t)number;
	return 0;
}

/* Grading other people's code (batch, exports) without a sealed sandbox
 * runs it with the grader's own rights: refused unless asked for. A
 * student grading their own work may, with the DEGRADED warning. */
static int refuse_unconfined(int unconfined)
{
	if (hx_sandbox_probe())
		return 0;
	if (unconfined) {
		fprintf(stderr, "socklab: DEGRADED: no sealed sandbox here (%s); "
				"--unconfined: submissions run with your own "
				"rights\n",
			hx_sandbox_degraded_reason());
		return 0;
	}
	fprintf(stderr,
		"socklab: no sealed sandbox on this machine (%s).\n"
		"Submissions would run with your own rights and could read or "
		"change your files.\nRefused; pass --unconfined to grade them "
		"anyway (every report will say DEGRADED).\n",
		hx_sandbox_degraded_reason());
	return 1;
}

/* Prints the run in its format; 0, or 2 when it cannot be written. */
static int report(struct sl_run *run)
{
	char err[1024] = "";

	if (strcmp(run->opt.format, "tsv") == 0) {
		sl_report_tsv(run, stdout);
	} else if (strcmp(run->opt.format, "text") == 0) {
		sl_report_text(run, stdout);
		sl_report_hidden(run, stdout);
	} else if (sl_export(run, run->opt.format, stdout, err,
			     sizeof(err)) < 0) {
		return fail("%s", err);
	}
	if (run->opt.json &&
	    sl_report_json(run, run->opt.json, err, sizeof(err)) < 0)
		return fail("%s", err);
	return 0;
}

static int grade(int argc, char **argv)
{
	static const struct option options[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "check", required_argument, NULL, 'c' },
		{ "json", required_argument, NULL, 'J' },
		{ "format", required_argument, NULL, 'f' },
		{ "seed", required_argument, NULL, 's' },
		{ "valgrind", no_argument, NULL, 'V' },
		{ "hidden", no_argument, NULL, 'H' },
		{ "keep", no_argument, NULL, 'k' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "unconfined", no_argument, NULL, 'U' },
		{ NULL, 0, NULL, 0 },
	};
	static struct sl_run run;
	int unconfined = 0;
	char err[1024] = "";
	const char *no_color = getenv("NO_COLOR");
	long number;
	int opt, rc;

	memset(&run, 0, sizeof(run));
	run.opt.dir = "labs";
	run.opt.format = "text";
	run.opt.seed = SL_DEFAULT_SEED;
	run.opt.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	run.opt.color = isatty(1) && !(no_color && *no_color);
	while ((opt = getopt_long(argc, argv, "d:c:J:f:s:j:vVHk", options,
				  NULL)) != -1) {
		switch (opt) {
		case 'd': run.opt.dir = optarg; break;
		case 'c': run.opt.check = optarg; break;
		case 'J': run.opt.json = optarg; break;
		case 'f': run.opt.format = optarg; break;
		case 'v': run.opt.verbose = 1; break;
		case 'V': run.opt.valgrind = 1; break;
		case 'H': run.opt.hidden = 1; break;
		case 'k': run.opt.keep = 1; break;
		case 'U': unconfined = 1; break;
		case 'j':
			if (parse_number(optarg, 1, 64, &number) < 0)
				return fail("-j needs a number from 1 to 64, not "
					    "\"%s\"",
					    optarg);
			run.opt.jobs = (int)number;
			break;
		case 's':
			if (parse_seed(optarg, &run.opt.seed) != 0)
				return 2;
			break;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	if (run.opt.jobs < 1)
		run.opt.jobs = 1;
	if (strcmp(run.opt.format, "text") && strcmp(run.opt.format, "tsv") &&
	    !sl_export_known(run.opt.format))
		return fail("unknown --format \"%s\" (text, tsv, gradescope, "
			    "autolab, junit or github)",
			    run.opt.format);
	/* exported grading is the course's grading: hidden checks run */
	if (sl_export_known(run.opt.format)) {
		run.opt.hidden = 1;
		if (refuse_unconfined(unconfined))
			return 2;
	}
	run.lab = find_lab(argv[optind]);
	if (!run.lab)
		return 2;
	if (sl_grade(&run, err, sizeof(err)) < 0) {
		sl_run_free(&run);
		return fail("%s", err);
	}
	sl_split_hidden(&run);
	rc = report(&run);
	if (rc == 0) {
		for (int i = 0; i < run.lab->nchecks; i++)
			if (run.results[i].selected &&
			    run.results[i].verdict.status != HX_PASS &&
			    run.results[i].verdict.status != HX_SKIPPED)
				rc = 1;
	}
	sl_run_free(&run);
	return rc;
}

/* Builds a lab's programs into a folder and shows what the compiler said. */
static int build(int argc, char **argv)
{
	static struct sl_run run;
	char err[1024] = "";
	int rc = 0;

	memset(&run, 0, sizeof(run));
	run.opt.dir = "labs";
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			run.opt.dir = argv[++i];
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			run.opt.out = argv[++i];
		else
			return fail("build: unexpected argument \"%s\"", argv[i]);
	}
	if (argc < 2 || !run.opt.out) {
		usage(stderr);
		return 2;
	}
	run.lab = find_lab(argv[1]);
	if (!run.lab)
		return 2;
	if (sl_build_lab(&run, err, sizeof(err)) < 0)
		return fail("%s", err);
	for (int i = 0; i < SL_MAX_PROGRAMS && run.lab->programs[i].name; i++) {
		sl_put_bytes(stderr, sl_escape_text, run.build.log[i].data,
			     run.build.log[i].len);
		if (!run.build.built[i] || run.build.warnings[i]) {
			fprintf(stderr, "socklab: %s-%s: %s did not build cleanly\n",
				run.lab->number, run.lab->name,
				run.lab->programs[i].name);
			rc = 1;
		}
	}
	sl_put_bytes(stderr, sl_escape_text, run.build.files.data,
		     run.build.files.len);
	sl_build_cleanup(&run);
	return rc;
}

static int batch(int argc, char **argv)
{
	static const struct option options[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "seed", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "unconfined", no_argument, NULL, 'U' },
		{ "shard", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	struct sl_batch_options opt = { 0 };
	int unconfined = 0;
	const struct sl_lab *lab;
	char err[1024] = "", out[256];
	long number;
	int c;

	opt.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	opt.seed = SL_DEFAULT_SEED;
	while ((c = getopt_long(argc, argv, "o:j:s:f:", options, NULL)) != -1) {
		switch (c) {
		case 'o': opt.out = optarg; break;
		case 'U': unconfined = 1; break;
		case 'S':
			if (sl_parse_shard(optarg, &opt.shard, &opt.shards) < 0)
				return fail("--shard needs K/N with 1 <= K <= N, "
					    "not \"%s\"",
					    optarg);
			break;
		case 'f':
			if (!sl_export_known(optarg))
				return fail("unknown --format \"%s\" (gradescope, "
					    "autolab, junit or github)",
					    optarg);
			opt.format = optarg;
			break;
		case 'j':
			if (parse_number(optarg, 1, 64, &number) < 0)
				return fail("-j needs a number from 1 to 64, not "
					    "\"%s\"",
					    optarg);
			opt.jobs = (int)number;
			break;
		case 's':
			if (parse_seed(optarg, &opt.seed) != 0)
				return 2;
			break;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 2) {
		usage(stderr);
		return 2;
	}
	lab = find_lab(argv[optind]);
	if (!lab)
		return 2;
	opt.submissions = argv[optind + 1];
	if (refuse_unconfined(unconfined))
		return 2;
	if (!opt.out) {
		snprintf(out, sizeof(out), "grades-%s", lab->number);
		opt.out = out;
	}
	fprintf(stderr, "socklab batch %s-%s: %s, -j%d, seed %llu", lab->number,
		lab->name, opt.submissions, opt.jobs < 1 ? 1 : opt.jobs,
		(unsigned long long)opt.seed);
	if (opt.shards > 1)
		fprintf(stderr, ", shard %d/%d", opt.shard, opt.shards);
	fputc('\n', stderr);
	if (sl_batch(lab, &opt, stderr, err, sizeof(err)) < 0)
		return fail("%s", err);
	fprintf(stderr, "socklab batch: results in %s (gradebook.csv, "
			"summary.md)\n",
		opt.out);
	return 0;
}

/* socklab merge --out DIR SHARD_OUT...: the lab is the shards' own. */
static int merge(int argc, char **argv)
{
	static const struct option options[] = {
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const struct sl_lab *lab;
	const char *out = NULL;
	char err[1024] = "", number[16];
	int c;

	while ((c = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
		if (c != 'o') {
			usage(stderr);
			return 2;
		}
		out = optarg;
	}
	if (!out || optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (sl_records_lab(argv[optind], number, sizeof(number), err,
			   sizeof(err)) < 0)
		return fail("merge: %s", err);
	lab = find_lab(number);
	if (!lab)
		return 2;
	if (sl_merge(lab, out, (const char *const *)argv + optind,
		     argc - optind, err, sizeof(err)) < 0)
		return fail("merge: %s", err);
	fprintf(stderr, "socklab merge: %d shard(s) of %s-%s in %s\n",
		argc - optind, lab->number, lab->name, out);
	return 0;
}

static int bench(int argc, char **argv)
{
	static const struct option options[] = {
		{ "rounds", required_argument, NULL, 'r' },
		{ "jobs", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	long rounds = 5, jobs = sysconf(_SC_NPROCESSORS_ONLN);
	char err[1024] = "";
	int opt;

	while ((opt = getopt_long(argc, argv, "r:j:", options, NULL)) != -1) {
		if (opt == 'r' && parse_number(optarg, 1, 1000, &rounds) == 0)
			continue;
		if (opt == 'j' && parse_number(optarg, 1, 64, &jobs) == 0)
			continue;
		usage(stderr);
		return 2;
	}
	for (int i = optind; i < argc; i++)
		if (!find_lab(argv[i]))
			return 2;
	if (sl_bench((const char *const *)argv + optind, argc - optind,
		     (int)rounds, (int)jobs, stdout, err, sizeof(err)) < 0)
		return fail("%s", err);
	return 0;
}

/* SIGINT, SIGTERM, SIGHUP: the grader stops its sandboxes and removes
 * its folders, then dies of the same signal (sl_stop_if_asked). */
static void on_stop_signal(int sig)
{
	sl_stop_signal = sig;
}

static void catch_stop_signals(void)
{
	static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a wait returns EINTR and looks at the flag */
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		sigaction(signals[i], &sa, NULL);
}

/* After a stop signal: leave the way the signal would have, once every
 * sandbox is gone and the folders are removed. */
static int finish(int rc)
{
	if (sl_stop_signal) {
		int sig = sl_stop_signal;

		signal(sig, SIG_DFL);
		raise(sig);
	}
	return rc;
}

/* The arguments, copied: the memory the kernel gave them is wiped in
 * every sandbox (a class folder's path must not show there), and the
 * grader's options point into them. */
static char **copy_arguments(int argc, char **argv)
{
	char **copy = calloc((size_t)argc + 1, sizeof(*copy));

	for (int i = 0; copy && i < argc; i++)
		if (!(copy[i] = strdup(argv[i])))
			return argv;
	return copy ? copy : argv;
}

int main(int argc, char **argv)
{
	const struct sl_lab *lab;

	argv = copy_arguments(argc, argv);
	/* a closed pipe on stdout must not kill the grader mid-report */
	signal(SIGPIPE, SIG_IGN);
	catch_stop_signals();
	hx_sandbox_adopt_orphans();
	if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "list") == 0 && argc == 2) {
		sl_report_list(stdout);
		return 0;
	}
	if (strcmp(argv[1], "grade") == 0)
		return finish(grade(argc - 1, argv + 1));
	if (strcmp(argv[1], "batch") == 0)
		return finish(batch(argc - 1, argv + 1));
	if (strcmp(argv[1], "build") == 0)
		return finish(build(argc - 1, argv + 1));
	if (strcmp(argv[1], "bench") == 0)
		return bench(argc - 1, argv + 1);
	if (strcmp(argv[1], "merge") == 0)
		return merge(argc - 1, argv + 1);
	if (strcmp(argv[1], "rubric") == 0 && argc == 3) {
		lab = find_lab(argv[2]);
		if (!lab)
			return 2;
		sl_report_rubric(lab, stdout);
		return 0;
	}
	fprintf(stderr, "socklab: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return 2;
}
