/* sl_registry.c - the labs, collected from the sl_labs section at link time,
 * with the hidden checks of the sl_hidden section appended to their rubric. */
#define _GNU_SOURCE
#include "sl_grade.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SL_MAX_ROWS 1024 /* check rows of every lab that has hidden checks */

extern const struct sl_lab *const __start_sl_labs[];
extern const struct sl_lab *const __stop_sl_labs[];
/* Weak: a build without grader/checks/hidden/ has no such section. */
extern const struct sl_hidden_checks *const __start_sl_hidden[]
    __attribute__((weak));
extern const struct sl_hidden_checks *const __stop_sl_hidden[]
    __attribute__((weak));

/* The section holds labs in link order; the registry lists them by number. */
static const struct sl_lab *sorted[SL_MAX_LABS];
static int nsorted = -1;
/* Copies of the labs that have hidden checks, their rubric extended. */
static struct sl_lab merged[SL_MAX_LABS];
static struct sl_check rows[SL_MAX_ROWS];
static int nrows;

static int sl_compare_labs(const void *a, const void *b)
{
	const struct sl_lab *x = *(const struct sl_lab *const *)a;
	const struct sl_lab *y = *(const struct sl_lab *const *)b;

	return strcmp(x->number, y->number);
}

/* Appends the hidden rows registered for sorted[i], if any; a lab whose
 * rows would not fit keeps its public rubric only. */
static void sl_registry_merge(int i)
{
	const struct sl_lab *lab = sorted[i];
	int first = nrows, count = lab->nchecks;

	for (const struct sl_hidden_checks *const *h = __start_sl_hidden;
	     h && h < __stop_sl_hidden; h++)
		if (strcmp((*h)->lab, lab->number) == 0)
			count += (*h)->nchecks;
	if (count == lab->nchecks || count > SL_MAX_CHECKS ||
	    nrows + count > SL_MAX_ROWS)
		return;
	memcpy(&rows[nrows], lab->checks,
	       sizeof(rows[0]) * (size_t)lab->nchecks);
	nrows += lab->nchecks;
	for (const struct sl_hidden_checks *const *h = __start_sl_hidden;
	     h < __stop_sl_hidden; h++) {
		if (strcmp((*h)->lab, lab->number) != 0)
			continue;
		for (int k = 0; k < (*h)->nchecks; k++) {
			rows[nrows] = (*h)->checks[k];
			/* a hidden row is hidden whatever its file says */
			rows[nrows++].flags |= SL_HIDDEN;
		}
	}
	merged[i] = *lab;
	merged[i].checks = &rows[first];
	merged[i].nchecks = count;
	sorted[i] = &merged[i];
}

static void sl_registry_load(void)
{
	if (nsorted >= 0)
		return;
	nsorted = 0;
	for (const struct sl_lab *const *p = __start_sl_labs;
	     p < __stop_sl_labs && nsorted < SL_MAX_LABS; p++)
		sorted[nsorted++] = *p;
	qsort(sorted, (size_t)nsorted, sizeof(sorted[0]), sl_compare_labs);
	for (int i = 0; i < nsorted; i++)
		sl_registry_merge(i);
}

int sl_lab_count(void)
{
	sl_registry_load();
	return nsorted;
}

const struct sl_lab *sl_lab_at(int i)
{
	sl_registry_load();
	return i >= 0 && i < nsorted ? sorted[i] : NULL;
}

void sl_lab_dirname(const struct sl_lab *lab, char *out, size_t size)
{
	snprintf(out, size, "%s-%s", lab->number, lab->name);
}

const struct sl_lab *sl_lab_find(const char *key)
{
	char *end;
	long number = strtol(key, &end, 10);

	for (int i = 0; i < sl_lab_count(); i++) {
		const struct sl_lab *lab = sl_lab_at(i);
		char full[128];

		sl_lab_dirname(lab, full, sizeof(full));
		if (end != key && *end == '\0' && number == atol(lab->number))
			return lab;
		if (strcmp(key, lab->name) == 0 || strcmp(key, full) == 0)
			return lab;
	}
	return NULL;
}

/* The public total: what a student's own run can earn (100 per lab). */
int sl_lab_total_points(const struct sl_lab *lab)
{
	int total = 0;

	for (int i = 0; i < lab->nchecks; i++)
		if (!(lab->checks[i].flags & SL_HIDDEN))
			total += lab->checks[i].points;
	return total;
}

int sl_lab_hidden_count(const struct sl_lab *lab)
{
	int count = 0;

	for (int i = 0; i < lab->nchecks; i++)
		count += (lab->checks[i].flags & SL_HIDDEN) != 0;
	return count;
}

int sl_lab_hidden_points(const struct sl_lab *lab)
{
	int total = 0;

	for (int i = 0; i < lab->nchecks; i++)
		if (lab->checks[i].flags & SL_HIDDEN)
			total += lab->checks[i].points;
	return total;
}
