/* test_check.c - verdicts, expectations, seeded randomness, transcripts. */
#include "unit.h"

#include <pthread.h>

static int check_setup(void **state)
{
	struct hx_check *c = malloc(sizeof(*c));

	if (!c)
		return -1;
	hx_check_init(c, "unit", UNIT_SEED);
	*state = c;
	return 0;
}

static int check_teardown(void **state)
{
	hx_check_free(*state);
	free(*state);
	return 0;
}

static void test_check_init_starts_passing(void **state)
{
	struct hx_check *c = *state;

	assert_int_equal(c->status, HX_PASS);
	assert_true(hx_ok(c));
	assert_int_equal(c->diff_at, -1);
	assert_int_equal(c->nevents, 0);
	assert_int_equal(c->seed, UNIT_SEED);
}

/* Later steps of a failed check often fail too, as a consequence; the
 * verdict must name the cause, which is the first failure. */
static void test_check_first_failure_wins(void **state)
{
	struct hx_check *c = *state;

	assert_int_equal(hx_fail(c, HX_FAIL, "first %d", 1), -1);
	assert_int_equal(hx_fail(c, HX_TIMEOUT, "second"), -1);
	assert_int_equal(c->status, HX_FAIL);
	assert_string_equal(c->message.data, "first 1");
	assert_false(hx_ok(c));
}

static void test_check_skip_after_failure_keeps_failure(void **state)
{
	struct hx_check *c = *state;

	hx_fail(c, HX_CRASH, "crashed");
	assert_int_equal(hx_skip(c, "no namespaces"), -1);
	assert_int_equal(c->status, HX_CRASH);
	assert_string_equal(c->message.data, "crashed");
}

static void test_check_skip_records_reason(void **state)
{
	struct hx_check *c = *state;

	assert_int_equal(hx_skip(c, "needs %s", "namespaces"), -1);
	assert_int_equal(c->status, HX_SKIPPED);
	assert_string_equal(c->message.data, "needs namespaces");
}

static void test_check_note_adds_lines_without_failing(void **state)
{
	struct hx_check *c = *state;

	hx_note(c, "one %d", 1);
	hx_note(c, "two");
	assert_string_equal(c->notes.data, "one 1\ntwo\n");
	assert_true(hx_ok(c));
}

static void test_check_expect_str_equal_passes(void **state)
{
	struct hx_check *c = *state;

	assert_int_equal(hx_expect_str(c, "greeting", "hello\n", "hello\n"), 0);
	assert_true(hx_ok(c));
	assert_int_equal(c->expected.len, 0);
	assert_int_equal(c->diff_at, -1);
}

/* The report shows both full values and marks where they part. */
static void test_check_expect_str_records_values(void **state)
{
	struct hx_check *c = *state;

	assert_int_equal(hx_expect_str(c, "greeting", "hello\n", "help\n"), -1);
	assert_int_equal(c->status, HX_FAIL);
	assert_string_equal(c->expected.data, "hello\n");
	assert_string_equal(c->actual.data, "help\n");
	assert_int_equal(c->diff_at, 3);
	assert_true(unit_message_has(c, "greeting"));
	assert_true(unit_message_has(c, "differs from byte 3"));
}

static void test_check_expect_str_null_actual_is_nothing(void **state)
{
	struct hx_check *c = *state;

	assert_int_equal(hx_expect_str(c, "reply", "ok", NULL), -1);
	assert_true(unit_message_has(c, "got nothing"));
	assert_string_equal(c->actual.data, "");
}

static void test_check_expect_bytes_got_nothing(void **state)
{
	struct hx_check *c = *state;

	assert_int_equal(hx_expect_bytes(c, "reply", "hello", 5, "", 0), -1);
	assert_true(unit_message_has(c, "expected 5 bytes, got nothing"));
	assert_int_equal(c->diff_at, 0);
}

static void test_check_expect_bytes_ends_too_early(void **state)
{
	struct hx_check *c = *state;

	assert_int_equal(hx_expect_bytes(c, "reply", "hello", 5, "he", 2), -1);
	assert_true(unit_message_has(c, "ends too early, after 2 of 5 bytes"));
	assert_int_equal(c->diff_at, 2);
}

