/* hx_tools.h - what Valgrind and the sanitizers found, from their own
 * channels only.
 *
 * Valgrind writes to a pipe the program cannot reach (hx_proc.c puts it
 * in the descriptors Valgrind reserves for itself); the sanitizers write
 * report files in a folder of the sandbox (hx_sanitizer_dir). A program
 * that prints "ERROR SUMMARY: 0 errors" or "runtime error:" on its own
 * output changes nothing here.
 */
#ifndef HX_TOOLS_H
#define HX_TOOLS_H

#include "hx_check.h"
#include "hx_proc.h"

/* For a process run with spawn.tool: fails the check when the tool
 * reported errors, naming the first one and where it happened. */
int hx_proc_expect_tool_clean(struct hx_check *c, struct hx_proc *p);

/* Valgrind's memcheck findings for p, one line, added to out. */
void hx_proc_memcheck(const struct hx_proc *p, struct hx_buf *out);

/* The sanitizer reports in dir, a line each naming the process (from
 * procs, by pid) and the report's kind and first frame. Returns how many. */
int hx_sanitizer_reports(const char *dir, struct hx_proc *const *procs,
			 int nprocs, struct hx_buf *out);

#endif
