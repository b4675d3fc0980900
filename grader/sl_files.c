/* sl_files.c - removing a tree of files, whatever its depth. */
#define _GNU_SOURCE
#include "sl_files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SL_EMPTY (-2) /* sl_clear_folder: nothing is left in it */

/* Removes the files and empty folders in folder fd. Returns a descriptor
 * of a folder in it that is not empty, SL_EMPTY when fd is empty now,
 * or -1. */
static int sl_clear_folder(int fd)
{
	int list = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = list >= 0 ? fdopendir(list) : NULL;
	int found = SL_EMPTY;
	struct dirent *e;

	if (!dir) {
		if (list >= 0)
			close(list);
		return -1;
	}
	while (found == SL_EMPTY && (e = readdir(dir))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (unlinkat(fd, e->d_name, 0) == 0 ||
		    unlinkat(fd, e->d_name, AT_REMOVEDIR) == 0)
			continue;
		if (errno == ENOTEMPTY || errno == EEXIST)
			found = openat(fd, e->d_name,
				       O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					   O_CLOEXEC);
		else
			found = -1;
	}
	closedir(dir);
	return found;
}

/* Removes everything in folder root_fd: down into a folder until it is
 * empty, then up through ".." to remove it from its parent. No path is
 * ever built and three descriptors at most are open, so neither the
 * depth of the tree nor the length of its names can stop it. */
int sl_remove_contents(int root_fd)
{
	struct stat top, here;
	int fd = fcntl(root_fd, F_DUPFD_CLOEXEC, 0), next, rc = -1;

	if (fd < 0 || fstat(root_fd, &top) < 0)
		goto out_close;
	for (;;) {
		next = sl_clear_folder(fd);
		if (next == -1)
			goto out_close;
		if (next == SL_EMPTY) {
			if (fstat(fd, &here) < 0)
				goto out_close;
			if (here.st_dev == top.st_dev &&
			    here.st_ino == top.st_ino)
				break;
			next = openat(fd, "..",
				      O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		}
		close(fd);
		fd = next;
		if (fd < 0)
			goto out_close;
	}
	rc = 0;
out_close:
	if (fd >= 0)
		close(fd);
	return rc;
}

int sl_remove_tree(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return errno == ENOENT ? 0 : unlink(path);
	rc = sl_remove_contents(fd);
	close(fd);
	if (rc == 0 && rmdir(path) < 0 && errno != ENOENT)
		rc = -1;
	return rc;
}
