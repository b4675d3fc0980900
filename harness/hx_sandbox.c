/* hx_sandbox.c - sealed sandboxes: namespaces, users, a control group,
 * and the pipe a verdict crosses back by. */
#define _GNU_SOURCE
#include "hx_sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hx_time.h"

#ifdef HX_COVERAGE
/* sandbox processes end with _exit; coverage builds save their counts */
extern void __gcov_dump(void);
#define hx_exit(code) (__gcov_dump(), _exit(code))
#else
#define hx_exit(code) _exit(code)
#endif

#define HX_NS_FLAGS                                                            \
	(CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |            \
	 CLONE_NEWPID)
#define HX_SYNC_MS	5000	/* the two sides of a start wait this long */
#define HX_SETUP_FAILED 120	/* outer's exit status after a setup error */
#define HX_UID_BASE	1000000 /* as root: sandbox users start here */
#define HX_MEMORY_MB	1024	/* default budget of a sandbox */
#define HX_PIDS		512	/* processes and threads of a sandbox */
#define HX_SWEEP_MS	5000	/* a barrier's uid is rid of its processes */
#define HX_ARG_FIELD	48	/* of /proc/PID/stat: arg_start, arg_end next */
#define HX_TCP_BUCKETS	4096	/* of a sandbox's own TCP connection table */

/* How the users of a sandbox map to the machine's. */
enum hx_id_mode {
	HX_IDS_SINGLE, /* only our own uid: harness and programs share it */
	HX_IDS_ROOT,   /* as root: two fresh uids per sandbox */
	HX_IDS_SUBIDS  /* our uid and one of our subordinate ids */
};

/* Found once per process. */
static struct {
	int known;	      /* 1 once decided */
	enum hx_id_mode mode; /* how users are mapped */
	long subuid, subuids; /* first subordinate uid and how many */
	long subgid, subgids; /* the same for gids */
} hx_ids;

/* Inside a sandbox: the uid of the student's programs (0: ours). */
static int hx_student_uid;

/* Control groups of ended sandboxes not yet removable: a process of
 * theirs is still on its way out. */
static struct hx_cgroup *hx_pending;
static int hx_npending;

/* What the probe found. */
static int hx_probed = -1;
static enum hx_mode hx_mode = HX_MODE_NONE;
static pid_t hx_run_pid; /* names the run's control groups; 0: each own */
static char hx_degraded[512];

void hx_sandbox_spec_init(struct hx_sandbox_spec *spec, int isolate,
			  int timeout_ms, void (*body)(int, void *), void *arg)
{
	memset(spec, 0, sizeof(*spec));
	spec->isolate = isolate;
	spec->timeout_ms = timeout_ms;
	spec->root.tmp_mb = HX_TMP_MB;
	spec->root.work_mb = HX_WORK_MB;
	spec->budget.memory_mb = HX_MEMORY_MB;
	spec->budget.pids = HX_PIDS;
	spec->body = body;
	spec->arg = arg;
}

int hx_sandbox_student_uid(void)
{
	return hx_student_uid;
}

static int hx_write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = hx_write_all(fd, text, strlen(text));
	if (close(fd) < 0)
		rc = -1;
	return rc;
}

/* Reads one byte from fd, waiting at most timeout_ms: the byte, or -1. */
static int hx_read_byte(int fd, int timeout_ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	unsigned char byte;

	if (poll(&pfd, 1, timeout_ms) <= 0)
		return -1;
	return read(fd, &byte, 1) == 1 ? byte : -1;
}

/* This user's first subordinate id and count in file, or -1. */
static int hx_subordinate(const char *file, long *first, long *count)
{
	struct passwd *me = getpwuid(getuid());
	const char *name = me ? me->pw_name : NULL;
	char line[256], uid[32];
	FILE *f = fopen(file, "re");
	int found = -1;

	if (!f)
		return -1;
	snprintf(uid, sizeof(uid), "%u", (unsigned)getuid());
	while (found < 0 && fgets(line, sizeof(line), f)) {
		char *sep = strchr(line, ':');

		if (!sep)
			continue;
		*sep = '\0';
		if ((strcmp(line, uid) == 0 ||
		     (name && strcmp(line, name) == 0)) &&
		    sscanf(sep + 1, "%ld:%ld", first, count) == 2 && *count > 1)
			found = 0;
	}
	fclose(f);
	return found;
}

