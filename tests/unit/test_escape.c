/* test_escape.c - a submission's text escaped for terminals, text files,
 * Markdown, CSV, JSON and XML (grader/sl_escape.h).
 *
 * The hostile strings are what a student's program can print or name a
 * file: terminal escape sequences that clear the screen, set the window
 * title or draw a fake score; Markdown links and raw HTML; bytes that are
 * not UTF-8.
 */
#include "unit.h"

/* Clears the screen, homes the cursor, sets the window title, rings the
 * bell, and draws a score over the line with a carriage return. */
#define TERMINAL_ATTACK "\x1b[2J\x1b[H\x1b]0;owned\x07score 0\rscore 100/100"
#define TERMINAL_SHOWN                                                         \
	"\\x1b[2J\\x1b[H\\x1b]0;owned\\x07score 0\\rscore 100/100"

/* escape(data, len) as a string, to free. */
static char *escaped(sl_escape_fn *escape, const char *data, size_t len)
{
	struct hx_buf out;

	hx_buf_init(&out);
	assert_int_equal(escape(&out, data, len), 0);
	hx_buf_add(&out, "", 0);
	return out.data;
}

static void assert_escape(sl_escape_fn *escape, const char *data, size_t len,
			  const char *want)
{
	char *got = escaped(escape, data, len);

	assert_string_equal(got, want);
	free(got);
}

#define assert_escapes(escape, literal, want)                                  \
	assert_escape(escape, literal, sizeof(literal) - 1, want)

/* What a CommonMark reader shows for md, when md holds only code spans and
 * escaped pipes; NULL when anything else is there (it would be live). */
static char *markdown_shown(const char *md)
{
	struct hx_buf shown;
	const char *p = md;

	hx_buf_init(&shown);
	hx_buf_add(&shown, "", 0);
	while (*p) {
		size_t fence = strspn(p, "`"), run, len;
		const char *start = p + fence, *end = start;

		if (p[0] == '\\' && p[1] == '|') {
			hx_buf_add(&shown, "|", 1);
			p += 2;
			continue;
		}
		if (fence == 0)
			goto out_live;
		/* the span ends at the next run of exactly as many backticks */
		for (;; end += run) {
			end = strchr(end, '`');
			if (!end)
				goto out_live;
			run = strspn(end, "`");
			if (run == fence)
				break;
		}
		len = (size_t)(end - start);
		if (len >= 2 && start[0] == ' ' && start[len - 1] == ' ' &&
		    strspn(start, " ") < len) {
			start++;
			len -= 2;
		}
		hx_buf_add(&shown, start, len);
		p = end + fence;
	}
	return shown.data;
out_live:
	hx_buf_free(&shown);
	return NULL;
}

/* md is nothing but code spans and escaped pipes, and a reader sees in it
 * the value as sl_escape_line shows it. */
static void assert_markdown_inert(const char *data, size_t len)
{
	char *md = escaped(sl_escape_markdown, data, len);
	char *line = escaped(sl_escape_line, data, len);
	char *shown = markdown_shown(md);

	if (!shown)
		fail_msg("live Markdown outside a code span: %s", md);
	if (strcmp(shown, line) != 0)
		fail_msg("%s shows as \"%s\", not \"%s\"", md, shown, line);
	assert_null(strchr(md, '\n'));
	free(md);
	free(line);
	free(shown);
}

static void test_escape_text_terminal_controls(void **state)
{
	(void)state;
	assert_escapes(sl_escape_text, TERMINAL_ATTACK, TERMINAL_SHOWN);
}

/* stderr and compiler output are read as lines, and tabs align them. */
static void test_escape_text_keeps_lines_and_tabs(void **state)
{
	(void)state;
	assert_escapes(sl_escape_text, "one\n\ttwo\n", "one\n\ttwo\n");
}

/* gcc's quotes, accents, symbols: the text a student should read. */
static void test_escape_text_keeps_valid_utf8(void **state)
{
	const char *text = "\xe2\x80\x98main\xe2\x80\x99 caf\xc3\xa9 "
			   "\xe2\x9c\x93 \xf0\x9f\x98\x80";

	(void)state;
	assert_escape(sl_escape_text, text, strlen(text), text);
}

/* A byte that is not UTF-8 shows its value; a sequence cut short or an
 * overlong form is not UTF-8 either. */
static void test_escape_text_invalid_utf8_bytes(void **state)
{
	(void)state;
	assert_escapes(sl_escape_text, "\xff\xfe\xc3(", "\\xff\\xfe\\xc3(");
	assert_escapes(sl_escape_text, "end\xe2\x82", "end\\xe2\\x82");
	assert_escapes(sl_escape_text, "\xc0\xaf", "\\xc0\\xaf");
	assert_escapes(sl_escape_text, "\xed\xa0\x80", "\\xed\\xa0\\x80");
	assert_escapes(sl_escape_text, "\xf4\x90\x80\x80",
		       "\\xf4\\x90\\x80\\x80");
}

