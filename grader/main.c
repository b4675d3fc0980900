/* main.c - the socklab command: list, grade, batch, rubric, build, bench. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sl_cache.h"
#include "sl_capture.h"
#include "sl_escape.h"
#include "sl_grade.h"
#include "sl_bench.h"
#include "sl_class.h"
#include "sl_course.h"
#include "sl_export.h"
#include "sl_report.h"
#include "sl_html.h"

#include "../harness/hx_time.h"

#define SL_DEFAULT_SEED	   1
#define SL_CHECKS_PER_CORE 4 /* checks at once, at most, per core */

#ifndef SL_VERSION
#define SL_VERSION "unknown"
#endif

/* What each command does and takes: `socklab COMMAND --help`. */
static const struct {
	const char *name; /* the command */
	const char *text; /* its synopsis and options */
} sl_help[] = {
    {"list", "socklab list\n"
	     "  The labs: name, checks, points, title.\n"},
    {"grade",
     "socklab grade LAB... [options]\n"
     "  Grades a submission of each LAB (a number, 02, or a name,\n"
     "  tcp-hello; `all`: every lab found in DIR) and prints a report\n"
     "  whose table fills as checks finish; several labs end with the\n"
     "  course's total.\n"
     "  --dir DIR        the submission: a folder of labs (default labs)\n"
     "                   or one lab's folder, or any folder holding its\n"
     "                   files up to three folders down\n"
     "  --check ID       only this check (socklab rubric LAB lists them)\n"
     "  -v, --verbose    the transcript of each failing check\n"
     "  --seed N|random  the seed of fault injection (default 1)\n"
     "  -j N             exactly N checks at once (default: one per\n"
     "                   core, and up to 4 per core while the CPUs are\n"
     "                   not busy: most checks wait on timers)\n"
     "  --format FORMAT  text (default), tsv, html (a page), or an\n"
     "                   export: gradescope, autolab, junit, github\n"
     "                   (these run the hidden checks too)\n"
     "  --json FILE      the results as grader/RESULTS.md describes them\n"
     "  --pcap DIR       every packet of each check, a pcap file per check\n"
     "                   in DIR (wireshark FILE, or tshark -r FILE)\n"
     "  --html DIR       an HTML page per lab in DIR, next to the report\n"
     "  --valgrind       the programs under Valgrind's memcheck\n"
     "  --hidden         the hidden checks too\n"
     "  --keep           keep the build folder\n"
     "  --build-cache DIR\n"
     "                   builds kept in DIR by what went into them\n"
     "                   (compiler, flags, every file) and reused: a lab\n"
     "                   whose files did not change is not compiled again\n"
     "                   (make grade keeps bin/build-cache)\n"
     "  --unconfined     run an export without a sealed sandbox\n"
     "  Exit status: 0 every check passed, 1 one did not (a check that\n"
     "  could not run here did not pass), 2 socklab could not run.\n"},
    {"batch",
     "socklab batch LAB SUBMISSIONS [options]\n"
     "  Grades a class: one folder or archive per student in\n"
     "  SUBMISSIONS, each in sealed sandboxes, into a gradebook, a\n"
     "  summary and a results and feedback file per student.\n"
     "  --out DIR        where the results go (default grades-LAB)\n"
     "  -j N             cores to keep busy: the batch keeps to N of\n"
     "                   its CPUs, N students at once, more while\n"
     "                   they wait (default: every core)\n"
     "  --seed N         the seed, as for grade\n"
     "  --format EXPORT  an export per student too (gradescope, autolab,\n"
     "                   junit, github; html: a page), in DIR/EXPORT/\n"
     "  --shard K/N      grade shard K of N of the class (socklab merge\n"
     "                   joins the shards' outputs)\n"
     "  --unconfined     run without a sealed sandbox (DEGRADED)\n"},
    {"merge",
     "socklab merge --out DIR SHARD_OUT...\n"
     "  Joins the outputs of batch --shard runs into what one batch of\n"
     "  the whole class would have written.\n"},
    {"rubric", "socklab rubric LAB\n"
	       "  The lab's check table as Markdown.\n"},
    {"build", "socklab build LAB [--dir DIR] --out DIR\n"
	      "  Builds the lab's programs into DIR/bin and shows what the\n"
	      "  compiler said.\n"},
    {"bench", "socklab bench [LAB...] [--rounds N] [-j N]\n"
	      "  Grading time of each reference, next to the floor (an empty\n"
	      "  sandbox that starts one process).\n"},
};

