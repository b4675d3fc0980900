/* sl_lab.h - how a lab describes itself to the grader.
 *
 * Each file in grader/checks/ defines one lab: the files a student edits,
 * the programs built from them, and the check table, which reads like the
 * rubric. SL_REGISTER_LAB puts the lab in the registry, so adding a lab
 * touches no shared code.
 */
#ifndef SL_LAB_H
#define SL_LAB_H

#include "../harness/hx_check.h"
#include "../harness/hx_file.h"
#include "../harness/hx_finish.h"
#include "../harness/hx_fixture.h"
#include "../harness/hx_inet.h"
#include "../harness/hx_net.h"
#include "../harness/hx_probe.h"
#include "../harness/hx_proc.h"
#include "../harness/hx_time.h"
#include "../harness/hx_tools.h"

/* The grader's limits, in one place. */
#define SL_MAX_FILES	8  /* files a lab declares (student's and given) */
#define SL_MAX_PROGRAMS 8  /* programs a lab builds */
#define SL_MAX_SOURCES	8  /* sources of one program */
#define SL_MAX_CHECKS	64 /* rows in one lab's rubric, hidden ones included */
#define SL_MAX_LABS	64 /* labs registered, and labs one grade run takes */
#define SL_MAX_JOBS	64 /* the most -j may ask: checks or students at once */

/* Check flags. */
#define SL_SANITIZE (1u << 0) /* run the AddressSanitizer/UBSan builds */
#define SL_LEAKS                                                               \
	(1u << 3) /* with SL_SANITIZE: memory not freed when a                 \
		     program exits is a failure (LeakSanitizer) */
#define SL_NAMESPACE                                                           \
	(1u << 1) /* needs namespaces (a network device, a                     \
		     sysctl of its own): skipped without them */
#define SL_FIXTURES                                                            \
	(1u << 4) /* needs fixture files in /etc: a sealed                     \
		     sandbox, or root in a container that says                 \
		     so (hx_fixture.h); skipped otherwise */
#define SL_NETWORK                                                             \
	(1u << 5)	    /* needs a network to itself (every port           \
			       of loopback): its own namespace, or, without    \
			       one, the machine's with no other check          \
			       running (sl_lock.h) */
#define SL_HIDDEN (1u << 2) /* only in batch and exported grading */
#define SL_WAITS                                                               \
	(1u << 6) /* spends its time waiting out timeouts or a window,         \
		     not on the CPU: started before the lab's other checks,    \
		     beside them, whatever the CPUs do (sl_run.c) */

/* A program built from student files (and optional support files from
 * grader/checks/support/, which the student never edits). */
struct sl_program {
	const char *name;		     /* executable name */
	const char *sources[SL_MAX_SOURCES]; /* student .c files it needs */
	const char *support[SL_MAX_SOURCES]; /* support .c files, or none */
	const char *libs;		     /* extra link flags, or NULL */
};

/* One row of the rubric. run == NULL marks the build check: it passes when
 * every program builds without warnings and another check passes. */
struct sl_check {
	const char *id;	      /* short name: make grade CHECK=id */
	const char *title;    /* what it proves, one line */
	int points;	      /* points when it passes */
	int timeout_ms;	      /* deadline of the whole check (scaled) */
	unsigned flags;	      /* SL_SANITIZE, SL_LEAKS, SL_NAMESPACE,
				 SL_FIXTURES, SL_NETWORK, SL_HIDDEN */
	const char *programs; /* space-separated programs it runs */
	const char *hint;     /* what to look at when it fails */
	void (*run)(struct hx_check *c); /* the check, NULL for build */
	int max_files; /* RLIMIT_NOFILE of its programs; 0: the
			  lab's */
};

struct sl_lab {
	const char *number;		 /* "02" */
	const char *name;		 /* "tcp-hello" */
	const char *title;		 /* one line for socklab list */
	const char *files[SL_MAX_FILES]; /* student files, in labs/NN-name */
	const char *given[SL_MAX_FILES]; /* the lab's interface (headers):
					    always the project's own, in
					    labs/NN-name, never a
					    submission's */
	struct sl_program programs[SL_MAX_PROGRAMS]; /* what is built */
	int max_files;		       /* RLIMIT_NOFILE of its programs
					  in every check; 0: 1024 */
	const struct sl_check *checks; /* the rubric */
	int nchecks;		       /* rows in checks */
};

#define SL_REGISTER_LAB(var)                                                   \
	static const struct sl_lab *const sl_registry_entry_##var              \
	    __attribute__((used, section("sl_labs"))) = &var

#define SL_COUNT(array) ((int)(sizeof(array) / sizeof((array)[0])))

/* Registry. */
int sl_lab_count(void);
const struct sl_lab *sl_lab_at(int i);
/* Finds a lab by number ("2", "02") or name ("tcp-hello", "02-tcp-hello"). */
const struct sl_lab *sl_lab_find(const char *key);
/* "02-tcp-hello" */
void sl_lab_dirname(const struct sl_lab *lab, char *out, size_t size);
int sl_lab_total_points(const struct sl_lab *lab);

#endif
