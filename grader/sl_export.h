/* sl_export.h - a run's results in the formats of other tools (Gradescope,
 * Autolab, JUnit, GitHub), hidden points apart. */
#ifndef SL_EXPORT_H
#define SL_EXPORT_H

#include <stdio.h>

#include "sl_grade.h"

/* Moves the points of hidden checks out of score and max_score into
 * hidden_score and hidden_max: a lab's public total stays 100. */
void sl_split_hidden(struct sl_run *run);
/* 1 if name is an export format (gradescope, autolab, junit, github). */
int sl_export_known(const char *name);
/* The export formats' names, comma-separated, for messages. */
const char *sl_export_names(void);
/* The extension of an export format's files (".json"). */
const char *sl_export_extension(const char *name);
/* Writes the run's results in format to out. */
int sl_export(const struct sl_run *run, const char *format, FILE *out,
	      char *err, size_t errlen);

#endif
