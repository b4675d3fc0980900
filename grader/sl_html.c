/* sl_html.c - the report as one HTML page: rubric, each check's details,
 * its exchange drawn. Nothing in it loads anything. */
#define _GNU_SOURCE
#include "sl_html.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sl_capture.h"
#include "sl_escape.h"
#include "sl_sequence.h"

#define SL_VALUE_WHOLE	6144 /* a value this long is shown whole */
#define SL_VALUE_END	2048 /* else its first and last bytes ... */
#define SL_VALUE_AROUND 1024 /* ... and these either side of the difference */

/* Inline, so the page needs nothing else; one colour per status. */
static const char sl_style[] =
    "body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:"
    "1100px;padding:16px 24px;color:#1d232a;background:#fff}\n"
    "h1{font-size:22px;margin:4px 0}h2{font-size:18px;margin:22px 0 8px}"
    "h3{font-size:15px;margin:14px 0 4px}\n"
    "code,pre,.sequence text{font-family:ui-monospace,monospace}\n"
    "pre{background:#f5f6f8;border:1px solid #dde1e6;padding:8px 10px;"
    "overflow:auto;max-height:420px;white-space:pre-wrap;"
    "word-break:break-all;margin:4px 0}\n"
    ".meta{color:#57606a;margin:2px 0}.score{font-size:20px;"
    "font-weight:600}\n"
    ".degraded{background:#fff4e5;border:1px solid #f0b45b;padding:6px "
    "10px}\n"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;"
    "padding:5px 8px;border-bottom:1px solid #e4e7eb;vertical-align:top}"
    "th{background:#f5f6f8}td.points{white-space:nowrap}\n"
    ".status{display:inline-block;min-width:58px;text-align:center;"
    "border-radius:4px;padding:0 6px;font-weight:600;color:#fff}\n"
    ".pass{background:#1a7f37}.fail,.crash,.timeout,.error"
    "{background:#cf222e}.skipped,.not-run{background:#9a6700}\n"
    "details.check{border:1px solid #dde1e6;border-radius:6px;margin:10px "
    "0;padding:4px 12px}details.check>summary{cursor:pointer;padding:"
    "4px 0}\n"
    "mark{background:#ffd33d;color:#000;outline:1px solid #bf8700}"
    "mark.end{background:#ffd33d;font-size:11px}\n"
    ".cut{color:#8c959f}.hint{border-left:4px solid #0969da;padding:2px "
    "10px;background:#f1f7ff}.cause{border-left:4px solid #cf222e;padding:"
    "2px 10px;background:#fff5f5}\n"
    ".diagram{overflow:auto;border:1px solid #dde1e6;background:#fcfcfd}\n"
    ".sequence text{font-size:11px;fill:#1d232a}.sequence .time{fill:"
    "#57606a;text-anchor:end}.sequence .note{fill:#57606a;font-style:"
    "italic}.sequence .meta{fill:#8c959f;font-size:10px}\n"
    ".sequence .lane rect{fill:#eef1f4;stroke:#8c959f}.sequence "
    ".lane.program rect{fill:#dafbe1;stroke:#1a7f37}.sequence .lane "
    "line{stroke:#afb8c1;stroke-dasharray:4 4}.sequence .who{fill:"
    "#57606a;font-size:10px}\n"
    ".sequence .msg line{stroke:#0969da;stroke-width:1.5}.sequence .msg "
    "polygon{fill:#0969da}.sequence .fin line{stroke:#57606a;"
    "stroke-dasharray:5 3}.sequence .fin polygon{fill:#57606a}"
    ".sequence .rst line{stroke:#cf222e;stroke-width:2;stroke-dasharray:"
    "5 3}.sequence .rst polygon{fill:#cf222e}.sequence .rst text{fill:"
    "#cf222e}\n";

/* Text from anywhere, escaped for HTML text or a quoted attribute. */
static void sl_html_put(FILE *out, const void *data, size_t len)
{
	sl_put_bytes(out, sl_escape_xml, data, len);
}

static void sl_html_puts(FILE *out, const char *text)
{
	sl_html_put(out, text ? text : "", text ? strlen(text) : 0);
}

/* Bytes of a value as the terminal report shows them (\n, \x1b), then
 * escaped for HTML. */
