/* sl_export.c - results in the shapes other tools read: Gradescope's
 * results.json, Autolab's scores line, JUnit XML, a Markdown table for a
 * CI job summary; and the class views of a batch (gradebook, summary). */
#define _GNU_SOURCE
#include "sl_grade.h"
#include "sl_class.h"
#include "sl_export.h"
#include "sl_report.h"
#include "sl_escape.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void sl_export_gradescope(const struct sl_run *run, FILE *out);
static void sl_export_autolab(const struct sl_run *run, FILE *out);
static void sl_export_junit(const struct sl_run *run, FILE *out);
static void sl_export_github(const struct sl_run *run, FILE *out);

/* Every export format: its name, the extension of its files, its writer. */
static const struct sl_format {
	const char *name;
	const char *extension;
	void (*write)(const struct sl_run *run, FILE *out);
} sl_formats[] = {
    {"gradescope", ".json", sl_export_gradescope},
    {"autolab", ".txt", sl_export_autolab},
    {"junit", ".xml", sl_export_junit},
    {"github", ".md", sl_export_github},
};

static const struct sl_format *sl_format_find(const char *name)
{
	for (size_t i = 0; i < sizeof(sl_formats) / sizeof(sl_formats[0]); i++)
		if (strcmp(sl_formats[i].name, name) == 0)
			return &sl_formats[i];
	return NULL;
}

int sl_export_known(const char *name)
{
	return sl_format_find(name) != NULL;
}

const char *sl_export_names(void)
{
	static char names[128];

	if (!names[0])
		for (size_t i = 0;
		     i < sizeof(sl_formats) / sizeof(sl_formats[0]); i++)
			snprintf(names + strlen(names),
				 sizeof(names) - strlen(names), "%s%s",
				 i ? ", " : "", sl_formats[i].name);
	return names;
}

const char *sl_export_extension(const char *name)
{
	const struct sl_format *f = sl_format_find(name);

	return f ? f->extension : ".txt";
}

void sl_split_hidden(struct sl_run *run)
{
	run->hidden_score = run->hidden_max = run->hidden_run = 0;
	for (int i = 0; i < run->lab->nchecks; i++) {
		const struct sl_result *r = &run->results[i];

		if (!r->selected || !(r->check->flags & SL_HIDDEN))
			continue;
		run->hidden_run++;
		run->hidden_score += r->points;
		run->hidden_max += r->check->points;
		run->score -= r->points;
		run->max_score -= r->check->points;
	}
}

void sl_report_hidden(const struct sl_run *run, FILE *out)
{
	int count = sl_lab_hidden_count(run->lab);

	if (run->hidden_run)
		fprintf(out,
			"hidden %d/%d in %d hidden check(s), not part of "
			"the public 100\n",
			run->hidden_score, run->hidden_max, run->hidden_run);
	else if (count)
		fprintf(out,
			"%d hidden check(s) not run here; they run when "
			"the course grades submissions\n",
			count);
}

/* What a student reads about one check: the terminal report's lines for
 * it, without colour. */
static char *sl_check_feedback(const struct sl_result *r)
{
	const struct hx_verdict *v = &r->verdict;

	/* a hidden check says how it went, never what it tried: its name
	 * and points are all a student reads about it */
	if (r->check->flags & SL_HIDDEN) {
		struct hx_buf b;

		hx_buf_init(&b);
		hx_buf_addf(&b, "hidden check: %s, %d/%d",
			    hx_status_name(v->status), r->points,
			    r->check->points);
		return b.data;
	}
	struct hx_buf b;

	hx_buf_init(&b);
	sl_escape_text(&b, v->message.data, v->message.len);
	if (!r->check->run && v->actual.len) {
		/* the build check: the compiler's own lines */
		size_t len = v->actual.len;

		len -= v->actual.data[len - 1] == '\n';
		hx_buf_add(&b, "\n", b.len ? 1 : 0);
		sl_escape_text(&b, v->actual.data, len);
	} else if (v->expected.len || v->actual.len) {
		hx_buf_addf(&b, "%sexpected: \"", b.len ? "\n" : "");
		hx_escape_cut(&b, v->expected.data, v->expected.len, 600);
		hx_buf_addf(&b, "\"\nactual:   \"");
		hx_escape_cut(&b, v->actual.data, v->actual.len, 600);
		hx_buf_addf(&b, "\"");
	}
	if (v->notes.len) {
		hx_buf_add(&b, "\n", 1);
		sl_escape_text(&b, v->notes.data, v->notes.len);
	}
	if (v->status == HX_SKIPPED)
		hx_buf_addf(&b, "\nnot run on this machine, so not passed: "
				"the run is degraded");
	else if (v->cause)
		hx_buf_addf(&b, "\ncause: %s\n%s", v->cause_text.data,
			    hx_cause_hint(v->cause));
	else if (r->check->hint && v->status != HX_PASS)
		hx_buf_addf(&b, "\nhint: %s", r->check->hint);
	if (!b.data)
		hx_buf_addf(&b, "%s", "");
	return b.data;
}

