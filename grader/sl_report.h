/* sl_report.h - what one grading run shows: the terminal report (sl_text.c),
 * TSV, the rubric and the list of labs (sl_report.c), JSON (sl_json.c). */
#ifndef SL_REPORT_H
#define SL_REPORT_H

#include <stdio.h>

#include "sl_grade.h"

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
/* One line per selected check: id, status, points, its points, the
 * milliseconds it took and its deadline's; then the total's line: "total",
 * pass or fail, score, max score, milliseconds. */
void sl_report_tsv(const struct sl_run *run, FILE *out);
void sl_report_rubric(const struct sl_lab *lab, FILE *out);
void sl_report_list(FILE *out);

/* sl_json.c: the results as JSON (grader/RESULTS.md). */
int sl_report_json(const struct sl_run *run, const char *path, char *err,
		   size_t errlen);

/* One line for the terminal about hidden checks: how many, whether run. */
void sl_report_hidden(const struct sl_run *run, FILE *out);

#endif
