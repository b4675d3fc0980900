/* hx_probe.h - probes every lab gets without code of its own.
 *
 * Each is a step a check table switches on where the handout's contract
 * covers it: a client that leaves before its reply (SIGPIPE), the
 * server's descriptors counted across many clients and error paths, a
 * server's stdout left empty, a name whose first address refuses, and
 * the arrival time of a line a handout promises "as soon as". Each names
 * its cause (hx_set_cause) when it fails, so the student reads the cause
 * before the check's own hint.
 */
#ifndef HX_PROBE_H
#define HX_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "hx_check.h"
#include "hx_proc.h"

/* A name every sandbox resolves to ::1 first, where the harness listens
 * on nothing, then to 127.0.0.1, as Debian's localhost does: a client
 * that tries only the first address getaddrinfo gives is refused. */
#define HX_DUAL_HOST "localhost"

/* A client that sends all of request and leaves before the reply: the
 * server is paused while the client connects, sends, half-closes and
 * resets, so its reply meets a dead connection (EPIPE, SIGPIPE) whatever
 * the timing. Then waits (timeout_ms) until the server has dealt with it.
 * 0 while the server still runs; -1, a failure saying how it ended and
 * its cause, if it did. */
int hx_probe_leave_early(struct hx_check *c, struct hx_proc *server, int port,
			 const void *request, size_t len, int timeout_ms);

/* The process ignores, blocks or catches SIGPIPE (from its signal masks
 * in /proc): for a server that writes before it reads anything (a
 * greeting), whose death by SIGPIPE no client can provoke on cue. A
 * program that relies on send's MSG_NOSIGNAL instead fails it: use it
 * only where the handout asks for the signal to be ignored. */
int hx_expect_sigpipe_ignored(struct hx_check *c, struct hx_proc *p);

/* Descriptors the process holds now (from /proc), or -1 if it ended. */
int hx_proc_count_fds(struct hx_proc *p);

/* Once the server is idle (timeout_ms at most), it holds no more
 * descriptors than before (counted with hx_proc_count_fds before the
 * clients came); else a failure naming how many leaked after what
 * ("20 clients, 5 of them refused"). */
int hx_expect_fds_steady(struct hx_check *c, struct hx_proc *server, int before,
			 const char *what, int timeout_ms);

/* A server's stdout stays empty: servers log on stderr. */
int hx_expect_no_stdout(struct hx_check *c, struct hx_proc *p);

/* What a test driver (a support file linked with the student's files,
 * grader/checks/support/NAME_cases.c) is about, for its verdicts. */
struct hx_cases {
	const char *program; /* its program in the lab: "queue-cases" */
	const char *subject; /* "queue": "the queue tests were killed" */
	const char *failed;  /* heads the failed cases: "queue.c does not
				behave as pool.h says" */
	const char *crashed; /* after "queue.c crashed": where to look */
	const char *code;    /* the student's file: "queue.c" */
};

/* Every thread of p but its main thread blocks each of signals (a list
 * ending in 0), as /proc/PID/task/TID/status says (SigBlk:); why ends
 * the failure's message. 0, or -1 naming the first thread that does not
 * (0 too once p has ended: how it ended is another check's business). */
int hx_expect_threads_block(struct hx_check *c, struct hx_proc *p,
			    const int *signals, const char *why);

/* Starts a test driver linked with the student's code and hands it, on
 * stdin, a token of this run (32 hex digits from the kernel, never from
 * the seed), which it reads before any of the student's code runs and
 * prints only in its last line: "cases: N run, F failed, token T".
 * token: at least 33 bytes. NULL once the check has failed. */
struct hx_proc *hx_start_cases(struct hx_check *c, const char *program,
			       const char *const *args, char *token,
			       size_t size);

/* Finds the line with this run's token in p's stdout: 1 and the
 * counts; 0 when no such line came (the student's code, which shares the
 * driver's process, may print anything else). */
int hx_cases_summary(const struct hx_proc *p, const char *token, int *ran,
		     int *failed);

/* Runs the driver with args, within timeout_ms, and judges its report:
 * a line per case ("ok NAME" or "case failed: NAME: reason"), and last
 * the line with its token (hx_start_cases). Killed by a signal is a crash
 * naming cases->crashed; failed cases a failure listing each; a report without
 * its last line an error. 0 when every case passed, else -1. */
int hx_run_cases(struct hx_check *c, const struct hx_cases *cases,
		 const char *const *args, int timeout_ms);

/* When byte offset of p's stdout reached the harness, in milliseconds
 * since the check started; -1 if it has not yet. */
int64_t hx_proc_arrival_ms(const struct hx_proc *p, size_t offset);

/* The line of p's stdout that holds needle (after what earlier reads
 * consumed) arrived at most within_ms after event_ms (a time since the
 * check started: when its cause happened, a reply sent). Waits for it
 * (timeout_ms); a line that comes late or only at exit fails as output
 * held back in stdout's buffer. */
int hx_expect_line_by(struct hx_check *c, struct hx_proc *p, const char *needle,
		      int64_t event_ms, int within_ms, int timeout_ms);

#endif