static void sl_html_bytes(FILE *out, const char *data, size_t len)
{
	struct hx_buf shown;

	hx_buf_init(&shown);
	hx_escape(&shown, data, len);
	sl_html_put(out, shown.data, shown.len);
	hx_buf_free(&shown);
}

/* Bytes [from, to) of a value, the byte at mark (when inside) marked. */
static void sl_html_range(FILE *out, const char *data, size_t from, size_t to,
			  long mark)
{
	if (mark >= (long)from && mark < (long)to) {
		sl_html_bytes(out, data + from, (size_t)mark - from);
		fputs("<mark title=\"first difference\">", out);
		sl_html_bytes(out, data + mark, 1);
		fputs("</mark>", out);
		sl_html_bytes(out, data + mark + 1, to - (size_t)mark - 1);
	} else {
		sl_html_bytes(out, data + from, to - from);
	}
}

/* A value in a <pre>: whole when short; else its two ends and the bytes
 * around the first difference, with what is cut said. A difference at
 * its end (it is shorter) is marked there. */
static void sl_html_value(FILE *out, const char *label, const char *data,
			  size_t len, long diff)
{
	size_t from[3], to[3];
	int n = 0;

	fprintf(out, "<h3>%s <span class=\"meta\">(%zu bytes)</span></h3><pre>",
		label, len);
	if (len <= SL_VALUE_WHOLE) {
		from[n] = 0;
		to[n++] = len;
	} else {
		from[n] = 0;
		to[n++] = SL_VALUE_END;
		if (diff > SL_VALUE_END && (size_t)diff < len - SL_VALUE_END) {
			from[n] = (size_t)diff - SL_VALUE_AROUND;
			to[n++] = (size_t)diff + SL_VALUE_AROUND;
		}
		from[n] = len - SL_VALUE_END;
		to[n++] = len;
		/* ranges that meet are one */
		for (int i = 1; i < n; i++)
			if (from[i] < to[i - 1])
				from[i] = to[i - 1];
	}
	for (int i = 0; i < n; i++) {
		if (i > 0 && from[i] > to[i - 1])
			fprintf(out,
				"<span class=\"cut\">\xe2\x80\xa6[%zu bytes]"
				"\xe2\x80\xa6</span>",
				from[i] - to[i - 1]);
		sl_html_range(out, data, from[i], to[i], diff);
	}
	if (diff >= 0 && (size_t)diff == len)
		fputs("<mark class=\"end\" title=\"the value ends here\">"
		      "(ends)</mark>",
		      out);
	fputs("</pre>\n", out);
}

static const char *sl_status_class(const struct sl_result *r)
{
	return r->selected ? hx_status_name(r->verdict.status) : "not-run";
}

static void sl_html_head(const struct sl_run *run, FILE *out)
{
	const struct sl_lab *lab = run->lab;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
	      "charset=\"utf-8\">\n",
	      out);
	/* nothing to load, nothing to run: whatever a program printed */
	fputs(
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<link rel=\"icon\" href=\"data:,\">\n",
	    out);
	fprintf(out, "<title>socklab %s-%s: %d/%d</title>\n", lab->number,
		lab->name, run->score, run->max_score);
	fprintf(out, "<style>\n%s</style>\n</head>\n<body>\n", sl_style);
	fprintf(out, "<h1>socklab %s-%s: ", lab->number, lab->name);
	sl_html_puts(out, lab->title);
	fputs("</h1>\n<p class=\"meta\">submission <code>", out);
	sl_html_puts(out, run->build.submission);
	fprintf(out, "</code>, seed %llu, %.1f s</p>\n",
		(unsigned long long)run->opt.seed,
		(double)run->duration_ms / 1000.0);
	if (run->degraded[0]) {
		fputs("<p class=\"degraded\">sandbox: ", out);
		sl_html_puts(out, run->degraded);
		fputs("</p>\n", out);
	}
	fprintf(out, "<p class=\"score\">score %d/%d</p>\n", run->score,
		run->max_score);
	if (run->hidden_run)
		fprintf(out,
			"<p class=\"meta\">hidden %d/%d in %d hidden "
			"check(s), not part of the public 100</p>\n",
			run->hidden_score, run->hidden_max, run->hidden_run);
}

