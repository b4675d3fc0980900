/* hx_file.c - folders and files the harness shares with a student's
 * program. */
#define _GNU_SOURCE
#include "hx_file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int hx_private_dir(const char *dir, char *err, size_t errlen)
{
	struct stat st;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "mkdir %s: %s", dir, strerror(errno));
		return -1;
	}
	/* lstat: a link to a folder of ours would pass a stat */
	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 077)) {
		snprintf(err, errlen,
			 "%s is not a folder of this user's alone; remove it",
			 dir);
		return -1;
	}
	return 0;
}
