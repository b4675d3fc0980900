/* hx_proc.c - one way to start, feed, read, wait for and stop a program. */
#define _GNU_SOURCE
#include "hx_proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

#include "hx_file.h"
#include "hx_sandbox.h"
#include "hx_time.h"

#define HX_MAX_ARGS 64

/* Limits of every student process; a check's deadline bounds wall time. */
static const struct {
	int resource;	 /* RLIMIT_* */
	rlim_t value;	 /* soft and hard limit */
	int native_only; /* 1: not under ASan or Valgrind, which need more */
} hx_limits[] = {
    {RLIMIT_AS, 2048UL << 20, 1},
    {RLIMIT_NPROC, HX_PROCESS_LIMIT, 0},
    {RLIMIT_FSIZE, 64UL << 20, 0},
    {RLIMIT_CORE, 0, 0},
};

#define HX_CPU_SECONDS 20   /* RLIMIT_CPU unless the spawn says otherwise */
#define HX_MAX_FILES   1024 /* RLIMIT_NOFILE unless the spawn says otherwise */
/* Valgrind keeps the 12 descriptors above a program's soft limit for
 * itself, and refuses the program any call on them: the tool's log pipe
 * sits there, out of the program's reach. */
#define HX_TOOL_RESERVED 12

/* RLIMIT_NOFILE of a process: the spawn's, else the check's, else 1024. */
static int hx_spawn_files(const struct hx_check *c,
			  const struct hx_spawn *spawn)
{
	if (spawn->max_files > 0)
		return spawn->max_files;
	return c->max_files > 0 ? c->max_files : HX_MAX_FILES;
}

static void hx_child_fail(int status_fd, const char *call)
{
	char msg[256];
	int len = snprintf(msg, sizeof(msg), "%s: %s", call, strerror(errno));

	if (write(status_fd, msg, (size_t)len) < 0)
		_exit(127);
	_exit(127);
}

/* In the child: the student's own user where the sandbox has one, and no
 * capability that survives exec, so the program cannot trace the harness,
 * read its files or change its namespace. */
static void hx_become_student(int status_fd)
{
	struct __user_cap_header_struct header = {
	    .version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	int uid = hx_sandbox_student_uid();

	memset(data, 0, sizeof(data));
	for (int cap = 0; cap <= 63; cap++)
		prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
	if (uid > 0 && (setgroups(0, NULL) < 0 ||
			setresgid((gid_t)uid, (gid_t)uid, (gid_t)uid) < 0 ||
			setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0))
		hx_child_fail(status_fd, "switch to the student's user");
	syscall(SYS_capset, &header, data);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	/* behind a uid barrier the machine's /tmp is shared: what the
	 * program writes there is its own */
	if (hx_sandbox_mode() == HX_MODE_BARRIER)
		umask(077);
}

static void hx_child_oom_first(void)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (write(fd, "1000", 4) < 0) {
			/* the kernel keeps its own choice */
		}
		close(fd);
	}
}

/* Closes every descriptor from 3 up but those in keep (ascending). */
static void hx_close_all_but(const int *keep, int nkeep)
{
	unsigned from = 3;

	for (int i = 0; i < nkeep; i++) {
		if (keep[i] < 0 || (unsigned)keep[i] < from)
			continue;
		if ((unsigned)keep[i] > from)
			syscall(SYS_close_range, from, (unsigned)keep[i] - 1,
				0U);
		from = (unsigned)keep[i] + 1;
	}
	syscall(SYS_close_range, from, ~0U, 0U);
}

/* The folder a program's sanitizer reports go to: the sandbox's private
 * /tmp, or the check's work folder when there is no sandbox. */
void hx_sanitizer_dir(const struct hx_check *c, char *out, size_t size)
{
	snprintf(out, size, "%s/.socklab-sanitizer",
		 c->isolated ? "/tmp" : c->work_dir);
}

