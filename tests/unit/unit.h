/* unit.h - what every unit test shares: cmocka, the harness and grader
 * headers, and a few helpers for temporary folders, check contexts and
 * the archives the unpacking tests write.
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
#include <sched.h>
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
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "../../grader/sl_cache.h"
#include "../../grader/sl_lock.h"
#include "../../grader/sl_escape.h"
#include "../../grader/sl_files.h"
#include "../../grader/sl_grade.h"
#include "../../grader/sl_bench.h"
#include "../../grader/sl_class.h"
#include "../../grader/sl_course.h"
#include "../../grader/sl_export.h"
#include "../../grader/sl_report.h"
#include "../../grader/sl_lab.h"
#include "../../grader/sl_sequence.h"
#include "../../grader/sl_sha256.h"
#include "../../grader/sl_unpack.h"
#include "../../harness/hx_capture.h"
#include "../../harness/hx_check.h"
#include "../../harness/hx_finish.h"
#include "../../harness/hx_events.h"
#include "../../harness/hx_file.h"
#include "../../harness/hx_fixture.h"
#include "../../harness/hx_http.h"
#include "../../harness/hx_lines.h"
#include "../../harness/hx_net.h"
#include "../../harness/hx_probe.h"
#include "../../harness/hx_proc.h"
#include "../../harness/hx_sandbox.h"
#include "../../harness/hx_text.h"
#include "../../harness/hx_time.h"

/* The seed of every check context a test makes, unless it says otherwise. */
#define UNIT_SEED 42

/* A check context with a private work folder: the state of one test. */
struct unit_fixture {
	struct hx_check c; /* the context under test */
	char dir[256];	   /* its work folder, removed afterwards */
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

/* ---- archives (test_unpack*.c) ---------------------------------------- */

#define UNIT_ZIP ARCHIVE_FORMAT_ZIP /* a zip */
#define UNIT_TAR                                                               \
	ARCHIVE_FORMAT_TAR_PAX_RESTRICTED /* a tar, pax where needed           \
					   */

/* One test's archive and where it is unpacked. */
struct unit_archive_fixture {
	char dir[256];	   /* the test's temporary folder */
	char archive[300]; /* the archive the test writes */
	char dest[300];	   /* where sl_unpack unpacks it */
	char why[1024];	   /* sl_unpack's refusal, "" when none */
};

static inline int unit_archive_setup(void **state)
{
	struct unit_archive_fixture *f = calloc(1, sizeof(*f));

	if (!f || unit_temp_dir(f->dir, sizeof(f->dir)) < 0) {
		free(f);
		return -1;
	}
	snprintf(f->archive, sizeof(f->archive), "%s/archive", f->dir);
	snprintf(f->dest, sizeof(f->dest), "%s/out", f->dir);
	*state = f;
	return 0;
}

static inline int unit_archive_teardown(void **state)
{
	struct unit_archive_fixture *f = *state;

	unit_remove_tree(f->dir);
	free(f);
	return 0;
}

/* A new archive at f->archive in format (UNIT_ZIP or UNIT_TAR) through
 * filter. */
static inline struct archive *unit_archive_begin(struct unit_archive_fixture *f,
						 int format, int filter)
{
	struct archive *w = archive_write_new();

	assert_non_null(w);
	assert_int_equal(archive_write_set_format(w, format), ARCHIVE_OK);
	if (filter != ARCHIVE_FILTER_NONE)
		assert_true(archive_write_add_filter(w, filter) >=
			    ARCHIVE_WARN);
	assert_int_equal(archive_write_open_filename(w, f->archive),
			 ARCHIVE_OK);
	return w;
}

static inline void unit_archive_end(struct archive *w)
{
	assert_int_equal(archive_write_close(w), ARCHIVE_OK);
	archive_write_free(w);
}

/* Adds an entry of type holding text; link is a symbolic link's target
 * (or a hard link's, with type 0). Files claim mode 0777, folders 0700,
 * and all a time in 1970: none of it may reach the unpacked files. */
static inline void unit_archive_add(struct archive *w, const char *name,
				    mode_t type, const char *text,
				    const char *link)
{
	struct archive_entry *e = archive_entry_new();
	size_t len = text ? strlen(text) : 0;

	assert_non_null(e);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, type ? type : AE_IFREG);
	archive_entry_set_perm(e, type == AE_IFDIR ? 0700 : 0777);
	archive_entry_set_mtime(e, 1, 0);
	archive_entry_set_size(e, (la_int64_t)len);
	if (type == AE_IFLNK)
		archive_entry_set_symlink(e, link);
	else if (link)
		archive_entry_set_hardlink(e, link);
	if (type == AE_IFCHR)
		archive_entry_set_rdev(e, makedev(1, 3));
	assert_int_equal(archive_write_header(w, e), ARCHIVE_OK);
	if (len)
		assert_int_equal(archive_write_data(w, text, len),
				 (la_ssize_t)len);
	archive_entry_free(e);
}

