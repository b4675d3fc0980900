/* hx_file.h - folders and files the harness shares with a student's
 * program.
 *
 * Under a uid barrier the programs write where every user may (/tmp,
 * /dev/shm) and own their work folder; in a sealed sandbox they own
 * /work. Whatever the harness finds there a program may have put there
 * first, or replaced since: a folder of its own, a symbolic link to a
 * file of the grader's. The harness trusts such a place only once it has
 * seen it is its own, and reads a file there only as what it is.
 */
#ifndef HX_FILE_H
#define HX_FILE_H

#include <stddef.h>

/* Makes dir (mode 0700) where nothing is, then requires it to be this
 * user's alone: a folder, not a symbolic link, owned by our effective
 * uid, with no permission for group or others. One that is not (made
 * first by someone else) is refused, never used. 0, or -1 with why in
 * err, the folder named. */
int hx_private_dir(const char *dir, char *err, size_t errlen);

#endif
