/* hx_sandbox.c - namespaces per check; the verdict crosses back by pipe. */
#define _GNU_SOURCE
#include "hx_sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
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

#define HX_NS_FLAGS \
	(CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID)

static int hx_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int hx_write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = hx_write_all(fd, text, strlen(text));
	close(fd);
	return rc;
}

/* Reads one byte from fd, waiting at most timeout_ms; 0 on success. */
static int hx_read_byte(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char byte;

	if (poll(&pfd, 1, timeout_ms) <= 0)
		return -1;
	return read(fd, &byte, 1) == 1 ? 0 : -1;
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

/* The uid and gid the sandbox's root maps to. As root each sandbox gets a
 * uid of its own, so per-user limits (processes) hold per sandbox. */
static void hx_sandbox_ids(pid_t pid, uid_t *uid, gid_t *gid)
{
	if (getuid() == 0) {
		*uid = (uid_t)(1000000 + pid);
		*gid = (gid_t)(1000000 + pid);
	} else {
		*uid = getuid();
		*gid = getgid();
	}
}

static int hx_map_ids(pid_t pid, uid_t uid, gid_t gid)
{
	char path[64], line[64];

	snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
	if (hx_write_text(path, "deny") < 0 && errno != ENOENT)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	snprintf(line, sizeof(line), "0 %u 1\n", (unsigned)uid);
	if (hx_write_text(path, line) < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	snprintf(line, sizeof(line), "0 %u 1\n", (unsigned)gid);
	return hx_write_text(path, line);
}

void hx_sandbox_adopt_orphans(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1);
}

int hx_sandbox_reap_all(int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);
	int attempt = 0;

	for (;;) {
		pid_t pid = waitpid(-1, NULL, WNOHANG);

		if (pid > 0)
			continue;
		if (pid < 0 && errno == ECHILD)
			return 0;
		if (pid < 0 && errno != EINTR)
			return -1;
		if (hx_remaining_ms(deadline) == 0)
			return -1;
		/* processes killed a moment ago are still on their way out */
		hx_backoff(&attempt, deadline);
	}
}

int hx_sandbox_probe(void)
{
	static int known = -1;
	pid_t pid;
	int status;

	if (known >= 0)
		return known;
	if (getenv("SOCKLAB_NO_NAMESPACES")) {
		known = 0;
		return known;
	}
	pid = fork();
	if (pid == 0)
		_exit(unshare(CLONE_NEWUSER | HX_NS_FLAGS) == 0 ? 0 : 1);
	known = pid > 0 && waitpid(pid, &status, 0) == pid &&
		WIFEXITED(status) && WEXITSTATUS(status) == 0;
	return known;
}

/* PID 1 of the sandbox: set the stage and run the body. */
static void hx_sandbox_init(int isolated, int fd, void (*body)(int, void *),
			    void *arg)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* nothing inside may read or trace this process's memory */
	prctl(PR_SET_DUMPABLE, 0);
	/* a program that closes its end must not kill the harness */
	signal(SIGPIPE, SIG_IGN);
	if (isolated) {
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
		/* /proc of this PID namespace: /proc/PID means our PID */
		mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		      NULL);
		hx_loopback_up();
	}
	body(fd, arg);
	hx_exit(0);
}

/* The outer process: enter namespaces, start PID 1, wait for it. */
static void hx_sandbox_outer(int isolate, int sync_up, int sync_down, int fd,
			     void (*body)(int, void *), void *arg)
{
	pid_t init;
	int status;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	setpgid(0, 0);
	if (isolate) {
		if (unshare(CLONE_NEWUSER) < 0)
			_exit(120);
		/* the parent writes our id maps, then says go */
		if (write(sync_up, "u", 1) != 1 ||
		    hx_read_byte(sync_down, 5000) < 0)
			_exit(121);
		if (setgid(0) < 0 || setuid(0) < 0 || unshare(HX_NS_FLAGS) < 0)
			_exit(122);
	}
	close(sync_up);
	close(sync_down);
	init = fork();
	if (init < 0)
		_exit(123);
	if (init == 0)
		hx_sandbox_init(isolate, fd, body, arg);
	close(fd);
	while (waitpid(init, &status, 0) < 0 && errno == EINTR)
		;
	/* tell the parent how PID 1 ended, should it send no verdict */
	hx_exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 0);
}