static void hx_child(const struct hx_check *c, const struct hx_spawn *spawn,
		     char *const argv[], int pipes[3][2], int log_fd,
		     int status_fd)
{
	int native = !c->sanitize && !c->valgrind && !spawn->tool;
	rlim_t files = (rlim_t)hx_spawn_files(c, spawn);
	rlim_t cpu = spawn->cpu_seconds > 0 ? (rlim_t)spawn->cpu_seconds
					    : HX_CPU_SECONDS;
	struct rlimit nofile = {files, files}, cputime = {cpu, cpu};
	char home[600], tmpdir[600], sanitizer[600], asan[800], ubsan[800];
	int keep[2] = {status_fd, -1};
	char *env[8];
	int n = 0;
	sigset_t none;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (dup2(pipes[0][0], 0) < 0 || dup2(pipes[1][1], 1) < 0 ||
	    dup2(pipes[2][1], 2) < 0)
		hx_child_fail(status_fd, "dup2");
	if (log_fd >= 0) {
		int reserved = (int)files + HX_TOOL_RESERVED - 1;

		if (dup2(log_fd, reserved) < 0)
			hx_child_fail(status_fd, "dup2 the tool's log");
		keep[status_fd < reserved ? 1 : 0] = reserved;
		keep[status_fd < reserved ? 0 : 1] = status_fd;
		/* Valgrind raises the soft limit by its 12 and keeps them */
		nofile.rlim_max = files + HX_TOOL_RESERVED + 4;
	}
	/* nothing the grader inherited may reach the student's program;
	 * the status pipe closes itself at exec */
	hx_close_all_but(keep, 2);
	if (chdir(spawn->cwd ? spawn->cwd : c->work_dir) < 0)
		hx_child_fail(status_fd, "chdir");
	for (size_t i = 0; i < sizeof(hx_limits) / sizeof(hx_limits[0]); i++) {
		struct rlimit lim = {hx_limits[i].value, hx_limits[i].value};

		if (hx_limits[i].native_only && !native)
			continue;
		setrlimit(hx_limits[i].resource, &lim);
	}
	setrlimit(RLIMIT_NOFILE, &nofile);
	setrlimit(RLIMIT_CPU, &cputime);
	/* when the sandbox runs out of memory, the student's processes go
	 * first, not the harness */
	hx_child_oom_first();
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	hx_become_student(status_fd);

	hx_sanitizer_dir(c, sanitizer, sizeof(sanitizer));
	snprintf(home, sizeof(home), "HOME=%s", c->work_dir);
	env[n++] = "PATH=/usr/local/bin:/usr/bin:/bin";
	env[n++] = "LANG=C";
	env[n++] = home;
	snprintf(tmpdir, sizeof(tmpdir), "TMPDIR=%s", c->work_dir);
	env[n++] = tmpdir;
	/* reports go to files of their own, never read from stderr */
	snprintf(asan, sizeof(asan),
		 "ASAN_OPTIONS=detect_leaks=%d:exitcode=86:abort_on_error=0:"
		 "log_path=%s/report",
		 c->detect_leaks, sanitizer);
	env[n++] = asan;
	snprintf(ubsan, sizeof(ubsan),
		 "UBSAN_OPTIONS=halt_on_error=1:exitcode=86:print_stacktrace=1:"
		 "log_path=%s/report",
		 sanitizer);
	env[n++] = ubsan;
	env[n] = NULL;
	execve(argv[0], argv, env);
	hx_child_fail(status_fd, argv[0]);
}

static int hx_make_pipes(int pipes[3][2])
{
	for (int i = 0; i < 3; i++) {
		if (pipe2(pipes[i], O_CLOEXEC) < 0) {
			while (i-- > 0) {
				close(pipes[i][0]);
				close(pipes[i][1]);
			}
			return -1;
		}
	}
	return 0;
}

/* Builds argv: [valgrind options...] program args... */
static int hx_build_argv(const struct hx_check *c, const struct hx_spawn *spawn,
			 struct hx_proc *p, char *argv[HX_MAX_ARGS],
			 char *logopt, size_t logsize, char *toolopt,
			 size_t toolsize)
{
	const char *const *args = spawn->args;
	int files = hx_spawn_files(c, spawn);
	int n = 0;

	if (p->tool) {
		snprintf(logopt, logsize, "--log-fd=%d",
			 files + HX_TOOL_RESERVED - 1);
		snprintf(toolopt, toolsize, "--tool=%s", p->tool);
		argv[n++] = "/usr/bin/valgrind";
		argv[n++] = toolopt;
		argv[n++] = "--vgdb=no";
		/* a program it starts runs under it too: none gets the log's
		 * descriptor outside Valgrind's guard */
		argv[n++] = "--trace-children=yes";
		argv[n++] = logopt;
		if (strcmp(p->tool, "memcheck") == 0) {
			argv[n++] = "--leak-check=full";
			argv[n++] = "--track-fds=yes";
		}
	}
	argv[n++] = p->path;
	for (int i = 0; args && args[i]; i++) {
		if (n >= HX_MAX_ARGS - 1)
			return -1;
		argv[n++] = (char *)args[i];
	}
	argv[n] = NULL;
	return 0;
}