static void hx_decide_ids(void)
{
	if (hx_ids.known)
		return;
	hx_ids.known = 1;
	hx_ids.mode = HX_IDS_SINGLE;
	if (getenv("SOCKLAB_ONE_USER"))
		return;
	if (getuid() == 0)
		hx_ids.mode = HX_IDS_ROOT;
	else if (access("/usr/bin/newuidmap", X_OK) == 0 &&
		 access("/usr/bin/newgidmap", X_OK) == 0 &&
		 hx_subordinate("/etc/subuid", &hx_ids.subuid,
				&hx_ids.subuids) == 0 &&
		 hx_subordinate("/etc/subgid", &hx_ids.subgid,
				&hx_ids.subgids) == 0)
		hx_ids.mode = HX_IDS_SUBIDS;
}

/* Runs a setuid id-mapping helper (newuidmap, newgidmap) under a
 * deadline; 0 when it succeeded. */
static int hx_run_helper(char *const argv[])
{
	int64_t deadline = hx_deadline(HX_SYNC_MS);
	int status = 0, pidfd;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		/* its complaints are not a program's stderr */
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0) {
		struct pollfd pfd = {.fd = pidfd, .events = POLLIN};

		if (poll(&pfd, 1, hx_remaining_ms(deadline)) <= 0)
			kill(pid, SIGKILL);
		close(pidfd);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Writes the id maps of the outer process pid: the harness is root of
 * the sandbox; the student's programs, where a second id exists, are
 * HX_STUDENT_UID. Where the subordinate ids cannot be mapped, only our
 * own uid is, and hx_ids.mode says so afterwards. */
static int hx_map_ids(pid_t pid)
{
	char path[64], map[128], a[32], b[32], c[32], d[32];

	switch (hx_ids.mode) {
	case HX_IDS_ROOT: {
		/* two fresh ids per sandbox, so per-user limits hold per
		 * sandbox and nothing of the machine's users is shared */
		unsigned harness = HX_UID_BASE + 2u * (unsigned)pid;

		snprintf(map, sizeof(map), "0 %u 1\n%d %u 1\n", harness,
			 HX_STUDENT_UID, harness + 1);
		snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
		if (hx_write_text(path, map) < 0)
			return -1;
		snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
		return hx_write_text(path, map);
	}
	case HX_IDS_SUBIDS: {
		char *uid_argv[] = {
		    "/usr/bin/newuidmap", a, "0", b, "1", "1000", c, "1", NULL};
		char *gid_argv[] = {
		    "/usr/bin/newgidmap", a, "0", d, "1", "1000", c, "1", NULL};

		snprintf(a, sizeof(a), "%d", (int)pid);
		snprintf(b, sizeof(b), "%u", (unsigned)getuid());
		snprintf(c, sizeof(c), "%ld",
			 hx_ids.subuid + (long)pid % hx_ids.subuids);
		if (hx_run_helper(uid_argv) < 0) {
			/* refused (a container without the capability the
			 * helper needs): one user for all, from now on */
			hx_ids.mode = HX_IDS_SINGLE;
			break;
		}
		snprintf(c, sizeof(c), "%ld",
			 hx_ids.subgid + (long)pid % hx_ids.subgids);
		snprintf(d, sizeof(d), "%u", (unsigned)getgid());
		return hx_run_helper(gid_argv);
	}
	case HX_IDS_SINGLE:
		break;
	}
	snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
	if (hx_write_text(path, "deny") < 0 && errno != ENOENT)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)getuid());
	if (hx_write_text(path, map) < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)getgid());
	return hx_write_text(path, map);
}

