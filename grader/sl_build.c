/* sl_build.c - take a submission's declared files and compile its programs. */
#define _GNU_SOURCE
#include "sl_grade.h"

#include "../harness/hx_time.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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

/* Fixed compiler flags: every submission is built the same way. */
#define SL_CC "gcc"
#define SL_COMPILE_MS 60000 /* one program's compilation (scaled) */
static const char *const sl_cflags[] = { "-std=gnu11", "-Wall", "-Wextra",
					 "-g", "-pthread", NULL };
static const char *const sl_asan_flags[] = {
	"-fsanitize=address,undefined", "-fno-omit-frame-pointer",
	"-fno-sanitize-recover=undefined", NULL
};

const char *sl_root(void)
{
	const char *root = getenv("SOCKLAB_ROOT");

	return root && *root ? root : SL_DEFAULT_ROOT;
}

int sl_submission_dir(const struct sl_lab *lab, const char *dir, char *out,
		      size_t size, char *err, size_t errlen)
{
	char name[128];
	struct stat st;

	sl_lab_dirname(lab, name, sizeof(name));
	/* DIR may be the lab's own folder or a folder of labs */
	snprintf(out, size, "%s/%s", dir, name);
	if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	snprintf(out, size, "%s", dir);
	if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	snprintf(err, errlen, "submission folder %s does not exist", dir);
	return -1;
}

/* 1 when every folder on path may be entered by any user. */
static int sl_reachable_by_others(const char *path)
{
	char partial[512];
	struct stat st;

	for (size_t i = 1;; i++) {
		if (path[i] == '/' || path[i] == '\0') {
			snprintf(partial, sizeof(partial), "%.*s", (int)i, path);
			if (stat(partial, &st) < 0 || !(st.st_mode & S_IXOTH))
				return 0;
		}
		if (path[i] == '\0')
			return 1;
	}
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

static int sl_is_declared(const struct sl_lab *lab, const char *name)
{
	for (int i = 0; i < SL_MAX_FILES && lab->files[i]; i++)
		if (strcmp(lab->files[i], name) == 0)
			return 1;
	return 0;
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
			hx_buf_addf(&b->files, "%s is not a regular file: "
					       "refused\n",
				    lab->files[i]);
		else if (st.st_size > (1 << 20))
			hx_buf_addf(&b->files, "%s is larger than 1 MiB: "
					       "refused\n",
				    lab->files[i]);
		else if (sl_copy_file(from, to) < 0)
			hx_buf_addf(&b->files, "%s could not be copied: %s\n",
				    lab->files[i], strerror(errno));
	}
	dir = opendir(b->submission);
	if (!dir)
		return;
	/* a folder of many thousand files is named by a few of them */
	while ((e = readdir(dir)))
		if (e->d_name[0] != '.' && !sl_is_declared(lab, e->d_name) &&
		    ++ignored <= SL_IGNORED_SHOWN)
			hx_buf_addf(&b->ignored, "%s%s", b->ignored.len ? ", " : "",
				    e->d_name);
	closedir(dir);
	if (ignored > SL_IGNORED_SHOWN)
		hx_buf_addf(&b->ignored, " and %d more",
			    ignored - SL_IGNORED_SHOWN);
}

static int sl_program_has_files(struct sl_run *run,
				const struct sl_program *prog, struct hx_buf *log)
{
	int ok = 1;

	for (int i = 0; i < SL_MAX_SOURCES && prog->sources[i]; i++) {
		char path[1200];

		snprintf(path, sizeof(path), "%s/%s", run->build.src,
			 prog->sources[i]);
		if (access(path, R_OK) < 0) {
			hx_buf_addf(log, "%s: %s was not submitted (or was "
					 "refused)\n",
				    prog->name, prog->sources[i]);
			ok = 0;
		}
	}
	return ok;
}

/* Starts the compiler for one program; returns its pid, output in fd. */
static pid_t sl_compile_start(struct sl_run *run, const struct sl_program *prog,
			      int asan, int *out_fd)
{
	char *argv[64], output[1200], include[700], libs[256];
	char paths[2 * SL_MAX_SOURCES][1200];
	int n = 0, np = 0, pipefd[2];
	pid_t pid;

	snprintf(output, sizeof(output), "%s/%s%s", run->build.bin, prog->name,
		 asan ? ".asan" : "");
	snprintf(include, sizeof(include), "-I%s", run->build.src);
	argv[n++] = SL_CC;
	for (int i = 0; sl_cflags[i]; i++)
		argv[n++] = (char *)sl_cflags[i];
	for (int i = 0; asan && sl_asan_flags[i]; i++)
		argv[n++] = (char *)sl_asan_flags[i];
	argv[n++] = include;
	argv[n++] = "-o";
	argv[n++] = output;
	for (int i = 0; i < SL_MAX_SOURCES && prog->sources[i]; i++) {
		snprintf(paths[np], sizeof(paths[np]), "%s", prog->sources[i]);
		argv[n++] = paths[np++];
	}
	for (int i = 0; i < SL_MAX_SOURCES && prog->support[i]; i++) {
		snprintf(paths[np], sizeof(paths[np]), "%s/grader/checks/support/%s",
			 sl_root(), prog->support[i]);
		argv[n++] = paths[np++];
	}
	/* libs is a list of flags: "-lcmocka -lm" */
	snprintf(libs, sizeof(libs), "%s", prog->libs ? prog->libs : "");
	for (char *save, *flag = strtok_r(libs, " ", &save); flag && n < 62;
	     flag = strtok_r(NULL, " ", &save))
		argv[n++] = flag;
	argv[n] = NULL;
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		/* its own group, so a deadline stops cc1 and as too; and
		 * a source that makes it eat memory meets a limit */
		struct rlimit memory = { 2048UL << 20, 2048UL << 20 };

		setpgid(0, 0);
		setrlimit(RLIMIT_AS, &memory);
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		if (chdir(run->build.src) < 0)
			_exit(127);
		execvp(argv[0], argv);
		fprintf(stderr, "could not run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	if (pid < 0) {
		close(pipefd[0]);
		return -1;
	}
	*out_fd = pipefd[0];
	return pid;
}

