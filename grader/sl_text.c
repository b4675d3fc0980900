/* sl_text.c - the report people read: a table of the checks that fills
 * while the lab runs, then what went wrong (each cause once, then each
 * failing check), then the score. Every line fits the terminal's width
 * (80 columns in a file or a pipe), text wrapped at word boundaries, and
 * nothing a program wrote can act on the terminal. */
#define _GNU_SOURCE
#include "sl_grade.h"
#include "sl_report.h"
#include "sl_capture.h"
#include "sl_escape.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define SL_WIDTH     80	      /* columns, where there is no terminal */
#define SL_MIN_WIDTH 60	      /* a narrower terminal is read as this */
#define SL_INDENT    "      " /* what belongs to a check */
#define SL_ROW_TITLE 39	      /* the column a row's title starts in */

int sl_terminal_width(FILE *out)
{
	struct winsize ws;

	if (isatty(fileno(out)) && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0)
		return ws.ws_col < SL_MIN_WIDTH ? SL_MIN_WIDTH : ws.ws_col;
	return SL_WIDTH;
}

static int sl_width(const struct sl_run *run)
{
	return run->opt.width > 0 ? run->opt.width : SL_WIDTH;
}

static const char *sl_colour(const struct sl_run *run, enum hx_status s)
{
	if (!run->opt.color)
		return "";
	switch (s) {
	case HX_PASS:
		return "\033[32m";
	case HX_SKIPPED:
		return "\033[33m";
	default:
		return "\033[31m";
	}
}

static const char *sl_reset(const struct sl_run *run)
{
	return run->opt.color ? "\033[0m" : "";
}

/* Bytes of s that fit in room columns, never splitting a UTF-8
 * character or one of the escapes the report writes (\x1b, \n). */
static size_t sl_fit(const char *s, size_t len, size_t room)
{
	size_t at = len < room ? len : room;

	while (at > 0 && at < len && ((unsigned char)s[at] & 0xc0) == 0x80)
		at--;
	/* an escape cut in two reads as another: keep it whole */
	for (size_t back = 1; back <= 3 && back <= at; back++)
		if (s[at - back] == '\\' && at < len) {
			size_t end =
			    at - back + (s[at - back + 1] == 'x' ? 4 : 2);

			if (end > at)
				at -= back;
			break;
		}
	return at;
}

/* Writes text (escaped already: it may hold \n) wrapped at width, the
 * first line after first (which starts at column col, after what the
 * caller printed), the others after rest; breaks at spaces, and cuts a
 * word longer than a line. */
static void sl_wrap_at(FILE *out, int width, size_t col, const char *first,
		       const char *rest, const char *text, size_t len)
{
	const char *prefix = first;
	size_t at = 0;

	if (len == 0) {
		fprintf(out, "%s\n", first);
		return;
	}
	while (at < len) {
		size_t used = strlen(prefix) + (prefix == first ? col : 0);
		size_t room =
		    (size_t)width > used + 10 ? (size_t)width - used : 10;
		size_t line = strcspn(text + at, "\n");
		size_t take;

		if (line > len - at)
			line = len - at;
		take = line;
		if (take > room) {
			take = room;
			/* the last space that lets the line fit */
			while (take > 0 && text[at + take] != ' ')
				take--;
			if (take == 0)
				take = sl_fit(text + at, line, room);
		}
		if (take == 0)
			take = 1;
		fprintf(out, "%s%.*s\n", prefix, (int)take, text + at);
		at += take;
		while (at < len && text[at] == ' ' && take < line)
			at++;
		if (at < len && text[at] == '\n')
			at++;
		prefix = rest;
	}
}

static void sl_wrap(FILE *out, int width, const char *first, const char *rest,
		    const char *text, size_t len)
{
	sl_wrap_at(out, width, 0, first, rest, text, len);
}

/* Escapes what may come from a submission, then wraps it. */
static void sl_wrap_text(FILE *out, int width, const char *first,
			 const char *rest, const char *text, size_t len)
{
	struct hx_buf shown;

	hx_buf_init(&shown);
	sl_escape_text(&shown, text, len);
	/* a final line break ends the text, it does not add a line */
	if (shown.len && shown.data[shown.len - 1] == '\n')
		shown.len--;
	sl_wrap(out, width, first, rest, shown.data ? shown.data : "",
		shown.len);
	hx_buf_free(&shown);
}

