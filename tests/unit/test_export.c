/* test_export.c - what a hostile submission's text becomes in every report:
 * the terminal report, each export format, the gradebook and the summary.
 *
 * The run is lab 02's, made by hand: the build check failed with compiler
 * output, the greeting check failed with a message and stderr that hold
 * terminal escapes, a Markdown link, raw HTML, bytes that are not UTF-8
 * and UTF-8 a student should read.
 */
#include "unit.h"

/* What a program prints: it clears the screen, sets the window title,
 * draws a fake score, links, scripts, and ends in bytes that are not
 * UTF-8. */
#define HOSTILE                                                                \
	"\x1b[2J\x1b]0;owned\x07score 100/100 [win](http://evil.example/) "    \
	"<a href=x>x</a><script>alert(1)</script> \xff\xfe"
/* gcc's quotes around a name, in a build message. */
#define QUOTED_MAIN "\xe2\x80\x98main\xe2\x80\x99"

static struct sl_run *hostile_run(void)
{
	struct sl_run *run = calloc(1, sizeof(*run));
	const struct sl_lab *lab = sl_lab_find("02");
	struct hx_verdict *build, *greeting;

	assert_non_null(run);
	assert_non_null(lab);
	run->lab = lab;
	run->opt.seed = 1;
	run->isolated = 1;
	snprintf(run->build.submission, sizeof(run->build.submission),
		 "class/mallory/");
	for (int i = 0; i < lab->nchecks; i++) {
		run->results[i].check = &lab->checks[i];
		hx_verdict_init(&run->results[i].verdict);
	}
	assert_null(lab->checks[0].run); /* the build check */
	build = &run->results[0].verdict;
	run->results[0].selected = 1;
	build->status = HX_FAIL;
	hx_buf_addf(&build->message, "the programs compile, with warnings");
	hx_buf_addf(&build->actual,
		    "server.c:1:2: warning: #warning "
		    "caf\xc3\xa9 in " QUOTED_MAIN " " HOSTILE " [-Wcpp]\n");
	greeting = &run->results[1].verdict;
	run->results[1].selected = 1;
	greeting->status = HX_CRASH;
	hx_buf_addf(&greeting->message,
		    "server: UndefinedBehaviorSanitizer: server.c:1:1: "
		    "runtime error: " HOSTILE "\nsecond line");
	hx_buf_addf(&greeting->notes, "stderr of server:\n" HOSTILE "\r\n");
	hx_buf_add(&greeting->expected, "Thank you\n", 10);
	hx_buf_add(&greeting->actual, HOSTILE, sizeof(HOSTILE) - 1);
	greeting->diff_at = 0;
	run->max_score = lab->checks[0].points + lab->checks[1].points;
	return run;
}

static void free_run(struct sl_run *run)
{
	sl_run_free(run);
	free(run);
}

/* print's output for run, to free. */
static char *printed(void (*print)(const struct sl_run *, FILE *),
		     const struct sl_run *run)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	assert_non_null(out);
	print(run, out);
	fclose(out);
	return text;
}

/* The export of run in format, to free. */
static char *exported(const struct sl_run *run, const char *format)
{
	char *text = NULL, err[256] = "";
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	assert_non_null(out);
	if (sl_export(run, format, out, err, sizeof(err)) < 0)
		fail_msg("sl_export %s: %s", format, err);
	fclose(out);
	return text;
}

/* No byte in text that a terminal acts on: ESC, BEL, CR, a C1 CSI. */
static void assert_no_terminal_controls(const char *text)
{
	for (const char *p = text; *p; p++)
		if (*p == '\x1b' || *p == '\a' || *p == '\r' ||
		    (unsigned char)*p == 0x9b)
			fail_msg("raw byte 0x%02x at %ld: %.60s",
				 (unsigned char)*p, (long)(p - text), p);
}

/* md without its code spans (a run of backticks up to the next run of
 * as many), to free: what a Markdown reader would act on. */
