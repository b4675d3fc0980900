/* sl_class.h - a class: its students as batch grades them (sl_batch.c),
 * their gradebook and summary (sl_export.c), and a class split across
 * machines and merged (sl_merge.c). */
#ifndef SL_CLASS_H
#define SL_CLASS_H

#include <stdio.h>

#include "sl_grade.h"

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
	int disturbing; /* 1: a check of its timed out or crashed while
			   its programs kept the CPU busy (or where no
			   control group says what they used) */
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
	int jobs;		 /* cores its students keep busy: this many
				    graded at once, more while they wait */
	uint64_t seed;		 /* run seed, as for grade */
	int check_jobs;		 /* checks at once within one student (1) */
	int shard;		 /* grade only shard K of ... (1-based) */
	int shards;		 /* ... N shards; 0 or 1: the whole class */
};

/* -j N below the CPUs the batch may run on: it keeps to N of them, it and
 * everything it starts (called first), so that N cores is what it takes
 * from a shared machine, and what it measures as busy. Shard K takes the
 * N after those of shard K-1, so the shards of a class run side by side
 * on one machine do not share their cores. 0, or -1 with err. */
int sl_batch_keep_to_cores(const struct sl_batch_options *opt, char *err,
			   size_t errlen);

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