static void sl_wrap_plain(FILE *out, int width, const char *first,
			  const char *rest, const char *text)
{
	sl_wrap(out, width, first, rest, text, strlen(text));
}

/* One value, escaped, cut to room columns from byte from on, with "..."
 * where it was cut. The length of the escaped part before the first
 * difference comes back in caret (or -1 when it was not shown). */
static void sl_value_line(FILE *out, const char *label, const char *data,
			  size_t len, size_t from, size_t room, long diff_at,
			  long *caret)
{
	struct hx_buf e;
	size_t shown;

	hx_buf_init(&e);
	hx_escape(&e, data + from, len > from ? len - from : 0);
	shown = sl_fit(e.data ? e.data : "", e.len, room);
	fprintf(out, SL_INDENT "%s \"%s%.*s%s\"\n", label, from ? "..." : "",
		(int)shown, e.data ? e.data : "", shown < e.len ? "..." : "");
	if (caret && diff_at >= (long)from) {
		struct hx_buf before;

		hx_buf_init(&before);
		hx_escape(&before, data + from, (size_t)diff_at - from);
		*caret = before.len <= shown ? (long)before.len : -1;
		hx_buf_free(&before);
	}
	hx_buf_free(&e);
}

/* Expected and actual, escaped, with the first difference marked by a
 * caret: a window of each that fits the line and shows the difference. */
static void sl_show_values(FILE *out, int width, const struct hx_verdict *v)
{
	/* SL_INDENT, "expected: ", the quotes and the two "..." */
	size_t room = (size_t)(width > 50 ? width - 29 : 21), from = 0;
	long caret = -1;

	if (v->diff_at > (long)(room / 2)) {
		from = (size_t)v->diff_at - room / 4;
		fprintf(out,
			SL_INDENT "first difference at byte %ld of %zu "
				  "expected, %zu received:\n",
			v->diff_at, v->expected.len, v->actual.len);
	}
	sl_value_line(out, "expected:", v->expected.data, v->expected.len, from,
		      room, v->diff_at, &caret);
	sl_value_line(out, "actual:  ", v->actual.data, v->actual.len, from,
		      room, -1, NULL);
	if (v->diff_at >= 0 && caret >= 0)
		fprintf(out, SL_INDENT "           %s%*s^ first difference\n",
			from ? "   " : "", (int)caret, "");
}

/* One row of the table: status, points, id, then the title (and time),
 * wrapped under itself. */
static void sl_text_row(const struct sl_run *run, const struct sl_result *r,
			FILE *out)
{
	const struct hx_verdict *v = &r->verdict;
	char rest[SL_ROW_TITLE + 1], title[512];

	fprintf(out, "  %s%-7s%s %3d/%-3d %-20s ", sl_colour(run, v->status),
		hx_status_name(v->status), sl_reset(run), r->points,
		r->check->points, r->check->id);
	if (r->check->run)
		snprintf(title, sizeof(title), "%s (%.2fs)", r->check->title,
			 (double)v->duration_ms / 1000.0);
	else
		snprintf(title, sizeof(title), "%s", r->check->title);
	memset(rest, ' ', SL_ROW_TITLE);
	rest[SL_ROW_TITLE] = '\0';
	/* an id longer than its column pushes the title to the next line */
	if (strlen(r->check->id) > 20)
		fprintf(out, "\n%s", rest);
	sl_wrap_at(out, sl_width(run), SL_ROW_TITLE, "", rest, title,
		   strlen(title));
}

/* What went wrong in one check: its message, values, the programs' own
 * words, the cause or the hint, and how to rerun it. */