/* Anything but a pass is not passed: a check that could not run here
 * (skipped) is never shown as passed with 0 points. */
static int sl_failed(const struct sl_result *r)
{
	return r->verdict.status != HX_PASS;
}

/* The first line of every export of a degraded run. */
static void sl_degraded_line(const struct sl_run *run, struct hx_buf *out)
{
	if (run->degraded[0])
		hx_buf_addf(out, "sandbox: %s\n", run->degraded);
}

/* Gradescope: tests[] per check; hidden checks are shown to students only
 * once grades are published. The score is public plus hidden points.
 * Every output is plain text (Gradescope's "text" format, not Markdown,
 * HTML or ANSI colours), already escaped like the terminal report: what
 * a program printed shows, and cannot format or script the page. */
static void sl_export_gradescope(const struct sl_run *run, FILE *out)
{
	int first = 1;

	/* the score is what the assignment is worth: the lab's public
	 * points; hidden checks are tests of their own, published later,
	 * worth points only where the instructor counts them
	 * (SOCKLAB_GRADESCOPE_HIDDEN=count: score is public plus hidden) */
	const char *hidden = getenv("SOCKLAB_GRADESCOPE_HIDDEN");
	int count_hidden = hidden && strcmp(hidden, "count") == 0;

	fprintf(out, "{\"score\": %d, \"execution_time\": %lld,\n \"output\": ",
		run->score + (count_hidden ? run->hidden_score : 0),
		(long long)(run->duration_ms / 1000));
	{
		struct hx_buf text;

		hx_buf_init(&text);
		sl_degraded_line(run, &text);
		hx_buf_addf(&text,
			    "socklab %s-%s: %d/%d public points; %d hidden "
			    "check(s), shown once grades are published%s; "
			    "seed %llu",
			    run->lab->number, run->lab->name, run->score,
			    run->max_score, run->hidden_run,
			    count_hidden ? " and counted"
					 : ", not part of the score",
			    (unsigned long long)run->opt.seed);
		sl_put(out, sl_escape_json, text.data);
		hx_buf_free(&text);
	}
	fputs(",\n \"output_format\": \"text\", "
	      "\"test_output_format\": \"text\", "
	      "\"test_name_format\": \"text\",\n \"visibility\": \"visible\", "
	      "\"stdout_visibility\": \"hidden\",\n \"tests\": [\n",
	      out);
	for (int i = 0; i < run->lab->nchecks; i++) {
		const struct sl_result *r = &run->results[i];
		char *text;

		if (!r->selected)
			continue;
		text = sl_check_feedback(r);
		fprintf(out, "%s  {\"name\": ", first ? "" : ",\n");
		sl_put(out, sl_escape_json, r->check->title);
		/* a hidden check not counted carries no points of its own,
		 * or Gradescope would add them to the assignment's total */
		int weight =
		    (r->check->flags & SL_HIDDEN) && !count_hidden ? 0 : 1;

		fprintf(out,
			", \"number\": \"%d\", \"score\": %d, "
			"\"max_score\": %d, \"status\": \"%s\",\n   "
			"\"visibility\": \"%s\", \"tags\": [",
			i + 1, r->points * weight, r->check->points * weight,
			sl_failed(r) ? "failed" : "passed",
			(r->check->flags & SL_HIDDEN) ? "after_published"
						      : "visible");
		sl_put(out, sl_escape_json, r->check->id);
		fputs("], \"output_format\": \"text\", \"output\": ", out);
		sl_put(out, sl_escape_json, text);
		fputc('}', out);
		free(text);
		first = 0;
	}
	fputs("\n]}\n", out);
}