/* The sanitizers' folder: any user may add a report, none may list or
 * remove another's. It is in a folder the programs write (the work
 * folder, a sandbox's /tmp): by the second program of a check, the first
 * may have put a link to a folder of the grader's in its place, which a
 * chmod by name would open to everyone. 0, or -1 after a failure. */
static int hx_make_sanitizer_dir(struct hx_check *c)
{
	char dir[600], err[700];

	hx_sanitizer_dir(c, dir, sizeof(dir));
	if (hx_shared_dir(dir, 01733, err, sizeof(err)) < 0)
		return hx_fail(c, HX_ERROR, "sanitizer reports: %s", err);
	return 0;
}

/* The pipe a tool writes its log to: no process may open it again
 * through /proc (its mode is 0), and the program cannot write to the end
 * it holds (Valgrind guards the descriptor). */
static int hx_make_log_pipe(int log[2])
{
	if (pipe2(log, O_CLOEXEC) < 0)
		return -1;
	if (fchmod(log[1], 0) < 0) {
		close(log[0]);
		close(log[1]);
		return -1;
	}
	return 0;
}

struct hx_proc *hx_start_with(struct hx_check *c, const struct hx_spawn *spawn)
{
	const char *program = spawn->program;
	const char *label = spawn->label ? spawn->label : program;
	char *argv[HX_MAX_ARGS];
	char logopt[64], toolopt[64];
	char why[256];
	int pipes[3][2], status[2], log[2] = {-1, -1};
	struct hx_proc *p;
	ssize_t n;

	if (c->nprocs >= HX_MAX_PROCS) {
		hx_fail(c, HX_ERROR, "too many processes in one check");
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		hx_fail(c, HX_ERROR, "out of memory");
		return NULL;
	}
	snprintf(p->label, sizeof(p->label), "%s", label);
	if (program[0] == '/')
		snprintf(p->path, sizeof(p->path), "%s", program);
	else
		snprintf(p->path, sizeof(p->path), "%s/%s%s", c->bin_dir,
			 program, c->sanitize ? ".asan" : "");
	p->in_fd = p->out_fd = p->err_fd = p->log_fd = -1;
	p->check_started = c->started_ms;
	p->tool = spawn->tool ? spawn->tool : c->valgrind ? "memcheck" : NULL;
	p->max_files = hx_spawn_files(c, spawn);
	hx_buf_init(&p->out);
	hx_buf_init(&p->err);
	hx_buf_init(&p->log);
	if (access(p->path, X_OK) < 0) {
		hx_fail(c, HX_ERROR,
			"%s was not built, so this check could not run",
			program);
		goto out_free;
	}
	if (p->tool && access("/usr/bin/valgrind", X_OK) < 0) {
		hx_skip(c,
			"needs Valgrind's %s, which is not installed "
			"(make test installs it)",
			p->tool);
		goto out_free;
	}
	if (hx_build_argv(c, spawn, p, argv, logopt, sizeof(logopt), toolopt,
			  sizeof(toolopt)) < 0) {
		hx_fail(c, HX_ERROR, "too many arguments for %s", program);
		goto out_free;
	}
	if (c->sanitize && hx_make_sanitizer_dir(c) < 0)
		goto out_free;
	if (p->tool && hx_make_log_pipe(log) < 0)
		goto out_fail_errno;
	if (hx_make_pipes(pipes) < 0)
		goto out_close_log;
	if (pipe2(status, O_CLOEXEC) < 0)
		goto out_close_pipes;
	p->pid = fork();
	if (p->pid < 0)
		goto out_close_status;
	if (p->pid == 0) {
		close(status[0]);
		hx_child(c, spawn, argv, pipes, log[1], status[1]);
	}
	/* close our copies of the child's ends, keep ours */
	close(status[1]);
	close(pipes[0][0]);
	close(pipes[1][1]);
	close(pipes[2][1]);
	if (log[1] >= 0)
		close(log[1]);
	p->in_fd = pipes[0][1];
	/* writes to it wait in poll, under a deadline, never in write */
	fcntl(p->in_fd, F_SETFL, O_NONBLOCK);
	p->out_fd = pipes[1][0];
	p->err_fd = pipes[2][0];
	p->log_fd = log[0];
	setpgid(p->pid, p->pid);
	/* exec closes the status pipe; anything read is why exec failed */
	do
		n = read(status[0], why, sizeof(why) - 1);
	while (n < 0 && errno == EINTR);
	close(status[0]);
	c->procs[c->nprocs++] = p;
	if (n > 0) {
		why[n] = '\0';
		hx_proc_wait(c, p, 1000);
		hx_fail(c, HX_ERROR, "could not start %s: %s", label, why);
		return NULL;
	}
	hx_recordf(c, 0, "started %s (pid %d)", label, (int)p->pid);
	return p;

out_close_status:
	close(status[0]);
	close(status[1]);
out_close_pipes:
	for (int i = 0; i < 3; i++) {
		close(pipes[i][0]);
		close(pipes[i][1]);
	}
out_close_log:
	if (log[0] >= 0) {
		close(log[0]);
		close(log[1]);
	}
out_fail_errno:
	hx_fail(c, HX_ERROR, "could not start %s: %s", label, strerror(errno));
out_free:
	free(p);
	return NULL;
}

