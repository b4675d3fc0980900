/* sl_cache.c - builds named by what went into them, reused: a batch
 * compiles a submission's program once however many students hand in
 * the same files, and `make grade` compiles again only the labs whose
 * files changed since the last time.
 *
 * An entry is a folder named by the SHA-256 of the compiler (its file's
 * identity), its flags, the program's name and every file the build can
 * see (all the lab's files of the student, since one may include
 * another, the lab's given header, the support files of every program);
 * it holds whether the program built, what the compiler said, and the
 * executable. Entries are written by the grader only, never by a sandbox,
 * whole or not at all (a folder renamed into place), and removed the same
 * way (renamed away first), so that a reader sees an entry whole or not
 * at all. A folder that outlives one run is trimmed to its most recently
 * used entries (sl_cache_trim).
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
#include <time.h>
#include <unistd.h>

#define SL_CACHE_VERSION "socklab-build-2"
/* a half-written entry left by a run that died is removed after this */
#define SL_CACHE_STALE_S 3600

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

/* Adds the compiler's identity: a compiler upgraded in place is another
 * file (another size, inode or time), and its builds are others. */
static void sl_hash_compiler(struct sl_sha256 *h)
{
	struct stat st;
	long long id[5] = {0};

	if (stat(SL_COMPILER, &st) == 0) {
		id[0] = (long long)st.st_ino;
		id[1] = (long long)st.st_size;
		id[2] = (long long)st.st_mtim.tv_sec;
		id[3] = (long long)st.st_mtim.tv_nsec;
		id[4] = (long long)st.st_ctim.tv_sec;
	}
	sl_sha256_add(h, SL_COMPILER, sizeof(SL_COMPILER));
	sl_sha256_add(h, id, sizeof(id));
}

void sl_cache_key(const struct sl_run *run, const struct sl_program *prog,
		  const char *const *argv, char key[65])
{
	const struct sl_lab *lab = run->lab;
	char support[700];
	struct sl_sha256 h;

	sl_sha256_init(&h);
	sl_sha256_add(&h, SL_CACHE_VERSION, sizeof(SL_CACHE_VERSION));
	sl_hash_compiler(&h);
	/* the compiler's arguments say the flags, the output's name (and
	 * so whether it is the sanitizer build), the sources and libraries */
	for (int i = 0; argv[i]; i++) {
		const char *arg = argv[i];

		/* the output's folder is a new one each run where the build
		 * has no sandbox of its own: its name only */
		if (i > 0 && strcmp(argv[i - 1], "-o") == 0 &&
		    strrchr(arg, '/'))
			arg = strrchr(arg, '/') + 1;
		sl_sha256_add(&h, arg, strlen(arg) + 1);
	}
	sl_sha256_add(&h, prog->name, strlen(prog->name) + 1);
	/* every file of the student's, not only the program's sources: a
	 * source may #include any of them */
	for (int i = 0; i < SL_MAX_FILES && lab->files[i]; i++)
		sl_hash_file(&h, run->build.src, lab->files[i]);
	for (int i = 0; i < SL_MAX_FILES && lab->given[i]; i++)
		sl_hash_file(&h, run->build.src, lab->given[i]);
	/* the support files of every program, from the project (a build
	 * copies those of the programs it needs) */
	snprintf(support, sizeof(support), "%s/grader/checks/support",
		 sl_root());
	for (int p = 0; p < SL_MAX_PROGRAMS && lab->programs[p].name; p++)
		for (int i = 0;
		     i < SL_MAX_SOURCES && lab->programs[p].support[i]; i++)
			sl_hash_file(&h, support, lab->programs[p].support[i]);
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
	struct hx_buf state, said, exe;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/%s/built", dir, key);
	hx_buf_init(&state);
	hx_buf_init(&said);
	hx_buf_init(&exe);
	if (sl_read_to(path, &state) < 0 || state.len != 1)
		goto out_free;
	snprintf(path, sizeof(path), "%s/%s/log", dir, key);
	if (sl_read_to(path, &said) < 0)
		goto out_free;
	if (state.data[0] == '1') {
		snprintf(path, sizeof(path), "%s/%s/exe", dir, key);
		snprintf(to, sizeof(to), "%s/%s", bin, output);
		if (sl_read_to(path, &exe) < 0 ||
		    sl_write_to(to, exe.data ? exe.data : "", exe.len, 0755) <
			0)
			goto out_free;
	}
	/* only a whole entry counts: one removed while it was read is a
	 * miss, and the build is made again */
	*built = state.data[0] == '1';
	hx_buf_add(log, said.data, said.len);
	/* used now: the last to go when the folder is trimmed */
	snprintf(path, sizeof(path), "%s/%s", dir, key);
	utimensat(AT_FDCWD, path, NULL, 0);
	rc = 1;
out_free:
	hx_buf_free(&state);
	hx_buf_free(&said);
	hx_buf_free(&exe);
	return rc;
}