/* Adds a file of size zero bytes. */
static inline void unit_archive_add_zeros(struct archive *w, const char *name,
					  size_t size)
{
	static const char zeros[1 << 16];
	struct archive_entry *e = archive_entry_new();

	assert_non_null(e);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)size);
	assert_int_equal(archive_write_header(w, e), ARCHIVE_OK);
	for (size_t left = size; left > 0;) {
		size_t n = left < sizeof(zeros) ? left : sizeof(zeros);

		assert_int_equal(archive_write_data(w, zeros, n),
				 (la_ssize_t)n);
		left -= n;
	}
	archive_entry_free(e);
}

/* An archive of one good file, then one entry that must be refused: the
 * good file is written first, so the refusal has something to remove. */
static inline void unit_write_refused(struct unit_archive_fixture *f,
				      int format, int filter, const char *name,
				      mode_t type, const char *link)
{
	struct archive *w = unit_archive_begin(f, format, filter);

	unit_archive_add(w, "lab/ok.c", AE_IFREG, "int ok;\n", NULL);
	unit_archive_add(w, name, type,
			 type == AE_IFREG && !link ? "x\n" : NULL, link);
	unit_archive_end(w);
}

static inline uint32_t unit_le32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline void unit_set_le32(unsigned char *p, uint32_t value)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(value >> (8 * i));
}

#define UNIT_ZIP_LOCAL	    0x04034b50 /* a local header's signature */
#define UNIT_ZIP_DESCRIPTOR 0x08074b50 /* a data descriptor's */
#define UNIT_ZIP_CENTRAL    0x02014b50 /* a central directory entry's */

/* Rewrites f->archive, a zip, after patch has seen each offset in it (p,
 * with left bytes from there to the end) and changed the records it
 * wants; asserts that it changed at least least of them. */
static inline void unit_zip_patch(struct unit_archive_fixture *f,
				  int (*patch)(unsigned char *p, size_t left,
					       const void *arg),
				  const void *arg, int least)
{
	struct hx_buf zip;
	int patched = 0;
	FILE *out;

	hx_buf_init(&zip);
	assert_int_equal(unit_read_file(f->archive, &zip), 0);
	for (size_t i = 0; i + 4 <= zip.len; i++)
		patched +=
		    patch((unsigned char *)zip.data + i, zip.len - i, arg);
	assert_true(patched >= least);
	out = fopen(f->archive, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(zip.data, 1, zip.len, out), zip.len);
	assert_int_equal(fclose(out), 0);
	hx_buf_free(&zip);
}

static inline void unit_unpack(struct unit_archive_fixture *f)
{
	sl_unpack(f->archive, f->dest, f->why, sizeof(f->why));
}

/* The archive is refused with want in the reason, and nothing of it is
 * left: not even the destination folder. */
static inline void unit_assert_refused(struct unit_archive_fixture *f,
				       const char *want)
{
	unit_unpack(f);
	if (!strstr(f->why, want))
		print_message("expected \"%s\", got \"%s\"\n", want, f->why);
	assert_non_null(strstr(f->why, want));
	assert_int_equal(access(f->dest, F_OK), -1);
	assert_int_equal(errno, ENOENT);
}

/* dest/name holds exactly text, mode 0644, with a time of its own. */
static inline void unit_assert_file(struct unit_archive_fixture *f,
				    const char *name, const char *text)
{
	char path[600];
	struct hx_buf data;
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", f->dest, name);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_true(st.st_mtime > 1);
	hx_buf_init(&data);
	assert_int_equal(unit_read_file(path, &data), 0);
	assert_int_equal(data.len, strlen(text));
	if (data.len)
		assert_memory_equal(data.data, text, data.len);
	hx_buf_free(&data);
}

#endif