/* Autolab: any feedback, then a last line {"scores": {...}}. */
static void sl_export_autolab(const struct sl_run *run, FILE *out)
{
	int first = 1;

	sl_report_text_for(run, 0, out);
	sl_report_hidden(run, out);
	fputs("{\"scores\": {", out);
	for (int i = 0; i < run->lab->nchecks; i++) {
		const struct sl_result *r = &run->results[i];

		if (!r->selected)
			continue;
		fputs(first ? "" : ", ", out);
		sl_put(out, sl_escape_json, r->check->id);
		fprintf(out, ": %d", r->points);
		first = 0;
	}
	fputs("}}\n", out);
}

/* JUnit XML: one testsuite, a testcase per check, failure or skipped. */
static void sl_export_junit(const struct sl_run *run, FILE *out)
{
	int tests = 0, failures = 0, errors = 0;
	char name[128];

	sl_lab_dirname(run->lab, name, sizeof(name));
	/* a check that could not run here is an error, never a skip a CI
	 * job would let pass */
	for (int i = 0; i < run->lab->nchecks; i++) {
		const struct sl_result *r = &run->results[i];

		tests += r->selected;
		errors += r->selected && r->verdict.status == HX_SKIPPED;
		failures += r->selected && sl_failed(r) &&
			    r->verdict.status != HX_SKIPPED;
	}
	fprintf(out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites>\n"
		"<testsuite name=\"socklab.%s\" tests=\"%d\" failures=\"%d\" "
		"errors=\"%d\" skipped=\"0\" time=\"%.3f\">\n",
		name, tests, failures, errors, (double)run->duration_ms / 1000);
	fprintf(out,
		"  <properties><property name=\"score\" value=\"%d/%d\"/>"
		"<property name=\"hidden\" value=\"%d/%d in %d check(s)\"/>"
		"<property name=\"seed\" value=\"%llu\"/>",
		run->score, run->max_score, run->hidden_score, run->hidden_max,
		run->hidden_run, (unsigned long long)run->opt.seed);
	if (run->degraded[0]) {
		fputs("<property name=\"sandbox\" value=\"", out);
		sl_put(out, sl_escape_xml, run->degraded);
		fputs("\"/>", out);
	}
	fputs("</properties>\n", out);
	for (int i = 0; i < run->lab->nchecks; i++) {
		const struct sl_result *r = &run->results[i];
		char *text;

		if (!r->selected)
			continue;
		fprintf(out, "  <testcase classname=\"socklab.%s%s\" name=\"",
			name, (r->check->flags & SL_HIDDEN) ? ".hidden" : "");
		sl_put(out, sl_escape_xml, r->check->id);
		fprintf(out, "\" time=\"%.3f\"",
			(double)r->verdict.duration_ms / 1000);
		if (!sl_failed(r)) {
			fputs("/>\n", out);
			continue;
		}
		text = sl_check_feedback(r);
		fprintf(out, ">\n    <%s type=\"%s\" message=\"",
			r->verdict.status == HX_SKIPPED ? "error" : "failure",
			hx_status_name(r->verdict.status));
		sl_put_bytes(out, sl_escape_xml, r->verdict.message.data,
			     r->verdict.message.len);
		fputs("\">", out);
		sl_put(out, sl_escape_xml, text);
		fprintf(out, "</%s>\n  </testcase>\n",
			r->verdict.status == HX_SKIPPED ? "error" : "failure");
		free(text);
	}
	fputs("</testsuite>\n</testsuites>\n", out);
}

/* GitHub job summary: a Markdown table, then the first line of each
 * failure. Hidden checks get their own rows only when they ran. */
