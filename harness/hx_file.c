/* hx_file.c - folders and files the harness shares with a student's
 * program. */
#define _GNU_SOURCE
#include "hx_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx_verdict.h"

/* Makes dir with mode where nothing is, then opens it: a descriptor of a
 * folder of our effective uid (st filled in), never of a symbolic link,
 * or -1 with why in err. */
static int hx_open_own_dir(const char *dir, mode_t mode, struct stat *st,
			   char *err, size_t errlen)
{
	int fd;

	if (mkdir(dir, mode) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "mkdir %s: %s", dir, strerror(errno));
		return -1;
	}
	/* O_NOFOLLOW: a link to a folder of ours would pass a stat */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, st) == 0 && S_ISDIR(st->st_mode) &&
	    st->st_uid == geteuid())
		return fd;
	if (fd >= 0)
		close(fd);
	snprintf(err, errlen,
		 "%s is not a folder of this user's alone; remove it", dir);
	return -1;
}

int hx_private_dir(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	int fd = hx_open_own_dir(dir, 0700, &st, err, errlen);

	if (fd < 0)
		return -1;
	close(fd);
	/* ours, but open to others: they may have put anything in it */
	if (st.st_mode & 077) {
		snprintf(err, errlen,
			 "%s is not a folder of this user's alone; remove it",
			 dir);
		return -1;
	}
	return 0;
}

int hx_shared_dir(const char *dir, mode_t mode, char *err, size_t errlen)
{
	struct stat st;
	int fd = hx_open_own_dir(dir, mode, &st, err, errlen);
	int rc;

	if (fd < 0)
		return -1;
	/* through the descriptor: a chmod by name would follow a link put
	 * there since */
	rc = fchmod(fd, mode);
	if (rc < 0)
		snprintf(err, errlen, "chmod %s: %s", dir, strerror(errno));
	close(fd);
	return rc;
}

int hx_read_shared_at(int dirfd, const char *name, size_t max,
		      struct hx_buf *into)
{
	char chunk[16384];
	struct stat st;
	size_t kept = 0;
	ssize_t n = 0;
	int fd, saved;

	/* O_NONBLOCK: opening a pipe must not wait for a writer */
	fd =
	    openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	while (kept < max) {
		size_t want =
		    max - kept < sizeof(chunk) ? max - kept : sizeof(chunk);

		n = read(fd, chunk, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		hx_buf_add(into, chunk, (size_t)n);
		kept += (size_t)n;
	}
	/* one byte more says whether there was more */
	if (n >= 0 && kept == max)
		n = read(fd, chunk, 1) > 0 ? 1 : 0;
	saved = errno;
	close(fd);
	errno = saved;
	if (n < 0)
		return -1;
	return kept == max && n == 1 ? 1 : 0;
}

int hx_read_shared(const char *path, size_t max, struct hx_buf *into)
{
	return hx_read_shared_at(AT_FDCWD, path, max, into);
}

int hx_write_shared(const char *path, const void *data, size_t len)
{
	int fd, rc;

	if (unlink(path) < 0 && errno != ENOENT)
		return -1;
	/* O_EXCL: a link put there since the unlink fails the write */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd < 0)
		return -1;
	rc = hx_write_all(fd, data, len);
	if (close(fd) < 0)
		rc = -1;
	return rc;
}

int hx_read_proc(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}
