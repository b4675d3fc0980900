/* sl_cache.h - builds named by what went into them, and reused. */
#ifndef SL_CACHE_H
#define SL_CACHE_H

#include "sl_grade.h"

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

#endif