static void sl_export_github(const struct sl_run *run, FILE *out)
{
	int count = sl_lab_hidden_count(run->lab);

	fprintf(out, "### socklab %s-%s: %d/%d\n\n", run->lab->number,
		run->lab->name, run->score, run->max_score);
	if (run->degraded[0]) {
		fputs("**", out);
		sl_put(out, sl_escape_markdown, run->degraded);
		fputs("**: a check that could not run here is not passed.\n\n",
		      out);
	}
	fputs("| check | status | points | what it proves |\n"
	      "| --- | --- | ---: | --- |\n",
	      out);
	for (int i = 0; i < run->lab->nchecks; i++) {
		const struct sl_result *r = &run->results[i];

		if (!r->selected)
			continue;
		fprintf(out, "| `%s`%s | %s %s | %d/%d | ", r->check->id,
			(r->check->flags & SL_HIDDEN) ? " (hidden)" : "",
			r->verdict.status == HX_SKIPPED ? ":warning:"
			: sl_failed(r)			? ":x:"
							: ":white_check_mark:",
			hx_status_name(r->verdict.status), r->points,
			r->check->points);
		/* the project's own text, as in the rubric */
		fprintf(out, "%s |\n", r->check->title);
	}
	fputc('\n', out);
	for (int i = 0; i < run->lab->nchecks; i++) {
		const struct sl_result *r = &run->results[i];
		const struct hx_buf *message = &r->verdict.message;
		const char *end;

		if (!r->selected || !sl_failed(r) || !message->len)
			continue;
		end = memchr(message->data, '\n', message->len);
		fprintf(out, "- `%s`: ", r->check->id);
		sl_put_bytes(out, sl_escape_markdown, message->data,
			     end ? (size_t)(end - message->data)
				 : message->len);
		fputc('\n', out);
	}
	if (run->hidden_run)
		fprintf(out,
			"\nHidden checks: %d, %d/%d points, on top of the "
			"public 100.\n",
			run->hidden_run, run->hidden_score, run->hidden_max);
	else if (count)
		fprintf(out,
			"\nHidden checks: %d, not run here (the course "
			"runs them when it grades).\n",
			count);
	fprintf(out,
		"\nRerun one check: `make grade LAB=%s CHECK=id V=1` "
		"(seed %llu)\n",
		run->lab->number, (unsigned long long)run->opt.seed);
}

