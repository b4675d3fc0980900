/* sl_cache.c - builds named by what went into them, reused: a batch
 * compiles a submission's program once however many students hand in
 * the same files, and a program no selected check needs is not built.
 *
 * An entry is a folder named by the SHA-256 of the compiler, its flags,
 * the program's name and every file that goes into it (the student's,
 * the lab's given header, the support files); it holds whether the
 * program built, what the compiler said, and the executable. Entries are
 * written by the grader only, never by a sandbox, whole or not at all
 * (a folder renamed into place).
 */
#define _GNU_SOURCE
#include "sl_grade.h"
#include "sl_cache.h"
#include "sl_files.h"
#include "sl_sha256.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SL_CACHE_VERSION "socklab-build-1"

/* Adds a file's name and bytes to the hash; a missing file counts as
 * absent, not as empty. */
static void sl_hash_file(struct sl_sha256 *h, const char *dir, const char *name)
{
	char path[1200], chunk[16384];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	sl_sha256_add(h, name, strlen(name) + 1);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		sl_sha256_add(h, "-", 2);
		return;
	}
	sl_sha256_add(h, "+", 2);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		sl_sha256_add(h, chunk, (size_t)n);
	close(fd);
	sl_sha256_add(h, "", 1);
}

void sl_cache_key(const struct sl_run *run, const struct sl_program *prog,
		  const char *const *argv, char key[65])
{
	const struct sl_lab *lab = run->lab;
	char support[700];
	struct sl_sha256 h;

	sl_sha256_init(&h);
	sl_sha256_add(&h, SL_CACHE_VERSION, sizeof(SL_CACHE_VERSION));
	/* the compiler's arguments say the flags, the output's name (and
	 * so whether it is the sanitizer build), the sources and libraries */
	for (int i = 0; argv[i]; i++)
		sl_sha256_add(&h, argv[i], strlen(argv[i]) + 1);
	sl_sha256_add(&h, prog->name, strlen(prog->name) + 1);
	for (int i = 0; i < SL_MAX_SOURCES && prog->sources[i]; i++)
		sl_hash_file(&h, run->build.src, prog->sources[i]);
	for (int i = 0; i < SL_MAX_FILES && lab->given[i]; i++)
		sl_hash_file(&h, run->build.src, lab->given[i]);
	snprintf(support, sizeof(support), "%s/support", run->build.src);
	for (int i = 0; i < SL_MAX_SOURCES && prog->support[i]; i++)
		sl_hash_file(&h, support, prog->support[i]);
	sl_sha256_hex(&h, key);
}

static int sl_read_to(const char *path, struct hx_buf *into)
{
	char chunk[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		hx_buf_add(into, chunk, (size_t)n);
	close(fd);
	return n < 0 ? -1 : 0;
}

static int sl_write_to(const char *path, const void *data, size_t len,
		       mode_t mode)
{
	int fd = open(
	    path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	int rc;

	if (fd < 0)
		return -1;
	rc = hx_write_all(fd, data, len);
	if (close(fd) < 0)
		rc = -1;
	return rc;
}

int sl_cache_load(const char *dir, const char *key, const char *bin,
		  const char *output, int *built, struct hx_buf *log)
{
	char path[1200], to[1200];
	struct hx_buf state, exe;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/%s/built", dir, key);
	hx_buf_init(&state);
	hx_buf_init(&exe);
	if (sl_read_to(path, &state) < 0 || state.len != 1)
		goto out_free;
	*built = state.data[0] == '1';
	snprintf(path, sizeof(path), "%s/%s/log", dir, key);
	if (sl_read_to(path, log) < 0)
		goto out_free;
	if (*built) {
		snprintf(path, sizeof(path), "%s/%s/exe", dir, key);
		snprintf(to, sizeof(to), "%s/%s", bin, output);
		if (sl_read_to(path, &exe) < 0 ||
		    sl_write_to(to, exe.data ? exe.data : "", exe.len, 0755) <
			0)
			goto out_free;
	}
	rc = 1;
out_free:
	hx_buf_free(&state);
	hx_buf_free(&exe);
	return rc;
}

void sl_cache_store(const char *dir, const char *key, int built,
		    const struct hx_buf *log, const char *exe_path)
{
	char tmp[1100], path[1200], final[1200];
	struct hx_buf exe;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return;
	snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, key);
	if (!mkdtemp(tmp))
		return;
	hx_buf_init(&exe);
	snprintf(path, sizeof(path), "%s/log", tmp);
	if (sl_write_to(path, log->data ? log->data : "", log->len, 0600) < 0)
		goto out_remove;
	if (built) {
		snprintf(path, sizeof(path), "%s/exe", tmp);
		if (sl_read_to(exe_path, &exe) < 0 ||
		    sl_write_to(path, exe.data ? exe.data : "", exe.len, 0700) <
			0)
			goto out_remove;
	}
	/* "built" last: an entry without it is not one */
	snprintf(path, sizeof(path), "%s/built", tmp);
	if (sl_write_to(path, built ? "1" : "0", 1, 0600) < 0)
		goto out_remove;
	snprintf(final, sizeof(final), "%s/%s", dir, key);
	if (rename(tmp, final) == 0)
		goto out_free;
out_remove:
	/* another worker stored the same build first, or a write failed */
	sl_remove_tree(tmp);
out_free:
	hx_buf_free(&exe);
}
