/* sl_json.c - the results as one JSON object (grader/RESULTS.md). */
#define _GNU_SOURCE
#include "sl_grade.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* A JSON string: control bytes and bytes >= 0x80 as \u00XX escapes, so the
 * file is valid whatever a student's program sent. */
void sl_json_string(FILE *out, const char *data, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; data && i < len; i++) {
		unsigned char ch = (unsigned char)data[i];

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", out);
		else if (ch == '\t')
			fputs("\\t", out);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

void sl_json_text(FILE *out, const char *text)
{
	sl_json_string(out, text, text ? strlen(text) : 0);
}

static void sl_json_buf(FILE *out, const struct hx_buf *b)
{
	sl_json_string(out, b->data, b->len);
}

static void sl_json_check(FILE *out, const struct sl_run *run,
			  const struct sl_result *r)
{
	const struct hx_verdict *v = &r->verdict;

	fputs("    {\"id\": ", out);
	sl_json_text(out, r->check->id);
	fputs(", \"title\": ", out);
	sl_json_text(out, r->check->title);
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
	fputs(",\n     \"hint\": ", out);
	sl_json_text(out, v->status == HX_PASS ? "" : r->check->hint);
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
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	fputs("{\"schema\": \"socklab-results/1\", \"lab\": ", out);
	{
		char name[128];

		sl_lab_dirname(run->lab, name, sizeof(name));
		sl_json_text(out, name);
	}
	fputs(", \"submission\": ", out);
	sl_json_text(out, run->build.submission);
	fprintf(out, ",\n \"score\": %d, \"max_score\": %d, \"seed\": %llu, "
		     "\"isolated\": %s, \"duration_ms\": %lld,\n \"checks\": [\n",
		run->score, run->max_score, (unsigned long long)run->opt.seed,
		run->isolated ? "true" : "false", (long long)run->duration_ms);
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
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