/* Removes an entry: renamed away first, so that no reader finds it half
 * removed. */
static void sl_entry_remove(const char *dir, const char *name)
{
	char from[1200], to[1200];

	snprintf(from, sizeof(from), "%s/%s", dir, name);
	snprintf(to, sizeof(to), "%s/.gone.%s.%ld", dir, name, (long)getpid());
	if (rename(from, to) == 0)
		sl_remove_tree(to);
}

/* 1 when dir's entry key is whole: "built" says 0 or 1, the log is
 * there, and the executable when it built. */
static int sl_entry_whole(const char *dir, const char *key)
{
	char path[1200], state = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s/built", dir, key);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	if (read(fd, &state, 1) != 1)
		state = 0;
	close(fd);
	if (state != '0' && state != '1')
		return 0;
	snprintf(path, sizeof(path), "%s/%s/log", dir, key);
	if (access(path, F_OK) < 0)
		return 0;
	snprintf(path, sizeof(path), "%s/%s/exe", dir, key);
	return state == '0' || access(path, F_OK) == 0;
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
	/* an entry there that is not whole (its files were lost) is
	 * replaced; a whole one is another worker's, stored first */
	if (!sl_entry_whole(dir, key)) {
		sl_entry_remove(dir, key);
		if (rename(tmp, final) == 0)
			goto out_free;
	}
out_remove:
	/* another worker stored the same build first, or a write failed */
	sl_remove_tree(tmp);
out_free:
	hx_buf_free(&exe);
}

/* One entry of a folder being trimmed. */
struct sl_cache_entry {
	char name[80];
	struct timespec used; /* its folder's time: stored or last loaded */
	long long bytes;
};

/* Newest first. */
static int sl_by_use(const void *a, const void *b)
{
	const struct sl_cache_entry *x = a, *y = b;

	if (x->used.tv_sec != y->used.tv_sec)
		return x->used.tv_sec < y->used.tv_sec ? 1 : -1;
	if (x->used.tv_nsec != y->used.tv_nsec)
		return x->used.tv_nsec < y->used.tv_nsec ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* Bytes of the files of an entry's folder. */
static long long sl_entry_bytes(const char *dir, const char *name)
{
	static const char *const parts[] = {"built", "log", "exe"};
	long long bytes = 0;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		char path[1200];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s/%s", dir, name, parts[i]);
		if (lstat(path, &st) == 0)
			bytes += (long long)st.st_size;
	}
	return bytes;
}

int sl_cache_trim(const char *dir, int max_entries, long long max_bytes)
{
	struct sl_cache_entry *e = NULL;
	int n = 0, room = 0, removed = 0;
	long long kept_bytes = 0;
	time_t now = time(NULL);
	struct dirent *d;
	DIR *folder = opendir(dir);

	if (!folder)
		return errno == ENOENT ? 0 : -1;
	while ((d = readdir(folder))) {
		char path[1200];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (d->d_name[0] == '.') {
			/* a write or a removal that a dead run left half
			 * done (another run's is younger) */
			if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") &&
			    lstat(path, &st) == 0 &&
			    now - st.st_mtim.tv_sec > SL_CACHE_STALE_S)
				sl_remove_tree(path);
			continue;
		}
		if (strlen(d->d_name) != 64 || lstat(path, &st) < 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		/* one that lost files is no use to anyone */
		if (!sl_entry_whole(dir, d->d_name)) {
			sl_entry_remove(dir, d->d_name);
			removed++;
			continue;
		}
		if (n == room) {
			struct sl_cache_entry *more;

			room = room ? 2 * room : 256;
			more = realloc(e, (size_t)room * sizeof(*e));
			if (!more) {
				closedir(folder);
				free(e);
				return -1;
			}
			e = more;
		}
		snprintf(e[n].name, sizeof(e[n].name), "%s", d->d_name);
		e[n].used = st.st_mtim;
		e[n].bytes = sl_entry_bytes(dir, d->d_name);
		n++;
	}
	closedir(folder);
	if (n > 1)
		qsort(e, (size_t)n, sizeof(*e), sl_by_use);
	for (int i = 0; i < n; i++) {
		if (i < max_entries && kept_bytes + e[i].bytes <= max_bytes) {
			kept_bytes += e[i].bytes;
			continue;
		}
		sl_entry_remove(dir, e[i].name);
		removed++;
	}
	free(e);
	return removed;
}
