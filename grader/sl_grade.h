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

/* sl_report.c */
/* sl_text.c: the report people read. */
/* The columns of the terminal out is, or 80 (a file, a pipe). */
int sl_terminal_width(FILE *out);
/* The whole report: header, table, build row, diagnosis, each failing
 * check's details, score. */
void sl_report_text(const struct sl_run *run, FILE *out);
/* The same, in three parts, for a table that fills while the lab runs:
 * the header once the build is done; the rows from *next on that are
 * done (called as checks finish; rows come in table order); the rest. */
void sl_text_begin(const struct sl_run *run, FILE *out);
void sl_text_stream(const struct sl_run *run, int *next, FILE *out);
void sl_text_end(const struct sl_run *run, int hidden_details, FILE *out);
/* The same; without hidden_details, a hidden check shows its status and
 * points only (what a student may read of it). */
void sl_report_text_for(const struct sl_run *run, int hidden_details,
			FILE *out);
/* The causes that broke checks, each once with its hint and the checks
 * it broke, most telling first. */
void sl_report_diagnosis(const struct sl_run *run, FILE *out);
void sl_report_tsv(const struct sl_run *run, FILE *out);
void sl_report_rubric(const struct sl_lab *lab, FILE *out);
void sl_report_list(FILE *out);

/* sl_json.c */
int sl_report_json(const struct sl_run *run, const char *path, char *err,
		   size_t errlen);

/* sl_course.c - several labs graded at once, their reports in order. */
/* What one lab of a grade run came to, for the course's summary. */
struct sl_lab_total {
	const struct sl_lab *lab; /* the lab */
	int score, max_score;	  /* public points earned and possible */
	int64_t duration_ms;	  /* its wall time */
};
/* Grades one lab and prints its report on stdout; 0, 1 or 2 as grade. */
typedef int sl_grade_one_fn(const struct sl_options *opt,
			    const struct sl_lab *lab, struct sl_lab_total *t);
/* Grades each lab with grade in a worker of its own, several at once,
 * and prints their reports on out in the labs' order; fills totals.
 * Returns the worst status. */
int sl_grade_course(const struct sl_options *opt,
		    const struct sl_lab *const *labs, int n,
		    sl_grade_one_fn *grade, struct sl_lab_total *totals,
		    FILE *out);

/* sl_build.c: at most n builds at once across processes (a pipe of
 * tokens their children inherit); 0 or -1. */
int sl_build_tokens_open(long n);
void sl_build_tokens_close(void);

/* sl_bench.c */
int sl_bench(const char *const *labs, int nlabs, int rounds, int jobs,
	     FILE *out, char *err, size_t errlen);

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

/* sl_export.c */
/* Moves the points of hidden checks out of score and max_score into
 * hidden_score and hidden_max: a lab's public total stays 100. */
void sl_split_hidden(struct sl_run *run);
/* 1 if name is an export format (gradescope, autolab, junit, github). */
int sl_export_known(const char *name);
/* The export formats' names, comma-separated, for messages. */
const char *sl_export_names(void);
/* The extension of an export format's files (".json"). */
const char *sl_export_extension(const char *name);
/* Writes the run's results in format to out. */
int sl_export(const struct sl_run *run, const char *format, FILE *out,
	      char *err, size_t errlen);
/* One line for the terminal about hidden checks: how many, whether run. */
void sl_report_hidden(const struct sl_run *run, FILE *out);

/* One student of a batch, as the gradebook and the summary see it. */
#define SL_MESSAGE_MAX 160
struct sl_student {
	char id[128];		   /* folder or archive name, no extension */
	char source[256];	   /* what was found: "alice.zip", "bob/" */
	char problem[512];	   /* why it was not graded, "" if graded */
	int graded;		   /* 1 when sl_grade ran */
	int score;		   /* public points earned */
	int max_score;		   /* public points possible */
	int hidden_score;	   /* hidden points earned */
	int hidden_max;		   /* hidden points possible */
	int64_t duration_ms;	   /* wall time of its grading */
	int points[SL_MAX_CHECKS]; /* per check of the lab, -1: did not run */
	int status[SL_MAX_CHECKS]; /* enum hx_status per check */
	char message[SL_MAX_CHECKS]
		    [SL_MESSAGE_MAX]; /* first line of each failure */
	int64_t started_ms;	      /* when its grading began (monotonic) */
	int64_t ended_ms;	      /* when it ended */
	int regraded;		      /* 1 if graded again, alone */
	int64_t cpu_ms;		      /* CPU time its grading used */
};

/* sl_export.c: the class views. */
int sl_write_gradebook(const struct sl_lab *lab, const struct sl_student *s,
		       int n, const char *path, char *err, size_t errlen);
int sl_write_summary(const struct sl_lab *lab, const struct sl_student *s,
		     int n, const char *path, char *err, size_t errlen);

/* sl_batch.c - grading a class. */
struct sl_batch_options {
	const char *submissions; /* folder of student folders and archives */
	const char *out;	 /* results folder */
	const char *format;	 /* an export format per student, or NULL */
	int jobs;		 /* students graded at once */
	uint64_t seed;		 /* run seed, as for grade */
	int check_jobs;		 /* checks at once within one student (1) */
	int shard;		 /* grade only shard K of ... (1-based) */
	int shards;		 /* ... N shards; 0 or 1: the whole class */
};

/* Grades every submission of lab; writes gradebook.csv, summary.md and
 * per-student results to opt->out. Problems with one student are reported
 * in that student's row; -1 (with err) only when the batch cannot run.
 * progress, when not NULL, gets one line per student as it finishes. */
int sl_batch(const struct sl_lab *lab, const struct sl_batch_options *opt,
	     FILE *progress, char *err, size_t errlen);

/* sl_merge.c - a class split across machines. */
/* "K/N" into k and n (1 <= k <= n); 0, or -1 when it is not that. */
int sl_parse_shard(const char *text, int *k, int *n);
/* 1 when the student id belongs to shard k of n: the same answer for
 * the same id whatever else the class holds, or the order it is read. */
int sl_in_shard(const char *id, int k, int n);
/* The order a batch lists its class in: by id, then by source. */
int sl_compare_students(const void *a, const void *b);
/* Writes students.tsv in dir: every row, as merge reads it back. */
int sl_write_records(const struct sl_lab *lab, const struct sl_student *s,
		     int n, const char *dir, char *err, size_t errlen);
/* The lab number a batch's output in dir is of; 0 or -1. */
int sl_records_lab(const char *dir, char *number, size_t size, char *err,
		   size_t errlen);
/* Merges the outputs of shards into out: every per-student file, one
 * gradebook, one summary, as a batch of the whole class writes them. */
int sl_merge(const struct sl_lab *lab, const char *out,
	     const char *const *shards, int nshards, char *err, size_t errlen);

#endif
