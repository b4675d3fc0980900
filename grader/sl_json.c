/* sl_json.c - the results as one JSON object (grader/RESULTS.md). */
#define _GNU_SOURCE
#include "sl_grade.h"
#include "sl_report.h"
#include "sl_escape.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* A verdict field: the bytes as the programs produced them. */
static void sl_json_buf(FILE *out, const struct hx_buf *b)
{
	sl_put_bytes(out, sl_escape_json, b->data, b->len);
}

static void sl_json_check(FILE *out, const struct sl_run *run,
			  const struct sl_result *r)
{
	const struct hx_verdict *v = &r->verdict;

	fputs("    {\"id\": ", out);
	sl_put(out, sl_escape_json, r->check->id);
	fputs(", \"title\": ", out);
	sl_put(out, sl_escape_json, r->check->title);
	fprintf(out, ", \"points\": %d, \"max_points\": %d, \"status\": \"%s\"",
		r->points, r->check->points, hx_status_name(v->status));
	fprintf(out, ", \"hidden\": %s, \"duration_ms\": %lld, \"seed\": %llu",
		(r->check->flags & SL_HIDDEN) ? "true" : "false",
		(long long)v->duration_ms, (unsigned long long)run->opt.seed);
	fputs(",\n     \"message\": ", out);
	sl_json_buf(out, &v->message);
	fputs(", \"expected\": ", out);
	sl_json_buf(out, &v->expected);
	fputs(", \"actual\": ", out);
	sl_json_buf(out, &v->actual);
	fprintf(out, ", \"first_difference\": %ld", v->diff_at);
	fputs(",\n     \"cause\": ", out);
	sl_put(out, sl_escape_json, hx_cause_name(v->cause));
	fputs(", \"cause_text\": ", out);
	sl_json_buf(out, &v->cause_text);
	fputs(", \"cause_hint\": ", out);
	sl_put(out, sl_escape_json, hx_cause_hint(v->cause));
	fputs(",\n     \"hint\": ", out);
	sl_put(out, sl_escape_json, v->status == HX_PASS ? "" : r->check->hint);
	fputs(", \"notes\": ", out);
	sl_json_buf(out, &v->notes);
	fputs(", \"memcheck\": ", out);
	sl_json_buf(out, &v->memcheck);
	fputs(", \"transcript\": ", out);
	sl_json_buf(out, &v->transcript);
	fputs("}", out);
}

int sl_report_json(const struct sl_run *run, const char *path, char *err,
		   size_t errlen)
{
	FILE *out = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	int first = 1;

	if (!out) {
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
		return -1;
	}
	fputs("{\"schema\": \"socklab-results/1\", \"lab\": ", out);
	{
		char name[128];

		sl_lab_dirname(run->lab, name, sizeof(name));
		sl_put(out, sl_escape_json, name);
	}
	fputs(", \"submission\": ", out);
	sl_put(out, sl_escape_json, run->build.submission);
	fprintf(out,
		",\n \"score\": %d, \"max_score\": %d, \"seed\": %llu, "
		"\"isolated\": %s, \"sandbox\": ",
		run->score, run->max_score, (unsigned long long)run->opt.seed,
		run->isolated ? "true" : "false");
	sl_put(out, sl_escape_json, hx_sandbox_mode_name(hx_sandbox_mode()));
	fputs(", \"degraded\": ", out);
	sl_put(out, sl_escape_json, run->degraded);
	fprintf(out, ", \"duration_ms\": %lld,\n \"checks\": [\n",
		(long long)run->duration_ms);
	for (int i = 0; i < run->lab->nchecks; i++) {
		if (!run->results[i].selected)
			continue;
		if (!first)
			fputs(",\n", out);
		first = 0;
		sl_json_check(out, run, &run->results[i]);
	}
	fputs("\n]}\n", out);
	if (out != stdout && fclose(out) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
		return -1;
	}
	return 0;
}