struct hx_proc *hx_start_labelled(struct hx_check *c, const char *label,
				  const char *program, const char *const *args)
{
	struct hx_spawn spawn = {
	    .label = label, .program = program, .args = args};

	return hx_start_with(c, &spawn);
}

struct hx_proc *hx_start(struct hx_check *c, const char *program,
			 const char *const *args)
{
	return hx_start_labelled(c, program, program, args);
}

int hx_proc_write(struct hx_check *c, struct hx_proc *p, const void *data,
		  size_t len, int timeout_ms)
{
	const char *bytes = data;
	int64_t deadline = hx_deadline(timeout_ms);

	while (len > 0) {
		struct pollfd pfd = {.fd = p->in_fd, .events = POLLOUT};
		ssize_t n;

		if (p->in_fd < 0)
			return hx_fail(c, HX_FAIL, "%s closed its input early",
				       p->label);
		/* read its output meanwhile, so neither side can block */
		hx_proc_pump(p, 0);
		if (poll(&pfd, 1, 10) < 0 && errno != EINTR)
			return hx_fail(c, HX_ERROR, "poll: %s",
				       strerror(errno));
		if (!(pfd.revents & (POLLOUT | POLLERR))) {
			if (hx_remaining_ms(deadline) == 0) {
				p->timed_out = 1;
				return hx_fail(c, HX_TIMEOUT,
					       "%s did not read its input "
					       "within %.1f s",
					       p->label, timeout_ms / 1000.0);
			}
			continue;
		}
		n = write(p->in_fd, bytes, len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return hx_fail(c, HX_FAIL, "%s closed its input early",
				       p->label);
		bytes += n;
		len -= (size_t)n;
	}
	return 0;
}

void hx_proc_close_stdin(struct hx_proc *p)
{
	if (p->in_fd >= 0) {
		close(p->in_fd);
		p->in_fd = -1;
	}
}

static void hx_proc_reap(struct hx_proc *p, int options)
{
	int status;
	pid_t r;

	if (p->exited || p->pid <= 0)
		return;
	do
		r = waitpid(p->pid, &status, options);
	while (r < 0 && errno == EINTR);
	if (r == p->pid) {
		p->exited = 1;
		p->wait_status = status;
	}
}

int hx_proc_running(struct hx_proc *p)
{
	hx_proc_reap(p, WNOHANG);
	return !p->exited;
}

void hx_proc_kill(struct hx_proc *p)
{
	if (p->exited || p->pid <= 0)
		return;
	p->stopped_by_harness = 1;
	kill(-p->pid, SIGKILL);
	kill(p->pid, SIGKILL);
	hx_proc_reap(p, 0);
}

/* A tool's log keeps its start and its end (the summary) when it grows
 * past the cap: the middle goes. */
#define HX_LOG_HEAD (HX_OUTPUT_CAP / 2)

static void hx_keep_ends(struct hx_buf *log, const char *data, size_t len)
{
	static const char cut[] = "\n...[cut]...\n";
	size_t keep_tail = HX_OUTPUT_CAP - HX_LOG_HEAD - sizeof(cut);

	hx_buf_add(log, data, len);
	if (log->len <= HX_OUTPUT_CAP)
		return;
	memcpy(log->data + HX_LOG_HEAD, cut, sizeof(cut) - 1);
	memmove(log->data + HX_LOG_HEAD + sizeof(cut) - 1,
		log->data + log->len - keep_tail, keep_tail);
	log->len = HX_LOG_HEAD + sizeof(cut) - 1 + keep_tail;
	log->data[log->len] = '\0';
}

/* Records that stdout from offset on arrived now. */
static void hx_proc_note_arrival(struct hx_proc *p, size_t offset)
{
	if (p->narrivals == p->caparrivals) {
		int cap = p->caparrivals ? p->caparrivals * 2 : 32;
		struct hx_arrival *grown =
		    realloc(p->arrivals, (size_t)cap * sizeof(*grown));

		if (!grown)
			return;
		p->arrivals = grown;
		p->caparrivals = cap;
	}
	p->arrivals[p->narrivals].offset = offset;
	p->arrivals[p->narrivals++].at_ms = hx_now_ms() - p->check_started;
}

/* Reads what one stream has; closes it at EOF. A program's flood of
 * output stops it; a tool's long log keeps its ends. */
static void hx_proc_drain(struct hx_proc *p, int *fd, struct hx_buf *into)
{
	char chunk[65536];
	ssize_t n;

	do
		n = read(*fd, chunk, sizeof(chunk));
	while (n < 0 && errno == EINTR);
	if (n > 0 && into == &p->log) {
		hx_keep_ends(into, chunk, (size_t)n);
		return;
	}
	if (n > 0 && into == &p->out)
		hx_proc_note_arrival(p, into->len);
	if (n > 0 && into->len + (size_t)n > HX_OUTPUT_CAP) {
		hx_buf_add(into, chunk, HX_OUTPUT_CAP - into->len);
		p->output_cut = 1;
		hx_proc_kill(p);
		n = 0;
	} else if (n > 0) {
		hx_buf_add(into, chunk, (size_t)n);
		return;
	}
	if (n == 0 || (n < 0 && errno != EAGAIN)) {
		close(*fd);
		*fd = -1;
	}
}

/* The streams of p, for poll: stdout, stderr, the tool's log. */
static void hx_proc_poll_set(struct hx_proc *p, struct pollfd pfd[3])
{
	pfd[0] = (struct pollfd){.fd = p->out_fd, .events = POLLIN};
	pfd[1] = (struct pollfd){.fd = p->err_fd, .events = POLLIN};
	pfd[2] = (struct pollfd){.fd = p->log_fd, .events = POLLIN};
}

static void hx_proc_drain_ready(struct hx_proc *p, const struct pollfd pfd[3])
{
	if (pfd[0].revents && p->out_fd >= 0)
		hx_proc_drain(p, &p->out_fd, &p->out);
	if (pfd[1].revents && p->err_fd >= 0)
		hx_proc_drain(p, &p->err_fd, &p->err);
	if (pfd[2].revents && p->log_fd >= 0)
		hx_proc_drain(p, &p->log_fd, &p->log);
}

void hx_proc_pump(struct hx_proc *p, int timeout_ms)
{
	int64_t deadline = hx_now_ms() + timeout_ms;

	/* with no time to wait, take what is there, a bounded number of
	 * rounds (a live program may write as fast as we read) */
	for (int round = 0; round < 64; round++) {
		struct pollfd pfd[3];
		int ready;

		if (p->out_fd < 0 && p->err_fd < 0 && p->log_fd < 0)
			return;
		hx_proc_poll_set(p, pfd);
		ready = poll(pfd, 3, hx_remaining_ms(deadline));
		if (ready <= 0)
			return;
		hx_proc_drain_ready(p, pfd);
		/* after data, return at once: the caller looks at it */
		if (timeout_ms > 0)
			return;
	}
}

static int hx_proc_found(struct hx_proc *p, const char *needle)
{
	const char *from = p->out.data ? p->out.data + p->out_seen : "";
	const char *hit =
	    p->out.len >= p->out_seen
		? memmem(from, p->out.len - p->out_seen, needle, strlen(needle))
		: NULL;

	if (!hit)
		return 0;
	p->out_seen = (size_t)(hit - p->out.data) + strlen(needle);
	return 1;
}

int hx_proc_read_until(struct hx_check *c, struct hx_proc *p,
		       const char *needle, int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);
	struct hx_buf want, how;
	enum hx_status status = HX_TIMEOUT;
	size_t seen;

	for (;;) {
		if (hx_proc_found(p, needle))
			return 0;
		if (p->out_fd < 0 || (!hx_proc_running(p) && p->out_fd < 0)) {
			status = HX_FAIL;
			break;
		}
		if (hx_remaining_ms(deadline) == 0)
			break;
		hx_proc_pump(p, hx_remaining_ms(deadline) < 50
				    ? hx_remaining_ms(deadline)
				    : 50);
	}
	/* what it printed since the last line found, beside what was due */
	hx_buf_init(&want);
	hx_buf_init(&how);
	hx_buf_addf(&want, "output containing \"%s\"", needle);
	seen = p->out.len - p->out_seen;
	if (status == HX_TIMEOUT) {
		hx_fail_values(c, HX_TIMEOUT, want.data, want.len,
			       p->out.data ? p->out.data + p->out_seen : "",
			       seen, "%s did not print \"%s\" within %.1f s",
			       p->label, needle, timeout_ms / 1000.0);
	} else {
		hx_proc_wait(c, p, 1000);
		hx_proc_describe_end(p, &how);
		hx_fail_values(c, HX_FAIL, want.data, want.len,
			       p->out.data ? p->out.data + p->out_seen : "",
			       seen, "%s ended (%s) without printing \"%s\"",
			       p->label, how.data, needle);
	}
	hx_buf_free(&want);
	hx_buf_free(&how);
	return -1;
}

