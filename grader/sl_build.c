/* sl_build.c - take a submission's declared files and compile its programs. */
#define _GNU_SOURCE
#include "sl_grade.h"
#include "sl_cache.h"
#include "sl_elf.h"
#include "sl_files.h"
#include "sl_scan.h"

#include "../harness/hx_time.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SL_DEFAULT_ROOT
#define SL_DEFAULT_ROOT "."
#endif

#define SL_COMPILE_MS                                                          \
	60000			/* the whole build of a submission (scaled),   \
				    unless SOCKLAB_BUILD_TIMEOUT_MS says */
#define SL_REPORT_MS	   5000 /* after it, for the build to say what it did */
#define SL_SOURCE_DIR	   "/src" /* the sources, inside the build sandbox */
#define SL_BUILD_WORK_MB   256	  /* its /work, where executables are written */
#define SL_BUILD_MEMORY_MB 2048	  /* memory of all its compilers together */
#define SL_MAX_EXECUTABLE  (64 << 20) /* largest executable kept */
#define SL_SEARCH_DEPTH	   3 /* folders a submission may nest its files in */
#define SL_GOLD		   "/usr/bin/ld.gold" /* the faster linker, where there is one */
/* Fixed compiler flags: every submission is built the same way. The
 * sources' folder inside the build sandbox is "." in what the linker, a
 * sanitizer or Valgrind says ("./server.c:37", not "/src/server.c:37"). */
static const char *const sl_cflags[] = {
    "-std=gnu11", "-Wall",    "-Wextra",
    "-g",	  "-pthread", "-fdebug-prefix-map=" SL_SOURCE_DIR "=.",
    NULL};
static const char *const sl_asan_flags[] = {
    "-fsanitize=address,undefined", "-fno-omit-frame-pointer",
    "-fno-sanitize-recover=undefined", NULL};

/* The build's deadline in milliseconds (before scaling). */
static int sl_compile_ms(void)
{
	const char *text = getenv("SOCKLAB_BUILD_TIMEOUT_MS");
	long ms = text && *text ? strtol(text, NULL, 10) : 0;

	return ms >= 1000 && ms <= 3600000 ? (int)ms : SL_COMPILE_MS;
}

const char *sl_root(void)
{
	const char *root = getenv("SOCKLAB_ROOT");

	return root && *root ? root : SL_DEFAULT_ROOT;
}

int sl_barrier_passage(const char *dir, char *err, size_t errlen)
{
	if (hx_sandbox_mode() != HX_MODE_BARRIER || chmod(dir, 0711) == 0)
		return 0;
	snprintf(err, errlen, "chmod %s: %s", dir, strerror(errno));
	return -1;
}

/* Declared files of lab present in dir. */
static int sl_count_declared(const struct sl_lab *lab, const char *dir)
{
	int count = 0;

	for (int i = 0; i < SL_MAX_FILES && lab->files[i]; i++) {
		char path[1200];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, lab->files[i]);
		count += lstat(path, &st) == 0;
	}
	return count;
}

/* One level of sl_find_lab_files: the best folder so far in best, its
 * count and depth. */
static void sl_search_files(const struct sl_lab *lab, const char *dir,
			    int depth, char *best, size_t size, int *best_count,
			    int *best_depth)
{
	int count = sl_count_declared(lab, dir);
	struct dirent *e;
	DIR *d;

	/* the most files; on a tie the shallowest, then the first by name,
	 * so the answer does not depend on the order folders are listed */
	if (count > *best_count ||
	    (count == *best_count && count > 0 &&
	     (depth < *best_depth ||
	      (depth == *best_depth && strcmp(dir, best) < 0)))) {
		*best_count = count;
		*best_depth = depth;
		snprintf(best, size, "%s", dir);
	}
	if (depth >= SL_SEARCH_DEPTH || !(d = opendir(dir)))
		return;
	while ((e = readdir(d))) {
		char path[1200];
		struct stat st;

		if (e->d_name[0] == '.' || strcmp(e->d_name, "__MACOSX") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			sl_search_files(lab, path, depth + 1, best, size,
					best_count, best_depth);
	}
	closedir(d);
}

int sl_find_lab_files(const struct sl_lab *lab, const char *dir, char *best,
		      size_t size, int *found)
{
	int depth = SL_SEARCH_DEPTH + 1;

	*found = 0;
	sl_search_files(lab, dir, 0, best, size, found, &depth);
	return *found > 0 ? 0 : -1;
}

int sl_submission_dir(const struct sl_lab *lab, const char *dir, char *out,
		      size_t size, char *err, size_t errlen)
{
	char name[128];
	struct stat st;
	int found;

	sl_lab_dirname(lab, name, sizeof(name));
	/* DIR may be the lab's own folder or a folder of labs */
	snprintf(out, size, "%s/%s", dir, name);
	if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "submission folder %s does not exist",
			 dir);
		return -1;
	}
	/* or an upload, a repository: wherever its files are (3 folders
	 * deep at most), as a batch looks for them */
	if (sl_count_declared(lab, dir) == 0 &&
	    sl_find_lab_files(lab, dir, out, size, &found) == 0)
		return 0;
	snprintf(out, size, "%s", dir);
	return 0;
}