/* Under a uid barrier: the uid of the programs of the sandbox whose
 * outer process is outer (fresh per sandbox while outer lives). */
static int hx_barrier_uid(pid_t outer)
{
	return HX_UID_BASE + 2 * (int)outer + 1;
}

/* 1 when /proc shows a process of uid (real, effective, saved or file
 * system) that has not ended: a zombie has, and waits only to be reaped. */
static int hx_uid_has_processes(uid_t uid)
{
	char path[300], text[2048];
	struct dirent *e;
	DIR *proc = opendir("/proc");
	int found = 0;

	while (proc && !found && (e = readdir(proc))) {
		const char *state, *ids;
		unsigned long real, effective, saved, fs;
		ssize_t n;
		int fd;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, text, sizeof(text) - 1);
		close(fd);
		if (n <= 0)
			continue;
		text[n] = '\0';
		/* "State:" and "Uid:" open lines: a name cannot, its line
		 * breaks are escaped */
		state = strstr(text, "\nState:\t");
		ids = strstr(text, "\nUid:\t");
		if (!state || !ids || state[8] == 'Z' || state[8] == 'X' ||
		    sscanf(ids + 6, "%lu %lu %lu %lu", &real, &effective,
			   &saved, &fs) != 4)
			continue;
		found = real == uid || effective == uid || saved == uid ||
			fs == uid;
	}
	if (proc)
		closedir(proc);
	return found;
}

/* Kills every process of uid, until /proc shows none or timeout_ms has
 * passed: from a child that becomes uid, kill(-1) reaches each process
 * that uid may signal, wherever it is (a session of its own, a chain of
 * children re-parented one by one), and nothing else. 0, or -1 when
 * some still run. */
static int hx_kill_uid(uid_t uid, int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);
	int attempt = 0;

	for (;;) {
		pid_t pid = fork();

		if (pid == 0) {
			if (setresgid(uid, uid, uid) == 0 &&
			    setresuid(uid, uid, uid) == 0)
				kill(-1, SIGKILL);
			_exit(0);
		}
		if (pid > 0)
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
		if (!hx_uid_has_processes(uid))
			return 0;
		if (hx_remaining_ms(deadline) == 0)
			return -1;
		hx_backoff(&attempt, deadline);
	}
}

/* A sandbox behind a uid barrier has ended or is killed: nothing of its
 * programs may outlive it. Called while its outer process is not yet
 * reaped, so its pid, and with it the uid, is no other sandbox's. */
static void hx_sweep_barrier(struct hx_sandbox *sb)
{
	if (sb->barrier_uid > 0)
		hx_kill_uid((uid_t)sb->barrier_uid, HX_SWEEP_MS);
}

int hx_sandbox_adopt_orphans(void)
{
	hx_run_pid = getpid();
	return prctl(PR_SET_CHILD_SUBREAPER, 1) < 0 ? -1 : 0;
}

/* Removes the control groups that can be removed now. */
static void hx_remove_pending(void)
{
	int kept = 0;

	for (int i = 0; i < hx_npending; i++)
		if (hx_cgroup_remove(&hx_pending[i]) < 0)
			hx_pending[kept++] = hx_pending[i];
	hx_npending = kept;
}

/* Kills every child of this process: called when every sandbox has
 * ended, so a child left now is a program that escaped its sandbox's
 * process group (a daemon, where there are no PID namespaces) and came
 * to us, the subreaper. */
static void hx_kill_children(void)
{
	char path[300], text[512];
	struct dirent *e;
	DIR *proc = opendir("/proc");

	while (proc && (e = readdir(proc))) {
		const char *after;
		int fd, ppid = 0;
		ssize_t n;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, text, sizeof(text) - 1);
		close(fd);
		if (n <= 0)
			continue;
		text[n] = '\0';
		/* "pid (comm) S ppid ...": the name may hold anything */
		after = strrchr(text, ')');
		if (after && sscanf(after, ") %*c %d", &ppid) == 1 &&
		    ppid == (int)getpid())
			kill((pid_t)atoi(e->d_name), SIGKILL);
	}
	if (proc)
		closedir(proc);
}