static char *outside_code_spans(const char *md)
{
	struct hx_buf out;
	const char *p = md;

	hx_buf_init(&out);
	hx_buf_add(&out, "", 0);
	while (*p) {
		size_t fence = strspn(p, "`"), run = 0;
		const char *end = p + fence;

		if (!fence) {
			hx_buf_add(&out, p++, 1);
			continue;
		}
		while ((end = strchr(end, '`')) &&
		       (run = strspn(end, "`")) != fence)
			end += run;
		if (!end) { /* no closing run: the backticks are text */
			hx_buf_add(&out, p, fence);
			p += fence;
			continue;
		}
		p = end + fence;
	}
	return out.data;
}

/* Nothing of the program's text is live in md. */
static void assert_markdown_inert(const char *md)
{
	char *live = outside_code_spans(md);

	assert_no_terminal_controls(md);
	if (strstr(live, "](") || strstr(live, "<a") ||
	    strstr(live, "<script") || strstr(live, "evil"))
		fail_msg("live text outside code spans:\n%s", live);
	free(live);
}

static void test_export_text_report_shows_without_acting(void **state)
{
	struct sl_run *run = hostile_run();
	char *text = printed(sl_report_text, run);

	(void)state;
	assert_no_terminal_controls(text);
	/* what the program sent is there, escaped, in each place */
	/* (lines are wrapped at 80 columns: each piece on its own) */
	assert_non_null(strstr(text, "      | server.c:1:2: warning: "
				     "#warning caf\xc3\xa9 in " QUOTED_MAIN));
	assert_non_null(strstr(text, "\\x1b[2J"));
	assert_non_null(strstr(text, "runtime error:"));
	assert_non_null(strstr(text, "\\x1b[2J\\x1b]0;owned"));
	assert_non_null(strstr(text, "\\x07score 100/100"));
	assert_non_null(strstr(text, "      \\x1b[2J"));
	assert_non_null(strstr(text, "\\xff\\xfe\\r\n"));
	assert_non_null(strstr(text, "      second line\n"));
	free(text);
	free_run(run);
}

/* Gradescope renders "text" outputs as they are: no Markdown, no HTML,
 * no ANSI colours. */
static void test_export_gradescope_outputs_are_plain_text(void **state)
{
	struct sl_run *run = hostile_run();
	char *text;

	(void)state;
	sl_split_hidden(run);
	text = exported(run, "gradescope");
	assert_no_terminal_controls(text);
	assert_non_null(strstr(text, "\"output_format\": \"text\""));
	assert_non_null(strstr(text, "\"test_output_format\": \"text\""));
	assert_non_null(strstr(text, "\"test_name_format\": \"text\""));
	assert_non_null(strstr(text, "runtime error: \\\\x1b[2J"));
	assert_non_null(strstr(text, "caf\xc3\xa9 in " QUOTED_MAIN));
	free(text);
	free_run(run);
}

static void test_export_github_failure_lines_inert(void **state)
{
	struct sl_run *run = hostile_run();
	char *text;

	(void)state;
	sl_split_hidden(run);
	text = exported(run, "github");
	assert_markdown_inert(text);
	/* the first line of the message only, in code spans */
	assert_non_null(strstr(text, "- `greeting`: `server: "));
	assert_null(strstr(text, "second line"));
	free(text);
	free_run(run);
}

