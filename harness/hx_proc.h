/* hx_proc.h - starting the student's programs and watching them.
 *
 * Every process is started the same way: stdin, stdout and stderr on pipes,
 * its own process group, resource limits, no capabilities, cwd the check's
 * work folder. Output is kept up to HX_OUTPUT_CAP bytes per stream; a
 * program that prints more is stopped and reported as "output cut".
 */
#ifndef HX_PROC_H
#define HX_PROC_H

#include <sys/types.h>

#include "hx_check.h"

#define HX_OUTPUT_CAP	 (1 << 20)
#define HX_PROCESS_LIMIT 128

enum hx_stream { HX_STDOUT, HX_STDERR };

/* A piece of a program's stdout, and when the harness got it. */
struct hx_arrival {
	size_t offset; /* its first byte's offset in the stdout buffer */
	int64_t at_ms; /* milliseconds since the check started */
};

struct hx_proc {
	char label[96];	   /* name in feedback: "server", "client 3" */
	char path[512];	   /* program run */
	pid_t pid;	   /* process id, 0 once reaped */
	int in_fd;	   /* write end of its stdin, -1 when closed */
	int out_fd;	   /* read end of its stdout, -1 at EOF */
	int err_fd;	   /* read end of its stderr, -1 at EOF */
	struct hx_buf out; /* stdout so far */
	struct hx_buf err; /* stderr so far */
	size_t out_seen;   /* stdout bytes already consumed by reads */
	struct hx_arrival *arrivals; /* when each piece of stdout came */
	int narrivals;		     /* pieces recorded */
	int caparrivals;	     /* pieces allocated */
	int64_t check_started;	     /* the check's start (hx_now_ms), for
					arrival times */
	int exited;		     /* 1 once reaped */
	int wait_status;	     /* status from waitpid */
	int stopped_by_harness;	     /* 1 if the harness sent the signal */
	int output_cut;		     /* 1 if it printed more than the cap */
	int timed_out;		     /* 1 if a wait on it ran out of time */
	int accepted;		     /* 1 once its ending was as expected: its
					logs are left out of failure feedback */
	const char *tool;	     /* Valgrind tool it runs under ("memcheck",
					"helgrind", "drd"), NULL: none */
	int log_fd;	   /* read end of the tool's own log pipe, -1 */
	int max_files;	   /* its RLIMIT_NOFILE: descriptors from here
			      up are the tool's own */
	struct hx_buf log; /* what the tool wrote there */
};

/* How to start a process, for the cases hx_start does not cover. */
struct hx_spawn {
	const char *label;	 /* name in feedback; NULL: the program */
	const char *program;	 /* lab program name, or an absolute path */
	const char *const *args; /* arguments after argv[0], NULL-terminated */
	int max_files;		 /* RLIMIT_NOFILE; 0: the check's, whose
				    default is 1024 */
	const char *tool;	 /* run under this Valgrind tool ("helgrind",
				    "drd"); NULL: none */
	const char *cwd;	 /* folder it starts in; NULL: the check's
				    work folder */
	int cpu_seconds;	 /* RLIMIT_CPU; 0: the default, 20 */
};

struct hx_proc *hx_start_with(struct hx_check *c, const struct hx_spawn *spawn);

/* Starts program (a name from the lab's programs, found in c->bin_dir, or an
 * absolute path) with args (NULL-terminated, without argv[0]). Returns the
 * process, or NULL after recording an error. */
struct hx_proc *hx_start(struct hx_check *c, const char *program,
			 const char *const *args);
/* Same, with a label for feedback ("client 3"). */
struct hx_proc *hx_start_labelled(struct hx_check *c, const char *label,
				  const char *program, const char *const *args);

/* Writes to its stdin (all of it, under a deadline), reading its output
 * meanwhile. The caller ignores SIGPIPE (the sandbox does), so a program
 * that closed its input is a failure, not a signal. */
int hx_proc_write(struct hx_check *c, struct hx_proc *p, const void *data,
		  size_t len, int timeout_ms);