static void test_check_expect_bytes_unexpected_bytes_after(void **state)
{
	struct hx_check *c = *state;

	assert_int_equal(
	    hx_expect_bytes(c, "reply", "hello", 5, "hello\r\n!", 8), -1);
	assert_true(
	    unit_message_has(c, "3 unexpected bytes after the expected 5"));
	assert_int_equal(c->diff_at, 5);
	assert_memory_equal(c->actual.data, "hello\r\n!", 8);
}

/* Binary values keep their NULs: a stray \0 is a difference. */
static void test_check_expect_bytes_compares_past_nul(void **state)
{
	struct hx_check *c = *state;

	assert_int_equal(hx_expect_bytes(c, "frame", "a\0b", 3, "a\0c", 3), -1);
	assert_int_equal(c->diff_at, 2);
	assert_int_equal(c->actual.len, 3);
}

/* The values shown belong to the failure reported, not to a later one. */
static void test_check_expect_after_failure_keeps_first_values(void **state)
{
	struct hx_check *c = *state;

	hx_expect_str(c, "first", "abc", "abd");
	assert_int_equal(hx_expect_str(c, "second", "xyz", "q"), -1);
	assert_string_equal(c->expected.data, "abc");
	assert_string_equal(c->actual.data, "abd");
	assert_int_equal(c->diff_at, 2);
	assert_true(unit_message_has(c, "first"));
}

static void test_check_expect_contains(void **state)
{
	struct hx_check *c = *state;

	assert_int_equal(hx_expect_contains(c, "stderr", "usage", "usage: x"),
			 0);
	assert_true(hx_ok(c));
	assert_int_equal(hx_expect_contains(c, "stderr", "usage", "oops\n"),
			 -1);
	assert_true(unit_message_has(c, "stderr: does not contain \"usage\""));
	assert_string_equal(c->expected.data, "text containing \"usage\"");
	assert_string_equal(c->actual.data, "oops\n");
}

static void test_check_expect_int(void **state)
{
	struct hx_check *c = *state;

	assert_int_equal(hx_expect_int(c, "status", 3, 3), 0);
	assert_int_equal(hx_expect_int(c, "status", 3, -4), -1);
	assert_true(unit_message_has(c, "status: expected 3, got -4"));
	assert_string_equal(c->expected.data, "3");
	assert_string_equal(c->actual.data, "-4");
}

/* A failure must be reproducible from its seed alone. */
static void test_check_random_same_seed_same_sequence(void **state)
{
	struct hx_check a, b;

	(void)state;
	hx_check_init(&a, "a", 7);
	hx_check_init(&b, "b", 7);
	for (int i = 0; i < 100; i++)
		assert_int_equal(hx_random(&a), hx_random(&b));
	hx_check_free(&a);
	hx_check_free(&b);
}

static void test_check_random_different_seeds_differ(void **state)
{
	struct hx_check a, b;
	int same = 0;

	(void)state;
	hx_check_init(&a, "a", 1);
	hx_check_init(&b, "b", 2);
	for (int i = 0; i < 100; i++)
		same += hx_random(&a) == hx_random(&b);
	assert_int_equal(same, 0);
	hx_check_free(&a);
	hx_check_free(&b);
}

/* xorshift from state 0 stays 0 forever; seed 0 must still be random. */
static void test_check_random_seed_zero_still_random(void **state)
{
	struct hx_check c;
	uint64_t first, second;

	(void)state;
	hx_check_init(&c, "zero", 0);
	first = hx_random(&c);
	second = hx_random(&c);
	assert_true(first != 0 || second != 0);
	assert_true(first != second);
	hx_check_free(&c);
}

/* Both ends can come up, nothing outside them does. */
static void test_check_random_between_bounds(void **state)
{
	struct hx_check *c = *state;
	int seen[7] = {0};

	for (int i = 0; i < 10000; i++) {
		long n = hx_random_between(c, 3, 9);

		assert_in_range(n, 3, 9);
		seen[n - 3]++;
	}
	for (int i = 0; i < 7; i++)
		assert_true(seen[i] > 0);
	for (int i = 0; i < 1000; i++) {
		long n = hx_random_between(c, -5, 5);

		assert_true(n >= -5 && n <= 5);
	}
}