static void test_export_junit_markup_as_entities(void **state)
{
	struct sl_run *run = hostile_run();
	char *text;

	(void)state;
	sl_split_hidden(run);
	text = exported(run, "junit");
	assert_no_terminal_controls(text);
	assert_null(strstr(text, "<script"));
	assert_null(strstr(text, "<a "));
	assert_non_null(strstr(text, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(text, "caf\xc3\xa9 in " QUOTED_MAIN));
	free(text);
	free_run(run);
}

static void test_export_autolab_report_escaped(void **state)
{
	struct sl_run *run = hostile_run();
	char *text;

	(void)state;
	sl_split_hidden(run);
	text = exported(run, "autolab");
	assert_no_terminal_controls(text);
	assert_non_null(strstr(text, "{\"scores\": {\"build\": 0, "
				     "\"greeting\": 0}}\n"));
	free(text);
	free_run(run);
}

/* Students of a class: refused ones with names a spreadsheet would run,
 * graded ones whose most common failure is the program's text. */
static struct sl_student *hostile_class(int *n)
{
	static const char *const ids[] = {"-dash", "+plus",   "@at",
					  "=eq",   "mallory", "trudy"};
	struct sl_student *s = calloc(6, sizeof(*s));

	assert_non_null(s);
	for (int i = 0; i < 6; i++) {
		snprintf(s[i].id, sizeof(s[i].id), "%s", ids[i]);
		snprintf(s[i].source, sizeof(s[i].source), "%s/", ids[i]);
		for (int c = 0; c < 64; c++)
			s[i].points[c] = -1;
	}
	for (int i = 0; i < 4; i++)
		snprintf(s[i].problem, sizeof(s[i].problem),
			 "refused: an odd name (use letters, digits and "
			 "._@+- only)");
	snprintf(s[3].source, sizeof(s[3].source),
		 "<img src=x onerror=alert(1)>|[x](http://evil.example/).zip");
	snprintf(s[3].problem, sizeof(s[3].problem),
		 "=HYPERLINK(\"http://evil.example/\")");
	for (int i = 4; i < 6; i++) {
		s[i].graded = 1;
		s[i].points[1] = 0;
		s[i].status[1] = HX_CRASH;
		snprintf(s[i].message[1], sizeof(s[i].message[1]),
			 "server: runtime error: %s", HOSTILE);
	}
	*n = 6;
	return s;
}

/* The class view written by write into the fixture's folder, to free. */
static char *class_view(struct unit_fixture *f,
			int (*write)(const struct sl_lab *,
				     const struct sl_student *, int,
				     const char *, char *, size_t))
{
	struct sl_student *s;
	struct hx_buf text;
	char path[512], err[256] = "";
	int n;

	s = hostile_class(&n);
	snprintf(path, sizeof(path), "%s/view", f->dir);
	if (write(sl_lab_find("02"), s, n, path, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	hx_buf_init(&text);
	assert_int_equal(unit_read_file(path, &text), 0);
	free(s);
	return text.data;
}

/* A refused id or a problem must not be a formula in a spreadsheet. */
static void test_export_gradebook_no_formula_cells(void **state)
{
	char *text = class_view(*state, sl_write_gradebook);

	assert_no_terminal_controls(text);
	for (const char *line = text; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strchr("=+-@\t\r", *line))
			fail_msg("a row starts with a formula: %.40s", line);
	assert_non_null(strstr(text, "\n'-dash,"));
	assert_non_null(strstr(text, "\n'+plus,"));
	assert_non_null(strstr(text, "\n'@at,"));
	assert_non_null(strstr(text, ",\"'=HYPERLINK(\"\"http://evil.example/"
				     "\"\")\"\n"));
	free(text);
}

static void test_export_summary_inert(void **state)
{
	char *text = class_view(*state, sl_write_summary);

	assert_markdown_inert(text);
	/* the most common failure, 2 times, in one table row */
	assert_non_null(strstr(text, "`server: runtime error: \\x1b[2J"));
	assert_non_null(strstr(text, "\\xff\\xfe` (2) |\n"));
	assert_non_null(strstr(text, "- `-dash` (`-dash/`): "));
	free(text);
}

#define EXPORT_TEST(name)                                                      \
	cmocka_unit_test_setup_teardown(name, unit_fixture_setup,              \
					unit_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_export_text_report_shows_without_acting),
	    cmocka_unit_test(test_export_gradescope_outputs_are_plain_text),
	    cmocka_unit_test(test_export_github_failure_lines_inert),
	    cmocka_unit_test(test_export_junit_markup_as_entities),
	    cmocka_unit_test(test_export_autolab_report_escaped),
	    EXPORT_TEST(test_export_gradebook_no_formula_cells),
	    EXPORT_TEST(test_export_summary_inert),
	};

	unit_init();
	return cmocka_run_group_tests_name("exports", tests, NULL, NULL);
}