static void usage(FILE *out)
{
	fputs("usage: socklab COMMAND [ARGS]   (socklab COMMAND --help for its "
	      "options)\n",
	      out);
	for (size_t i = 0; i < sizeof(sl_help) / sizeof(sl_help[0]); i++)
		fprintf(out, "  %.*s\n", (int)strcspn(sl_help[i].text, "\n"),
			sl_help[i].text);
	fputs("  socklab --version\n"
	      "LAB is a number (02) or a name (tcp-hello). Exit status: 0 all "
	      "checks passed\n(batch: it ran), 1 some did not, 2 socklab "
	      "could not run.\n",
	      out);
}

/* Prints command's help on out: 0 when asked for (stdout), 2 when shown
 * after a mistake. */
static int help(const char *command, FILE *out)
{
	for (size_t i = 0; i < sizeof(sl_help) / sizeof(sl_help[0]); i++)
		if (strcmp(sl_help[i].name, command) == 0) {
			fprintf(out, "usage: %s", sl_help[i].text);
			return out == stdout ? 0 : 2;
		}
	usage(out);
	return out == stdout ? 0 : 2;
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "socklab: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
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
	return errno || end == text || *end || *value < low || *value > high
		   ? -1
		   : 0;
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
		fprintf(stderr,
			"socklab: DEGRADED: no sealed sandbox here (%s); "
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
	} else if (strcmp(run->opt.format, "html") == 0) {
		sl_report_html(run, 1, stdout);
	} else if (strcmp(run->opt.format, "text") == 0) {
		sl_report_text(run, stdout);
		sl_report_hidden(run, stdout);
	} else if (sl_export(run, run->opt.format, stdout, err, sizeof(err)) <
		   0) {
		return fail("%s", err);
	}
	if (run->opt.json &&
	    sl_report_json(run, run->opt.json, err, sizeof(err)) < 0)
		return fail("%s", err);
	return 0;
}

/* The table fills as checks finish: the header once the build is done,
 * then each row in table order as soon as it and the rows above are. */
static void on_progress(struct sl_run *run, int index, void *ctx)
{
	int *next = ctx;

	if (index < 0)
		sl_text_begin(run, stdout);
	else
		sl_text_stream(run, next, stdout);
}

/* Where the run's captures and HTML page went, under the text report. */
static void report_files(const struct sl_run *run)
{
	char path[1200];

	if (run->opt.pcap)
		printf("captures: %d file(s) in %s (wireshark FILE, or tshark "
		       "-r FILE)\n",
		       sl_capture_files(run), run->opt.pcap);
	if (run->opt.html) {
		sl_html_path(run, path, sizeof(path));
		printf("report: %s\n", path);
	}
}

/* Grades one lab with opt and reports it; 0 all passed, 1 not, 2 socklab
 * could not run. */
static int grade_lab(const struct sl_options *opt, const struct sl_lab *lab,
		     struct sl_lab_total *total)
{
	static struct sl_run run;
	int streaming = strcmp(opt->format, "text") == 0, next = 0, rc;
	char err[1024] = "";

