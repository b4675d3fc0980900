/* hx_finish.h - the end of a check.
 *
 * The process layer (hx_proc.h) reports facts: how a program ended, what
 * it printed. Here the check judges them, once every step has run.
 */
#ifndef HX_FINISH_H
#define HX_FINISH_H

#include "hx_check.h"

/* Stops every process still running, turns an unexpected death into a
 * crash verdict and a sanitizer report into the verdict, names a full
 * disk or the process limit, restores fixtures, and adds each failing
 * process's stderr to the notes. */
void hx_check_finish(struct hx_check *c);
/* Frees the check's processes and verdict. */
void hx_check_free(struct hx_check *c);

#endif