int hx_proc_wait(struct hx_check *c, struct hx_proc *p, int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);
	int pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);

	while (!p->exited || p->out_fd >= 0 || p->err_fd >= 0 ||
	       p->log_fd >= 0) {
		struct pollfd pfd[4];
		int left = hx_remaining_ms(deadline);

		hx_proc_reap(p, WNOHANG);
		if (p->exited) {
			/* a child it left behind may hold the pipes open:
			 * take what is there and stop */
			hx_proc_pump(p, 0);
			break;
		}
		if (left == 0) {
			p->timed_out = 1;
			hx_proc_kill(p);
			hx_proc_pump(p, 0);
			if (pidfd >= 0)
				close(pidfd);
			return hx_fail(c, HX_TIMEOUT,
				       "%s did not exit within %.1f s",
				       p->label, timeout_ms / 1000.0);
		}
		hx_proc_poll_set(p, pfd);
		pfd[3] = (struct pollfd){.fd = pidfd, .events = POLLIN};
		/* without a pidfd, look again every 10 ms */
		if (poll(pfd, 4, pidfd >= 0 ? left : (left < 10 ? left : 10)) >
		    0)
			hx_proc_drain_ready(p, pfd);
	}
	if (pidfd >= 0)
		close(pidfd);
	if (p->output_cut)
		return hx_fail(c, HX_FAIL,
			       "%s printed more than %d bytes; its output was "
			       "cut and it was stopped",
			       p->label, HX_OUTPUT_CAP);
	return 0;
}