/* The rubric: every public check, and the hidden ones that ran. */
static void sl_html_rubric(const struct sl_run *run, FILE *out)
{
	fputs("<h2>Rubric</h2>\n<table class=\"rubric\">\n<thead><tr><th>check"
	      "</th><th>status</th><th>points</th><th>what it proves</th>"
	      "<th>time</th></tr></thead>\n<tbody>\n",
	      out);
	for (int i = 0; i < run->lab->nchecks; i++) {
		const struct sl_result *r = &run->results[i];
		const struct sl_check *check = r->check;

		if ((check->flags & SL_HIDDEN) && !r->selected)
			continue;
		fprintf(out,
			"<tr id=\"row-%s\"><td><a href=\"#check-%s\"><code>"
			"%s</code></a></td>",
			check->id, check->id, check->id);
		fprintf(out, "<td><span class=\"status %s\">%s</span></td>",
			sl_status_class(r),
			r->selected ? hx_status_name(r->verdict.status)
				    : "not run");
		fprintf(out, "<td class=\"points\">%d/%d</td><td>", r->points,
			check->points);
		sl_html_puts(out, check->title);
		if (check->flags & SL_HIDDEN)
			fputs(" <span class=\"meta\">(hidden)</span>", out);
		if (r->selected && check->run)
			fprintf(out, "</td><td>%.2f s</td></tr>\n",
				(double)r->verdict.duration_ms / 1000.0);
		else
			fputs("</td><td></td></tr>\n", out);
	}
	fputs("</tbody>\n</table>\n", out);
}

/* Each cause that broke checks, once, with what to do about it. */
static void sl_html_diagnosis(const struct sl_run *run, FILE *out)
{
	int shown = 0;

	for (int cause = HX_CAUSE_SANITIZER; cause > HX_CAUSE_NONE; cause--) {
		const struct hx_verdict *first = NULL;

		for (int i = 0; i < run->lab->nchecks; i++) {
			const struct sl_result *r = &run->results[i];

			if (!r->selected || (int)r->verdict.cause != cause)
				continue;
			if (!first) {
				if (!shown++)
					fputs("<h2>Diagnosis</h2>\n", out);
				first = &r->verdict;
				fputs("<div class=\"cause\"><p><b>", out);
				sl_html_put(out, first->cause_text.data,
					    first->cause_text.len);
				fputs("</b></p><p>it broke:", out);
			}
			fprintf(out,
				" <a href=\"#check-%s\"><code>%s</code></a>",
				r->check->id, r->check->id);
		}
		if (first) {
			fputs("</p><p>what to do: ", out);
			sl_html_puts(out, hx_cause_hint((enum hx_cause)cause));
			fputs("</p></div>\n", out);
		}
	}
}

/* The exchange of a check, drawn; the transcript as text when it cannot
 * be drawn. */
static void sl_html_exchange(const struct hx_verdict *v, FILE *out)
{
	struct hx_buf svg;
	int drawn;

	if (!v->events.len && !v->transcript.len)
		return;
	hx_buf_init(&svg);
	drawn = sl_sequence_svg(&svg, &v->events);
	fputs("<h3>The exchange</h3>\n", out);
	if (drawn > 0) {
		fputs("<div class=\"diagram\">\n", out);
		fwrite(svg.data, 1, svg.len, out);
		fputs("</div>\n", out);
	}
	if (v->transcript.len) {
		fprintf(out,
			"<details%s><summary>transcript as text</summary>"
			"<pre>",
			drawn > 0 ? "" : " open");
		sl_html_put(out, v->transcript.data, v->transcript.len);
		fputs("</pre></details>\n", out);
	}
	hx_buf_free(&svg);
}

/* What a check came to: its message, values, the programs' stderr, the
 * cause or the hint, its exchange, how to rerun it, its capture. */
