/* sl_grade.h - one grading run: options, build, results. */
#ifndef SL_GRADE_H
#define SL_GRADE_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "../harness/hx_sandbox.h"
#include "sl_lab.h"

struct sl_run;

struct sl_options {
	const char *dir;	 /* submission folder (default labs/) */
	const char *check;	 /* only this check id, or NULL */
	const char *json;	 /* write JSON results here, or NULL */
	const char *format;	 /* "text" (default) or "tsv" */
	int jobs;		 /* sandboxes at once, at most */
	int fixed_jobs;		 /* 1: exactly jobs (-j); 0: beyond
				    min_running only while the CPUs are not
				    busy */
	int min_running;	 /* checks that start whatever the CPUs do;
				    0: one per core */
	double busy_limit;	 /* beyond min_running, checks start while
				    the CPUs are busy less than this share
				    of the machine; 0: the default */
	uint64_t seed;		 /* run seed */
	int verbose;		 /* show transcripts of failing checks */
	int valgrind;		 /* run programs under memcheck */
	int hidden;		 /* include hidden checks */
	int keep;		 /* keep the build folder */
	const char *out;	 /* build here instead of a temporary folder */
	int color;		 /* colour terminal output */
	int width;		 /* columns of the text report; 0: 80 */
	const char *build_cache; /* builds kept by what went into them
				    (sl_cache.h), or NULL */
	const char *pcap;	 /* capture each check's packets into this
				    folder (sl_capture.h), or NULL */
	const char *html;	 /* write the HTML report into this folder
				    (sl_html.h), or NULL */
	/* called when the build is done (index -1) and as each check's
	 * verdict comes (its index), for a report that fills as it goes */
	void (*progress)(struct sl_run *run, int index, void *ctx);
	void *progress_ctx; /* progress's argument */
};

/* What building a lab's programs gave. */
struct sl_build {
	char root[512];			    /* temporary folder of the run */
	char src[600];			    /* copied student files */
	char bin[600];			    /* built programs */
	char submission[512];		    /* folder the files came from */
	int built[SL_MAX_PROGRAMS];	    /* 1 if the program built */
	int warnings[SL_MAX_PROGRAMS];	    /* 1 if it built with warnings */
	struct hx_buf log[SL_MAX_PROGRAMS]; /* compiler output per program */
	struct hx_buf files;		    /* refused or missing files */
	struct hx_buf ignored;		    /* files present but not taken */
};

struct sl_result {
	const struct sl_check *check; /* the rubric row */
	int selected;		      /* 1 if it ran in this run */
	int done;		      /* 1 once its verdict is in */
	uint64_t seed;		      /* its seed */
	int points;		      /* points earned */
	struct hx_verdict verdict;    /* what the sandbox said */
};

struct sl_run {
	const struct sl_lab *lab;		 /* the lab graded */
	struct sl_options opt;			 /* how */
	struct sl_build build;			 /* its programs */
	struct sl_result results[SL_MAX_CHECKS]; /* one per check of the lab */
	int isolated;				 /* namespaces were available */
	char degraded[700];  /* why the run is DEGRADED, "" if it
				is not (sl_describe_isolation) */
	int score;	     /* points earned */
	int max_score;	     /* points possible (selected checks) */
	int64_t duration_ms; /* wall time of the run */
	int hidden_score;    /* points of hidden checks (see
				sl_split_hidden), not in score */
	int hidden_max;	     /* points possible in hidden checks run */
	int hidden_run;	     /* hidden checks that ran */
};

/* sl_build.c */
int sl_build_lab(struct sl_run *run, char *err, size_t errlen);
void sl_build_cleanup(struct sl_run *run);
/* The folder under dir (dir itself or up to 3 folders below) that holds
 * most of the lab's files, the shallowest then the first by name on a
 * tie: students upload files, a folder, or their whole repository. 0
 * when one was found (*found files of the lab in it). */
int sl_find_lab_files(const struct sl_lab *lab, const char *dir, char *best,
		      size_t size, int *found);
/* The folder holding a lab's files inside a submission folder: DIR/NN-name,
 * DIR, or where sl_find_lab_files finds them. */
int sl_submission_dir(const struct sl_lab *lab, const char *dir, char *out,
		      size_t size, char *err, size_t errlen);
/* The project root (support files, labs/), from SOCKLAB_ROOT or build. */
const char *sl_root(void);
/* Under a uid barrier, a folder of the grader's on the way to a sandbox's
 * own (a build folder, a batch's) may be traversed, not listed, by the
 * sandboxes' uids; elsewhere nothing changes. 0, or -1 with err. */
int sl_barrier_passage(const char *dir, char *err, size_t errlen);

/* sl_run.c */
/* The stop signal (SIGINT, SIGTERM, SIGHUP) the grader received, 0 while
 * none has come: every wait of the grader looks at it. */
extern volatile sig_atomic_t sl_stop_signal;
/* How sandboxes isolate here, for the top of every report: "" when
 * fully sealed; else what is missing and why, DEGRADED when programs are
 * not sealed at all. Also names grading material a uid barrier cannot
 * keep from the student's programs (readable by every user). */
void sl_describe_isolation(char *out, size_t size);
/* 1 (with "stopped by SIGINT" in err) once a stop signal came. */
int sl_stopped(char *err, size_t errlen);
int sl_grade(struct sl_run *run, char *err, size_t errlen);
void sl_run_free(struct sl_run *run);
uint64_t sl_check_seed(uint64_t run_seed, const char *id);
/* The deadline of check's sandbox in this run, in milliseconds before
 * SOCKLAB_TIMEOUT_SCALE. */
int sl_check_deadline_ms(const struct sl_run *run,
			 const struct sl_check *check);
/* The order the checks of lab start in (indexes into lab->checks, all of
 * them): those that wait out time (SL_WAITS) first, so that they overlap
 * the others, then the rest; each in the table's order. */
void sl_start_order(const struct sl_lab *lab, int *order);

/* sl_build.c: at most n builds at once across processes (a pipe of
 * tokens their children inherit); 0 or -1. */
int sl_build_tokens_open(long n);
void sl_build_tokens_close(void);

/* Hidden checks: rows added to a lab's rubric from grader/checks/hidden/,
 * which the student release leaves out. The registry appends them to the
 * lab numbered lab; they run only with opt.hidden (batch, exports). */
struct sl_hidden_checks {
	const char *lab;	       /* lab number, "02" */
	const struct sl_check *checks; /* rows, each flagged SL_HIDDEN */
	int nchecks;		       /* rows in checks */
};

#define SL_REGISTER_HIDDEN(var)                                                \
	static const struct sl_hidden_checks *const sl_hidden_entry_##var      \
	    __attribute__((used, section("sl_hidden"))) = &var

/* sl_registry.c: hidden checks of a lab in this build, and their points. */
int sl_lab_hidden_count(const struct sl_lab *lab);
int sl_lab_hidden_points(const struct sl_lab *lab);

#endif