/* 0x9b is CSI to an 8-bit terminal, alone or as U+009B; DEL erases. */
static void test_escape_text_c1_controls_and_del(void **state)
{
	(void)state;
	assert_escapes(sl_escape_text,
		       "\x9b"
		       "2J",
		       "\\x9b"
		       "2J");
	assert_escapes(sl_escape_text,
		       "\xc2\x9b"
		       "2J",
		       "\\xc2\\x9b"
		       "2J");
	assert_escapes(sl_escape_text, "a\x7f", "a\\x7f");
}

/* A right-to-left override makes "1/001 erocs" read as "score 100/1". */
static void test_escape_text_direction_overrides(void **state)
{
	(void)state;
	assert_escapes(sl_escape_text,
		       "\xe2\x80\xae"
		       "1/001",
		       "\\xe2\\x80\\xae"
		       "1/001");
	assert_escapes(sl_escape_text, "\xe2\x81\xa6x\xe2\x80\xa8",
		       "\\xe2\\x81\\xa6x\\xe2\\x80\\xa8");
}

static void test_escape_text_nul_and_backslash(void **state)
{
	(void)state;
	assert_escapes(sl_escape_text, "a\0b\\x1b", "a\\0b\\x1b");
}

/* A file name or a field stays on its line: a name with a line feed
 * must not print a line of its own ("\nscore 100/100"). */
static void test_escape_line_escapes_line_breaks(void **state)
{
	(void)state;
	assert_escapes(sl_escape_line, "a\nscore 100/100\tx\x1b",
		       "a\\nscore 100/100\\tx\\x1b");
}

static void test_escape_markdown_link_and_html_in_span(void **state)
{
	(void)state;
	assert_escapes(sl_escape_markdown,
		       "[win](http://evil.example/) <script>alert(1)</script>",
		       "`[win](http://evil.example/) "
		       "<script>alert(1)</script>`");
}

/* Backticks in the value cannot close its span: the fence is longer. */
static void test_escape_markdown_backticks_cannot_close(void **state)
{
	(void)state;
	assert_escapes(sl_escape_markdown, "a`b``c ![x](y)",
		       "```a`b``c ![x](y)```");
	assert_escapes(sl_escape_markdown, "`<b>", "`` `<b> ``");
}

/* A pipe would end a table cell; \| shows as a pipe in a table and in
 * running text alike. */
static void test_escape_markdown_pipes_between_spans(void **state)
{
	(void)state;
	assert_escapes(sl_escape_markdown, "a|b", "`a`\\|`b`");
	assert_escapes(sl_escape_markdown, "||", "\\|\\|");
}

static void test_escape_markdown_one_line_no_controls(void **state)
{
	(void)state;
	assert_escapes(sl_escape_markdown, "x\n| --- |\n\x1b[2J",
		       "`x\\n`\\|`  ---  `\\|`\\n\\x1b[2J`");
	assert_escapes(sl_escape_markdown, "", "");
}

/* Whatever the value, a reader sees it whole and nothing of it is live:
 * spaces at the ends, lone spaces, backticks, pipes, HTML, mentions. */
