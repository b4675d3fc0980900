/* hx_probe.c - the probes every lab gets: early leavers, descriptor
 * counts, quiet servers, arrival times. */
#define _GNU_SOURCE
#include "hx_probe.h"
#include "hx_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>

#include "hx_net.h"
#include "hx_time.h"

int hx_probe_leave_early(struct hx_check *c, struct hx_proc *server, int port,
			 const void *request, size_t len, int timeout_ms)
{
	struct hx_conn conn;
	int connected;

	/* While the server is paused the kernel still completes the
	 * connection and takes the request, the FIN and the reset: the
	 * server meets a connection that is already dead. */
	kill(server->pid, SIGSTOP);
	hx_recordf(c, 0, "paused %s (SIGSTOP)", server->label);
	connected =
	    hx_tcp_connect(c, &conn, "127.0.0.1", port, timeout_ms) == 0;
	if (connected) {
		if (len > 0)
			hx_send(c, &conn, request, len, NULL);
		hx_shutdown_write(c, &conn);
		hx_reset(c, &conn);
	}
	kill(server->pid, SIGCONT);
	hx_recordf(c, 0, "let %s go on (SIGCONT)", server->label);
	if (!connected || !hx_ok(c))
		return -1;
	/* once every thread sleeps again (or it has died), it has dealt
	 * with the dead connection */
	hx_proc_wait_idle(server, timeout_ms);
	if (!hx_proc_running(server)) {
		struct hx_buf how;

		hx_buf_init(&how);
		hx_proc_describe_end(server, &how);
		hx_fail(
		    c, WIFSIGNALED(server->wait_status) ? HX_CRASH : HX_FAIL,
		    "%s ended (%s) after a client that sent its request and "
		    "left before the reply",
		    server->label, how.data);
		if (WIFSIGNALED(server->wait_status) &&
		    WTERMSIG(server->wait_status) == SIGPIPE)
			hx_set_cause(c, HX_CAUSE_SIGPIPE, "%s: %s",
				     server->label, how.data);
		hx_buf_free(&how);
		return -1;
	}
	return 0;
}

/* The mask (hex) of the line of /proc/PID/status that starts with key
 * ("SigIgn:"); 0 if absent. Only at the start of a line: a process may
 * name itself "SigIgn:1000", and its Name: line then holds that. */
static unsigned long long hx_signal_mask(const char *status, const char *key)
{
	size_t len = strlen(key);

	for (const char *line = status; line; line = strchr(line, '\n')) {
		line += *line == '\n';
		if (strncmp(line, key, len) == 0)
			return strtoull(line + len, NULL, 16);
	}
	return 0;
}

int hx_expect_sigpipe_ignored(struct hx_check *c, struct hx_proc *p)
{
	unsigned long long bit = 1ULL << (SIGPIPE - 1);
	char path[64], status[4096];

	hx_proc_wait_idle(p, 1000);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)p->pid);
	if (hx_read_proc(path, status, sizeof(status)) < 0) {
		hx_note_end(c, p);
		return hx_fail(c, HX_FAIL,
			       "%s ended before its signals could "
			       "be looked at",
			       p->label);
	}
	if ((hx_signal_mask(status, "SigIgn:") |
	     hx_signal_mask(status, "SigBlk:") |
	     hx_signal_mask(status, "SigCgt:")) &
	    bit)
		return 0;
	hx_set_cause(
	    c, HX_CAUSE_SIGPIPE,
	    "%s: SIGPIPE is not ignored, so one write to a client that "
	    "left would end it",
	    p->label);
	return hx_fail(c, HX_FAIL,
		       "%s leaves SIGPIPE at its default action: the first "
		       "write to a client that has gone away ends the whole "
		       "server",
		       p->label);
}