	memset(&run, 0, sizeof(run));
	run.lab = lab;
	run.opt = *opt;
	if (streaming) {
		run.opt.progress = on_progress;
		run.opt.progress_ctx = &next;
	}
	if (sl_grade(&run, err, sizeof(err)) < 0 ||
	    sl_capture_write(&run, err, sizeof(err)) < 0) {
		sl_run_free(&run);
		return fail("%s", err);
	}
	sl_split_hidden(&run);
	if (sl_html_write(&run, err, sizeof(err)) < 0) {
		sl_run_free(&run);
		return fail("%s", err);
	}
	if (streaming) {
		sl_text_stream(&run, &next, stdout);
		sl_text_end(&run, 1, stdout);
		sl_report_hidden(&run, stdout);
		report_files(&run);
		rc = run.opt.json && sl_report_json(&run, run.opt.json, err,
						    sizeof(err)) < 0
			 ? fail("%s", err)
			 : 0;
	} else {
		rc = report(&run);
	}
	if (rc == 0)
		for (int i = 0; i < lab->nchecks; i++)
			/* a check that could not run here is not passed */
			if (run.results[i].selected &&
			    run.results[i].verdict.status != HX_PASS)
				rc = 1;
	total->lab = lab;
	total->score = run.score;
	total->max_score = run.max_score;
	total->duration_ms = run.duration_ms;
	sl_run_free(&run);
	return rc;
}

/* "all": every lab whose folder is in dir, or every lab. */
static int every_lab(const char *dir, const struct sl_lab **labs)
{
	int n = 0;

	for (int i = 0; i < sl_lab_count(); i++) {
		char path[1200], name[128];
		struct stat st;

		sl_lab_dirname(sl_lab_at(i), name, sizeof(name));
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			labs[n++] = sl_lab_at(i);
	}
	for (int i = 0; n == 0 && i < sl_lab_count(); i++)
		labs[i] = sl_lab_at(i);
	return n ? n : sl_lab_count();
}

/* The course's total: each lab's score and time (labs graded at once
 * overlap), the whole run's wall time. */
static void course_summary(const struct sl_lab_total *t, int n, int64_t wall_ms)
{
	int score = 0, max = 0;

	for (int i = 0; i < n; i++) {
		score += t[i].score;
		max += t[i].max_score;
	}
	printf("\ncourse: %d labs, %d/%d in %.1f s\n", n, score, max,
	       (double)wall_ms / 1000.0);
	for (int i = 0; i < n; i++) {
		char name[128];

		sl_lab_dirname(t[i].lab, name, sizeof(name));
		printf("  %-20s %4d/%-4d %6.1f s\n", name, t[i].score,
		       t[i].max_score, (double)t[i].duration_ms / 1000.0);
	}
}