static void test_escape_markdown_always_inert(void **state)
{
	static const char *const values[] = {
	    " a ",
	    "  ",
	    " ` ",
	    "`",
	    "``|``",
	    "a\\|b",
	    "\\`",
	    "x |y| z",
	    "@all",
	    "#1 :x:",
	    "<!--",
	    "&lt;",
	    "\\",
	    "a\\",
	    "www.evil.example",
	    "*b* _i_ ~s~ # h",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		assert_markdown_inert(values[i], strlen(values[i]));
	assert_markdown_inert(TERMINAL_ATTACK, strlen(TERMINAL_ATTACK));
}

static void test_escape_csv_plain_value(void **state)
{
	(void)state;
	assert_escapes(sl_escape_csv, "alice.smith@uni", "alice.smith@uni");
}

/* A spreadsheet runs a cell that starts with = + - @ as a formula. */
static void test_escape_csv_formula_prefixed(void **state)
{
	(void)state;
	assert_escapes(sl_escape_csv, "-dash", "'-dash");
	assert_escapes(sl_escape_csv, "+plus", "'+plus");
	assert_escapes(sl_escape_csv, "@SUM(A1)", "'@SUM(A1)");
	assert_escapes(sl_escape_csv, "=HYPERLINK(\"http://evil\")",
		       "\"'=HYPERLINK(\"\"http://evil\"\")\"");
}

/* A tab or CR that would start a formula is escaped, so it starts none. */
static void test_escape_csv_tab_and_cr_escaped(void **state)
{
	(void)state;
	assert_escapes(sl_escape_csv, "\t=1", "\\t=1");
	assert_escapes(sl_escape_csv, "\r=1", "\\r=1");
}

static void test_escape_csv_quotes_commas_and_lines(void **state)
{
	(void)state;
	assert_escapes(sl_escape_csv, "a, \"b\"", "\"a, \"\"b\"\"\"");
	assert_escapes(sl_escape_csv, "two\nrows", "two\\nrows");
}

/* gcc's quotes must read back as quotes, not as â\x80\x98. */
static void test_escape_json_keeps_valid_utf8(void **state)
{
	(void)state;
	assert_escapes(sl_escape_json,
		       "\xe2\x80\x98main\xe2\x80\x99 \xe2\x9c\x93",
		       "\"\xe2\x80\x98main\xe2\x80\x99 \xe2\x9c\x93\"");
}

static void test_escape_json_controls_as_code_points(void **state)
{
	(void)state;
	assert_escapes(sl_escape_json, "a\x01\x1b\r\t\n\x7f\"\\",
		       "\"a\\u0001\\u001b\\u000d\\t\\n\\u007f\\\"\\\\\"");
	assert_escapes(sl_escape_json, "\xc2\x9b\xe2\x80\xae\xef\xbf\xbe",
		       "\"\\u009b\\u202e\\ufffe\"");
	assert_escapes(sl_escape_json, "a\0b", "\"a\\u0000b\"");
}

/* JSON holds text, not bytes: each byte that is not UTF-8 is U+FFFD. */
static void test_escape_json_invalid_bytes_replaced(void **state)
{
	(void)state;
	assert_escapes(sl_escape_json, "\xff\xc3(\xe2\x82",
		       "\"\\ufffd\\ufffd(\\ufffd\\ufffd\"");
}

static void test_escape_xml_markup_as_entities(void **state)
{
	(void)state;
	assert_escapes(sl_escape_xml, "<a href=\"x\">&'</a>",
		       "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
}

/* XML 1.0 cannot hold ESC or NUL at all, not even as &#27;. */
static void test_escape_xml_controls_and_invalid_bytes(void **state)
{
	(void)state;
	assert_escapes(sl_escape_xml, "\x1b\0\r\n\t\xff\xef\xbf\xbf",
		       "\\x1b\\0\\r&#10;&#9;\\xff\\xef\\xbf\\xbf");
	assert_escapes(sl_escape_xml, "caf\xc3\xa9", "caf\xc3\xa9");
}

static void test_escape_put_writes_escaped(void **state)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	(void)state;
	assert_non_null(out);
	assert_int_equal(sl_put(out, sl_escape_json, NULL), 0);
	assert_int_equal(sl_put_bytes(out, sl_escape_line, "\x1b\0", 2), 0);
	fclose(out);
	assert_string_equal(text, "\"\"\\x1b\\0");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape_text_terminal_controls),
	    cmocka_unit_test(test_escape_text_keeps_lines_and_tabs),
	    cmocka_unit_test(test_escape_text_keeps_valid_utf8),
	    cmocka_unit_test(test_escape_text_invalid_utf8_bytes),
	    cmocka_unit_test(test_escape_text_c1_controls_and_del),
	    cmocka_unit_test(test_escape_text_direction_overrides),
	    cmocka_unit_test(test_escape_text_nul_and_backslash),
	    cmocka_unit_test(test_escape_line_escapes_line_breaks),
	    cmocka_unit_test(test_escape_markdown_link_and_html_in_span),
	    cmocka_unit_test(test_escape_markdown_backticks_cannot_close),
	    cmocka_unit_test(test_escape_markdown_pipes_between_spans),
	    cmocka_unit_test(test_escape_markdown_one_line_no_controls),
	    cmocka_unit_test(test_escape_markdown_always_inert),
	    cmocka_unit_test(test_escape_csv_plain_value),
	    cmocka_unit_test(test_escape_csv_formula_prefixed),
	    cmocka_unit_test(test_escape_csv_tab_and_cr_escaped),
	    cmocka_unit_test(test_escape_csv_quotes_commas_and_lines),
	    cmocka_unit_test(test_escape_json_keeps_valid_utf8),
	    cmocka_unit_test(test_escape_json_controls_as_code_points),
	    cmocka_unit_test(test_escape_json_invalid_bytes_replaced),
	    cmocka_unit_test(test_escape_xml_markup_as_entities),
	    cmocka_unit_test(test_escape_xml_controls_and_invalid_bytes),
	    cmocka_unit_test(test_escape_put_writes_escaped),
	};

	unit_init();
	return cmocka_run_group_tests_name("sl_escape", tests, NULL, NULL);
}
