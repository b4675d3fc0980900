/* hx_check.h - the context a check runs in, and how it records its verdict.
 *
 * A check is a function that receives a struct hx_check. It starts the
 * student's programs (hx_proc.h), talks to them through peers (hx_net.h),
 * and states what it expects (hx_expect_*). The first failure decides the
 * verdict; later calls only add notes. Every helper returns 0 on success
 * and -1 once the check has failed, so a check reads as a list of steps:
 *
 *	if (hx_expect_str(c, "greeting", want, got) < 0)
 *		return;
 */
#ifndef HX_CHECK_H
#define HX_CHECK_H

#include <stdint.h>

#include "hx_text.h"

enum hx_status {
	HX_PASS,    /* every expectation held */
	HX_FAIL,    /* the program ran but did something wrong */
	HX_TIMEOUT, /* the program (or the check) did not finish in time */
	HX_CRASH,   /* a program died by a signal or a sanitizer report */
	HX_ERROR,   /* the check could not run: build failed, harness error */
	HX_SKIPPED  /* the check needs something this machine lacks */
};

const char *hx_status_name(enum hx_status status);

/* What made a check fail, when the harness can name it: one cause often
 * breaks several checks, and the student should read about it once, with
 * its own hint, before the checks' own hints (which are about other
 * mistakes). In order of precedence: a sanitizer's report explains a
 * crash it caused, a crash explains a missing reply. */
enum hx_cause {
	HX_CAUSE_NONE,	      /* none named */
	HX_CAUSE_LATE_OUTPUT, /* a promised line came late (not flushed) */
	HX_CAUSE_DESCRIPTORS, /* descriptors leaked or ran out (EMFILE) */
	HX_CAUSE_LEAK,	      /* memory never freed (LeakSanitizer) */
	HX_CAUSE_SIGPIPE,     /* killed by SIGPIPE: a write to a closed peer */
	HX_CAUSE_CRASH,	      /* killed by SIGSEGV, SIGBUS, SIGFPE, SIGABRT */
	HX_CAUSE_SANITIZER,   /* a sanitizer's report */
};

/* "sigpipe", "crash", ...: the cause's name in JSON. */
const char *hx_cause_name(enum hx_cause cause);
/* What to do about a cause: its own hint, the same in every lab. */
const char *hx_cause_hint(enum hx_cause cause);

#define HX_MAX_PROCS 64

struct hx_proc;

/* One transcript line: bytes a peer sent or received, or an event. */
struct hx_event {
	int64_t at_ms;	     /* milliseconds since the check started */
	int conn;	     /* connection number, 0 for process events */
	char dir;	     /* '>' peer sent, '<' peer received, '*' event */
	struct hx_buf bytes; /* the bytes, or the event's text */
};

struct hx_check {
	const char *id;	      /* the check's id in its table */
	const char *bin_dir;  /* folder with the built programs */
	const char *work_dir; /* writable folder, the programs' cwd */
	uint64_t seed;	      /* seed of every random choice here */
	uint64_t rng_state;   /* state of hx_random, from seed */
	int isolated;	      /* 1 inside namespaces, 0 when degraded */
	int valgrind;	      /* 1: programs run under memcheck */
	int sanitize;	      /* 1: programs are the ASan/UBSan builds */
	int detect_leaks;     /* 1: and LeakSanitizer reports memory
				 not freed at exit */
	int verbose;	      /* 1: keep the whole transcript */
	int64_t started_ms;   /* hx_now_ms() when the check began */
	int next_conn;	      /* number of the next connection */
	int port_base;	      /* first port handed out by hx_port */

	enum hx_status status;	  /* the verdict */
	struct hx_buf message;	  /* what went wrong, in one paragraph */
	struct hx_buf expected;	  /* full expected value, when one applies */
	struct hx_buf actual;	  /* full actual value, when one applies */
	long diff_at;		  /* first differing byte, -1 when unknown */
	struct hx_buf notes;	  /* extra lines shown with a failure */
	struct hx_buf memcheck;	  /* Valgrind findings, per program */
	enum hx_cause cause;	  /* what made it fail, if named */
	struct hx_buf cause_text; /* the cause in one line, naming the
				     program: "server: killed by SIGPIPE" */
	int max_files;		  /* RLIMIT_NOFILE of its programs unless a
				     spawn says otherwise; 0: 1024 */