void hx_proc_close_stdin(struct hx_proc *p);

/* Reads available output without blocking longer than timeout_ms. */
void hx_proc_pump(struct hx_proc *p, int timeout_ms);

/* Waits until stdout holds needle after what earlier reads consumed; the
 * consumed position moves past it. Fails (timeout or early exit) with the
 * output so far as the actual value. */
int hx_proc_read_until(struct hx_check *c, struct hx_proc *p,
		       const char *needle, int timeout_ms);

/* Waits for the process to exit, reading its output meanwhile. On timeout
 * it is killed and the check fails with HX_TIMEOUT. */
int hx_proc_wait(struct hx_check *c, struct hx_proc *p, int timeout_ms);

/* Waits, then requires exit status code: a signal is a crash, another
 * status a failure whose message shows the program's stderr. */
int hx_proc_expect_exit(struct hx_check *c, struct hx_proc *p, int code,
			int timeout_ms);

/* Sends SIGTERM and requires a prompt exit (any status but a crash). */
int hx_proc_stop(struct hx_check *c, struct hx_proc *p, int timeout_ms);

/* Once the program blocks, sends SIGTERM and waits up to timeout_ms for
 * it to exit, without judging how: one that exits writes its sanitizer
 * report and flushes its stdout; one that does not stop is killed when
 * the check ends. Its end is accepted (never a crash of the check's). */
void hx_proc_stop_quietly(struct hx_check *c, struct hx_proc *p,
			  int timeout_ms);

/* Once the program blocks (hx_proc_wait_idle), sends sig and requires an
 * exit with status 0 within timeout_ms: how a server should answer SIGINT
 * or SIGTERM. */
int hx_proc_signal_exit(struct hx_check *c, struct hx_proc *p, int sig,
			int timeout_ms);

/* Its scheduler state from /proc ('R' running, 'S' sleeping, ...), or 0
 * when it has ended. Lets a check wait until a server blocks in accept. */
char hx_proc_state(struct hx_proc *p);

/* Waits, at most timeout_ms, until every thread of the process sleeps in
 * a blocking call (accept, recv, poll): a signal sent then is not lost in
 * the gap between a loop's test of its stop flag and the call, and a
 * threaded server has finished with what it was sent. Never fails. */
void hx_proc_wait_idle(struct hx_proc *p, int timeout_ms);

#define HX_MAX_USAGE_ARGS 8

/* Runs program once per case (a NULL-terminated argument list); each run
 * must exit with status 1 and print a "usage:" line on stderr. */
int hx_expect_usage(struct hx_check *c, const char *program,
		    const char *const cases[][HX_MAX_USAGE_ARGS], int ncases,
		    int timeout_ms);

/* Runs program with args, a valid port among them, and requires that it
 * does not answer with a usage error: it may run (then it is stopped
 * quietly, within stop_ms) or fail at run time (port 1 needs privileges
 * to bind, nothing listens there). exit_ms: how long a usage error may
 * take to come. */
void hx_expect_port_accepted(struct hx_check *c, const char *program,
			     const char *const *args, const char *port,
			     int exit_ms, int stop_ms);

/* Kills its whole process group at once and reaps it. */
void hx_proc_kill(struct hx_proc *p);
/* Closes a process's descriptors and frees it (hx_check_free does, for
 * every process of a check). */
void hx_proc_free(struct hx_proc *p);

/* 1 while the process runs (reaps it if it just exited). */
int hx_proc_running(struct hx_proc *p);

/* After a failed step: notes how the process ended, if it has. */
void hx_note_end(struct hx_check *c, struct hx_proc *p);

/* Describes how it ended: "exit status 2", "killed by SIGSEGV". */
void hx_proc_describe_end(const struct hx_proc *p, struct hx_buf *out);

/* The folder the sanitizers write their reports to, for this check. */
void hx_sanitizer_dir(const struct hx_check *c, char *out, size_t size);

#endif