static void sl_text_details(const struct sl_run *run, const struct sl_result *r,
			    FILE *out)
{
	const struct sl_check *check = r->check;
	const struct hx_verdict *v = &r->verdict;
	int width = sl_width(run);
	char line[256];

	fprintf(out, "\n  %s%s%s", sl_colour(run, v->status), check->id,
		sl_reset(run));
	snprintf(line, sizeof(line), "%s %d/%d: %s", hx_status_name(v->status),
		 r->points, check->points, check->title);
	sl_wrap_at(out, width, 2 + strlen(check->id), " ", SL_INDENT, line,
		   strlen(line));
	sl_wrap_text(out, width, SL_INDENT, SL_INDENT, v->message.data,
		     v->message.len);
	if (v->status == HX_SKIPPED)
		return;
	if (v->expected.len || v->actual.len) {
		if (check->run)
			sl_show_values(out, width, v);
		else
			sl_wrap_text(out, width, SL_INDENT "| ", SL_INDENT "| ",
				     v->actual.data, v->actual.len);
	}
	if (v->notes.len)
		sl_wrap_text(out, width, SL_INDENT, SL_INDENT, v->notes.data,
			     v->notes.len);
	if (run->opt.verbose && v->transcript.len) {
		fputs(SL_INDENT "transcript (seconds, connection, bytes):\n",
		      out);
		sl_wrap_text(out, width, SL_INDENT "  ", SL_INDENT "    ",
			     v->transcript.data, v->transcript.len);
	}
	if (v->cause) {
		/* its cause's hint was given once, above; this check's own
		 * hint is about another mistake */
		struct hx_buf cause;

		hx_buf_init(&cause);
		if (v->cause_text.len != v->message.len ||
		    memcmp(v->cause_text.data, v->message.data,
			   v->message.len) != 0)
			sl_escape_line(&cause, v->cause_text.data,
				       v->cause_text.len);
		hx_buf_addf(&cause, "%s(see the diagnosis above)",
			    cause.len ? " " : "");
		sl_wrap(out, width, SL_INDENT "cause: ", SL_INDENT "  ",
			cause.data, cause.len);
		hx_buf_free(&cause);
	} else if (check->hint) {
		sl_wrap_plain(out, width, SL_INDENT "hint: ", SL_INDENT "  ",
			      check->hint);
	}
	snprintf(line, sizeof(line), "make grade LAB=%s CHECK=%s V=1",
		 run->lab->number, check->id);
	if (check->run)
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
			 " SEED=%llu", (unsigned long long)run->opt.seed);
	if (check->run && run->opt.pcap)
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
			 " PCAP=%s", run->opt.pcap);
	sl_wrap_plain(out, width, SL_INDENT "rerun: ", SL_INDENT "  ", line);
	if (check->run && run->opt.pcap) {
		struct hx_buf capture;

		hx_buf_init(&capture);
		sl_capture_describe(run, r, &capture);
		sl_wrap_text(out, width, SL_INDENT "capture: ", SL_INDENT "  ",
			     capture.data, capture.len);
		hx_buf_free(&capture);
	}
}

/* One cause that broke checks: where it was seen, which checks it broke,
 * and its hint, once. */
static void sl_text_cause(const struct sl_run *run, enum hx_cause cause,
			  FILE *out)
{
	const struct hx_verdict *first = NULL;
	struct hx_buf broke, seen;
	int width = sl_width(run);

	hx_buf_init(&broke);
	for (int i = 0; i < run->lab->nchecks; i++) {
		const struct sl_result *r = &run->results[i];

		if (!r->selected || r->verdict.cause != cause)
			continue;
		if (!first)
			first = &r->verdict;
		hx_buf_addf(&broke, "%s%s", broke.len ? ", " : "",
			    r->check->id);
	}
	if (first) {
		hx_buf_init(&seen);
		sl_escape_line(&seen, first->cause_text.data,
			       first->cause_text.len);
		sl_wrap(out, width, "  diagnosis: ", SL_INDENT, seen.data,
			seen.len);
		sl_wrap(out, width, SL_INDENT "it broke: ", SL_INDENT "  ",
			broke.data, broke.len);
		sl_wrap_plain(out, width,
			      SL_INDENT "what to do: ", SL_INDENT "  ",
			      hx_cause_hint(cause));
		hx_buf_free(&seen);
	}
	hx_buf_free(&broke);
}

void sl_report_diagnosis(const struct sl_run *run, FILE *out)
{
	for (int cause = HX_CAUSE_SANITIZER; cause > HX_CAUSE_NONE; cause--)
		sl_text_cause(run, (enum hx_cause)cause, out);
}

