/* sl_registry.c - the labs, collected from the sl_labs section at link time. */
#define _GNU_SOURCE
#include "sl_lab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct sl_lab *const __start_sl_labs[];
extern const struct sl_lab *const __stop_sl_labs[];

/* The section holds labs in link order; the registry lists them by number. */
static const struct sl_lab *sorted[64];
static int nsorted = -1;

static int sl_compare_labs(const void *a, const void *b)
{
	const struct sl_lab *x = *(const struct sl_lab *const *)a;
	const struct sl_lab *y = *(const struct sl_lab *const *)b;

	return strcmp(x->number, y->number);
}

static void sl_registry_load(void)
{
	if (nsorted >= 0)
		return;
	nsorted = 0;
	for (const struct sl_lab *const *p = __start_sl_labs;
	     p < __stop_sl_labs && nsorted < 64; p++)
		sorted[nsorted++] = *p;
	qsort(sorted, (size_t)nsorted, sizeof(sorted[0]), sl_compare_labs);
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

int sl_lab_total_points(const struct sl_lab *lab)
{
	int total = 0;

	for (int i = 0; i < lab->nchecks; i++)
		total += lab->checks[i].points;
	return total;
}
