/* sl_html.h - the report as one self-contained HTML page per lab.
 *
 * The page holds the rubric with each check's status and points, then
 * each check: for a failing one its message, expected and actual values
 * with the first difference marked, the cause or the hint, the programs'
 * stderr, and its exchange drawn (sl_sequence.h); the rerun command and
 * the capture file (--pcap). Its style is inline and it has no script:
 * it opens offline, and its Content-Security-Policy forbids loading
 * anything. Every byte from a submission is escaped (sl_escape.h).
 *
 * `socklab grade LAB --format html` prints the page; `--html DIR` writes
 * DIR/NN-name.html next to the terminal report; `socklab batch --format
 * html` writes one per student. Functions that can fail return 0, or -1
 * with a message in err.
 */
#ifndef SL_HTML_H
#define SL_HTML_H

#include <stdio.h>

#include "sl_grade.h"

/* The page; without hidden_details, a hidden check shows its status and
 * points only (what a student may read of it). */
void sl_report_html(const struct sl_run *run, int hidden_details, FILE *out);
/* The file of a run's page: DIR/NN-name.html. */
void sl_html_path(const struct sl_run *run, char *out, size_t size);
/* Writes the page to the folder of --html; nothing without it. */
int sl_html_write(const struct sl_run *run, char *err, size_t errlen);

#endif