int hx_expect_threads_block(struct hx_check *c, struct hx_proc *p,
			    const int *signals, const char *why)
{
	unsigned long long want = 0;
	char path[320], status[4096];
	struct dirent *e;
	DIR *tasks;
	int rc = 0;

	for (int i = 0; signals[i]; i++)
		want |= 1ULL << (signals[i] - 1);
	snprintf(path, sizeof(path), "/proc/%d/task", (int)p->pid);
	tasks = opendir(path);
	if (!tasks)
		return 0; /* it has ended: how is another check's business */
	while (rc == 0 && (e = readdir(tasks))) {
		/* the main thread takes the signals; every other blocks them */
		if (e->d_name[0] == '.' || atoi(e->d_name) == (int)p->pid)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/status",
			 (int)p->pid, e->d_name);
		if (hx_read_proc(path, status, sizeof(status)) < 0)
			continue; /* a thread that just ended */
		if ((hx_signal_mask(status, "SigBlk:") & want) != want)
			rc = hx_fail(c, HX_FAIL,
				     "a thread of %s other than its main "
				     "thread (thread %s) does not block %s: %s",
				     p->label, e->d_name,
				     signals[1] ? "SIGINT and SIGTERM"
						: hx_signal_name(signals[0]),
				     why);
	}
	closedir(tasks);
	return rc;
}

int hx_proc_count_fds(struct hx_proc *p)
{
	char path[64];
	struct dirent *e;
	DIR *fds;
	int count = 0;

	if (!hx_proc_running(p))
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)p->pid);
	fds = opendir(path);
	if (!fds)
		return -1;
	while ((e = readdir(fds)))
		count += e->d_name[0] != '.';
	closedir(fds);
	return count;
}

int hx_expect_fds_steady(struct hx_check *c, struct hx_proc *server, int before,
			 const char *what, int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);
	int after, attempt = 0;

	/* A server that wakes now and then may look idle before it has
	 * closed: give the count until the deadline to come back. */
	for (;;) {
		hx_proc_wait_idle(server, timeout_ms);
		after = hx_proc_count_fds(server);
		if (after < 0 || after <= before ||
		    hx_remaining_ms(deadline) <= 0)
			break;
		hx_backoff(&attempt, deadline);
	}
	if (after < 0) {
		hx_note_end(c, server);
		return hx_fail(c, HX_FAIL, "%s ended during %s", server->label,
			       what);
	}
	if (after <= before)
		return 0;
	hx_set_cause(c, HX_CAUSE_DESCRIPTORS,
		     "%s: %d descriptor(s) left open after %s", server->label,
		     after - before, what);
	return hx_fail(c, HX_FAIL,
		       "%s held %d descriptors before %s and %d after it: %d "
		       "leaked (by the end of its limit of %d, accept fails "
		       "with EMFILE)",
		       server->label, before, what, after, after - before,
		       server->max_files);
}

int hx_expect_no_stdout(struct hx_check *c, struct hx_proc *p)
{
	hx_proc_pump(p, 0);
	if (p->out.len == 0)
		return 0;
	if (!hx_ok(c))
		return -1;
	return hx_fail_values(
	    c, HX_FAIL, NULL, 0, p->out.data, p->out.len,
	    "%s printed %zu bytes on stdout: a server logs on "
	    "stderr only (stdout may be the terminal of whoever "
	    "started it, or nothing at all)",
	    p->label, p->out.len);
}

int64_t hx_proc_arrival_ms(const struct hx_proc *p, size_t offset)
{
	int64_t at = -1;

	for (int i = 0; i < p->narrivals && p->arrivals[i].offset <= offset;
	     i++)
		at = p->arrivals[i].at_ms;
	return offset < p->out.len ? at : -1;
}

int hx_expect_line_by(struct hx_check *c, struct hx_proc *p, const char *needle,
		      int64_t event_ms, int within_ms, int timeout_ms)
{
	size_t from = p->out_seen;
	const char *hit;
	int64_t at;

	if (hx_proc_read_until(c, p, needle, timeout_ms) < 0)
		return -1;
	/* the line is there when its last byte is */
	hit = memmem(p->out.data + from, p->out.len - from, needle,
		     strlen(needle));
	at = hit ? hx_proc_arrival_ms(p, (size_t)(hit - p->out.data) +
					     strlen(needle) - 1)
		 : -1;
	if (at >= 0 && at - event_ms <= within_ms)
		return 0;
	hx_set_cause(c, HX_CAUSE_LATE_OUTPUT, "%s: \"%s\" came %lld ms late",
		     p->label, needle, (long long)(at - event_ms));
	return hx_fail(c, HX_FAIL,
		       "%s printed \"%s\" %lld ms after it should have been "
		       "there (at most %d ms)%s",
		       p->label, needle, (long long)(at - event_ms), within_ms,
		       hx_proc_running(p) ? "" : ", only when it ended");
}