/* Reads the compiler's output and waits, under a deadline (a source can
 * make a compiler read forever: #include "/dev/zero"); 0 when it built. */
static int sl_compile_finish(pid_t pid, int fd, struct hx_buf *log)
{
	int64_t deadline = hx_deadline(SL_COMPILE_MS);
	char chunk[4096];
	int status = 0;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, hx_remaining_ms(deadline)) == 0) {
			kill(-pid, SIGKILL);
			hx_buf_addf(log, "the compiler did not finish within %d s "
					 "and was stopped\n",
				    SL_COMPILE_MS / 1000);
			break;
		}
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (log->len < (256 << 10))
			hx_buf_add(log, chunk, (size_t)n);
	}
	close(fd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int sl_needs_asan(const struct sl_run *run)
{
	for (int i = 0; i < run->lab->nchecks; i++)
		if (run->results[i].selected &&
		    (run->lab->checks[i].flags & SL_SANITIZE))
			return 1;
	return 0;
}

int sl_build_lab(struct sl_run *run, char *err, size_t errlen)
{
	struct sl_build *b = &run->build;
	const char *tmp = getenv("TMPDIR");
	int asan = sl_needs_asan(run);

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
	} else if (!sl_reachable_by_others(tmp && *tmp ? tmp : "/tmp") &&
		   getuid() == 0) {
		/* as root, sandboxes run as other users: they must be able to
		 * reach the programs, which a private TMPDIR would hide */
		snprintf(b->root, sizeof(b->root), "/tmp/socklab.XXXXXX");
		if (!mkdtemp(b->root)) {
			snprintf(err, errlen, "mkdtemp %s: %s", b->root,
				 strerror(errno));
			return -1;
		}
	} else if (!mkdtemp(b->root)) {
		snprintf(err, errlen, "mkdtemp %s: %s", b->root, strerror(errno));
		return -1;
	}
	/* the sandboxes' user must reach the programs */
	chmod(b->root, 0755);
	snprintf(b->src, sizeof(b->src), "%s/src", b->root);
	snprintf(b->bin, sizeof(b->bin), "%s/bin", b->root);
	if ((mkdir(b->src, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(b->bin, 0755) < 0 && errno != EEXIST)) {
		snprintf(err, errlen, "mkdir in %s: %s", b->root, strerror(errno));
		return -1;
	}
	sl_take_files(run);
	/* compile every program (and its sanitizer build) at once */
	{
		pid_t pids[2 * SL_MAX_PROGRAMS];
		int fds[2 * SL_MAX_PROGRAMS];
		struct hx_buf asan_log[SL_MAX_PROGRAMS];
		int np = 0;

		for (np = 0; np < SL_MAX_PROGRAMS && run->lab->programs[np].name;
		     np++) {
			const struct sl_program *prog = &run->lab->programs[np];

			hx_buf_init(&asan_log[np]);
			pids[2 * np] = pids[2 * np + 1] = -1;
			if (!sl_program_has_files(run, prog, &b->log[np]))
				continue;
			pids[2 * np] = sl_compile_start(run, prog, 0, &fds[2 * np]);
			if (asan)
				pids[2 * np + 1] = sl_compile_start(
					run, prog, 1, &fds[2 * np + 1]);
		}
		for (int i = 0; i < np; i++) {
			if (pids[2 * i] > 0)
				b->built[i] = sl_compile_finish(pids[2 * i],
								fds[2 * i],
								&b->log[i]) == 0;
			if (pids[2 * i + 1] > 0)
				sl_compile_finish(pids[2 * i + 1], fds[2 * i + 1],
						  &asan_log[i]);
			b->warnings[i] = b->built[i] &&
					 strstr(b->log[i].data ? b->log[i].data : "",
						"warning:") != NULL;
			hx_buf_free(&asan_log[i]);
		}
	}
	return 0;
}

static int sl_remove_entry(const char *path, const struct stat *st, int flag,
			   struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

void sl_build_cleanup(struct sl_run *run)
{
	struct sl_build *b = &run->build;

	if (b->root[0] && !run->opt.keep)
		nftw(b->root, sl_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	hx_buf_free(&b->files);
	hx_buf_free(&b->ignored);
	for (int i = 0; i < SL_MAX_PROGRAMS; i++)
		hx_buf_free(&b->log[i]);
}