	struct hx_event *events; /* transcript, in order */
	int nevents;		 /* events in use */
	int capevents;		 /* events allocated */

	struct hx_proc *procs[HX_MAX_PROCS]; /* every process started */
	int nprocs;			     /* processes in procs */
};

/* Records a failure with its status; the first failure wins. Returns -1. */
int hx_fail(struct hx_check *c, enum hx_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Records a failure with the values to show beside it: expected (NULL:
 * none) and actual, as bytes; the first failure wins, values included.
 * The one way a verdict gets its values. Returns -1. */
int hx_fail_values(struct hx_check *c, enum hx_status status,
		   const void *expected, size_t expected_len,
		   const void *actual, size_t actual_len, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Says the failure already recorded in other words (what a deadline
 * meant, once it is known); nothing when the check still passes. */
void hx_fail_reword(struct hx_check *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Shows values beside the failure already recorded (what a client was
 * waiting for when its deadline passed); a value given NULL stays as it
 * was; nothing when the check still passes. */
void hx_fail_show(struct hx_check *c, const void *expected, size_t expected_len,
		  const void *actual, size_t actual_len);
/* A failure found at the end that explains the one recorded (a sanitizer
 * report): it becomes the verdict, and the earlier message a note. */
void hx_fail_over(struct hx_check *c, enum hx_status status, const char *fmt,
		  ...) __attribute__((format(printf, 3, 4)));
/* Marks the check skipped with a reason (when still passing). Returns -1. */
int hx_skip(struct hx_check *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Names the cause of a failure; a cause of higher precedence (see enum
 * hx_cause) replaces a lower one, never the reverse. */
void hx_set_cause(struct hx_check *c, enum hx_cause cause, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds a line to the notes shown with a failure. */
void hx_note(struct hx_check *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* 1 while no failure has been recorded. */
int hx_ok(const struct hx_check *c);

/* Expectations. "what" names the value in feedback ("greeting line"). */
int hx_expect_bytes(struct hx_check *c, const char *what, const void *expected,
		    size_t expected_len, const void *actual, size_t actual_len);
int hx_expect_str(struct hx_check *c, const char *what, const char *expected,
		  const char *actual);
int hx_expect_contains(struct hx_check *c, const char *what, const char *needle,
		       const char *haystack);
int hx_expect_int(struct hx_check *c, const char *what, long expected,
		  long actual);

/* Deterministic randomness from the check's seed (xorshift64*). */
uint64_t hx_random(struct hx_check *c);
/* A number in [low, high]. */
long hx_random_between(struct hx_check *c, long low, long high);

/* A TCP port free on 127.0.0.1 now (the kernel's choice for port 0), or
 * -1. Another process may take it before it is used. */
int hx_free_port(void);

/* Port number n (0, 1, ...) for this check: fixed inside a namespace,
 * a free ephemeral port in the degraded mode. */
int hx_port(struct hx_check *c, int n);

/* Transcript: appends an event; data may be binary. Thread-safe. */
void hx_record(struct hx_check *c, int conn, char dir, const void *data,
	       size_t len);
void hx_recordf(struct hx_check *c, int conn, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The transcript as text, one line per event, bytes escaped. */
int hx_transcript_render(const struct hx_check *c, struct hx_buf *out);

/* Sets up a check's context (the sandbox, unit tests); hx_finish.h ends
 * it. */
void hx_check_init(struct hx_check *c, const char *id, uint64_t seed);
/* Frees the verdict's fields and the transcript (hx_check_free, in
 * hx_finish.h, frees the processes too). */
void hx_check_free_verdict(struct hx_check *c);

/* Steps whose failures do not count (a check that judges only stdout
 * still drives clients): quiet gets c's ports, mode and clock; its
 * transcript goes back into c's at hx_quiet_end, its verdict is
 * dropped. */
void hx_quiet_begin(struct hx_check *quiet, const struct hx_check *c);
void hx_quiet_end(struct hx_check *c, struct hx_check *quiet);

#endif