int hx_sandbox_reap_all(int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);
	int64_t grace = hx_deadline(timeout_ms / 5);
	int attempt = 0;

	for (;;) {
		pid_t pid = waitpid(-1, NULL, WNOHANG);

		if (pid > 0)
			continue;
		if (pid < 0 && errno == ECHILD) {
			hx_remove_pending();
			if (hx_npending == 0)
				return 0;
		} else if (pid < 0 && errno != EINTR) {
			return -1;
		}
		if (hx_remaining_ms(deadline) == 0)
			return -1;
		/* processes killed a moment ago are on their way out; those
		 * still here after a while escaped their sandbox. Every round:
		 * a child of one killed now comes to us next */
		if (hx_remaining_ms(grace) == 0)
			hx_kill_children();
		hx_backoff(&attempt, deadline);
	}
}

/* In the sandbox: reports a failed setup step on the verdict pipe, so the
 * parent can name it, and ends. */
static void hx_setup_fail(int fd, const char *what)
{
	struct hx_buf out;

	hx_buf_init(&out);
	hx_frame_put(&out, 'X', what, strlen(what));
	hx_write_all(fd, out.data, out.len);
	hx_buf_free(&out);
	hx_exit(HX_SETUP_FAILED);
}

static void hx_setup_fail_errno(int fd, const char *step)
{
	char what[256];

	snprintf(what, sizeof(what), "%s: %s", step, strerror(errno));
	hx_setup_fail(fd, what);
}

static int hx_loopback_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = -1;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return rc;
}

/* The grader's command line (a class folder, a results folder) stays in
 * the memory PID 1 inherited, and /proc/1/cmdline would show it to every
 * process in the sandbox: it is overwritten. The grader keeps its own
 * copy of its arguments, so nothing here reads them. */
void hx_wipe_command_line(void)
{
	char text[1024];
	unsigned long start = 0, end = 0;
	const char *field;
	ssize_t n;
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return;
	text[n] = '\0';
	/* fields counted from 1 as in proc(5): the name (2) may hold
	 * spaces, so from its ')' on each field follows one space */
	field = strrchr(text, ')');
	for (int i = 3; field && i <= HX_ARG_FIELD; i++)
		field = strchr(field + 1, ' ');
	if (field && sscanf(field, " %lu %lu", &start, &end) == 2 && start &&
	    end > start && end - start < (1UL << 20))
		memset((void *)start, 0, end - start);
}

/* PID 1 of the sandbox: seal the root, set the stage, run the body. */
static void hx_sandbox_init(const struct hx_sandbox_spec *spec, int fd)
{
	char err[512];
	int null;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		hx_setup_fail_errno(fd, "prctl PR_SET_PDEATHSIG");
	/* nothing inside may read or trace this process's memory */
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		hx_setup_fail_errno(fd, "prctl PR_SET_DUMPABLE");
	/* a program that closes its end must not kill the harness */
	signal(SIGPIPE, SIG_IGN);
	if (spec->isolate) {
		if (hx_root_enter(&spec->root, err, sizeof(err)) < 0)
			hx_setup_fail(fd, err);
		for (int i = 0; i < spec->root.nmounts; i++)
			close(spec->root.mounts[i].fd);
		if (hx_loopback_up() < 0)
			hx_setup_fail_errno(fd, "bring loopback up");
		if (sethostname("sandbox", 7) < 0)
			hx_setup_fail_errno(fd, "sethostname");
	}
	hx_student_uid = spec->root.student_uid;
	hx_wipe_command_line();
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
	    dup2(null, 2) < 0)
		hx_setup_fail_errno(fd, "open /dev/null");
	close(null);
	spec->body(fd, spec->arg);
	hx_exit(0);
}

