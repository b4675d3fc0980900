/* sl_report.c - results in lines: tab-separated, the rubric, the list
 * of labs. The report people read is sl_text.c. */
#define _GNU_SOURCE
#include "sl_grade.h"
#include "sl_report.h"
#include "sl_escape.h"

#include <stdio.h>
#include <string.h>

void sl_report_tsv(const struct sl_run *run, FILE *out)
{
	for (int i = 0; i < run->lab->nchecks; i++) {
		const struct sl_result *r = &run->results[i];

		if (r->selected)
			fprintf(out, "%s\t%s\t%d\t%d\t%lld\t%d\n", r->check->id,
				hx_status_name(r->verdict.status), r->points,
				r->check->points,
				(long long)r->verdict.duration_ms,
				sl_check_deadline_ms(run, r->check));
	}
	fprintf(out, "total\t%s\t%d\t%d\t%lld\n",
		run->score == run->max_score ? "pass" : "fail", run->score,
		run->max_score, (long long)run->duration_ms);
}

void sl_report_rubric(const struct sl_lab *lab, FILE *out)
{
	fprintf(out, "| check | what it proves | points |\n");
	fprintf(out, "| --- | --- | ---: |\n");
	for (int i = 0; i < lab->nchecks; i++) {
		const struct sl_check *check = &lab->checks[i];

		if (check->flags & SL_HIDDEN)
			continue;
		fprintf(out, "| `%s` | %s | %d |\n", check->id, check->title,
			check->points);
	}
	fprintf(out, "| | **total** | **%d** |\n", sl_lab_total_points(lab));
}

void sl_report_list(FILE *out)
{
	for (int i = 0; i < sl_lab_count(); i++) {
		const struct sl_lab *lab = sl_lab_at(i);
		char name[128];

		int public = 0;

		for (int c = 0; c < lab->nchecks; c++)
		public += !(lab->checks[c].flags & SL_HIDDEN);
		sl_lab_dirname(lab, name, sizeof(name));
		fprintf(out, "%-16s %3d checks %4d points  %s\n", name, public,
			sl_lab_total_points(lab), lab->title);
	}
}
