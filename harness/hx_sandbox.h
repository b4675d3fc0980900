/* hx_sandbox.h - a fresh set of namespaces per check, and its verdict.
 *
 * hx_sandbox_start forks a process that enters new user, network, mount,
 * UTS, IPC and PID namespaces, brings loopback up and runs body() as PID 1
 * of its own PID namespace. When body returns, or the sandbox is killed,
 * the kernel kills every process left inside. body writes its verdict to
 * the fd it is given; hx_sandbox_collect reads it in the parent.
 *
 * Without namespaces (hx_sandbox_probe() == 0) the body runs in a plain
 * child process in its own process group: degraded, and said so.
 */
#ifndef HX_SANDBOX_H
#define HX_SANDBOX_H

#include <stdint.h>
#include <sys/types.h>

#include "hx_check.h"

struct hx_sandbox {
	pid_t pid;            /* outer process of the sandbox */
	int verdict_fd;       /* read end of the verdict pipe, -1 at EOF */
	int isolated;         /* 1 when it runs in namespaces */
	int64_t started_ms;   /* when it started */
	int64_t deadline;     /* when the parent kills it */
	struct hx_buf data;   /* verdict bytes read so far */
	int exit_code;        /* outer process's exit: 128+N if PID 1 died
				 by signal N */
};

/* What came back from a sandbox. */
struct hx_verdict {
	enum hx_status status;    /* pass, fail, ... */
	long diff_at;             /* first differing byte, or -1 */
	struct hx_buf message;    /* what went wrong */
	struct hx_buf expected;   /* full expected value */
	struct hx_buf actual;     /* full actual value */
	struct hx_buf notes;      /* program logs and extra lines */
	struct hx_buf memcheck;   /* Valgrind findings */
	struct hx_buf transcript; /* rendered transcript */
	int64_t duration_ms;      /* wall time of the sandbox */
};

/* Makes this process the reaper of every sandbox process orphaned when a
 * sandbox is killed, so hx_sandbox_reap_all can wait until none is left. */
void hx_sandbox_adopt_orphans(void);
/* Reaps every child that has ended or is ending; 0 when none is left,
 * -1 if some still run after timeout_ms. */
int hx_sandbox_reap_all(int timeout_ms);

/* 1 when namespaces can be made here (tried once, then remembered). */
int hx_sandbox_probe(void);

/* Starts body(fd, arg) in a sandbox. work_dir is made writable for the
 * sandbox's user. Returns 0, or -1 with a message in err. */
int hx_sandbox_start(struct hx_sandbox *sb, int isolate, const char *work_dir,
		     int timeout_ms, void (*body)(int fd, void *arg),
		     void *arg, char *err, size_t errlen);

/* Reads what is available; 1 when the sandbox has finished (or was killed
 * at its deadline) and v is filled, 0 while it runs. */
int hx_sandbox_collect(struct hx_sandbox *sb, struct hx_verdict *v);

/* Kills the sandbox and everything in it. */
void hx_sandbox_kill(struct hx_sandbox *sb);

/* Inside the sandbox: serialise a finished check to fd. */
int hx_verdict_send(int fd, const struct hx_check *c);
/* Parse what hx_verdict_send wrote; -1 if it is incomplete. */
int hx_verdict_parse(const struct hx_buf *data, struct hx_verdict *v);
void hx_verdict_init(struct hx_verdict *v);
void hx_verdict_free(struct hx_verdict *v);

#endif
