/* unit.h - what every unit test shares: cmocka, the harness and grader
 * headers, and a few helpers for temporary folders and check contexts.
 *
 * Each test file includes this header first and nothing else from the
 * project. Helpers are static inline so a file that does not use one
 * compiles without a warning.
 */
#ifndef UNIT_H
#define UNIT_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../grader/sl_escape.h"
#include "../../grader/sl_grade.h"
#include "../../grader/sl_lab.h"
#include "../../harness/hx_check.h"
#include "../../harness/hx_net.h"
#include "../../harness/hx_proc.h"
#include "../../harness/hx_sandbox.h"
#include "../../harness/hx_text.h"
#include "../../harness/hx_time.h"

/* The seed of every check context a test makes, unless it says otherwise. */
#define UNIT_SEED 42

/* A check context with a private work folder: the state of one test. */
struct unit_fixture {
	struct hx_check c; /* the context under test */
	char dir[256];     /* its work folder, removed afterwards */
};

/* The grader ignores SIGPIPE (a program that closes its stdin must not
 * kill the harness); the tests run the harness the same way. */
static inline void unit_init(void)
{
	signal(SIGPIPE, SIG_IGN);
}

/* Makes a fresh folder under TMPDIR (or /tmp); 0 or -1. */
static inline int unit_temp_dir(char *out, size_t size)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(out, size, "%s/socklab-unit.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(out) ? 0 : -1;
}

static inline int unit_remove_entry(const char *path, const struct stat *st,
				    int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

/* Removes a folder and everything in it. */
static inline void unit_remove_tree(const char *path)
{
	if (path[0])
		nftw(path, unit_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* cmocka setup: a degraded (not isolated) context working in a new
 * temporary folder. */
static inline int unit_fixture_setup(void **state)
{
	struct unit_fixture *f = calloc(1, sizeof(*f));

	if (!f || unit_temp_dir(f->dir, sizeof(f->dir)) < 0) {
		free(f);
		return -1;
	}
	hx_check_init(&f->c, "unit", UNIT_SEED);
	f->c.work_dir = f->dir;
	f->c.bin_dir = f->dir;
	*state = f;
	return 0;
}

/* cmocka teardown: no process a test started outlives it. */
static inline int unit_fixture_teardown(void **state)
{
	struct unit_fixture *f = *state;

	for (int i = 0; i < f->c.nprocs; i++)
		if (hx_proc_running(f->c.procs[i]))
			hx_proc_kill(f->c.procs[i]);
	hx_check_free(&f->c);
	unit_remove_tree(f->dir);
	free(f);
	return 0;
}

/* ms stretched like every harness deadline (SOCKLAB_TIMEOUT_SCALE): the
 * upper bound a test puts on how long a step may take, so the tests pass
 * on a slow machine that sets the scale. */
static inline int64_t unit_scaled(int ms)
{
	return (int64_t)(ms * hx_timeout_scale());
}

/* Writes a file (mode as given); 0 or -1. */
static inline int unit_write_file(const char *path, const char *text,
				  mode_t mode)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	if (fd < 0)
		return -1;
	if (write(fd, text, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Reads a whole file into out (appending); 0 or -1. */
static inline int unit_read_file(const char *path, struct hx_buf *out)
{
	char chunk[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		hx_buf_add(out, chunk, (size_t)n);
	close(fd);
	return n < 0 ? -1 : 0;
}

/* Transcript events of one direction ('>', '<' or '*') on a connection
 * (conn 0: on any). */
static inline int unit_count_events(const struct hx_check *c, int conn,
				    char dir)
{
	int n = 0;

	for (int i = 0; i < c->nevents; i++)
		if (c->events[i].dir == dir &&
		    (conn == 0 || c->events[i].conn == conn))
			n++;
	return n;
}

/* 1 if the check's message contains text (so a failing assertion shows
 * the message it got). */
static inline int unit_message_has(const struct hx_check *c, const char *text)
{
	const char *message = c->message.data ? c->message.data : "";

	if (strstr(message, text))
		return 1;
	print_message("message was: %s\n", message);
	return 0;
}

#endif
