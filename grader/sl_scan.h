/* sl_scan.h - what a student's C file may not use.
 *
 * Some of the student's files are linked into the grader's test drivers,
 * which judge them from inside the same process. Code that runs before
 * the driver's main (a constructor, an ifunc resolver, a function placed
 * in .init_array), inline assembly, and pragmas that silence the
 * compiler's warnings would let a file judge itself or hide what the
 * build check counts. None has a place in a lab's solution.
 */
#ifndef SL_SCAN_H
#define SL_SCAN_H

#include <stddef.h>

/* Scans C source text (len bytes) for a construct a student's file may
 * not use: 0 if none, else -1 with why ("line 12: __attribute__((
 * constructor)) runs code before main") in why. Comments, strings and
 * character constants are skipped. */
int sl_scan_source(const char *text, size_t len, char *why, size_t size);

#endif
