/* sl_bench.h - how fast the sandboxes and the labs' checks are (socklab
 * bench). */
#ifndef SL_BENCH_H
#define SL_BENCH_H

#include <stdio.h>

#include "sl_grade.h"

/* Times the floor and each lab's checks, rounds times, jobs at once. */
int sl_bench(const char *const *labs, int nlabs, int rounds, int jobs,
	     FILE *out, char *err, size_t errlen);

#endif
