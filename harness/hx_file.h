/* hx_file.h - folders and files the harness shares with a student's
 * program.
 *
 * Under a uid barrier the programs write where every user may (/tmp,
 * /dev/shm) and own their work folder; in a sealed sandbox they own
 * /work and may write /tmp. Whatever the harness finds there a program
 * may have put there first, or replaced since: a folder of its own, a
 * symbolic link to a file of the grader's, a file of a gigabyte. The
 * harness uses such a folder only once it has seen it is its own, reads
 * a file there only as the regular file it is and no further than it
 * needs, and writes one only as a new file.
 */
#ifndef HX_FILE_H
#define HX_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "hx_text.h"

/* Makes dir (mode 0700) where nothing is, then requires it to be this
 * user's alone: a folder, not a symbolic link, owned by our effective
 * uid, with no permission for group or others. One that is not (made
 * first by someone else) is refused, never used. 0, or -1 with why in
 * err, the folder named. */
int hx_private_dir(const char *dir, char *err, size_t errlen);

/* Makes dir with mode where nothing is (a folder programs write in, such
 * as the sanitizers' 01733), or requires the one there to be a folder of
 * our effective uid, not a symbolic link, and gives it mode. 0, or -1
 * with why in err. */
int hx_shared_dir(const char *dir, mode_t mode, char *err, size_t errlen);

/* Appends to into the regular file at path, at most max bytes of it,
 * never through a symbolic link (the last part of path: the folders
 * above it are the harness's), never from a pipe, a device or a folder.
 * 0 when all of it was read, 1 when it holds more than max bytes (the
 * first max are), -1 with errno (ELOOP a symbolic link, EINVAL not a
 * regular file, ENOENT none). */
int hx_read_shared(const char *path, size_t max, struct hx_buf *into);
/* The same for name in the folder dirfd. */
int hx_read_shared_at(int dirfd, const char *name, size_t max,
		      struct hx_buf *into);

/* A small file of /proc (a process's or a thread's status or stat)
 * into buf, NUL-terminated, at most size - 1 bytes of it. 0, or -1 when
 * it cannot be opened (the process or thread has ended) or reads empty. */
int hx_read_proc(const char *path, char *buf, size_t size);

/* Puts a new file at path (mode 0644) holding len bytes of data. What
 * was there is removed first, so a link a program left there, symbolic
 * or hard, is replaced, never written through. 0, or -1 with errno. */
int hx_write_shared(const char *path, const void *data, size_t len);

#endif