static void test_check_random_between_empty_range_gives_low(void **state)
{
	struct hx_check *c = *state;

	assert_int_equal(hx_random_between(c, 4, 4), 4);
	assert_int_equal(hx_random_between(c, 9, 2), 9);
}

static void test_check_record_keeps_binary_bytes(void **state)
{
	struct hx_check *c = *state;

	hx_record(c, 2, '>', "a\0\xff", 3);
	assert_int_equal(c->nevents, 1);
	assert_int_equal(c->events[0].conn, 2);
	assert_int_equal(c->events[0].dir, '>');
	assert_int_equal(c->events[0].bytes.len, 3);
	assert_memory_equal(c->events[0].bytes.data, "a\0\xff", 3);
	assert_true(c->events[0].at_ms >= 0);
}

/* One event is one line, whatever bytes it carried: a newline or a NUL
 * from a program must not break the transcript apart. */
static void test_check_transcript_render_escapes_bytes(void **state)
{
	struct hx_check *c = *state;
	struct hx_buf out;
	int lines = 0;

	hx_record(c, 1, '>', "hi\r\n\0\xff", 6);
	hx_record(c, 1, '<', "ok\n", 3);
	hx_recordf(c, 0, "started %s", "server");
	hx_buf_init(&out);
	assert_int_equal(hx_transcript_render(c, &out), 0);
	assert_non_null(
	    strstr(out.data, "conn 1 sent 6 bytes \"hi\\r\\n\\0\\xff\""));
	assert_non_null(strstr(out.data, "conn 1 recv 3 bytes \"ok\\n\""));
	assert_non_null(strstr(out.data, "note started server"));
	for (size_t i = 0; i < out.len; i++) {
		assert_int_not_equal(out.data[i], '\0');
		lines += out.data[i] == '\n';
	}
	assert_int_equal(lines, 3);
	hx_buf_free(&out);
}

/* A megabyte sent in one event must not make the transcript a megabyte. */
static void test_check_transcript_render_cuts_long_events(void **state)
{
	struct hx_check *c = *state;
	static char big[100000];
	struct hx_buf out;

	memset(big, 'z', sizeof(big));
	hx_record(c, 1, '<', big, sizeof(big));
	hx_buf_init(&out);
	hx_transcript_render(c, &out);
	assert_true(out.len < 400);
	assert_non_null(strstr(out.data, "recv 100000 bytes"));
	assert_non_null(strstr(out.data, "bytes cut"));
	hx_buf_free(&out);
}

struct recorder {
	struct hx_check *c; /* shared context */
	int conn;	    /* this thread's connection number */
};

static void *record_many(void *arg)
{
	struct recorder *r = arg;

	for (int i = 0; i < 500; i++)
		hx_record(r->c, r->conn, '>', "x", 1);
	return NULL;
}

