/* sl_lock.c - the machine to oneself, where a sandbox cannot give a check
 * its own. */
#define _GNU_SOURCE
#include "sl_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "../harness/hx_file.h"

/* The folder of the locks: this user's alone (a student's program, under
 * a uid barrier, may not hold them to stall grading). */
static int sl_lock_dir(char *dir, size_t size, char *err, size_t errlen)
{
	snprintf(dir, size, "/tmp/socklab-locks-%u", (unsigned)getuid());
	return hx_private_dir(dir, err, errlen);
}

/* A descriptor of the lock file name holding how (LOCK_SH or LOCK_EX),
 * -1 while others hold it the other way, -2 on an error. */
static int sl_lock_file(const char *name, int how, char *err, size_t errlen)
{
	char dir[64], path[128];
	int fd;

	if (sl_lock_dir(dir, sizeof(dir), err, errlen) < 0)
		return -2;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "open %s: %s", path, strerror(errno));
		return -2;
	}
	if (flock(fd, how | LOCK_NB) == 0)
		return fd;
	close(fd);
	if (errno == EWOULDBLOCK || errno == EINTR)
		return -1;
	snprintf(err, errlen, "flock %s: %s", path, strerror(errno));
	return -2;
}

static void sl_unlock(int fd);

int sl_lock_try(int exclusive, int *turnstile, char *err, size_t errlen)
{
	int gate = *turnstile, fd;

	if (gate < 0) {
		/* shared takers pass the turnstile; an exclusive one holds it
		 * until it has the machine */
		gate = sl_lock_file("turnstile", exclusive ? LOCK_EX : LOCK_SH,
				    err, errlen);
		if (gate < 0)
			return gate;
	}
	fd =
	    sl_lock_file("machine", exclusive ? LOCK_EX : LOCK_SH, err, errlen);
	if (fd == -1 && exclusive) {
		*turnstile = gate;
		return -1;
	}
	sl_unlock(gate);
	*turnstile = -1;
	return fd;
}

/* Unlocked before it is closed: processes forked meanwhile (sandboxes)
 * share the descriptor, and must not keep the lock. */
static void sl_unlock(int fd)
{
	flock(fd, LOCK_UN);
	close(fd);
}

void sl_lock_release(int fd, int *turnstile)
{
	if (fd >= 0)
		sl_unlock(fd);
	if (turnstile && *turnstile >= 0) {
		sl_unlock(*turnstile);
		*turnstile = -1;
	}
}