/* Without namespaces but as root: the student's programs get a uid of
 * their own, fresh for this sandbox, and the work folder is theirs alone:
 * they cannot read the grader's files (kept from others by their modes),
 * nor another sandbox's. The folder they only read (a build's sources)
 * they may enter and no other uid may: a program of another sandbox that
 * learns its path (a compiler's command line in /proc) reads nothing. */
static void hx_raise_barrier(struct hx_sandbox_spec *spec, int fd)
{
	int uid = hx_barrier_uid(getpid());

	if (spec->work_host &&
	    (chown(spec->work_host, (uid_t)uid, (gid_t)uid) < 0 ||
	     chmod(spec->work_host, 0700) < 0))
		hx_setup_fail_errno(fd, "give the work folder to the student's "
					"uid");
	if (spec->read_host &&
	    (chown(spec->read_host, (uid_t)-1, (gid_t)uid) < 0 ||
	     chmod(spec->read_host, 0750) < 0))
		hx_setup_fail_errno(fd, "give the sources' folder to the "
					"student's uid");
	spec->root.student_uid = uid;
}

/* A new network namespace shares the machine's table of TCP connections
 * unless the namespace that makes it asks for one of its own. Shared, it
 * costs every sandbox twice: reading /proc/net/tcp (how the harness sees
 * a port listen) walks all of the machine's buckets, 262144 on a machine
 * with 24 GiB, 6 ms a read against 0.1 ms for HX_TCP_BUCKETS; and the
 * namespace's end purges its closed connections from the whole table.
 * So a sandbox's network is the child of one that asks for a small table
 * of its own. Kernels before 6.1 have no such setting: the sandbox then
 * keeps the namespace it has. -1 only when the second unshare fails. */
static int hx_unshare_small_net(void)
{
	char text[16];
	int fd = open("/proc/sys/net/ipv4/tcp_child_ehash_entries",
		      O_WRONLY | O_CLOEXEC);
	int len = snprintf(text, sizeof(text), "%d\n", HX_TCP_BUCKETS);
	int asked;

	if (fd < 0)
		return 0;
	asked = write(fd, text, (size_t)len) == len;
	close(fd);
	if (!asked)
		return 0;
	return unshare(CLONE_NEWNET);
}

/* The outer process: enter namespaces, start PID 1, wait for it. */
static void hx_sandbox_outer(struct hx_sandbox_spec *spec, int sync_up,
			     int sync_down, int fd)
{
	char err[512];
	pid_t init;
	int status, go = -1;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		hx_setup_fail_errno(fd, "prctl PR_SET_PDEATHSIG");
	/* a session of its own: no terminal a program could write to */
	if (setsid() < 0)
		hx_setup_fail_errno(fd, "setsid");
	if (spec->isolate) {
		if (unshare(CLONE_NEWUSER) < 0)
			hx_setup_fail_errno(fd, "unshare the user namespace");
	}
	/* the parent writes our id maps and control group, then says go:
	 * 'g', or 's' when only one user could be mapped (the programs then
	 * run as the sandbox's root, which is the grader's own uid) */
	if (write(sync_up, "u", 1) != 1 ||
	    (go = hx_read_byte(sync_down, HX_SYNC_MS)) < 0)
		hx_setup_fail(fd, "the grader did not finish the sandbox's "
				  "setup in time");
	if (go == 's')
		spec->root.student_uid = 0;
	close(sync_up);
	close(sync_down);
	if (spec->isolate) {
		int flags =
		    HX_NS_FLAGS & ~(spec->root.machine_proc ? CLONE_NEWPID : 0);

		if (unshare(flags) < 0)
			hx_setup_fail_errno(fd, "unshare the namespaces");
		if (hx_unshare_small_net() < 0)
			hx_setup_fail_errno(fd, "unshare the network namespace "
						"with its own TCP table");
		/* still the grader's own uid on the machine: the folders to
		 * show inside are opened now, in the new mount namespace,
		 * though the sandbox's users could not reach them */
		if (hx_root_open(&spec->root, err, sizeof(err)) < 0)
			hx_setup_fail(fd, err);
		if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
			hx_setup_fail_errno(fd, "become root of the sandbox");
	}
	if (!spec->isolate && hx_mode == HX_MODE_BARRIER)
		hx_raise_barrier(spec, fd);
	init = fork();
	if (init < 0)
		hx_setup_fail_errno(fd, "fork PID 1");
	if (init == 0)
		hx_sandbox_init(spec, fd);
	close(fd);
	while (waitpid(init, &status, 0) < 0 && errno == EINTR)
		;
	/* tell the parent how PID 1 ended, should it send no verdict */
	hx_exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status)
				    : WEXITSTATUS(status));
}