void hx_proc_describe_end(const struct hx_proc *p, struct hx_buf *out)
{
	if (!p->exited)
		hx_buf_addf(out, "still running");
	else if (p->output_cut)
		hx_buf_addf(out, "stopped after printing more than %d bytes",
			    HX_OUTPUT_CAP);
	else if (WIFEXITED(p->wait_status))
		hx_buf_addf(out, "exit status %d", WEXITSTATUS(p->wait_status));
	else if (WIFSIGNALED(p->wait_status))
		hx_buf_addf(
		    out, "killed by %s%s",
		    hx_signal_name(WTERMSIG(p->wait_status)),
		    WTERMSIG(p->wait_status) == SIGXCPU	  ? " (CPU time limit)"
		    : WTERMSIG(p->wait_status) == SIGXFSZ ? " (file size limit)"
							  : "");
}

void hx_note_end(struct hx_check *c, struct hx_proc *p)
{
	struct hx_buf how;

	if (hx_proc_running(p))
		return;
	hx_buf_init(&how);
	hx_proc_describe_end(p, &how);
	hx_note(c, "%s had ended: %s", p->label, how.data);
	hx_buf_free(&how);
}

int hx_proc_expect_exit(struct hx_check *c, struct hx_proc *p, int code,
			int timeout_ms)
{
	struct hx_buf how;
	int rc = 0;

	if (hx_proc_wait(c, p, timeout_ms) < 0)
		return -1;
	if (WIFEXITED(p->wait_status) && WEXITSTATUS(p->wait_status) == code) {
		p->accepted = 1;
		return 0;
	}
	hx_buf_init(&how);
	hx_proc_describe_end(p, &how);
	if (WIFSIGNALED(p->wait_status))
		rc = hx_fail(c, HX_CRASH, "%s crashed: %s", p->label, how.data);
	else if (c->sanitize && WEXITSTATUS(p->wait_status) == 86)
		rc = hx_fail(c, HX_CRASH, "%s stopped on a sanitizer report",
			     p->label);
	else
		rc = hx_fail(c, HX_FAIL, "%s: expected exit status %d, got %s",
			     p->label, code, how.data);
	hx_buf_free(&how);
	return rc;
}