struct hx_proc *hx_start_cases(struct hx_check *c, const char *program,
			       const char *const *args, char *token,
			       size_t size)
{
	unsigned char bytes[16];
	char line[2 * sizeof(bytes) + 2];
	struct hx_proc *p;
	size_t n = 0;

	if (getrandom(bytes, sizeof(bytes), 0) != (ssize_t)sizeof(bytes)) {
		hx_fail(c, HX_ERROR, "getrandom: %s", strerror(errno));
		return NULL;
	}
	for (size_t i = 0; i < sizeof(bytes) && n + 3 <= size; i++)
		n += (size_t)snprintf(token + n, size - n, "%02x", bytes[i]);
	p = hx_start(c, program, args);
	if (!p)
		return NULL;
	/* a pipe's buffer holds the line whether or not it reads yet */
	snprintf(line, sizeof(line), "%s\n", token);
	hx_proc_write(c, p, line, strlen(line), 1000);
	hx_proc_close_stdin(p);
	return hx_ok(c) ? p : NULL;
}

int hx_cases_summary(const struct hx_proc *p, const char *token, int *ran,
		     int *failed)
{
	const char *line = p->out.data ? p->out.data : "";

	while (*line) {
		size_t len = strcspn(line, "\n");
		char seen[64];
		int r, f;

		if (sscanf(line, "cases: %d run, %d failed, token %63s", &r, &f,
			   seen) == 3 &&
		    strcmp(seen, token) == 0) {
			*ran = r;
			*failed = f;
			return 1;
		}
		line += len;
		line += *line == '\n';
	}
	return 0;
}

int hx_run_cases(struct hx_check *c, const struct hx_cases *cases,
		 const char *const *args, int timeout_ms)
{
	char token[40];
	struct hx_proc *p =
	    hx_start_cases(c, cases->program, args, token, sizeof(token));
	struct hx_buf failed;
	int ran = -1, nfailed = -1;
	const char *line;

	if (!p || hx_proc_wait(c, p, timeout_ms) < 0)
		return -1;
	if (WIFSIGNALED(p->wait_status))
		return hx_fail(c, HX_CRASH,
			       "the %s tests were killed by %s: %s crashed "
			       "(%s)",
			       cases->subject,
			       hx_signal_name(WTERMSIG(p->wait_status)),
			       cases->code, cases->crashed);
	hx_buf_init(&failed);
	for (line = p->out.data ? p->out.data : ""; *line;) {
		size_t len = strcspn(line, "\n");

		if (strncmp(line, "case failed: ", 13) == 0)
			hx_buf_addf(&failed, "\n  - %.*s", (int)(len - 13),
				    line + 13);
		line += len;
		line += *line == '\n';
	}
	/* only the line with this run's token counts: the student's code
	 * shares the driver's process and could print any other */
	if (!hx_cases_summary(p, token, &ran, &nfailed))
		ran = nfailed = -1;
	if (failed.len > 0) {
		p->accepted = 1; /* the list says what stderr would */
		hx_fail(c, HX_FAIL, "%s:%s", cases->failed, failed.data);
	} else if (ran <= 0 || nfailed != 0) {
		hx_fail(c, HX_ERROR,
			"the %s tests did not finish (exit status %d)",
			cases->subject,
			WIFEXITED(p->wait_status) ? WEXITSTATUS(p->wait_status)
						  : -1);
	} else {
		p->accepted = 1;
	}
	hx_buf_free(&failed);
	return hx_ok(c) ? 0 : -1;
}