static int grade(int argc, char **argv)
{
	static const struct option options[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"check", required_argument, NULL, 'c'},
	    {"json", required_argument, NULL, 'J'},
	    {"format", required_argument, NULL, 'f'},
	    {"seed", required_argument, NULL, 's'},
	    {"valgrind", no_argument, NULL, 'V'},
	    {"hidden", no_argument, NULL, 'H'},
	    {"keep", no_argument, NULL, 'k'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"jobs", required_argument, NULL, 'j'},
	    {"unconfined", no_argument, NULL, 'U'},
	    {"pcap", required_argument, NULL, 'P'},
	    {"html", required_argument, NULL, 'T'},
	    {"build-cache", required_argument, NULL, 'B'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	static const struct sl_lab *labs[SL_MAX_LABS];
	static struct sl_lab_total totals[SL_MAX_LABS];
	const char *no_color = getenv("NO_COLOR");
	struct sl_options opt;
	char err[1024] = "";
	int unconfined = 0, nlabs = 0, rc = 0;
	int64_t started;
	long number;
	int c;

	memset(&opt, 0, sizeof(opt));
	opt.dir = "labs";
	opt.format = "text";
	opt.seed = SL_DEFAULT_SEED;
	/* checks mostly wait: several per core, while the CPUs allow */
	opt.jobs = SL_CHECKS_PER_CORE * hx_cores();
	opt.color = isatty(1) && !(no_color && *no_color);
	opt.width = sl_terminal_width(stdout);
	while ((c = getopt_long(argc, argv, "d:c:J:f:s:j:vVHkh", options,
				NULL)) != -1) {
		switch (c) {
		case 'd':
			opt.dir = optarg;
			break;
		case 'c':
			opt.check = optarg;
			break;
		case 'J':
			opt.json = optarg;
			break;
		case 'f':
			opt.format = optarg;
			break;
		case 'v':
			opt.verbose = 1;
			break;
		case 'V':
			opt.valgrind = 1;
			break;
		case 'H':
			opt.hidden = 1;
			break;
		case 'k':
			opt.keep = 1;
			break;
		case 'U':
			unconfined = 1;
			break;
		case 'P':
			opt.pcap = optarg;
			break;
		case 'T':
			opt.html = optarg;
			break;
		case 'B':
			opt.build_cache = optarg;
			break;
		case 'h':
			return help("grade", stdout);
		case 'j':
			if (parse_number(optarg, 1, SL_MAX_JOBS, &number) < 0)
				return fail(
				    "-j needs a number from 1 to %d, not "
				    "\"%s\"",
				    SL_MAX_JOBS, optarg);
			opt.jobs = (int)number;
			opt.fixed_jobs = 1;
			break;
		case 's':
			if (parse_seed(optarg, &opt.seed) != 0)
				return 2;
			break;
		default:
			help("grade", stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		help("grade", stderr);
		return 2;
	}
	if (opt.jobs < 1)
		opt.jobs = 1;
	if (strcmp(opt.format, "text") && strcmp(opt.format, "tsv") &&
	    strcmp(opt.format, "html") && !sl_export_known(opt.format))
		return fail("unknown --format \"%s\" (text, tsv, html, %s)",
			    opt.format, sl_export_names());
	if ((opt.pcap &&
	     sl_output_folder("--pcap", opt.pcap, err, sizeof(err)) < 0) ||
	    (opt.html &&
	     sl_output_folder("--html", opt.html, err, sizeof(err)) < 0) ||
	    (opt.build_cache &&
	     sl_output_folder("--build-cache", opt.build_cache, err,
			      sizeof(err)) < 0))
		return fail("%s", err);
	/* exported grading is the course's grading: hidden checks run */
	if (sl_export_known(opt.format)) {
		opt.hidden = 1;
		if (refuse_unconfined(unconfined))
			return 2;
	}
	if (optind == argc - 1 && strcmp(argv[optind], "all") == 0)
		nlabs = every_lab(opt.dir, labs);
	for (int i = optind; nlabs == 0 && i < argc; i++) {
		if (i - optind == SL_MAX_LABS)
			return fail("more than %d labs", SL_MAX_LABS);
		if (!(labs[i - optind] = find_lab(argv[i])))
			return 2;
	}
	if (nlabs == 0)
		nlabs = argc - optind;
	if (nlabs > 1 && (opt.json || strcmp(opt.format, "text") != 0))
		return fail("%s grades one lab at a time",
			    opt.json ? "--json"
				     : "an export, tsv or html format");
	if (nlabs == 1) {
		rc = grade_lab(&opt, labs[0], &totals[0]);
	} else {
		started = hx_now_ms();
		rc = sl_grade_course(&opt, labs, nlabs, grade_lab, totals,
				     stdout);
		if (!sl_stop_signal)
			course_summary(totals, nlabs, hx_now_ms() - started);
	}
	/* the cache keeps its most recently used builds */
	if (opt.build_cache)
		sl_cache_trim(opt.build_cache, SL_CACHE_MAX_ENTRIES,
			      SL_CACHE_MAX_BYTES);
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
			return fail("build: unexpected argument \"%s\"",
				    argv[i]);
	}
	if (argc < 2 || !run.opt.out) {
		usage(stderr);
		return 2;
	}
	run.lab = find_lab(argv[1]);
	if (!run.lab)
		return 2;
	/* every program of the lab: a build leaves out only what no
	 * selected check runs, so all are selected */
	for (int i = 0; i < run.lab->nchecks; i++)
		run.results[i].selected = 1;
	if (sl_build_lab(&run, err, sizeof(err)) < 0)
		return fail("%s", err);
	for (int i = 0; i < SL_MAX_PROGRAMS && run.lab->programs[i].name; i++) {
		sl_put_bytes(stderr, sl_escape_text, run.build.log[i].data,
			     run.build.log[i].len);
		if (!run.build.built[i] || run.build.warnings[i]) {
			fprintf(stderr,
				"socklab: %s-%s: %s did not build cleanly\n",
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
	    {"out", required_argument, NULL, 'o'},
	    {"jobs", required_argument, NULL, 'j'},
	    {"seed", required_argument, NULL, 's'},
	    {"format", required_argument, NULL, 'f'},
	    {"unconfined", no_argument, NULL, 'U'},
	    {"shard", required_argument, NULL, 'S'},
	    {NULL, 0, NULL, 0},
	};
	struct sl_batch_options opt = {0};
	int unconfined = 0;
	const struct sl_lab *lab;
	char err[1024] = "", out[256];
	long number;
	int c;

	opt.jobs = hx_cores();
	opt.seed = SL_DEFAULT_SEED;
	while ((c = getopt_long(argc, argv, "o:j:s:f:", options, NULL)) != -1) {
		switch (c) {
		case 'o':
			opt.out = optarg;
			break;
		case 'U':
			unconfined = 1;
			break;
		case 'S':
			if (sl_parse_shard(optarg, &opt.shard, &opt.shards) < 0)
				return fail(
				    "--shard needs K/N with 1 <= K <= N, "
				    "not \"%s\"",
				    optarg);
			break;
		case 'f':
			if (!sl_export_known(optarg) && strcmp(optarg, "html"))
				return fail(
				    "unknown --format \"%s\" (%s, html)",
				    optarg, sl_export_names());
			opt.format = optarg;
			break;
		case 'j':
			if (parse_number(optarg, 1, SL_MAX_JOBS, &number) < 0)
				return fail(
				    "-j needs a number from 1 to %d, not "
				    "\"%s\"",
				    SL_MAX_JOBS, optarg);
			opt.jobs = (int)number;
			break;
		case 's':
			if (parse_seed(optarg, &opt.seed) != 0)
				return 2;
			break;
		default:
			usage(stderr);
			return 2;
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
	if (sl_batch_keep_to_cores(&opt, err, sizeof(err)) < 0)
		return fail("%s", err);
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
	fprintf(stderr,
		"socklab batch: results in %s (gradebook.csv, "
		"summary.md)\n",
		opt.out);
	return 0;
}

/* socklab merge --out DIR SHARD_OUT...: the lab is the shards' own. */
static int merge(int argc, char **argv)
{
	static const struct option options[] = {
	    {"out", required_argument, NULL, 'o'},
	    {NULL, 0, NULL, 0},
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
	    {"rounds", required_argument, NULL, 'r'},
	    {"jobs", required_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	long rounds = 5, jobs = hx_cores();
	char err[1024] = "";
	int opt;

	while ((opt = getopt_long(argc, argv, "r:j:", options, NULL)) != -1) {
		if (opt == 'r' && parse_number(optarg, 1, 1000, &rounds) == 0)
			continue;
		if (opt == 'j' &&
		    parse_number(optarg, 1, SL_MAX_JOBS, &jobs) == 0)
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
	static const int signals[] = {SIGINT, SIGTERM, SIGHUP};
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
	if (hx_sandbox_adopt_orphans() < 0)
		fprintf(stderr,
			"socklab: warning: prctl PR_SET_CHILD_SUBREAPER: %s: "
			"a killed sandbox's orphans are not waited for\n",
			strerror(errno));
	if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("socklab %s\n", SL_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "help") == 0)
		return help(argc > 2 ? argv[2] : "", stdout);
	/* socklab COMMAND --help, for every command */
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			return help(argv[1], stdout);
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
