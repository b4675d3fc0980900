/* hx_root.h - the sealed root a sandbox pivots into.
 *
 * Inside a sandbox a program sees only: the system's programs and
 * libraries read-only (/usr and the /bin, /lib*, /sbin links), a generated
 * /etc, a fresh /proc, a minimal /dev, private size-limited tmpfs mounts
 * at /tmp, /dev/shm and /work (the only writable folder a program has),
 * and the host folders the caller lists (a lab's programs, read-only).
 * Nothing else of the host exists there: no checkout, no submissions, no
 * home folders, no other sandbox.
 *
 * The steps follow one list, each checked and named when it fails:
 * "mount /proc: Operation not permitted".
 */
#ifndef HX_ROOT_H
#define HX_ROOT_H

#include <stddef.h>

#define HX_ROOT_MAX_MOUNTS 4
#define HX_STUDENT_UID	   1000	   /* the student's programs, inside */
#define HX_WORK_DIR	   "/work" /* the writable folder, inside */

/* A host folder shown inside the sandbox. */
struct hx_mount {
	const char *host;   /* folder on the host */
	const char *inside; /* where it appears inside: "/lab" */
	int writable;	    /* 1: read-write (for the harness only) */
	int fd;		    /* O_PATH descriptor of host, opened by
			       hx_root_open */
};

/* What a sealed root holds beyond the fixed parts. */
struct hx_root_spec {
	struct hx_mount mounts[HX_ROOT_MAX_MOUNTS]; /* extra folders */
	int nmounts;				    /* mounts in use */
	int tmp_mb;	  /* size of /tmp, /dev/shm (each) */
	int work_mb;	  /* size of /work */
	int student_uid;  /* owner of /work: HX_STUDENT_UID when the
			     sandbox maps a second user, else 0 */
	int machine_proc; /* 1: show the machine's /proc (a container
			     that refuses a fresh one; no PID
			     namespace then) */
};

/* Default sizes, in MiB. */
#define HX_TMP_MB  64
#define HX_WORK_MB 64

/* Opens each mount's host folder (O_PATH) in the sandbox's new mount
 * namespace, while this process still has the grader's own uid: the
 * folder's parents need not be reachable by the sandbox's users. 0, or
 * -1 with "open DIR: why" in err. */
int hx_root_open(struct hx_root_spec *spec, char *err, size_t errlen);

/* In PID 1 of fresh user, mount and PID namespaces: builds the root,
 * pivots into it and makes it read-only. 0, or -1 with the failed step
 * in err ("mount /proc: Operation not permitted"). */
int hx_root_enter(const struct hx_root_spec *spec, char *err, size_t errlen);

/* Inside the sealed root: 1 makes / writable for the harness (to install
 * a fixture), 0 read-only again. 0 or -1 (errno set). */
int hx_root_writable(int writable);

/* Inside: 1 when the filesystem mounted at path (/tmp, /work) is full. */
int hx_root_full(const char *path);

#endif