int hx_sandbox_start(struct hx_sandbox *sb, const struct hx_sandbox_spec *spec,
		     char *err, size_t errlen)
{
	struct hx_sandbox_spec own = *spec;
	int verdict[2], up[2], down[2];
	char name[64];

	memset(sb, 0, sizeof(*sb));
	hx_buf_init(&sb->data);
	sb->verdict_fd = -1;
	sb->isolated = spec->isolate;
	sb->budget = spec->budget;
	if (own.isolate) {
		hx_decide_ids();
		own.root.student_uid =
		    hx_ids.mode == HX_IDS_SINGLE ? 0 : HX_STUDENT_UID;
		own.root.machine_proc |=
		    hx_probed == 1 && hx_mode == HX_MODE_NO_PIDS;
	}
	if (pipe2(verdict, O_CLOEXEC) < 0)
		goto out_errno;
	if (pipe2(up, O_CLOEXEC) < 0)
		goto out_close_verdict;
	if (pipe2(down, O_CLOEXEC) < 0)
		goto out_close_up;
	sb->started_ms = hx_now_ms();
	sb->deadline = hx_deadline(spec->timeout_ms);
	sb->pid = fork();
	if (sb->pid < 0)
		goto out_close_down;
	if (sb->pid == 0) {
		close(verdict[0]);
		close(up[0]);
		close(down[1]);
		hx_sandbox_outer(&own, up[1], down[0], verdict[1]);
	}
	close(verdict[1]);
	close(up[1]);
	close(down[0]);
	if (!own.isolate && hx_mode == HX_MODE_BARRIER)
		sb->barrier_uid = hx_barrier_uid(sb->pid);
	sb->verdict_fd = verdict[0];
	fcntl(sb->verdict_fd, F_SETFL, O_NONBLOCK);
	/* an outer process that failed before asking has said why on the
	 * verdict pipe; hx_sandbox_collect names it */
	if (hx_read_byte(up[0], HX_SYNC_MS) >= 0) {
		const char *go = "g";

		if (own.isolate && hx_map_ids(sb->pid) < 0) {
			snprintf(err, errlen,
				 "could not map the sandbox's users: %s",
				 strerror(errno));
			hx_sandbox_kill(sb);
			close(up[0]);
			close(down[1]);
			return -1;
		}
		snprintf(name, sizeof(name), "socklab-%d-%d",
			 (int)(hx_run_pid ? hx_run_pid : getpid()),
			 (int)sb->pid);
		if (hx_cgroup_create(&sb->cgroup, name, &spec->budget) == 0 &&
		    hx_cgroup_attach(&sb->cgroup, sb->pid) < 0) {
			hx_cgroup_remove(&sb->cgroup);
			sb->cgroup.version = 0;
		}
		if (own.isolate && own.root.student_uid &&
		    hx_ids.mode == HX_IDS_SINGLE)
			go = "s";
		if (write(down[1], go, 1) != 1) {
			/* it has ended already; collect says how */
		}
	}
	close(up[0]);
	close(down[1]);
	return 0;

out_close_down:
	close(down[0]);
	close(down[1]);
out_close_up:
	close(up[0]);
	close(up[1]);
out_close_verdict:
	close(verdict[0]);
	close(verdict[1]);
out_errno:
	snprintf(err, errlen, "could not start a sandbox: %s", strerror(errno));
	return -1;
}

