/* sl_report.c - results for people: terminal, tab-separated, rubric, list. */
#define _GNU_SOURCE
#include "sl_grade.h"
#include "sl_escape.h"

#include <stdio.h>
#include <string.h>

#define SL_SHOW_MAX 600 /* longest value shown in the terminal */
#define SL_WINDOW 120   /* bytes shown around a difference in long values */

static const char *sl_colour(const struct sl_run *run, enum hx_status s)
{
	if (!run->opt.color)
		return "";
	switch (s) {
	case HX_PASS: return "\033[32m";
	case HX_SKIPPED: return "\033[33m";
	default: return "\033[31m";
	}
}

static const char *sl_reset(const struct sl_run *run)
{
	return run->opt.color ? "\033[0m" : "";
}

/* Prints text with every line indented; what a program wrote in it
 * shows, but cannot act on the terminal. */
static void sl_indent(FILE *out, const char *prefix, const char *text,
		      size_t len)
{
	struct hx_buf shown;
	const char *line;

	hx_buf_init(&shown);
	sl_escape_text(&shown, text, len);
	for (line = shown.data; line && *line;) {
		size_t n = strcspn(line, "\n");

		fprintf(out, "%s%.*s\n", prefix, (int)n, line);
		line += n;
		if (*line == '\n')
			line++;
	}
	hx_buf_free(&shown);
}

/* Expected and actual, escaped, with the first difference marked by a
 * caret. Long values show a window that starts a little before it. */
static void sl_show_values(FILE *out, const struct hx_verdict *v)
{
	size_t from = 0, elen = v->expected.len, alen = v->actual.len;
	struct hx_buf e, a, prefix;

	hx_buf_init(&e);
	hx_buf_init(&a);
	hx_buf_init(&prefix);
	if (v->diff_at > 40 && (elen > SL_WINDOW || alen > SL_WINDOW)) {
		from = (size_t)v->diff_at - 30;
		fprintf(out, "      first difference at byte %ld (of %zu "
			     "expected, %zu received); from byte %zu:\n",
			v->diff_at, v->expected.len, v->actual.len, from);
		elen = elen > from ? elen - from : 0;
		alen = alen > from ? alen - from : 0;
		if (elen > SL_WINDOW)
			elen = SL_WINDOW;
		if (alen > SL_WINDOW)
			alen = SL_WINDOW;
	}
	hx_escape_cut(&e, v->expected.data + from, elen, SL_SHOW_MAX);
	hx_escape_cut(&a, v->actual.data + from, alen, SL_SHOW_MAX);
	fprintf(out, "      expected: \"%s\"\n", e.data ? e.data : "");
	fprintf(out, "      actual:   \"%s\"\n", a.data ? a.data : "");
	if (v->diff_at >= 0) {
		/* the caret sits under the first differing character, when
		 * what comes before it was shown uncut */
		hx_escape(&prefix, v->expected.data + from,
			  (size_t)v->diff_at - from);
		if (prefix.len < SL_SHOW_MAX / 2 && prefix.len < e.len + 1)
			fprintf(out, "                 %*s^ first difference "
				     "(byte %ld)\n",
				(int)prefix.len, "", v->diff_at);
	}
	hx_buf_free(&e);
	hx_buf_free(&a);
	hx_buf_free(&prefix);
}

