/* sl_grade.h - one grading run: options, build, results. */
#ifndef SL_GRADE_H
#define SL_GRADE_H

#include <stdint.h>
#include <stdio.h>

#include "../harness/hx_sandbox.h"
#include "sl_lab.h"

struct sl_options {
	const char *dir;        /* submission folder (default labs/) */
	const char *check;      /* only this check id, or NULL */
	const char *json;       /* write JSON results here, or NULL */
	const char *format;     /* "text" (default) or "tsv" */
	int jobs;               /* sandboxes at once */
	uint64_t seed;          /* run seed */
	int verbose;            /* show transcripts of failing checks */
	int valgrind;           /* run programs under memcheck */
	int hidden;             /* include hidden checks */
	int keep;               /* keep the build folder */
	const char *out;        /* build here instead of a temporary folder */
	int color;              /* colour terminal output */
};

/* What building a lab's programs gave. */
struct sl_build {
	char root[512];                       /* temporary folder of the run */
	char src[600];                        /* copied student files */
	char bin[600];                        /* built programs */
	char submission[512];                 /* folder the files came from */
	int built[SL_MAX_PROGRAMS];           /* 1 if the program built */
	int warnings[SL_MAX_PROGRAMS];        /* 1 if it built with warnings */
	struct hx_buf log[SL_MAX_PROGRAMS];   /* compiler output per program */
	struct hx_buf files;                  /* refused or missing files */
	struct hx_buf ignored;                /* files present but not taken */
};

struct sl_result {
	const struct sl_check *check;  /* the rubric row */
	int selected;                  /* 1 if it ran in this run */
	uint64_t seed;                 /* its seed */
	int points;                    /* points earned */
	struct hx_verdict verdict;     /* what the sandbox said */
};

struct sl_run {
	const struct sl_lab *lab;      /* the lab graded */
	struct sl_options opt;         /* how */
	struct sl_build build;         /* its programs */
	struct sl_result results[64];  /* one per check of the lab */
	int isolated;                  /* namespaces were available */
	int score;                     /* points earned */
	int max_score;                 /* points possible (selected checks) */
	int64_t duration_ms;           /* wall time of the run */
};

/* sl_build.c */
int sl_build_lab(struct sl_run *run, char *err, size_t errlen);
void sl_build_cleanup(struct sl_run *run);
/* The folder holding a lab's files inside a submission folder. */
int sl_submission_dir(const struct sl_lab *lab, const char *dir, char *out,
		      size_t size, char *err, size_t errlen);
/* The project root (support files, labs/), from SOCKLAB_ROOT or build. */
const char *sl_root(void);

/* sl_run.c */
int sl_grade(struct sl_run *run, char *err, size_t errlen);
void sl_run_free(struct sl_run *run);
uint64_t sl_check_seed(uint64_t run_seed, const char *id);

/* sl_report.c */
void sl_report_text(const struct sl_run *run, FILE *out);
void sl_report_tsv(const struct sl_run *run, FILE *out);
void sl_report_rubric(const struct sl_lab *lab, FILE *out);
void sl_report_list(FILE *out);

/* sl_json.c */
int sl_report_json(const struct sl_run *run, const char *path, char *err,
		   size_t errlen);

/* sl_bench.c */
int sl_bench(const char *const *labs, int nlabs, int rounds, int jobs,
	     FILE *out, char *err, size_t errlen);

#endif
