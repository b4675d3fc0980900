/* sl_files.h - removing what the grader wrote, whatever its depth.
 *
 * Folders are removed descriptor by descriptor, never by building a
 * path: a tree deeper than PATH_MAX (an archive's, a submission's) goes
 * as well as a flat one.
 */
#ifndef SL_FILES_H
#define SL_FILES_H

/* Removes everything in the folder fd; the folder itself stays. 0 or -1. */
int sl_remove_contents(int fd);

/* Removes path and, if it is a folder, everything in it; a missing path
 * is already removed. 0 or -1. */
int sl_remove_tree(const char *path);

#endif