static void sl_report_check(const struct sl_run *run,
			    const struct sl_result *r, FILE *out)
{
	const struct sl_check *check = r->check;
	const struct hx_verdict *v = &r->verdict;
	char name[128];

	fprintf(out, "  %s%-7s%s %3d/%-3d %-20s %s", sl_colour(run, v->status),
		hx_status_name(v->status), sl_reset(run), r->points,
		check->points, check->id, check->title);
	if (check->run)
		fprintf(out, "  (%.2f s)", (double)v->duration_ms / 1000.0);
	fputc('\n', out);
	if (v->memcheck.len)
		sl_indent(out, "      memcheck: ", v->memcheck.data,
			  v->memcheck.len);
	if (v->status == HX_PASS)
		return;
	sl_indent(out, "      ", v->message.data, v->message.len);
	if (v->status == HX_SKIPPED)
		return;
	if (v->expected.len || v->actual.len) {
		if (check->run)
			sl_show_values(out, v);
		else
			sl_indent(out, "      | ", v->actual.data,
				  v->actual.len);
	}
	if (v->notes.len)
		sl_indent(out, "      ", v->notes.data, v->notes.len);
	if (run->opt.verbose && v->transcript.len) {
		fprintf(out, "      transcript (seconds, connection, bytes):\n");
		sl_indent(out, "        ", v->transcript.data,
			  v->transcript.len);
	}
	sl_lab_dirname(run->lab, name, sizeof(name));
	if (v->cause) {
		/* its cause's hint was given once, above; this check's own
		 * hint is about another mistake */
		if (v->cause_text.len == v->message.len &&
		    memcmp(v->cause_text.data, v->message.data,
			   v->message.len) == 0) {
			fputs("      cause: see the diagnosis above\n", out);
		} else {
			fputs("      cause: ", out);
			sl_put_bytes(out, sl_escape_line, v->cause_text.data,
				     v->cause_text.len);
			fputs(" (see the diagnosis above)\n", out);
		}
	} else if (check->hint) {
		sl_indent(out, "      hint: ", check->hint,
			  strlen(check->hint));
	}
	fprintf(out, "      rerun: make grade LAB=%s CHECK=%s V=1", run->lab->number,
		check->id);
	if (check->run)
		fprintf(out, "   (seed %llu)", (unsigned long long)run->opt.seed);
	fputc('\n', out);
}

/* One cause that broke checks: where it was seen, which checks it broke,
 * and its hint, once. */
static void sl_report_cause(const struct sl_run *run, enum hx_cause cause,
			    FILE *out)
{
	const struct hx_verdict *first = NULL;
	int broke = 0;

	for (int i = 0; i < run->lab->nchecks; i++) {
		const struct sl_result *r = &run->results[i];

		if (!r->selected || r->verdict.cause != cause)
			continue;
		if (!first) {
			first = &r->verdict;
			fputs("  diagnosis: ", out);
			sl_put_bytes(out, sl_escape_line, first->cause_text.data,
				     first->cause_text.len);
			fputs("\n      it broke: ", out);
		}
		fprintf(out, "%s%s", broke++ ? ", " : "", r->check->id);
	}
	if (!first)
		return;
	fputc('\n', out);
	sl_indent(out, "      what to do: ", hx_cause_hint(cause),
		  strlen(hx_cause_hint(cause)));
}

void sl_report_diagnosis(const struct sl_run *run, FILE *out)
{
	for (int cause = HX_CAUSE_SANITIZER; cause > HX_CAUSE_NONE; cause--)
		sl_report_cause(run, (enum hx_cause)cause, out);
}

void sl_report_text(const struct sl_run *run, FILE *out)
{
	const struct sl_lab *lab = run->lab;
	int skipped = 0;

	fprintf(out, "socklab %s-%s: %s\n", lab->number, lab->name, lab->title);
	fputs("  submission ", out);
	sl_put(out, sl_escape_line, run->build.submission);
	fprintf(out, ", seed %llu\n", (unsigned long long)run->opt.seed);
	if (run->degraded[0]) {
		fputs("  sandbox: ", out);
		sl_put(out, sl_escape_line, run->degraded);
		fputc('\n', out);
	}
	if (run->build.ignored.len) {
		fputs("  ignored (not files of this lab): ", out);
		sl_put_bytes(out, sl_escape_line, run->build.ignored.data,
			     run->build.ignored.len);
		fputc('\n', out);
	}
	sl_report_diagnosis(run, out);
	for (int i = 0; i < lab->nchecks; i++) {
		if (!run->results[i].selected)
			continue;
		skipped += run->results[i].verdict.status == HX_SKIPPED;
		sl_report_check(run, &run->results[i], out);
	}
	fprintf(out, "score %d/%d for %s-%s in %.1f s", run->score,
		run->max_score, lab->number, lab->name,
		(double)run->duration_ms / 1000.0);
	if (skipped)
		fprintf(out, ", %d check(s) skipped", skipped);
	fputc('\n', out);
}

void sl_report_tsv(const struct sl_run *run, FILE *out)
{
	for (int i = 0; i < run->lab->nchecks; i++) {
		const struct sl_result *r = &run->results[i];

		if (r->selected)
			fprintf(out, "%s\t%s\t%d\t%d\t%lld\n", r->check->id,
				hx_status_name(r->verdict.status), r->points,
				r->check->points,
				(long long)r->verdict.duration_ms);
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