void hx_proc_stop_quietly(struct hx_check *c, struct hx_proc *p, int timeout_ms)
{
	int64_t deadline;
	int attempt = 0;

	hx_proc_wait_idle(p, timeout_ms);
	p->stopped_by_harness = 1;
	hx_recordf(c, 0, "sent SIGTERM to %s", p->label);
	kill(p->pid, SIGTERM);
	deadline = hx_deadline(timeout_ms);
	while (hx_proc_running(p) && hx_remaining_ms(deadline) > 0)
		hx_backoff(&attempt, deadline);
	hx_proc_pump(p, 0);
	p->accepted = 1;
}

int hx_proc_stop(struct hx_check *c, struct hx_proc *p, int timeout_ms)
{
	int was_ok = hx_ok(c);

	if (!hx_proc_running(p)) {
		struct hx_buf how;

		hx_buf_init(&how);
		hx_proc_describe_end(p, &how);
		hx_fail(c, WIFSIGNALED(p->wait_status) ? HX_CRASH : HX_FAIL,
			"%s had already ended (%s) before it was asked to stop",
			p->label, how.data);
		hx_buf_free(&how);
		return -1;
	}
	p->stopped_by_harness = 1;
	hx_recordf(c, 0, "sent SIGTERM to %s", p->label);
	kill(p->pid, SIGTERM);
	if (hx_proc_wait(c, p, timeout_ms) < 0) {
		if (!was_ok || c->status != HX_TIMEOUT)
			return -1;
		hx_fail_reword(c, "%s did not exit within %.1f s of SIGTERM",
			       p->label, timeout_ms / 1000.0);
		return -1;
	}
	if (WIFSIGNALED(p->wait_status) && WTERMSIG(p->wait_status) != SIGTERM)
		return hx_fail(c, HX_CRASH, "%s crashed while stopping: %s",
			       p->label,
			       hx_signal_name(WTERMSIG(p->wait_status)));
	return 0;
}

int hx_proc_signal_exit(struct hx_check *c, struct hx_proc *p, int sig,
			int timeout_ms)
{
	if (!hx_proc_running(p))
		return hx_proc_stop(c, p, timeout_ms); /* says how it ended */
	/* a signal sent between a loop's test of its stop flag and its
	 * blocking call would go unseen: a race of the labs' simple design,
	 * so the harness waits until the program blocks */
	hx_proc_wait_idle(p, timeout_ms);
	p->stopped_by_harness = 1;
	hx_recordf(c, 0, "sent %s to %s", hx_signal_name(sig), p->label);
	kill(p->pid, sig);
	if (hx_proc_wait(c, p, timeout_ms) < 0)
		return -1;
	if (WIFEXITED(p->wait_status) && WEXITSTATUS(p->wait_status) == 0) {
		p->accepted = 1;
		return 0;
	}
	{
		struct hx_buf how;

		hx_buf_init(&how);
		hx_proc_describe_end(p, &how);
		hx_fail(c, HX_FAIL,
			"%s should exit with status 0 on %s; it "
			"ended with %s",
			p->label, hx_signal_name(sig), how.data);
		hx_buf_free(&how);
	}
	return -1;
}

