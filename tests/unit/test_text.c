/* test_text.c - byte buffers, escaping, differences and signal names. */
#include "unit.h"

/* Escapes data with hx_escape and compares with want. */
static void assert_escapes_to(const void *data, size_t len, const char *want)
{
	struct hx_buf out;

	hx_buf_init(&out);
	assert_int_equal(hx_escape(&out, data, len), 0);
	assert_non_null(out.data);
	assert_string_equal(out.data, want);
	hx_buf_free(&out);
}

/* Many small appends cross several reallocations; nothing may be lost
 * and the text must stay printable after each one. */
static void test_text_buffer_grows_and_stays_terminated(void **state)
{
	struct hx_buf b;

	(void)state;
	hx_buf_init(&b);
	for (int i = 0; i < 1000; i++) {
		char ch = (char)('a' + i % 26);

		assert_int_equal(hx_buf_add(&b, &ch, 1), 0);
		assert_int_equal(b.len, (size_t)i + 1);
		assert_true(b.cap > b.len);
		assert_int_equal(b.data[b.len], '\0');
	}
	for (int i = 0; i < 1000; i++)
		assert_int_equal(b.data[i], 'a' + i % 26);
	hx_buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

/* A NUL in the data is a byte like any other: len counts it. */
static void test_text_buffer_holds_binary_bytes(void **state)
{
	struct hx_buf b;

	(void)state;
	hx_buf_init(&b);
	assert_int_equal(hx_buf_add(&b, "a\0b", 3), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4);
	hx_buf_free(&b);
}

static void test_text_buffer_addf_appends_formatted(void **state)
{
	char long_word[301];
	struct hx_buf b;

	(void)state;
	memset(long_word, 'x', 300);
	long_word[300] = '\0';
	hx_buf_init(&b);
	assert_int_equal(hx_buf_addf(&b, "%d-%s", 7, "seven"), 0);
	/* longer than the first allocation: the buffer must grow first */
	assert_int_equal(hx_buf_addf(&b, "|%s|", long_word), 0);
	assert_int_equal(b.len, strlen("7-seven") + 302);
	assert_memory_equal(b.data, "7-seven|xxx", 11);
	assert_int_equal(b.data[b.len - 1], '|');
	assert_int_equal(b.data[b.len], '\0');
	hx_buf_free(&b);
}

static void test_text_buffer_clear_empties_text(void **state)
{
	struct hx_buf b;

	(void)state;
	hx_buf_init(&b);
	hx_buf_clear(&b); /* clearing a buffer that never held data is fine */
	assert_int_equal(b.len, 0);
	hx_buf_add(&b, "hello", 5);
	hx_buf_clear(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	hx_buf_add(&b, "hi", 2);
	assert_string_equal(b.data, "hi");
	hx_buf_free(&b);
}

static void test_text_escape_control_bytes(void **state)
{
	(void)state;
	assert_escapes_to("\n\r\t\0\\", 5, "\\n\\r\\t\\0\\\\");
}

/* A high byte or another control byte is shown as its hex value, so a
 * student sees exactly what was sent. */
static void test_text_escape_high_bytes(void **state)
{
	(void)state;
	assert_escapes_to("\xff\x80\x01\x1b\x7f", 5,
			  "\\xff\\x80\\x01\\x1b\\x7f");
}

static void test_text_escape_keeps_printable_text(void **state)
{
	const char *text = "GET /index.html HTTP/1.0 ~!\"'";

	(void)state;
	assert_escapes_to(text, strlen(text), text);
}

static void test_text_first_difference_equal(void **state)
{
	(void)state;
	assert_int_equal(hx_first_difference("abc", 3, "abc", 3), -1);
}

/* One value a prefix of the other: they differ where the shorter ends. */
static void test_text_first_difference_prefix(void **state)
{
	(void)state;
	assert_int_equal(hx_first_difference("abc", 3, "abcdef", 6), 3);
	assert_int_equal(hx_first_difference("abcdef", 6, "abc", 3), 3);
}

static void test_text_first_difference_in_middle(void **state)
{
	(void)state;
	assert_int_equal(hx_first_difference("abcXef", 6, "abcYef", 6), 3);
}

static void test_text_first_difference_empty(void **state)
{
	(void)state;
	assert_int_equal(hx_first_difference("", 0, "", 0), -1);
	assert_int_equal(hx_first_difference("", 0, "a", 1), 0);
	assert_int_equal(hx_first_difference("a", 1, "", 0), 0);
}

/* Bytes after a NUL still count: the values are bytes, not C strings. */
static void test_text_first_difference_after_nul(void **state)
{
	(void)state;
	assert_int_equal(hx_first_difference("a\0b", 3, "a\0c", 3), 2);
}

static void test_text_escape_cut_short_text_whole(void **state)
{
	struct hx_buf out;

	(void)state;
	hx_buf_init(&out);
	assert_int_equal(hx_escape_cut(&out, "line\n", 5, 100), 0);
	assert_string_equal(out.data, "line\\n");
	hx_buf_free(&out);
}

/* The start shows what the program began with, the end how it stopped;
 * the count says how much of the middle is missing, in characters of the
 * escaped text. */
static void test_text_escape_cut_keeps_both_ends(void **state)
{
	char data[1000];
	struct hx_buf out;
	const char *marker;
	size_t cut, head, tail;

	(void)state;
	memset(data, 'm', sizeof(data));
	memcpy(data, "HEAD", 4);
	memcpy(data + sizeof(data) - 4, "TAIL", 4);
	hx_buf_init(&out);
	assert_int_equal(hx_escape_cut(&out, data, sizeof(data), 100), 0);
	assert_memory_equal(out.data, "HEAD", 4);
	assert_memory_equal(out.data + out.len - 4, "TAIL", 4);
	marker = strstr(out.data, " ...[");
	assert_non_null(marker);
	assert_int_equal(sscanf(marker, " ...[%zu bytes cut]... ", &cut), 1);
	head = (size_t)(marker - out.data);
	tail = out.len - (size_t)(strstr(marker, "]... ") + 5 - out.data);
	assert_int_equal(head + cut + tail, sizeof(data));
	assert_true(out.len < sizeof(data));
	hx_buf_free(&out);
}

/* A cut inside an escape would show letters the program never sent: with
 * 0xff bytes, a head ending in "\x" and a tail starting "ff". */
static void test_text_escape_cut_never_splits_an_escape(void **state)
{
	unsigned char data[200];
	struct hx_buf out;
	const char *marker, *tail;
	size_t head_len;

	(void)state;
	memset(data, 0xff, sizeof(data));
	hx_buf_init(&out);
	assert_int_equal(hx_escape_cut(&out, data, sizeof(data), 100), 0);
	marker = strstr(out.data, " ...[");
	assert_non_null(marker);
	head_len = (size_t)(marker - out.data);
	tail = strstr(marker, "]... ") + 5;
	/* each byte escapes to the four characters \xff */
	assert_int_equal(head_len % 4, 0);
	assert_int_equal(strlen(tail) % 4, 0);
	assert_memory_equal(tail, "\\xff", 4);
	hx_buf_free(&out);
}

static void test_text_signal_name_known(void **state)
{
	(void)state;
	assert_string_equal(hx_signal_name(SIGSEGV), "SIGSEGV");
	assert_string_equal(hx_signal_name(SIGTERM), "SIGTERM");
	assert_string_equal(hx_signal_name(SIGKILL), "SIGKILL");
	assert_string_equal(hx_signal_name(SIGXCPU), "SIGXCPU");
}

static void test_text_signal_name_unknown(void **state)
{
	char want[32];

	(void)state;
	snprintf(want, sizeof(want), "signal %d", SIGRTMIN + 1);
	assert_string_equal(hx_signal_name(SIGRTMIN + 1), want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_text_buffer_grows_and_stays_terminated),
	    cmocka_unit_test(test_text_buffer_holds_binary_bytes),
	    cmocka_unit_test(test_text_buffer_addf_appends_formatted),
	    cmocka_unit_test(test_text_buffer_clear_empties_text),
	    cmocka_unit_test(test_text_escape_control_bytes),
	    cmocka_unit_test(test_text_escape_high_bytes),
	    cmocka_unit_test(test_text_escape_keeps_printable_text),
	    cmocka_unit_test(test_text_first_difference_equal),
	    cmocka_unit_test(test_text_first_difference_prefix),
	    cmocka_unit_test(test_text_first_difference_in_middle),
	    cmocka_unit_test(test_text_first_difference_empty),
	    cmocka_unit_test(test_text_first_difference_after_nul),
	    cmocka_unit_test(test_text_escape_cut_short_text_whole),
	    cmocka_unit_test(test_text_escape_cut_keeps_both_ends),
	    cmocka_unit_test(test_text_escape_cut_never_splits_an_escape),
	    cmocka_unit_test(test_text_signal_name_known),
	    cmocka_unit_test(test_text_signal_name_unknown),
	};

	unit_init();
	return cmocka_run_group_tests_name("hx_text", tests, NULL, NULL);
}
