/* hx_footprint.h - what a program holds: the processes it started, its
 * resident memory, and what Valgrind's memcheck says it still had
 * allocated when it exited.
 *
 * A client that closes no socket of an address that refused shows
 * them here. A server that must serve everyone from one process shows a child
 * process here when it forks one per client; one whose buffers grow
 * without bound shows in its resident memory. Each is read from /proc or
 * from the tool's own log, never from the program.
 */
#ifndef HX_FOOTPRINT_H
#define HX_FOOTPRINT_H

#include "hx_proc.h"

/* Processes whose parent is p now (from /proc/PID/stat), or -1 once p
 * has ended. */
int hx_proc_count_children(struct hx_proc *p);

/* Sockets p holds now (links "socket:" in /proc/PID/fd), or -1 once p
 * has ended. A client that connects holds one; more is a leak. */
int hx_proc_count_sockets(struct hx_proc *p);

/* p's resident memory in KiB (VmRSS), or -1 once it has ended. */
long hx_proc_rss_kb(struct hx_proc *p);

/* From the log of p run under memcheck: the bytes and blocks still
 * allocated at exit, reachable or not ("in use at exit"), as Valgrind
 * wrote them for p itself (lines of other processes are ignored). 0 and
 * 0 when the log says none or says nothing. */
void hx_proc_heap_in_use(const struct hx_proc *p, long *bytes, long *blocks);

#endif