/* Peers in threads share one transcript; no event may be lost. */
static void test_check_record_is_thread_safe(void **state)
{
	struct hx_check *c = *state;
	struct recorder r[4];
	pthread_t threads[4];

	for (int i = 0; i < 4; i++) {
		r[i].c = c;
		r[i].conn = i + 1;
		assert_int_equal(
		    pthread_create(&threads[i], NULL, record_many, &r[i]), 0);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(threads[i], NULL);
	assert_int_equal(c->nevents, 2000);
	for (int i = 0; i < 4; i++)
		assert_int_equal(unit_count_events(c, i + 1, '>'), 500);
}

/* Without a mount namespace a fixture would overwrite the machine's own
 * file; the check is skipped instead, and says why. */
static void test_check_fixture_file_skips_when_not_isolated(void **state)
{
	struct hx_check *c = *state;

	c->isolated = 0;
	assert_int_equal(hx_fixture_file(c, "/etc/hosts", "10.0.0.1 x\n"), -1);
	assert_int_equal(c->status, HX_SKIPPED);
	assert_true(unit_message_has(c, "/etc/hosts"));
}

static void test_check_fixture_hostname_skips_when_not_isolated(void **state)
{
	struct hx_check *c = *state;
	char before[256], after[256];

	c->isolated = 0;
	gethostname(before, sizeof(before));
	assert_int_equal(hx_fixture_hostname(c, "not-this-machine"), -1);
	assert_int_equal(c->status, HX_SKIPPED);
	gethostname(after, sizeof(after));
	assert_string_equal(before, after);
}

/* Inside a namespace ports are fixed, so a transcript names the same port
 * on every run. */
static void test_check_port_fixed_when_isolated(void **state)
{
	struct hx_check *c = *state;

	c->isolated = 1;
	assert_int_equal(hx_port(c, 0), 9000);
	assert_int_equal(hx_port(c, 2), 9002);
}

/* Outside, a fixed port may be taken: the port is one the kernel says is
 * free, and the same n gives the same port within a run. */
static void test_check_port_free_when_degraded(void **state)
{
	struct hx_check *c = *state;
	struct sockaddr_in addr = {.sin_family = AF_INET};
	int port, fd;

	c->isolated = 0;
	port = hx_port(c, 3);
	assert_in_range(port, 1, 65535);
	assert_int_equal(hx_port(c, 3), port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = htons((uint16_t)port);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	close(fd);
}

static void test_check_status_names(void **state)
{
	(void)state;
	assert_string_equal(hx_status_name(HX_PASS), "pass");
	assert_string_equal(hx_status_name(HX_FAIL), "fail");
	assert_string_equal(hx_status_name(HX_TIMEOUT), "timeout");
	assert_string_equal(hx_status_name(HX_CRASH), "crash");
	assert_string_equal(hx_status_name(HX_ERROR), "error");
	assert_string_equal(hx_status_name(HX_SKIPPED), "skipped");
	assert_string_equal(hx_status_name((enum hx_status)42), "unknown");
}

#define CHECK_TEST(name)                                                       \
	cmocka_unit_test_setup_teardown(name, check_setup, check_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    CHECK_TEST(test_check_init_starts_passing),
	    CHECK_TEST(test_check_first_failure_wins),
	    CHECK_TEST(test_check_skip_after_failure_keeps_failure),
	    CHECK_TEST(test_check_skip_records_reason),
	    CHECK_TEST(test_check_note_adds_lines_without_failing),
	    CHECK_TEST(test_check_expect_str_equal_passes),
	    CHECK_TEST(test_check_expect_str_records_values),
	    CHECK_TEST(test_check_expect_str_null_actual_is_nothing),
	    CHECK_TEST(test_check_expect_bytes_got_nothing),
	    CHECK_TEST(test_check_expect_bytes_ends_too_early),
	    CHECK_TEST(test_check_expect_bytes_unexpected_bytes_after),
	    CHECK_TEST(test_check_expect_bytes_compares_past_nul),
	    CHECK_TEST(test_check_expect_after_failure_keeps_first_values),
	    CHECK_TEST(test_check_expect_contains),
	    CHECK_TEST(test_check_expect_int),
	    CHECK_TEST(test_check_random_same_seed_same_sequence),
	    CHECK_TEST(test_check_random_different_seeds_differ),
	    CHECK_TEST(test_check_random_seed_zero_still_random),
	    CHECK_TEST(test_check_random_between_bounds),
	    CHECK_TEST(test_check_random_between_empty_range_gives_low),
	    CHECK_TEST(test_check_record_keeps_binary_bytes),
	    CHECK_TEST(test_check_transcript_render_escapes_bytes),
	    CHECK_TEST(test_check_transcript_render_cuts_long_events),
	    CHECK_TEST(test_check_record_is_thread_safe),
	    CHECK_TEST(test_check_fixture_file_skips_when_not_isolated),
	    CHECK_TEST(test_check_fixture_hostname_skips_when_not_isolated),
	    CHECK_TEST(test_check_port_fixed_when_isolated),
	    CHECK_TEST(test_check_port_free_when_degraded),
	    CHECK_TEST(test_check_status_names),
	};

	unit_init();
	return cmocka_run_group_tests_name("hx_check", tests, NULL, NULL);
}