static void sl_html_check(const struct sl_run *run, const struct sl_result *r,
			  int hidden_details, FILE *out)
{
	const struct sl_check *check = r->check;
	const struct hx_verdict *v = &r->verdict;
	int failed = v->status != HX_PASS;
	struct hx_buf capture;

	fprintf(out,
		"<details class=\"check\" id=\"check-%s\"%s><summary>"
		"<span class=\"status %s\">%s</span> <code>%s</code> %d/%d: ",
		check->id, failed ? " open" : "", sl_status_class(r),
		hx_status_name(v->status), check->id, r->points, check->points);
	sl_html_puts(out, check->title);
	fputs("</summary>\n", out);
	/* for students, a hidden check says how it went, never what it
	 * tried */
	if ((check->flags & SL_HIDDEN) && !hidden_details) {
		fputs("<p class=\"meta\">a hidden check: how it went is all "
		      "the report says of it</p></details>\n",
		      out);
		return;
	}
	if (v->message.len) {
		fputs("<p class=\"message\">", out);
		sl_html_put(out, v->message.data, v->message.len);
		fputs("</p>\n", out);
	}
	if (failed && check->run && (v->expected.len || v->actual.len)) {
		sl_html_value(out, "expected", v->expected.data,
			      v->expected.len, v->diff_at);
		sl_html_value(out, "actual", v->actual.data, v->actual.len,
			      v->diff_at);
		if (v->diff_at >= 0)
			fprintf(out,
				"<p class=\"meta\">first difference at "
				"byte %ld</p>\n",
				v->diff_at);
	} else if (failed && v->actual.len) {
		fputs("<h3>The compiler said</h3><pre>", out);
		sl_html_put(out, v->actual.data, v->actual.len);
		fputs("</pre>\n", out);
	}
	if (failed && v->notes.len) {
		fputs("<h3>The programs' stderr and notes</h3><pre>", out);
		sl_html_put(out, v->notes.data, v->notes.len);
		fputs("</pre>\n", out);
	}
	if (failed && v->cause) {
		fputs("<p class=\"cause\"><b>cause:</b> ", out);
		sl_html_put(out, v->cause_text.data, v->cause_text.len);
		fputs(" (see the diagnosis above)</p>\n", out);
	} else if (failed && check->hint && v->status != HX_SKIPPED) {
		fputs("<p class=\"hint\"><b>hint:</b> ", out);
		sl_html_puts(out, check->hint);
		fputs("</p>\n", out);
	}
	if (failed && v->memcheck.len) {
		fputs("<h3>Valgrind</h3><pre>", out);
		sl_html_put(out, v->memcheck.data, v->memcheck.len);
		fputs("</pre>\n", out);
	}
	sl_html_exchange(v, out);
	if (failed && v->status != HX_SKIPPED) {
		fprintf(out,
			"<p class=\"meta\">rerun: <code>make grade LAB=%s "
			"CHECK=%s V=1",
			run->lab->number, check->id);
		if (check->run)
			fprintf(out, " SEED=%llu",
				(unsigned long long)run->opt.seed);
		fputs("</code></p>\n", out);
	}
	hx_buf_init(&capture);
	sl_capture_describe(run, r, &capture);
	if (capture.len) {
		fputs("<p class=\"meta\">capture: ", out);
		sl_html_put(out, capture.data, capture.len);
		fputs("</p>\n", out);
	}
	hx_buf_free(&capture);
	fputs("</details>\n", out);
}

void sl_report_html(const struct sl_run *run, int hidden_details, FILE *out)
{
	int failed = 0;

	sl_html_head(run, out);
	sl_html_rubric(run, out);
	for (int i = 0; i < run->lab->nchecks; i++)
		failed += run->results[i].selected &&
			  run->results[i].verdict.status != HX_PASS;
	if (failed)
		sl_html_diagnosis(run, out);
	fputs("<h2>Checks</h2>\n", out);
	for (int i = 0; i < run->lab->nchecks; i++)
		if (run->results[i].selected)
			sl_html_check(run, &run->results[i], hidden_details,
				      out);
	fputs("<p class=\"meta\">Rerun one check with its transcript: <code>"
	      "make grade LAB=",
	      out);
	fprintf(out,
		"%s CHECK=id V=1</code>; see every packet with <code>"
		"PCAP=folder</code> and open a file with <code>wireshark "
		"FILE</code> or <code>tshark -r FILE</code>.</p>\n",
		run->lab->number);
	fputs("</body>\n</html>\n", out);
}

void sl_html_path(const struct sl_run *run, char *out, size_t size)
{
	char lab[128];

	sl_lab_dirname(run->lab, lab, sizeof(lab));
	snprintf(out, size, "%s/%s.html", run->opt.html, lab);
}

int sl_html_write(const struct sl_run *run, char *err, size_t errlen)
{
	char path[1200];
	FILE *out;
	int fd;

	if (!run->opt.html)
		return 0;
	sl_html_path(run, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	out = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!out) {
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	sl_report_html(run, 1, out);
	if (ferror(out) | fclose(out)) {
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
		return -1;
	}
	return 0;
}
