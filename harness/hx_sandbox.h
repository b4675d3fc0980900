/* hx_sandbox.h - a sealed sandbox per check (and per build), and what
 * comes back from it.
 *
 * hx_sandbox_start forks a process that enters new user, network, mount,
 * UTS, IPC and PID namespaces, pivots into a sealed root (hx_root.h),
 * brings loopback up and runs body() as PID 1 of its own PID namespace.
 * When body returns, or the sandbox is killed, the kernel kills every
 * process left inside. body writes what it found to the fd it is given
 * (a verdict: hx_verdict_send); the parent reads it when the sandbox ends.
 *
 * Where the machine gives each sandbox a second user (as root, or with
 * subordinate ids through newuidmap), the harness is root of the sandbox
 * and the student's programs run as HX_STUDENT_UID: they cannot signal,
 * trace or read the harness, or its files. A control group per sandbox
 * (hx_cgroup.h), where there is one, gives it an equal CPU share and a
 * memory and process budget.
 *
 * Without namespaces (hx_sandbox_probe() == 0) the body runs in a plain
 * child process in its own session: degraded, and said so. As root there
 * (a uid barrier) the programs run as a uid of the sandbox's own, and
 * when the sandbox ends every process of that uid is killed, wherever it
 * went (a session of its own, a chain of orphans).
 */
#ifndef HX_SANDBOX_H
#define HX_SANDBOX_H

#include <stdint.h>
#include <sys/types.h>

#include "hx_cgroup.h"
#include "hx_check.h"
#include "hx_root.h"
#include "hx_verdict.h"

/* What a sandbox is made of. */
struct hx_sandbox_spec {
	int isolate;			 /* 1: namespaces and a sealed root */
	const char *work_host;		 /* without them: the host folder the
					    programs work in (given to the
					    student's uid under a barrier) */
	const char *read_host;		 /* without them: a host folder the
					    programs only read (under a
					    barrier, its group becomes the
					    student's uid's and no other uid
					    may enter it), or NULL */
	int timeout_ms;			 /* deadline of the whole sandbox
					    (scaled) */
	struct hx_root_spec root;	 /* what its root holds */
	struct hx_budget budget;	 /* memory and processes, together */
	void (*body)(int fd, void *arg); /* runs as PID 1 */
	void *arg;			 /* body's argument */
};

/* Defaults: isolated when the machine allows it, the default sizes and
 * budget, the given deadline and body. */
void hx_sandbox_spec_init(struct hx_sandbox_spec *spec, int isolate,
			  int timeout_ms, void (*body)(int, void *), void *arg);

struct hx_sandbox {
	pid_t pid;		 /* outer process of the sandbox */
	int verdict_fd;		 /* read end of the verdict pipe, -1 at EOF */
	int isolated;		 /* 1 when it runs in namespaces */
	int64_t started_ms;	 /* when it started */
	int64_t deadline;	 /* when the parent kills it */
	int timed_out;		 /* 1 if it was killed at its deadline */
	struct hx_buf data;	 /* bytes read from it so far */
	int exit_code;		 /* outer process's exit: 128+N if PID 1 died
				    by signal N, 120 after a setup failure */
	struct hx_cgroup cgroup; /* its control group (version 0: none) */
	struct hx_budget budget; /* the budget it was given */
	struct hx_usage usage;	 /* what it used, once it has ended */
	int barrier_uid;	 /* behind a uid barrier: its programs' uid,
				    every process of which dies with it;
				    0 otherwise */
};

/* Makes this process the reaper of every sandbox process orphaned when a
 * sandbox is killed, so hx_sandbox_reap_all can wait until none is left;
 * and names every control group of the run after it (socklab-PID-...),
 * its worker processes' too. 0, or -1 (errno) when the kernel refuses
 * (orphans then go to PID 1 and are not waited for). */
int hx_sandbox_adopt_orphans(void);
/* Reaps every child that has ended or is ending and removes the control
 * groups of ended sandboxes; 0 when none is left, -1 if some still run
 * after timeout_ms. */
int hx_sandbox_reap_all(int timeout_ms);

/* What this machine lets a sandbox be, best first; tried once, then
 * remembered. */
enum hx_mode {
	HX_MODE_SEALED,	 /* every namespace, a sealed root, its own /proc */
	HX_MODE_NO_PIDS, /* the same without a PID namespace, the machine's
			    /proc shown (a container refuses a fresh one) */
	HX_MODE_BARRIER, /* no namespaces, but root: the student's programs
			    run as a uid of their own that cannot read the
			    grading material (a uid barrier) */
	HX_MODE_NONE	 /* no namespaces and not root: the programs run as
			    the grader itself */
};
enum hx_mode hx_sandbox_mode(void);
/* "sealed", "sealed without PID namespace", "uid barrier", "none". */
const char *hx_sandbox_mode_name(enum hx_mode mode);

/* 1 when sandboxes have their own namespaces and sealed root
 * (HX_MODE_SEALED or HX_MODE_NO_PIDS). SOCKLAB_NO_NAMESPACES=1 forces 0. */
int hx_sandbox_probe(void);
/* Why sandboxes are less than sealed, "" when they are fully: "sandbox
 * setup: mount /proc: Operation not permitted". */
const char *hx_sandbox_degraded_reason(void);

/* Inside a sandbox: the uid the student's programs run as, 0 when they
 * share the harness's own (no second user could be mapped, or no uid
 * barrier could be made). */
int hx_sandbox_student_uid(void);

/* Starts spec->body in a sandbox. Returns 0, or -1 with a message. */
int hx_sandbox_start(struct hx_sandbox *sb, const struct hx_sandbox_spec *spec,
		     char *err, size_t errlen);

/* Reads what is available; 1 when the sandbox has finished (or was killed
 * at its deadline) and sb->data holds everything it sent, 0 while it
 * runs. */
int hx_sandbox_poll(struct hx_sandbox *sb);

/* hx_sandbox_poll, then the verdict: 1 when v is filled. A setup failure
 * is an error naming the failed step; a missing verdict an error; the
 * deadline a timeout. */
int hx_sandbox_collect(struct hx_sandbox *sb, struct hx_verdict *v);

/* The setup failure a sandbox reported ("mount /proc: ..."), or NULL. */
const char *hx_sandbox_setup_error(const struct hx_sandbox *sb);

/* Kills the sandbox and everything in it. */
void hx_sandbox_kill(struct hx_sandbox *sb);

/* Overwrites this process's arguments with zeros, so /proc/PID/cmdline
 * shows nothing of them: PID 1 of a sandbox does, as it inherited the
 * grader's. */
void hx_wipe_command_line(void);

#endif