void sl_text_begin(const struct sl_run *run, FILE *out)
{
	const struct sl_lab *lab = run->lab;
	int width = sl_width(run);
	char line[512];

	snprintf(line, sizeof(line), "socklab %s-%s: %s", lab->number,
		 lab->name, lab->title);
	sl_wrap_plain(out, width, "", "  ", line);
	{
		struct hx_buf where;

		hx_buf_init(&where);
		sl_escape_line(&where, run->build.submission,
			       strlen(run->build.submission));
		hx_buf_addf(&where, ", seed %llu",
			    (unsigned long long)run->opt.seed);
		sl_wrap(out, width, "  submission ", "    ", where.data,
			where.len);
		hx_buf_free(&where);
	}
	if (run->degraded[0])
		sl_wrap_text(out, width, "  sandbox: ", "    ", run->degraded,
			     strlen(run->degraded));
	if (run->build.ignored.len) {
		struct hx_buf ignored;

		hx_buf_init(&ignored);
		sl_escape_line(&ignored, run->build.ignored.data,
			       run->build.ignored.len);
		sl_wrap(out, width,
			"  ignored (not files of this lab): ", "    ",
			ignored.data, ignored.len);
		hx_buf_free(&ignored);
	}
	fflush(out);
}

/* 1 when row i belongs in the table as it fills: a check that ran (the
 * build check comes last, once every other check is judged). */
static int sl_streamed(const struct sl_run *run, int i)
{
	return run->results[i].selected && run->lab->checks[i].run;
}

void sl_text_stream(const struct sl_run *run, int *next, FILE *out)
{
	while (*next < run->lab->nchecks) {
		const struct sl_result *r = &run->results[*next];

		if (sl_streamed(run, *next) && !r->done)
			return;
		if (sl_streamed(run, *next))
			sl_text_row(run, r, out);
		(*next)++;
	}
	fflush(out);
}

void sl_text_end(const struct sl_run *run, int hidden_details, FILE *out)
{
	const struct sl_lab *lab = run->lab;
	int skipped = 0, failed = 0;

	for (int i = 0; i < lab->nchecks; i++) {
		const struct sl_result *r = &run->results[i];

		if (!r->selected)
			continue;
		if (!lab->checks[i].run) {
			sl_text_row(run, r, out);
			/* a passed build still says which files it ignored */
			if (r->verdict.status == HX_PASS &&
			    r->verdict.notes.len)
				sl_wrap_text(out, sl_width(run), SL_INDENT,
					     SL_INDENT, r->verdict.notes.data,
					     r->verdict.notes.len);
		}
		skipped += r->verdict.status == HX_SKIPPED;
		failed += r->verdict.status != HX_PASS;
	}
	if (failed) {
		fputc('\n', out);
		sl_report_diagnosis(run, out);
	}
	for (int i = 0; i < lab->nchecks; i++) {
		const struct sl_result *r = &run->results[i];

		/* for students, a hidden check says how it went, never what
		 * it tried, and offers no rerun of a check they lack */
		if (!r->selected || r->verdict.status == HX_PASS ||
		    ((r->check->flags & SL_HIDDEN) && !hidden_details))
			continue;
		sl_text_details(run, r, out);
	}
	for (int i = 0; i < lab->nchecks; i++)
		if (run->results[i].selected &&
		    run->results[i].verdict.memcheck.len)
			sl_wrap_text(out, sl_width(run),
				     "  memcheck: ", SL_INDENT,
				     run->results[i].verdict.memcheck.data,
				     run->results[i].verdict.memcheck.len);
	fprintf(out, "score %d/%d for %s-%s in %.1f s", run->score,
		run->max_score, lab->number, lab->name,
		(double)run->duration_ms / 1000.0);
	if (skipped)
		fprintf(out, ", %d check(s) not run here", skipped);
	fputc('\n', out);
}

void sl_report_text(const struct sl_run *run, FILE *out)
{
	sl_report_text_for(run, 1, out);
}

void sl_report_text_for(const struct sl_run *run, int hidden_details, FILE *out)
{
	int next = 0;

	sl_text_begin(run, out);
	sl_text_stream(run, &next, out);
	sl_text_end(run, hidden_details, out);
}