/* The sandbox has ended: what it used, then its group goes (later, if a
 * process of it is still on its way out). */
static void hx_sandbox_release(struct hx_sandbox *sb)
{
	struct hx_cgroup *grown;

	if (sb->cgroup.version == 0)
		return;
	hx_cgroup_usage(&sb->cgroup, &sb->usage);
	if (hx_cgroup_remove(&sb->cgroup) < 0) {
		grown = realloc(hx_pending,
				(size_t)(hx_npending + 1) * sizeof(*grown));
		if (grown) {
			hx_pending = grown;
			hx_pending[hx_npending++] = sb->cgroup;
		}
	}
}

void hx_sandbox_kill(struct hx_sandbox *sb)
{
	if (sb->pid > 0) {
		int status = 0;

		kill(-sb->pid, SIGKILL);
		kill(sb->pid, SIGKILL);
		hx_sweep_barrier(sb);
		while (waitpid(sb->pid, &status, 0) < 0 && errno == EINTR)
			;
		sb->pid = 0;
		sb->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
		hx_sandbox_release(sb);
	}
	if (sb->verdict_fd >= 0) {
		close(sb->verdict_fd);
		sb->verdict_fd = -1;
	}
}

int hx_sandbox_poll(struct hx_sandbox *sb)
{
	char chunk[65536];
	int status = 0;
	ssize_t n;

	while (sb->verdict_fd >= 0) {
		n = read(sb->verdict_fd, chunk, sizeof(chunk));
		if (n > 0) {
			hx_buf_add(&sb->data, chunk, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		close(sb->verdict_fd);
		sb->verdict_fd = -1;
	}
	if (sb->verdict_fd >= 0 && hx_now_ms() < sb->deadline)
		return 0;
	if (sb->verdict_fd >= 0) {
		sb->timed_out = 1;
		hx_sandbox_kill(sb);
		return 1;
	}
	/* everything is read; collect the outer process */
	if (sb->pid > 0) {
		hx_sweep_barrier(sb);
		while (waitpid(sb->pid, &status, 0) < 0 && errno == EINTR)
			;
		sb->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
		sb->pid = 0;
		hx_sandbox_release(sb);
	}
	return 1;
}

const char *hx_sandbox_setup_error(const struct hx_sandbox *sb)
{
	static char what[600];
	const char *bytes;
	size_t at = 0;
	uint32_t n;
	char tag;

	if (hx_frame_next(&sb->data, &at, &tag, &bytes, &n) != 1 || tag != 'X')
		return NULL;
	snprintf(what, sizeof(what), "%.*s", (int)n, bytes);
	return what;
}

/* Lines that say the sandbox met its budget, from its control group. */
static void hx_note_budget(const struct hx_sandbox *sb, struct hx_buf *notes)
{
	if (sb->usage.oom_kills > 0)
		hx_buf_addf(notes,
			    "memory limit of the check reached (%d MiB for "
			    "all its processes together): the kernel stopped "
			    "%d process(es)\n",
			    sb->budget.memory_mb, sb->usage.oom_kills);
	if (sb->usage.pids_refused > 0)
		hx_buf_addf(notes,
			    "process limit of the check reached (%d processes "
			    "and threads together): %d fork(s) refused\n",
			    sb->budget.pids, sb->usage.pids_refused);
}

int hx_sandbox_collect(struct hx_sandbox *sb, struct hx_verdict *v)
{
	const char *setup;

	if (!hx_sandbox_poll(sb))
		return 0;
	hx_verdict_init(v);
	v->duration_ms = hx_now_ms() - sb->started_ms;
	if (sb->cgroup.version)
		v->cpu_ms = sb->usage.cpu_ms;
	setup = hx_sandbox_setup_error(sb);
	if (sb->timed_out) {
		v->status = HX_TIMEOUT;
		hx_buf_addf(&v->message,
			    "the check did not finish within its deadline of "
			    "%.1f s; everything it started was killed",
			    (double)(sb->deadline - sb->started_ms) / 1000.0);
	} else if (setup) {
		v->status = HX_ERROR;
		hx_buf_addf(&v->message, "sandbox setup: %s", setup);
	} else if (hx_verdict_parse(&sb->data, v) < 0) {
		hx_verdict_free(v);
		hx_verdict_init(v);
		v->duration_ms = hx_now_ms() - sb->started_ms;
		v->status = HX_ERROR;
		hx_buf_addf(&v->message,
			    "the check ended without a verdict (harness "
			    "error%s%s)",
			    sb->exit_code > 128 ? ": the check process was "
						  "killed by "
						: "",
			    sb->exit_code > 128
				? hx_signal_name(sb->exit_code - 128)
				: "");
	}
	hx_note_budget(sb, &v->notes);
	hx_buf_free(&sb->data);
	return 1;
}

/* The probe's body: a sandbox that starts and says so is all it takes. */
static void hx_probe_body(int fd, void *arg)
{
	struct hx_buf out;

	(void)arg;
	hx_buf_init(&out);
	hx_frame_put(&out, 'S', "\0", 1);
	hx_frame_put(&out, '.', "", 0);
	hx_write_all(fd, out.data, out.len);
	hx_buf_free(&out);
}

/* Starts a sandbox that only says it started: 0 when it did, else -1
 * with why in hx_degraded (the first reason found is kept). */
static int hx_try_sandbox(int machine_proc)
{
	struct hx_sandbox_spec spec;
	struct hx_sandbox sb;
	struct hx_verdict v;
	char err[512] = "";
	int ok;

	hx_sandbox_spec_init(&spec, 1, HX_SYNC_MS, hx_probe_body, NULL);
	spec.root.machine_proc = machine_proc;
	if (hx_sandbox_start(&sb, &spec, err, sizeof(err)) < 0) {
		if (!hx_degraded[0])
			snprintf(hx_degraded, sizeof(hx_degraded), "%s", err);
		return -1;
	}
	while (!hx_sandbox_collect(&sb, &v)) {
		struct pollfd pfd = {.fd = sb.verdict_fd, .events = POLLIN};

		poll(&pfd, 1, hx_remaining_ms(sb.deadline) + 1);
	}
	ok = v.status == HX_PASS;
	if (!ok && !hx_degraded[0])
		snprintf(hx_degraded, sizeof(hx_degraded), "%s",
			 v.message.data ? v.message.data : "no sandbox");
	hx_verdict_free(&v);
	return ok ? 0 : -1;
}

/* Best first: sealed; sealed with the machine's /proc where a container
 * refuses a fresh one; a uid barrier as root; nothing. */
static void hx_find_mode(void)
{
	hx_mode = getuid() == 0 ? HX_MODE_BARRIER : HX_MODE_NONE;
	if (getenv("SOCKLAB_NO_NAMESPACES"))
		snprintf(hx_degraded, sizeof(hx_degraded),
			 "SOCKLAB_NO_NAMESPACES is set");
	else if (hx_try_sandbox(0) == 0)
		hx_mode = HX_MODE_SEALED;
	else if (strstr(hx_degraded, "/proc") && hx_try_sandbox(1) == 0)
		hx_mode = HX_MODE_NO_PIDS;
}

enum hx_mode hx_sandbox_mode(void)
{
	if (hx_probed < 0) {
		hx_find_mode();
		hx_probed = hx_mode <= HX_MODE_NO_PIDS;
	}
	return hx_mode;
}

const char *hx_sandbox_mode_name(enum hx_mode mode)
{
	switch (mode) {
	case HX_MODE_SEALED:
		return "sealed";
	case HX_MODE_NO_PIDS:
		return "sealed without a PID namespace";
	case HX_MODE_BARRIER:
		return "uid barrier, no namespaces";
	case HX_MODE_NONE:
		break;
	}
	return "no isolation";
}

int hx_sandbox_probe(void)
{
	hx_sandbox_mode();
	return hx_probed;
}

const char *hx_sandbox_degraded_reason(void)
{
	return hx_degraded;
}