char hx_proc_state(struct hx_proc *p)
{
	char path[64], text[512];
	const char *close_paren;
	ssize_t n;
	int fd;

	if (!hx_proc_running(p))
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)p->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	/* "pid (comm) S ...": the name may hold spaces and parentheses */
	close_paren = strrchr(text, ')');
	return close_paren && close_paren[1] == ' ' ? close_paren[2] : 0;
}

/* 1 when no thread of p is running or runnable (each sleeps: 'S'). */
static int hx_proc_all_asleep(struct hx_proc *p)
{
	char path[64], stat_path[400], text[512];
	struct dirent *e;
	int asleep = 1;
	DIR *tasks;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)p->pid);
	tasks = opendir(path);
	if (!tasks)
		return 1;
	while (asleep && (e = readdir(tasks))) {
		const char *close_paren;
		ssize_t n;
		int fd;

		if (e->d_name[0] == '.')
			continue;
		snprintf(stat_path, sizeof(stat_path), "%s/%s/stat", path,
			 e->d_name);
		fd = open(stat_path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, text, sizeof(text) - 1);
		close(fd);
		if (n <= 0)
			continue;
		text[n] = '\0';
		/* "tid (comm) S ...": the name may hold spaces */
		close_paren = strrchr(text, ')');
		if (close_paren && close_paren[1] == ' ' &&
		    close_paren[2] != 'S')
			asleep = 0;
	}
	closedir(tasks);
	return asleep;
}

void hx_proc_wait_idle(struct hx_proc *p, int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);
	int attempt = 0;

	while (hx_proc_running(p) && !hx_proc_all_asleep(p) &&
	       hx_remaining_ms(deadline) > 0)
		hx_backoff(&attempt, deadline);
}

void hx_expect_port_accepted(struct hx_check *c, const char *program,
			     const char *const *args, const char *port,
			     int exit_ms, int stop_ms)
{
	char label[64];
	struct hx_proc *p;

	snprintf(label, sizeof(label), "%s with port %s", program, port);
	p = hx_start_labelled(c, label, program, args);
	if (!p)
		return;
	hx_proc_wait_idle(p, exit_ms);
	if (hx_proc_running(p)) {
		/* how it stops is stop-signal's business */
		hx_proc_stop_quietly(c, p, stop_ms);
		return;
	}
	hx_proc_pump(p, 0);
	p->accepted = 1;
	if (WIFEXITED(p->wait_status) && WEXITSTATUS(p->wait_status) == 1)
		hx_fail(c, HX_FAIL,
			"%s is a valid port (1 to 65535), but %s answered "
			"with a usage error (exit status 1)",
			port, label);
}

int hx_expect_usage(struct hx_check *c, const char *program,
		    const char *const cases[][HX_MAX_USAGE_ARGS], int ncases,
		    int timeout_ms)
{
	for (int i = 0; i < ncases; i++) {
		char label[96], what[128];
		struct hx_proc *p;
		int used = snprintf(label, sizeof(label), "%s", program);

		/* the label is the command line, so feedback names the case;
		 * an empty argument shows as "" */
		for (int a = 0; a < HX_MAX_USAGE_ARGS && cases[i][a] &&
				used < (int)sizeof(label);
		     a++)
			used += snprintf(
			    label + used, sizeof(label) - (size_t)used,
			    cases[i][a][0] ? " %s" : " \"%s\"", cases[i][a]);
		if (!cases[i][0])
			snprintf(label + used, sizeof(label) - (size_t)used,
				 " (no arguments)");
		snprintf(what, sizeof(what), "stderr of %s", label);
		p = hx_start_labelled(c, label, program, cases[i]);
		if (!p || hx_proc_expect_exit(c, p, 1, timeout_ms) < 0 ||
		    hx_expect_contains(c, what, "usage:", p->err.data) < 0)
			return -1;
	}
	return 0;
}

void hx_proc_free(struct hx_proc *p)
{
	if (p->in_fd >= 0)
		close(p->in_fd);
	if (p->out_fd >= 0)
		close(p->out_fd);
	if (p->err_fd >= 0)
		close(p->err_fd);
	if (p->log_fd >= 0)
		close(p->log_fd);
	hx_buf_free(&p->out);
	hx_buf_free(&p->err);
	hx_buf_free(&p->log);
	free(p->arrivals);
	free(p);
}