int hx_sandbox_start(struct hx_sandbox *sb, int isolate, const char *work_dir,
		     int timeout_ms, void (*body)(int fd, void *arg),
		     void *arg, char *err, size_t errlen)
{
	int verdict[2], up[2], down[2];
	uid_t uid;
	gid_t gid;

	memset(sb, 0, sizeof(*sb));
	hx_buf_init(&sb->data);
	sb->verdict_fd = -1;
	sb->isolated = isolate;
	if (pipe2(verdict, O_CLOEXEC) < 0)
		goto out_errno;
	if (pipe2(up, O_CLOEXEC) < 0)
		goto out_close_verdict;
	if (pipe2(down, O_CLOEXEC) < 0)
		goto out_close_up;
	sb->started_ms = hx_now_ms();
	sb->deadline = hx_deadline(timeout_ms);
	sb->pid = fork();
	if (sb->pid < 0)
		goto out_close_down;
	if (sb->pid == 0) {
		close(verdict[0]);
		close(up[0]);
		close(down[1]);
		hx_sandbox_outer(isolate, up[1], down[0], verdict[1], body, arg);
	}
	close(verdict[1]);
	close(up[1]);
	close(down[0]);
	sb->verdict_fd = verdict[0];
	fcntl(sb->verdict_fd, F_SETFL, O_NONBLOCK);
	if (isolate) {
		hx_sandbox_ids(sb->pid, &uid, &gid);
		if (hx_read_byte(up[0], 5000) < 0 ||
		    hx_map_ids(sb->pid, uid, gid) < 0 ||
		    (getuid() == 0 && chown(work_dir, uid, gid) < 0) ||
		    write(down[1], "g", 1) != 1) {
			snprintf(err, errlen, "could not set up namespaces: %s",
				 strerror(errno));
			hx_sandbox_kill(sb);
			close(up[0]);
			close(down[1]);
			return -1;
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

void hx_sandbox_kill(struct hx_sandbox *sb)
{
	if (sb->pid > 0) {
		int status = 0;

		kill(-sb->pid, SIGKILL);
		kill(sb->pid, SIGKILL);
		while (waitpid(sb->pid, &status, 0) < 0 && errno == EINTR)
			;
		sb->pid = 0;
		sb->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
	}
	if (sb->verdict_fd >= 0) {
		close(sb->verdict_fd);
		sb->verdict_fd = -1;
	}
}

int hx_sandbox_collect(struct hx_sandbox *sb, struct hx_verdict *v)
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
	hx_verdict_init(v);
	v->duration_ms = hx_now_ms() - sb->started_ms;
	if (sb->verdict_fd >= 0) {
		hx_sandbox_kill(sb);
		v->status = HX_TIMEOUT;
		hx_buf_addf(&v->message,
			    "the check did not finish within its deadline of "
			    "%.1f s; everything it started was killed",
			    (double)(sb->deadline - sb->started_ms) / 1000.0);
		hx_buf_free(&sb->data);
		return 1;
	}
	/* the verdict is complete; collect the sandbox before looking */
	if (sb->pid > 0)
		while (waitpid(sb->pid, &status, 0) < 0 && errno == EINTR)
			;
	if (WIFEXITED(status))
		sb->exit_code = WEXITSTATUS(status);
	sb->pid = 0;
	if (hx_verdict_parse(&sb->data, v) < 0) {
		hx_verdict_free(v);
		hx_verdict_init(v);
		v->duration_ms = hx_now_ms() - sb->started_ms;
		v->status = HX_ERROR;
		hx_buf_addf(&v->message,
			    "the check ended without a verdict (harness "
			    "error%s%s)",
			    sb->exit_code > 128 ? ": the check process was "
						  "killed by " :
						  "",
			    sb->exit_code > 128 ?
				    hx_signal_name(sb->exit_code - 128) :
				    "");
	}
	hx_buf_free(&sb->data);
	return 1;
}

void hx_verdict_init(struct hx_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->diff_at = -1;
	hx_buf_init(&v->message);
	hx_buf_init(&v->expected);
	hx_buf_init(&v->actual);
	hx_buf_init(&v->notes);
	hx_buf_init(&v->memcheck);
	hx_buf_init(&v->transcript);
}

void hx_verdict_free(struct hx_verdict *v)
{
	hx_buf_free(&v->message);
	hx_buf_free(&v->expected);
	hx_buf_free(&v->actual);
	hx_buf_free(&v->notes);
	hx_buf_free(&v->memcheck);
	hx_buf_free(&v->transcript);
}

/* Record: one tag byte, a 4-byte length, the bytes. */
static void hx_put(struct hx_buf *out, char tag, const void *data, size_t len)
{
	uint32_t n = (uint32_t)len;

	hx_buf_add(out, &tag, 1);
	hx_buf_add(out, &n, sizeof(n));
	hx_buf_add(out, data, len);
}

int hx_verdict_send(int fd, const struct hx_check *c)
{
	struct hx_buf out, transcript;
	char number[32];
	int rc;

	hx_buf_init(&out);
	hx_buf_init(&transcript);
	number[0] = (char)c->status;
	hx_put(&out, 'S', number, 1);
	snprintf(number, sizeof(number), "%ld", c->diff_at);
	hx_put(&out, 'D', number, strlen(number));
	hx_put(&out, 'M', c->message.data, c->message.len);
	hx_put(&out, 'E', c->expected.data, c->expected.len);
	hx_put(&out, 'A', c->actual.data, c->actual.len);
	hx_put(&out, 'N', c->notes.data, c->notes.len);
	hx_put(&out, 'V', c->memcheck.data, c->memcheck.len);
	hx_transcript_render(c, &transcript);
	hx_put(&out, 'T', transcript.data, transcript.len);
	hx_put(&out, '.', "", 0);
	rc = hx_write_all(fd, out.data, out.len);
	hx_buf_free(&out);
	hx_buf_free(&transcript);
	return rc;
}

int hx_verdict_parse(const struct hx_buf *data, struct hx_verdict *v)
{
	size_t at = 0;

	while (at + 5 <= data->len) {
		char tag = data->data[at];
		const char *bytes = data->data + at + 5;
		uint32_t n;

		memcpy(&n, data->data + at + 1, sizeof(n));
		if (at + 5 + n > data->len)
			return -1;
		at += 5 + n;
		switch (tag) {
		case 'S': v->status = n ? (enum hx_status)bytes[0] : HX_ERROR; break;
		case 'D': v->diff_at = strtol(bytes, NULL, 10); break;
		case 'M': hx_buf_add(&v->message, bytes, n); break;
		case 'E': hx_buf_add(&v->expected, bytes, n); break;
		case 'A': hx_buf_add(&v->actual, bytes, n); break;
		case 'N': hx_buf_add(&v->notes, bytes, n); break;
		case 'V': hx_buf_add(&v->memcheck, bytes, n); break;
		case 'T': hx_buf_add(&v->transcript, bytes, n); break;
		case '.': return 0;
		default: return -1;
		}
	}
	return -1;
}