int sl_export(const struct sl_run *run, const char *format, FILE *out,
	      char *err, size_t errlen)
{
	const struct sl_format *f = sl_format_find(format);

	if (!f) {
		snprintf(err, errlen, "unknown export format \"%s\"", format);
		return -1;
	}
	f->write(run, out);
	if (fflush(out) != 0 || ferror(out)) {
		snprintf(err, errlen, "writing the %s results: %s", format,
			 strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- class views of a batch ------------------------------------------ */

static FILE *sl_open_out(const char *path, char *err, size_t errlen)
{
	FILE *out = fopen(path, "w");

	if (!out)
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
	return out;
}

static int sl_close_out(FILE *out, const char *path, char *err, size_t errlen)
{
	if (ferror(out) | (fclose(out) != 0)) {
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
		return -1;
	}
	return 0;
}

int sl_write_gradebook(const struct sl_lab *lab, const struct sl_student *s,
		       int n, const char *path, char *err, size_t errlen)
{
	FILE *out = sl_open_out(path, err, errlen);

	if (!out)
		return -1;
	fputs("student,total,max", out);
	for (int c = 0; c < lab->nchecks; c++)
		if (!(lab->checks[c].flags & SL_HIDDEN))
			fprintf(out, ",%s", lab->checks[c].id);
	fputs(",hidden,hidden_max", out);
	for (int c = 0; c < lab->nchecks; c++)
		if (lab->checks[c].flags & SL_HIDDEN)
			fprintf(out, ",hidden:%s", lab->checks[c].id);
	fputs(",problem\n", out);
	for (int i = 0; i < n; i++) {
		sl_put(out, sl_escape_csv, s[i].id);
		fprintf(out, ",%d,%d", s[i].score, sl_lab_total_points(lab));
		for (int c = 0; c < lab->nchecks; c++)
			if (!(lab->checks[c].flags & SL_HIDDEN))
				fprintf(out, ",%d",
					s[i].points[c] > 0 ? s[i].points[c]
							   : 0);
		fprintf(out, ",%d,%d", s[i].hidden_score,
			sl_lab_hidden_points(lab));
		for (int c = 0; c < lab->nchecks; c++)
			if (lab->checks[c].flags & SL_HIDDEN)
				fprintf(out, ",%d",
					s[i].points[c] > 0 ? s[i].points[c]
							   : 0);
		fputc(',', out);
		sl_put(out, sl_escape_csv, s[i].problem);
		fputc('\n', out);
	}
	return sl_close_out(out, path, err, errlen);
}

/* The failure message most students of the class got for check c. */
static const char *sl_common_message(const struct sl_student *s, int n, int c,
				     int *times)
{
	const char *best = "";

	*times = 0;
	for (int i = 0; i < n; i++) {
		int count = 0;

		if (!s[i].graded || !s[i].message[c][0])
			continue;
		for (int k = 0; k < n; k++)
			count += s[k].graded &&
				 strcmp(s[k].message[c], s[i].message[c]) == 0;
		if (count > *times) {
			*times = count;
			best = s[i].message[c];
		}
	}
	return best;
}

static int sl_compare_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void sl_summary_histogram(FILE *out, const struct sl_student *s, int n,
				 int total)
{
	int buckets[11] = {0}, graded = 0, sum = 0;
	int *scores = calloc((size_t)n + 1, sizeof(int));

	for (int i = 0; i < n; i++) {
		int pct;

		if (!s[i].graded)
			continue;
		pct = total ? s[i].score * 100 / total : 0;
		buckets[pct >= 100 ? 10 : pct / 10]++;
		sum += s[i].score;
		if (scores)
			scores[graded] = s[i].score;
		graded++;
	}
	fputs("## Score distribution\n\n```\n", out);
	for (int b = 0; b <= 10; b++) {
		if (b == 10)
			fprintf(out, "    100 %4d ", buckets[b]);
		else
			fprintf(out, "%3d-%3d %4d ", b * 10, b * 10 + 9,
				buckets[b]);
		for (int k = 0; k < buckets[b]; k++)
			fputc('#', out);
		fputc('\n', out);
	}
	fputs("```\n\n", out);
	if (graded && scores) {
		qsort(scores, (size_t)graded, sizeof(int), sl_compare_int);
		fprintf(out,
			"Mean %.1f, median %d of %d points, over %d graded "
			"submission(s).\n\n",
			(double)sum / graded, scores[graded / 2], total,
			graded);
	}
	free(scores);
}

int sl_write_summary(const struct sl_lab *lab, const struct sl_student *s,
		     int n, const char *path, char *err, size_t errlen)
{
	FILE *out = sl_open_out(path, err, errlen);
	int graded = 0;

	if (!out)
		return -1;
	for (int i = 0; i < n; i++)
		graded += s[i].graded;
	fprintf(out,
		"# socklab batch: %s-%s\n\n%d submission(s): %d graded, "
		"%d not graded.\n\n",
		lab->number, lab->name, n, graded, n - graded);
	sl_summary_histogram(out, s, n, sl_lab_total_points(lab));
	for (int i = 0; i < n; i++)
		if (s[i].regraded) {
			fputs("- ", out);
			sl_put(out, sl_escape_markdown, s[i].id);
			fputs(
			    " failed a check next to a submission whose "
			    "programs timed out, crashed or spun; it was "
			    "graded again, alone, and that result counts.\n\n",
			    out);
		}
	fputs("## Checks: what to reteach\n\n"
	      "| check | points | failed | most common failure |\n"
	      "| --- | ---: | ---: | --- |\n",
	      out);
	for (int c = 0; c < lab->nchecks; c++) {
		int failed = 0, times;
		const char *common;

		for (int i = 0; i < n; i++)
			failed += s[i].graded && s[i].points[c] >= 0 &&
				  s[i].status[c] != HX_PASS &&
				  s[i].status[c] != HX_SKIPPED;
		common = sl_common_message(s, n, c, &times);
		fprintf(out, "| `%s`%s | %d | %d of %d | ", lab->checks[c].id,
			(lab->checks[c].flags & SL_HIDDEN) ? " (hidden)" : "",
			lab->checks[c].points, failed, graded);
		if (times) {
			sl_put(out, sl_escape_markdown, common);
			fprintf(out, " (%d)", times);
		}
		fputs(" |\n", out);
	}
	fprintf(out,
		"\nHidden checks: %d, worth %d points on top of the public "
		"%d; they run in batch and exported grading only.\n",
		sl_lab_hidden_count(lab), sl_lab_hidden_points(lab),
		sl_lab_total_points(lab));
	if (graded < n) {
		fputs("\n## Not graded\n\n", out);
		for (int i = 0; i < n; i++)
			if (!s[i].graded) {
				fputs("- ", out);
				sl_put(out, sl_escape_markdown, s[i].id);
				fputs(" (", out);
				sl_put(out, sl_escape_markdown, s[i].source);
				fputs("): ", out);
				sl_put(out, sl_escape_markdown, s[i].problem);
				fputc('\n', out);
			}
	}
	return sl_close_out(out, path, err, errlen);
}
