/* hx_finish.c - the end of a check: every process it started is stopped
 * and judged by how it ended (a crash, a sanitizer report, a full disk,
 * the process limit), and what failing programs said goes to the notes. */
#define _GNU_SOURCE
#include "hx_finish.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hx_fixture.h"
#include "hx_proc.h"
#include "hx_root.h"
#include "hx_tools.h"

static void hx_note_output(struct hx_check *c, const char *label,
			   const char *stream, const struct hx_buf *b)
{
	struct hx_buf cut;

	if (b->len == 0)
		return;
	hx_buf_init(&cut);
	/* the end of a log says most about how a program ended */
	if (b->len > 4000) {
		hx_buf_addf(&cut, "...[%zu bytes before]...\n", b->len - 2000);
		hx_buf_add(&cut, b->data + b->len - 2000, 2000);
	} else {
		hx_buf_add(&cut, b->data, b->len);
	}
	/* the note ends the line itself */
	if (cut.len && cut.data[cut.len - 1] == '\n')
		cut.data[--cut.len] = '\0';
	hx_note(c, "%s of %s:\n%s", stream, label, cut.data);
	hx_buf_free(&cut);
}

/* Processes in this PID namespace other than the harness itself. */
static int hx_count_sandbox_processes(void)
{
	char mine[64], theirs[64], path[300];
	ssize_t len = readlink("/proc/self/ns/pid", mine, sizeof(mine) - 1);
	struct dirent *e;
	DIR *proc;
	int count = 0;

	if (len <= 0)
		return 0;
	mine[len] = '\0';
	proc = opendir("/proc");
	if (!proc)
		return 0;
	while ((e = readdir(proc))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/pid", e->d_name);
		len = readlink(path, theirs, sizeof(theirs) - 1);
		if (len <= 0)
			continue;
		theirs[len] = '\0';
		count += strcmp(mine, theirs) == 0;
	}
	closedir(proc);
	return count - 1;
}

/* A program killed by a signal of its own doing is the likely cause of
 * whatever else failed in the check. */
static void hx_note_crash_cause(struct hx_check *c, struct hx_proc *p,
				const char *how)
{
	switch (WTERMSIG(p->wait_status)) {
	case SIGPIPE:
		hx_set_cause(c, HX_CAUSE_SIGPIPE, "%s: %s", p->label, how);
		break;
	case SIGSEGV:
	case SIGBUS:
	case SIGFPE:
	case SIGILL:
	case SIGABRT:
		hx_set_cause(c, HX_CAUSE_CRASH, "%s: %s", p->label, how);
		break;
	default:
		break;
	}
}

/* A sanitizer report is the cause of whatever failed before it: it
 * becomes the verdict, and the earlier failure a note. */
static void hx_note_sanitizer(struct hx_check *c)
{
	struct hx_buf reports;
	char dir[600];

	if (!c->sanitize)
		return;
	hx_buf_init(&reports);
	hx_sanitizer_dir(c, dir, sizeof(dir));
	if (hx_sanitizer_reports(dir, c->procs, c->nprocs, &reports) > 0) {
		hx_fail_over(c, HX_CRASH, "%s", reports.data);
		hx_set_cause(
		    c,
		    strstr(reports.data, "LeakSanitizer") ? HX_CAUSE_LEAK
							  : HX_CAUSE_SANITIZER,
		    "%.*s", (int)strcspn(reports.data, "\n"), reports.data);
	}
	hx_buf_free(&reports);
}

/* The sandbox's own disks have a size: one that filled up is named. */
static void hx_note_disks(struct hx_check *c)
{
	static const char *const disks[] = {"/tmp", "/dev/shm", HX_WORK_DIR};

	if (!c->isolated)
		return;
	for (size_t i = 0; i < sizeof(disks) / sizeof(disks[0]); i++)
		if (hx_root_full(disks[i]))
			hx_note(c,
				"disk limit of %s reached (%d MiB, or its "
				"number of files): a write there failed",
				disks[i],
				strcmp(disks[i], HX_WORK_DIR) ? HX_TMP_MB
							      : HX_WORK_MB);
}

void hx_check_finish(struct hx_check *c)
{
	/* only PID 1 of its own namespace can tell its processes apart */
	int running =
	    c->isolated && getpid() == 1 ? hx_count_sandbox_processes() : 0;

	/* a program that forks without end meets the process limit */
	if (running >= HX_PROCESS_LIMIT - 8)
		hx_note(c,
			"process limit reached: %d processes were running "
			"when the check ended (limit %d); look for a fork "
			"that never stops",
			running, HX_PROCESS_LIMIT);
	for (int i = 0; i < c->nprocs; i++) {
		struct hx_proc *p = c->procs[i];

		if (c->valgrind && hx_proc_running(p)) {
			/* a server the check left running: stop it the way
			 * a user would, so memcheck writes its summary */
			struct hx_check quiet;

			hx_check_init(&quiet, c->id, 1);
			p->stopped_by_harness = 1;
			kill(p->pid, SIGTERM);
			hx_proc_wait(&quiet, p, 3000);
			hx_check_free(&quiet);
		}
		if (hx_proc_running(p))
			hx_proc_kill(p);
		hx_proc_pump(p, 0);
		if (p->exited && WIFSIGNALED(p->wait_status) &&
		    !p->stopped_by_harness) {
			struct hx_buf how;

			hx_buf_init(&how);
			hx_proc_describe_end(p, &how);
			hx_fail(c, HX_CRASH, "%s crashed: %s", p->label,
				how.data);
			hx_note_crash_cause(c, p, how.data);
			hx_buf_free(&how);
		}
		hx_proc_memcheck(p, &c->memcheck);
	}
	hx_note_sanitizer(c);
	hx_note_disks(c);
	hx_fixtures_restore(c);
	if (c->status == HX_PASS || c->status == HX_SKIPPED)
		return;
	for (int i = 0; i < c->nprocs; i++)
		if (!c->procs[i]->accepted)
			hx_note_output(c, c->procs[i]->label, "stderr",
				       &c->procs[i]->err);
}

void hx_check_free(struct hx_check *c)
{
	for (int i = 0; i < c->nprocs; i++)
		hx_proc_free(c->procs[i]);
	c->nprocs = 0;
	hx_check_free_verdict(c);
}
