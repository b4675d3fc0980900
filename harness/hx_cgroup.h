/* hx_cgroup.h - a control group per sandbox: an equal share of the CPU,
 * one memory and process budget for all its processes together, and what
 * it used.
 *
 * Both kinds found in the wild are handled: cgroup v1 (a hierarchy per
 * controller: cpu, cpuacct, memory, pids) and v2 (one hierarchy). Where
 * neither can be written (no root, nothing delegated), sandboxes have no
 * group and per-process limits only; hx_cgroup_kind says which.
 */
#ifndef HX_CGROUP_H
#define HX_CGROUP_H

#include <stdint.h>
#include <sys/types.h>

#define HX_CGROUP_DIRS 4

/* What a sandbox may use, all its processes together. */
struct hx_budget {
	int memory_mb; /* memory, page cache and tmpfs included */
	int pids;      /* processes and threads */
};

/* What a sandbox used, read when it has ended. */
struct hx_usage {
	int64_t cpu_ms;	   /* CPU time of every process in it */
	int64_t memory_mb; /* highest memory use */
	int oom_kills;	   /* processes killed for memory */
	int pids_refused;  /* forks refused by the process budget */
};

/* One sandbox's group. */
struct hx_cgroup {
	int version;			/* 1 or 2; 0: no group */
	char dirs[HX_CGROUP_DIRS][512]; /* v1: a folder per hierarchy, v2:
					   dirs[0] */
	int ndirs;			/* folders in use */
};

/* 0 no groups here, 1 cgroup v1, 2 cgroup v2 (found once, remembered). */
int hx_cgroup_kind(void);

/* Makes the group name with budget b; 0, or -1 (cg->version 0) when the
 * machine has none this process may make. */
int hx_cgroup_create(struct hx_cgroup *cg, const char *name,
		     const struct hx_budget *b);

/* Same, under explicit hierarchy folders (v1: cpu, cpuacct, memory,
 * pids; v2: one) instead of the machine's: for tests. */
int hx_cgroup_create_in(struct hx_cgroup *cg, int version,
			const char *const *bases, int nbases, const char *name,
			const struct hx_budget *b);

/* Moves pid (and the children it starts afterwards) into the group. */
int hx_cgroup_attach(const struct hx_cgroup *cg, pid_t pid);

/* What the group used so far. */
void hx_cgroup_usage(const struct hx_cgroup *cg, struct hx_usage *u);

/* Removes the group; -1 while processes still leave it (try again). */
int hx_cgroup_remove(struct hx_cgroup *cg);

#endif