/* mkdir -p */
static int sl_make_dirs(const char *path)
{
	char partial[512];

	for (size_t i = 1; path[i - 1]; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		snprintf(partial, sizeof(partial), "%.*s", (int)i, path);
		if (mkdir(partial, 0755) < 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

/* The whole of a small file (at most 1 MiB) into b; 0 or -1. */
static int sl_read_all(const char *path, struct hx_buf *b)
{
	char chunk[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return -1;
	while (b->len < (1 << 20) && (n = read(fd, chunk, sizeof(chunk))) > 0)
		hx_buf_add(b, chunk, (size_t)n);
	close(fd);
	return 0;
}

/* 1 for a file the lab takes from a submission or gives itself: not
 * one to list as ignored (a given file's copy is compared instead). */
static int sl_is_declared(const struct sl_lab *lab, const char *name)
{
	for (int i = 0; i < SL_MAX_FILES && lab->files[i]; i++)
		if (strcmp(lab->files[i], name) == 0)
			return 1;
	for (int i = 0; i < SL_MAX_FILES && lab->given[i]; i++)
		if (strcmp(lab->given[i], name) == 0)
			return 1;
	return 0;
}

/* 1 when the files at a and b hold the same bytes. */
static int sl_same_file(const char *a, const char *b)
{
	struct hx_buf x, y;
	int same = 0;

	hx_buf_init(&x);
	hx_buf_init(&y);
	if (sl_read_all(a, &x) == 0 && sl_read_all(b, &y) == 0)
		same = x.len == y.len && memcmp(x.data, y.data, x.len) == 0;
	hx_buf_free(&x);
	hx_buf_free(&y);
	return same;
}

static int sl_copy_file(const char *from, const char *to)
{
	char chunk[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	int out, rc = 0;
	ssize_t n;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, chunk, sizeof(chunk))) > 0)
		if (write(out, chunk, (size_t)n) != n) {
			rc = -1;
			break;
		}
	if (n < 0)
		rc = -1;
	close(in);
	if (close(out) < 0)
		rc = -1;
	return rc;
}

/* Files of a submission that are not the lab's, named in its feedback. */
#define SL_IGNORED_SHOWN 20

/* Copies the declared files; notes what is missing, refused or ignored. */
/* The lab's given files (its interface headers) come from the project:
 * a submission that changed them changes nothing the checks rely on. */
static void sl_take_given(struct sl_run *run)
{
	const struct sl_lab *lab = run->lab;
	struct sl_build *b = &run->build;
	char name[128];

	sl_lab_dirname(lab, name, sizeof(name));
	for (int i = 0; i < SL_MAX_FILES && lab->given[i]; i++) {
		char from[1200], to[1200];

		snprintf(from, sizeof(from), "%s/labs/%s/%s", sl_root(), name,
			 lab->given[i]);
		snprintf(to, sizeof(to), "%s/%s", b->src, lab->given[i]);
		if (sl_copy_file(from, to) < 0) {
			hx_buf_addf(
			    &b->files,
			    "the lab's own %s could not be read from %s: "
			    "%s (is socklab's folder complete?)\n",
			    lab->given[i], from, strerror(errno));
			continue;
		}
		snprintf(from, sizeof(from), "%s/%s", b->submission,
			 lab->given[i]);
		if (access(from, F_OK) == 0 && !sl_same_file(from, to))
			hx_buf_addf(
			    &b->files,
			    "%s differs from the lab's: the lab gives it, "
			    "so its own copy was used and yours "
			    "ignored\n",
			    lab->given[i]);
	}
}

/* A student's file that uses what sl_scan.h refuses is taken away, so
 * that nothing built from it runs, and the build check says why. */
static void sl_scan_file(struct sl_build *b, const char *name, const char *path)
{
	struct hx_buf text;
	char why[256];

	hx_buf_init(&text);
	if (sl_read_all(path, &text) == 0 &&
	    sl_scan_source(text.data ? text.data : "", text.len, why,
			   sizeof(why)) < 0) {
		unlink(path);
		hx_buf_addf(&b->files,
			    "%s, %s: refused (a solution needs none of it, and "
			    "the test drivers run your code in their own "
			    "process); take it out\n",
			    name, why);
	}
	hx_buf_free(&text);
}

static void sl_take_files(struct sl_run *run)
{
	const struct sl_lab *lab = run->lab;
	struct sl_build *b = &run->build;
	DIR *dir;
	struct dirent *e;
	int ignored = 0;

	for (int i = 0; i < SL_MAX_FILES && lab->files[i]; i++) {
		char from[1200], to[1200];
		struct stat st;

		snprintf(from, sizeof(from), "%s/%s", b->submission,
			 lab->files[i]);
		snprintf(to, sizeof(to), "%s/%s", b->src, lab->files[i]);
		if (lstat(from, &st) < 0)
			hx_buf_addf(&b->files, "%s is missing from %s\n",
				    lab->files[i], b->submission);
		else if (S_ISLNK(st.st_mode))
			hx_buf_addf(&b->files,
				    "%s is a symbolic link: refused; put the "
				    "file itself in %s\n",
				    lab->files[i], b->submission);
		else if (!S_ISREG(st.st_mode))
			hx_buf_addf(&b->files,
				    "%s is not a regular file: "
				    "refused\n",
				    lab->files[i]);
		else if (st.st_size > (1 << 20))
			hx_buf_addf(&b->files,
				    "%s is larger than 1 MiB: "
				    "refused\n",
				    lab->files[i]);
		else if (sl_copy_file(from, to) < 0)
			hx_buf_addf(&b->files, "%s could not be copied: %s\n",
				    lab->files[i], strerror(errno));
		else
			sl_scan_file(b, lab->files[i], to);
	}
	sl_take_given(run);
	dir = opendir(b->submission);
	if (!dir)
		return;
	/* a folder of many thousand files is named by a few of them */
	while ((e = readdir(dir)))
		if (e->d_name[0] != '.' && !sl_is_declared(lab, e->d_name) &&
		    ++ignored <= SL_IGNORED_SHOWN)
			hx_buf_addf(&b->ignored, "%s%s",
				    b->ignored.len ? ", " : "", e->d_name);
	closedir(dir);
	if (ignored > SL_IGNORED_SHOWN)
		hx_buf_addf(&b->ignored, " and %d more",
			    ignored - SL_IGNORED_SHOWN);
}

static int sl_program_has_files(struct sl_run *run,
				const struct sl_program *prog,
				struct hx_buf *log)
{
	int ok = 1;

	for (int i = 0; i < SL_MAX_SOURCES && prog->sources[i]; i++) {
		char path[1200];

		snprintf(path, sizeof(path), "%s/%s", run->build.src,
			 prog->sources[i]);
		if (access(path, R_OK) < 0) {
			hx_buf_addf(log,
				    "%s: %s was not submitted (or was "
				    "refused)\n",
				    prog->name, prog->sources[i]);
			ok = 0;
		}
	}
	return ok;
}

/* The project's support files a program needs, copied next to the
 * student's (in support/): the build sees nothing of the project else. */
static int sl_copy_support(struct sl_run *run, const struct sl_program *prog,
			   char *err, size_t errlen)
{
	char dir[700];

	snprintf(dir, sizeof(dir), "%s/support", run->build.src);
	for (int i = 0; i < SL_MAX_SOURCES && prog->support[i]; i++) {
		char from[1200], to[1200];

		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			goto out_errno;
		snprintf(from, sizeof(from), "%s/grader/checks/support/%s",
			 sl_root(), prog->support[i]);
		snprintf(to, sizeof(to), "%s/%s", dir, prog->support[i]);
		if (sl_copy_file(from, to) < 0)
			goto out_errno;
	}
	return 0;
out_errno:
	snprintf(err, errlen, "support file of %s: %s", prog->name,
		 strerror(errno));
	return -1;
}

/* One compilation: a program, plain or with the sanitizers. */
struct sl_compile {
	int program;	 /* index in the lab's programs */
	int asan;	 /* 1: the sanitizer build */
	char *argv[64];	 /* gcc's arguments, from argv[1] */
	char output[64]; /* the executable's name */
	char paths[2 * SL_MAX_SOURCES + 2][800]; /* room for arguments */
	char libs[256];	   /* the program's link flags, split in place */
	int driver;	   /* 1: a test driver linked with the student's
			      files (a program with support sources) */
	char key[65];	   /* its name in the build cache */
	int built;	   /* 1 once it built (from the sandbox) */
	int cut;	   /* 1: a compiler of it was stopped (a deadline, a
			      limit, a signal): not a build to keep */
	struct hx_buf log; /* what the compiler said */
	/* how the sandbox builds it: its objects, then one link */
	int objects[2 * SL_MAX_SOURCES]; /* indices in the job's objects */
	int nobjects;
	char *link[64]; /* the linker's arguments, from argv[1] */
};

/* One source compiled once for every program of the build that links
 * it, plain or with the sanitizers (wrappers.c once for the server, the
 * client and a test driver). */
struct sl_object {
	const char *source; /* as the compiler is given it */
	int asan;	    /* 1: with the sanitizers */
	char path[800];	    /* the object file, in the work folder */
	char *argv[32];	    /* the compiler's arguments, from argv[1] */
};

#define SL_MAX_OBJECTS 32

/* What the build sandbox needs; copied into it by fork. */
struct sl_build_job {
	struct sl_compile compiles[2 * SL_MAX_PROGRAMS]; /* what to run */
	int ncompiles;				  /* compilations in use */
	struct sl_object objects[SL_MAX_OBJECTS]; /* what they link */
	int nobjects;
	char src[700];	/* the sources, as the body sees them */
	char work[700]; /* where executables are written, likewise */
	int isolated;	/* 1 in a sealed sandbox */
	int compile_ms; /* deadline of every compilation together */
};

/* Puts the fixed flags (and the sanitizers', with asan) and the include
 * folder at the start of argv; returns how many. */
static int sl_flags(char **argv, int asan)
{
	int n = 0;

	for (int i = 0; sl_cflags[i]; i++)
		argv[n++] = (char *)sl_cflags[i];
	for (int i = 0; asan && sl_asan_flags[i]; i++)
		argv[n++] = (char *)sl_asan_flags[i];
	argv[n++] = "-I.";
	return n;
}

/* Fills one compilation's arguments: fixed flags, sources relative to
 * the source folder (the compiler runs there), output in the work one. */
static void sl_compile_args(const struct sl_program *prog, int asan,
			    const char *work, struct sl_compile *k)
{
	int n = 0, np = 0;

	snprintf(k->output, sizeof(k->output), "%s%s", prog->name,
		 asan ? ".asan" : "");
	n = sl_flags(k->argv, asan);
	k->argv[n++] = "-o";
	{
		/* work may live in the same job: joined aside, then copied */
		char path[sizeof(k->paths[0])];

		snprintf(path, sizeof(path), "%s/%s", work, k->output);
		memcpy(k->paths[np], path, sizeof(path));
	}
	k->argv[n++] = k->paths[np++];
	for (int i = 0; i < SL_MAX_SOURCES && prog->sources[i]; i++)
		k->argv[n++] = (char *)prog->sources[i];
	for (int i = 0; i < SL_MAX_SOURCES && prog->support[i]; i++) {
		snprintf(k->paths[np], sizeof(k->paths[np]), "support/%s",
			 prog->support[i]);
		k->argv[n++] = k->paths[np++];
	}
	k->driver = prog->support[0] != NULL;
	/* libs is a list of flags: "-lcmocka -lm" */
	snprintf(k->libs, sizeof(k->libs), "%s", prog->libs ? prog->libs : "");
	for (char *save, *flag = strtok_r(k->libs, " ", &save); flag && n < 62;
	     flag = strtok_r(NULL, " ", &save))
		k->argv[n++] = flag;
	k->argv[n] = NULL;
}

/* The index of source's object (plain or with the sanitizers) in job,
 * added if new; -1 when the job has no room. */
static int sl_object_of(struct sl_build_job *job, const char *source, int asan)
{
	struct sl_object *o;
	int n;

	for (int i = 0; i < job->nobjects; i++)
		if (job->objects[i].asan == asan &&
		    strcmp(job->objects[i].source, source) == 0)
			return i;
	if (job->nobjects == SL_MAX_OBJECTS)
		return -1;
	o = &job->objects[job->nobjects];
	o->source = source;
	o->asan = asan;
	snprintf(o->path, sizeof(o->path), "%s/obj-%d.o", job->work,
		 job->nobjects);
	n = sl_flags(o->argv, asan);
	o->argv[n++] = "-c";
	o->argv[n++] = (char *)source;
	o->argv[n++] = "-o";
	o->argv[n++] = o->path;
	o->argv[n] = NULL;
	return job->nobjects++;
}

/* Splits compilation k (gcc's arguments for the whole program) into its
 * objects and a link of them: the same flags, the sources replaced by
 * their objects. -1 when the job has no room for another object. */
static int sl_plan_link(struct sl_build_job *job, struct sl_compile *k)
{
	int n = 0, output = 0;

	/* gold links these programs in a third of the time the default
	 * linker takes with the sanitizers' runtime (16 ms against 44) */
	if (access(SL_GOLD, X_OK) == 0)
		k->link[n++] = "-fuse-ld=gold";
	for (int i = 0; k->argv[i] && n < 62; i++) {
		const char *arg = k->argv[i];
		size_t len = strlen(arg);
		int o;

		if (output || arg[0] == '-' || len < 3 ||
		    strcmp(arg + len - 2, ".c") != 0) {
			output = strcmp(arg, "-o") == 0;
			k->link[n++] = k->argv[i];
			continue;
		}
		o = sl_object_of(job, arg, k->asan);
		if (o < 0)
			return -1;
		k->objects[k->nobjects++] = o;
		k->link[n++] = job->objects[o].path;
	}
	k->link[n] = NULL;
	return 0;
}

/* Reads an executable the compiler wrote in the work folder into bytes
 * (the grader, not the sandbox, writes it to the build's folder). 0, or
 * -1 with why in log. */
static int sl_read_executable(const struct sl_build_job *job,
			      const struct sl_compile *k, struct hx_buf *bytes,
			      struct hx_buf *log)
{
	char path[800], chunk[65536];
	struct stat st;
	ssize_t n = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", job->work, k->output);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > SL_MAX_EXECUTABLE) {
		hx_buf_addf(log,
			    "socklab: %s is not a file of at most %d MiB\n",
			    k->output, SL_MAX_EXECUTABLE >> 20);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (bytes->len <= SL_MAX_EXECUTABLE &&
	       (n = read(fd, chunk, sizeof(chunk))) > 0)
		hx_buf_add(bytes, chunk, (size_t)n);
	close(fd);
	if (n < 0 || bytes->len > SL_MAX_EXECUTABLE) {
		hx_buf_addf(log, "socklab: could not read %s\n", k->output);
		return -1;
	}
	return 0;
}

/* Names a test driver's executable may define besides the student's
 * and its own static functions. */
static const char *const sl_driver_names[] = {"main",  "_start",     "_init",
					      "_fini", "data_start", NULL};

/* 1 if name is one the sanitizers' runtime defines, or for a test
 * driver, the C library. */
static int sl_library_name(const char *name, int driver)
{
	static const char *const runtime[] = {
	    "__asan_", "__lsan_", "__ubsan_", "__sanitizer_", "__tsan_", NULL};

	for (int i = 0; runtime[i]; i++)
		if (strncmp(name, runtime[i], strlen(runtime[i])) == 0)
			return 1;
	if (!driver)
		return 0;
	for (int i = 0; sl_driver_names[i]; i++)
		if (strcmp(name, sl_driver_names[i]) == 0)
			return 0;
	return dlsym(RTLD_DEFAULT, name) != NULL;
}

#define SL_MAX_REFUSED 16 /* refused names a build log lists */

/* What sl_check_symbols collects from an executable's table. */
struct sl_symbols {
	int driver;			   /* 1: a test driver's executable */
	const char *names[SL_MAX_REFUSED]; /* refused, as the table has them */
	int count;			   /* how many were refused */
};

static void sl_note_symbol(const char *name, void *arg)
{
	struct sl_symbols *found = arg;

	if (!sl_library_name(name, found->driver))
		return;
	if (found->count < SL_MAX_REFUSED)
		found->names[found->count] = name;
	found->count++;
}

static int sl_compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The refused names, in alphabetical order, joined into out. */
static void sl_join_names(struct sl_symbols *found, struct hx_buf *out)
{
	int shown =
	    found->count < SL_MAX_REFUSED ? found->count : SL_MAX_REFUSED;

	qsort(found->names, (size_t)shown, sizeof(found->names[0]),
	      sl_compare_names);
	for (int i = 0; i < shown; i++)
		hx_buf_addf(out, "%s%s", i ? ", " : "", found->names[i]);
	if (found->count > shown)
		hx_buf_addf(out, " and %d more", found->count - shown);
}

/* A test driver runs the student's code in its own process and judges
 * it with the C library's functions (memcmp, printf, ...): a student's
 * file that defines one of them would judge itself. And no program may
 * define a sanitizer's hook (__lsan_is_turned_off turns the leak checker
 * off). 0, or -1 with the names in log. */
static int sl_check_symbols(const struct sl_compile *k,
			    const struct hx_buf *exe, struct hx_buf *log)
{
	struct sl_symbols found = {.driver = k->driver};
	struct hx_buf names;
	int rc = 0, listed;

	hx_buf_init(&names);
	listed = sl_elf_functions((const unsigned char *)exe->data, exe->len,
				  sl_note_symbol, &found);
	if (listed == 0)
		sl_join_names(&found, &names);
	if (listed < 0) {
		hx_buf_addf(log, "socklab: could not list the symbols of %s\n",
			    k->output);
		rc = -1;
	} else if (found.count && k->driver) {
		hx_buf_addf(log,
			    "socklab: the test driver %s is linked with your "
			    "files, and they define %s, which the C library "
			    "or the sanitizers already have: the driver would "
			    "run yours instead. Make such a function static, "
			    "or give it a name of its own.\n",
			    k->output, names.data);
		rc = -1;
	} else if (found.count) {
		hx_buf_addf(log,
			    "socklab: %s defines %s, a hook of the sanitizers "
			    "the checks run your programs with: refused, take "
			    "it out.\n",
			    k->output, names.data);
		rc = -1;
	}
	hx_buf_free(&names);
	return rc;
}

/* Starts the compiler with args (from argv[1]) in the build's check. */
static struct hx_proc *sl_start_compiler(struct hx_check *c,
					 const struct sl_build_job *job,
					 const char *label, char *const *args)
{
	struct hx_spawn spawn = {
	    .label = label,
	    .program = SL_COMPILER,
	    .args = (const char *const *)args,
	    .cwd = job->src,
	    .cpu_seconds = job->compile_ms / 1000,
	};

	return hx_start_with(c, &spawn);
}

/* Waits for a compiler (NULL: it did not start) until deadline and adds
 * what it said to log. 1 when it ended well; *cut set when it did not end
 * by itself. */
static int sl_compiler_done(struct hx_check *c, const struct sl_build_job *job,
			    struct hx_proc *p, int64_t deadline,
			    struct hx_buf *log, int *cut)
{
	if (!p) {
		hx_buf_addf(log, "%s\n", c->message.data);
		*cut = 1;
		return 0;
	}
	if (hx_proc_wait(c, p, hx_remaining_ms(deadline)) < 0 && p->timed_out) {
		*cut = 1;
		hx_buf_add(log, p->err.data, p->err.len);
		hx_buf_addf(log,
			    "the compiler did not finish within %d s and was "
			    "stopped\n",
			    job->compile_ms / 1000);
		return 0;
	}
	hx_buf_add(log, p->out.data, p->out.len);
	hx_buf_add(log, p->err.data, p->err.len);
	if (p->exited && WIFSIGNALED(p->wait_status)) {
		struct hx_buf how;

		*cut = 1;
		hx_buf_init(&how);
		hx_proc_describe_end(p, &how);
		hx_buf_addf(log, "the compiler was %s\n", how.data);
		hx_buf_free(&how);
	}
	return p->exited && WIFEXITED(p->wait_status) &&
	       WEXITSTATUS(p->wait_status) == 0;
}

/* The build sandbox's body: every object at once, then every link, one
 * deadline for them all; then per compilation its index, whether it
 * built, what the compiler said (of its objects and its link) and the
 * executable, as frames. */
static void sl_build_body(int fd, void *arg)
{
	const struct sl_build_job *job = arg;
	struct hx_proc *procs[SL_MAX_OBJECTS] = {NULL};
	struct hx_proc *links[2 * SL_MAX_PROGRAMS] = {NULL};
	struct hx_buf logs[SL_MAX_OBJECTS];
	int compiled[SL_MAX_OBJECTS], cut[SL_MAX_OBJECTS] = {0};
	int64_t deadline = hx_deadline(job->compile_ms);
	struct hx_buf out;
	struct hx_check c;

	hx_check_init(&c, "build", 1);
	c.work_dir = job->work;
	c.bin_dir = job->work;
	c.isolated = job->isolated;
	hx_buf_init(&out);
	for (int i = 0; i < job->nobjects; i++)
		procs[i] = sl_start_compiler(&c, job, job->objects[i].source,
					     job->objects[i].argv);
	for (int i = 0; i < job->nobjects; i++) {
		hx_buf_init(&logs[i]);
		compiled[i] = sl_compiler_done(&c, job, procs[i], deadline,
					       &logs[i], &cut[i]);
	}
	for (int i = 0; i < job->ncompiles; i++) {
		const struct sl_compile *k = &job->compiles[i];
		int ready = 1;

		for (int j = 0; j < k->nobjects; j++)
			ready &= compiled[k->objects[j]];
		if (ready)
			links[i] =
			    sl_start_compiler(&c, job, k->output, k->link);
	}
	for (int i = 0; i < job->ncompiles; i++) {
		const struct sl_compile *k = &job->compiles[i];
		struct hx_buf log, exe;
		char number[16];
		int built = 1, stopped = 0;

		hx_buf_init(&log);
		for (int j = 0; j < k->nobjects; j++) {
			const struct hx_buf *said = &logs[k->objects[j]];

			hx_buf_add(&log, said->data, said->len);
			built &= compiled[k->objects[j]];
			stopped |= cut[k->objects[j]];
		}
		if (built)
			built = sl_compiler_done(&c, job, links[i], deadline,
						 &log, &stopped);
		hx_buf_init(&exe);
		if (built && (sl_read_executable(job, k, &exe, &log) < 0 ||
			      sl_check_symbols(k, &exe, &log) < 0))
			built = 0;
		snprintf(number, sizeof(number), "%d", i);
		hx_frame_put(&out, 'P', number, strlen(number));
		hx_frame_put(&out, 'R', built ? "1" : "0", 1);
		if (stopped)
			hx_frame_put(&out, 'C', "1", 1);
		hx_frame_put(&out, 'L', log.data, log.len);
		if (built)
			hx_frame_put(&out, 'F', exe.data, exe.len);
		hx_buf_free(&exe);
		hx_buf_free(&log);
	}
	for (int i = 0; i < job->nobjects; i++)
		hx_buf_free(&logs[i]);
	hx_frame_put(&out, '.', "", 0);
	hx_write_all(fd, out.data, out.len);
	hx_buf_free(&out);
	hx_check_free(&c);
}

/* Writes an executable the build sent into the build's programs folder. */
static int sl_write_executable(const char *dir, const char *name,
			       const char *bytes, size_t len)
{
	char path[1200];
	int fd, rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0755);
	if (fd < 0)
		return -1;
	rc = hx_write_all(fd, bytes, len);
	if (close(fd) < 0)
		rc = -1;
	return rc;
}

/* Reads the build sandbox's frames into the run: built, logs, programs. */
static void sl_read_build(struct sl_run *run, struct sl_build_job *job,
			  const struct hx_buf *data)
{
	struct sl_build *b = &run->build;
	struct sl_compile *k = NULL;
	const char *bytes;
	size_t at = 0;
	uint32_t n;
	char tag;

	while (hx_frame_next(data, &at, &tag, &bytes, &n) == 1) {
		char number[16];
		long i;

		switch (tag) {
		case 'P':
			snprintf(number, sizeof(number), "%.*s",
				 (int)(n < 15 ? n : 15), bytes);
			i = strtol(number, NULL, 10);
			k = i >= 0 && i < job->ncompiles ? &job->compiles[i]
							 : NULL;
			break;
		case 'R':
			if (k)
				k->built = n == 1 && bytes[0] == '1';
			break;
		case 'C':
			if (k)
				k->cut = 1;
			break;
		case 'L':
			if (k)
				hx_buf_add(&k->log, bytes,
					   n < (256 << 10) ? n : 256 << 10);
			break;
		case 'F':
			if (k && sl_write_executable(b->bin, k->output, bytes,
						     n) < 0) {
				k->built = 0;
				hx_buf_addf(&k->log, "could not save %s: %s\n",
					    k->output, strerror(errno));
			}
			break;
		default:
			break;
		}
	}
}

/* What one compilation gave goes to the run (the sanitizer build's words
 * are the plain build's again) and, with store, to the cache, unless a
 * compiler of it was stopped: another run may have the time it lacked. */
static void sl_take_result(struct sl_run *run, struct sl_compile *k, int store)
{
	struct sl_build *b = &run->build;
	char exe[1200];

	if (!k->asan) {
		b->built[k->program] = k->built;
		hx_buf_add(&b->log[k->program], k->log.data, k->log.len);
	}
	if (store && !k->cut && run->opt.build_cache) {
		snprintf(exe, sizeof(exe), "%s/%s", b->bin, k->output);
		sl_cache_store(run->opt.build_cache, k->key, k->built, &k->log,
			       exe);
	}
	hx_buf_free(&k->log);
}

/* 1 when a selected check runs program (with the sanitizers, when asan):
 * what no selected check needs is not built. The build check judges
 * every program. */
static int sl_needed(const struct sl_run *run, const char *program, int asan)
{
	for (int i = 0; i < run->lab->nchecks; i++) {
		const struct sl_check *check = &run->lab->checks[i];
		const char *p = check->programs ? check->programs : "";

		if (!run->results[i].selected ||
		    (asan && !(check->flags & SL_SANITIZE)))
			continue;
		if (!check->run && !asan)
			return 1;
		while (*p) {
			size_t len = strcspn(p, " ");

			if (len == strlen(program) &&
			    strncmp(p, program, len) == 0)
				return 1;
			p += len;
			p += strspn(p, " ");
		}
	}
	return 0;
}

/* A pipe of tokens: a build takes one before it starts and gives it
 * back when done, so builds of labs graded at once share the cores. */
static int sl_tokens[2] = {-1, -1};

int sl_build_tokens_open(long n)
{
	if (pipe2(sl_tokens, O_CLOEXEC) < 0)
		return -1;
	for (long i = 0; i < (n > 0 ? n : 1); i++)
		if (write(sl_tokens[1], "t", 1) != 1)
			return -1;
	return 0;
}

void sl_build_tokens_close(void)
{
	for (int i = 0; i < 2; i++)
		if (sl_tokens[i] >= 0) {
			close(sl_tokens[i]);
			sl_tokens[i] = -1;
		}
}

/* Takes a token (waiting at most timeout_ms); 1 when one was taken, 0
 * when there are no tokens (a single lab), -1 on the deadline. */
static int sl_take_token(int timeout_ms)
{
	struct pollfd pfd = {.fd = sl_tokens[0], .events = POLLIN};
	int64_t deadline = hx_deadline(timeout_ms);
	char token;

	if (sl_tokens[0] < 0)
		return 0;
	for (;;) {
		if (sl_stop_signal)
			return -1;
		if (poll(&pfd, 1, hx_remaining_ms(deadline)) > 0 &&
		    read(sl_tokens[0], &token, 1) == 1)
			return 1;
		if (hx_remaining_ms(deadline) == 0)
			return -1;
	}
}

static void sl_give_token(int taken)
{
	if (taken == 1 && write(sl_tokens[1], "t", 1) != 1) {
		/* a lost token slows the other labs' builds, no more */
	}
}

/* Compiles every program (and its sanitizer build) in one build
 * sandbox: only the submission's declared files and the lab's support
 * files in it, no network, limits on CPU, memory, files and processes,
 * one deadline; every compiler dies with the sandbox. */
static int sl_compile_all(struct sl_run *run, char *err, size_t errlen)
{
	static struct sl_build_job job;
	struct sl_build *b = &run->build;
	struct hx_sandbox_spec spec;
	struct hx_sandbox sb;
	int isolated = hx_sandbox_probe(), taken;

	memset(&job, 0, sizeof(job));
	job.isolated = isolated;
	job.compile_ms = sl_compile_ms();
	if (isolated) {
		snprintf(job.src, sizeof(job.src), "%s", SL_SOURCE_DIR);
		snprintf(job.work, sizeof(job.work), "%s", HX_WORK_DIR);
	} else {
		snprintf(job.src, sizeof(job.src), "%s", b->src);
		snprintf(job.work, sizeof(job.work), "%s/work-build", b->root);
		if (mkdir(job.work, 0755) < 0 && errno != EEXIST) {
			snprintf(err, errlen, "mkdir %s: %s", job.work,
				 strerror(errno));
			return -1;
		}
		/* the compiler's uid reaches its sources and its work
		 * folder only */
		if (sl_barrier_passage(b->root, err, errlen) < 0)
			return -1;
	}
	for (int i = 0; i < SL_MAX_PROGRAMS && run->lab->programs[i].name;
	     i++) {
		const struct sl_program *prog = &run->lab->programs[i];

		if (!sl_needed(run, prog->name, 0) ||
		    !sl_program_has_files(run, prog, &b->log[i]))
			continue;
		if (sl_copy_support(run, prog, err, errlen) < 0)
			return -1;
		for (int a = 0; a <= 1; a++) {
			struct sl_compile *k = &job.compiles[job.ncompiles];

			if (a && !sl_needed(run, prog->name, 1))
				continue;
			memset(k, 0, sizeof(*k));
			k->program = i;
			k->asan = a;
			sl_compile_args(prog, a, job.work, k);
			hx_buf_init(&k->log);
			sl_cache_key(run, prog, (const char *const *)k->argv,
				     k->key);
			/* the same files built before: taken as they were */
			if (run->opt.build_cache &&
			    sl_cache_load(run->opt.build_cache, k->key, b->bin,
					  k->output, &k->built, &k->log) == 1) {
				sl_take_result(run, k, 0);
				continue;
			}
			if (sl_plan_link(&job, k) < 0) {
				snprintf(err, errlen,
					 "more than %d sources to compile",
					 SL_MAX_OBJECTS);
				return -1;
			}
			job.ncompiles++;
		}
	}
	if (job.ncompiles == 0)
		goto out_judge;
	hx_sandbox_spec_init(&spec, isolated, job.compile_ms + SL_REPORT_MS,
			     sl_build_body, &job);
	spec.work_host = isolated ? NULL : job.work;
	spec.read_host = isolated ? NULL : job.src;
	spec.root.mounts[0] = (struct hx_mount){
	    .host = b->src,
	    .inside = SL_SOURCE_DIR,
	};
	spec.root.nmounts = 1;
	spec.root.work_mb = SL_BUILD_WORK_MB;
	spec.budget.memory_mb = SL_BUILD_MEMORY_MB;
	/* several labs at once: one build per core */
	taken = sl_take_token(job.compile_ms * 2);
	if (taken < 0) {
		snprintf(err, errlen, "%s",
			 sl_stop_signal ? "stopped"
					: "no turn to build in time");
		return -1;
	}
	if (hx_sandbox_start(&sb, &spec, err, errlen) < 0) {
		sl_give_token(taken);
		return -1;
	}
	while (!hx_sandbox_poll(&sb)) {
		struct pollfd pfd = {.fd = sb.verdict_fd, .events = POLLIN};

		if (sl_stopped(err, errlen)) {
			hx_sandbox_kill(&sb);
			hx_buf_free(&sb.data);
			sl_give_token(taken);
			return -1;
		}
		poll(&pfd, 1, hx_remaining_ms(sb.deadline) + 1);
	}
	sl_give_token(taken);
	if (hx_sandbox_setup_error(&sb))
		hx_buf_addf(&job.compiles[0].log,
			    "the build could not start: sandbox setup: %s\n",
			    hx_sandbox_setup_error(&sb));
	else
		sl_read_build(run, &job, &sb.data);
	for (int i = 0; i < job.ncompiles; i++) {
		struct sl_compile *k = &job.compiles[i];

		if (sb.timed_out && !k->built)
			hx_buf_addf(&k->log,
				    "the build did not finish within "
				    "%d s and was stopped\n",
				    job.compile_ms / 1000);
		/* a build cut short by the machine is not one to keep */
		sl_take_result(run, k,
			       !sb.timed_out && !hx_sandbox_setup_error(&sb));
	}
	hx_buf_free(&sb.data);
out_judge:
	for (int i = 0; i < SL_MAX_PROGRAMS && run->lab->programs[i].name; i++)
		b->warnings[i] =
		    b->built[i] && strstr(b->log[i].data ? b->log[i].data : "",
					  "warning:") != NULL;
	return 0;
}

int sl_build_lab(struct sl_run *run, char *err, size_t errlen)
{
	struct sl_build *b = &run->build;
	const char *tmp = getenv("TMPDIR");

	hx_buf_init(&b->files);
	hx_buf_init(&b->ignored);
	for (int i = 0; i < SL_MAX_PROGRAMS; i++)
		hx_buf_init(&b->log[i]);
	if (sl_submission_dir(run->lab, run->opt.dir, b->submission,
			      sizeof(b->submission), err, errlen) < 0)
		return -1;
	snprintf(b->root, sizeof(b->root), "%s/socklab.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (run->opt.out) {
		/* a fixed folder (make's reference builds), kept afterwards */
		snprintf(b->root, sizeof(b->root), "%s", run->opt.out);
		run->opt.keep = 1;
		if (sl_make_dirs(b->root) < 0) {
			snprintf(err, errlen, "mkdir %s: %s", b->root,
				 strerror(errno));
			return -1;
		}
	} else if (!mkdtemp(b->root)) {
		snprintf(err, errlen, "mkdtemp %s: %s", b->root,
			 strerror(errno));
		return -1;
	}
	snprintf(b->src, sizeof(b->src), "%s/src", b->root);
	snprintf(b->bin, sizeof(b->bin), "%s/bin", b->root);
	if ((mkdir(b->src, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(b->bin, 0755) < 0 && errno != EEXIST)) {
		snprintf(err, errlen, "mkdir in %s: %s", b->root,
			 strerror(errno));
		return -1;
	}
	sl_take_files(run);
	return sl_compile_all(run, err, errlen);
}

void sl_build_cleanup(struct sl_run *run)
{
	struct sl_build *b = &run->build;

	if (b->root[0] && !run->opt.keep)
		sl_remove_tree(b->root);
	hx_buf_free(&b->files);
	hx_buf_free(&b->ignored);
	for (int i = 0; i < SL_MAX_PROGRAMS; i++)
		hx_buf_free(&b->log[i]);
}
