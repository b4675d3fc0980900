/* sl_cache.h - builds named by what went into them, and reused. */
#ifndef SL_CACHE_H
#define SL_CACHE_H

#include "sl_grade.h"

/* The compiler every build runs. */
#define SL_COMPILER "/usr/bin/gcc"

/* What a build cache folder that outlives one run may keep (`grade
 * --build-cache`): its most recently used entries, this many, in this
 * many bytes. A whole course is about 50 entries and 4 MiB. */
#define SL_CACHE_MAX_ENTRIES 1000
#define SL_CACHE_MAX_BYTES   ((long long)256 << 20)

/* The name of a build of prog compiled with argv (without argv[0]). */
void sl_cache_key(const struct sl_run *run, const struct sl_program *prog,
		  const char *const *argv, char key[65]);

/* A build in the cache folder dir: 1 when found (*built, log filled, the
 * executable written to bin/output if it built), 0 when not there. */
int sl_cache_load(const char *dir, const char *key, const char *bin,
		  const char *output, int *built, struct hx_buf *log);

/* Keeps a build (built or not, what the compiler said, the executable)
 * under its name; silently nothing when it cannot. */
void sl_cache_store(const char *dir, const char *key, int built,
		    const struct hx_buf *log, const char *exe_path);

/* Removes all but dir's most recently used entries, at most max_entries
 * of them in at most max_bytes, every entry that lost a file, and what a
 * run that died left half written. The number of entries removed, -1
 * when dir could not be read. */
int sl_cache_trim(const char *dir, int max_entries, long long max_bytes);

#endif
