/* test_time.c - monotonic time, scaled deadlines and backoff. */
#include "unit.h"

/* Every test starts from an unscaled clock. */
static int reset_scale(void **state)
{
	(void)state;
	unsetenv("SOCKLAB_TIMEOUT_SCALE");
	hx_set_extra_scale(1.0);
	return 0;
}

/* The deadline hx_deadline(timeout_ms) gives, as milliseconds from now
 * (within the time the call itself took). */
static void assert_deadline_is(int timeout_ms, int64_t want_ms)
{
	int64_t before = hx_now_ms();
	int64_t deadline = hx_deadline(timeout_ms);
	int64_t after = hx_now_ms();

	assert_in_range(deadline, before + want_ms, after + want_ms);
}

static void test_time_now_is_monotonic(void **state)
{
	int64_t last = hx_now_ms();

	(void)state;
	for (int i = 0; i < 1000; i++) {
		int64_t now = hx_now_ms();

		assert_true(now >= last);
		last = now;
	}
}

static void test_time_deadline_unscaled_by_default(void **state)
{
	(void)state;
	assert_true(hx_timeout_scale() == 1.0);
	assert_deadline_is(1000, 1000);
}

/* A slow machine sets SOCKLAB_TIMEOUT_SCALE once and every deadline of
 * every check stretches with it. */
static void test_time_deadline_respects_scale(void **state)
{
	(void)state;
	setenv("SOCKLAB_TIMEOUT_SCALE", "3", 1);
	assert_true(hx_timeout_scale() == 3.0);
	assert_deadline_is(1000, 3000);
	setenv("SOCKLAB_TIMEOUT_SCALE", "2.5", 1);
	assert_deadline_is(1000, 2500);
}

/* A typo must not make deadlines shorter (or absurd): the value is
 * ignored and the scale stays 1. */
static void test_time_invalid_scale_ignored(void **state)
{
	static const char *const invalid[] = {
	    "", "abc", "0", "0.5", "-2", "3x", "2 ", "1e9", "nan",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		setenv("SOCKLAB_TIMEOUT_SCALE", invalid[i], 1);
		if (hx_timeout_scale() != 1.0)
			fail_msg("scale \"%s\" gave %g, not 1", invalid[i],
				 hx_timeout_scale());
		assert_deadline_is(100, 100);
	}
}

/* Valgrind's factor multiplies the user's, it does not replace it. */
static void test_time_extra_scale_multiplies_env_scale(void **state)
{
	(void)state;
	setenv("SOCKLAB_TIMEOUT_SCALE", "2", 1);
	hx_set_extra_scale(10.0);
	assert_true(hx_timeout_scale() == 20.0);
	assert_deadline_is(100, 2000);
}

/* An extra factor below 1 would shorten deadlines; it counts as 1. */
static void test_time_extra_scale_below_one_ignored(void **state)
{
	(void)state;
	hx_set_extra_scale(0.1);
	assert_true(hx_timeout_scale() == 1.0);
}

static void test_time_remaining_never_negative(void **state)
{
	(void)state;
	assert_int_equal(hx_remaining_ms(hx_now_ms() - 5000), 0);
	assert_int_equal(hx_remaining_ms(INT64_MIN / 2), 0);
}

static void test_time_remaining_counts_down(void **state)
{
	int64_t deadline = hx_now_ms() + 10000;

	(void)state;
	assert_in_range(hx_remaining_ms(deadline), 9000, 10000);
}

/* A deadline further away than an int holds is "a long time", not a
 * wrapped negative number. */
static void test_time_remaining_clamped_to_int(void **state)
{
	(void)state;
	assert_int_equal(hx_remaining_ms(hx_now_ms() + (INT64_C(1) << 40)),
			 INT_MAX);
}

static void test_time_backoff_counts_attempts(void **state)
{
	int64_t deadline = hx_now_ms() + 1000;
	int attempt = 0;

	(void)state;
	hx_backoff(&attempt, deadline);
	hx_backoff(&attempt, deadline);
	assert_int_equal(attempt, 2);
}

/* Ten late attempts would wait 320 ms unclamped; with a deadline 5 ms
 * away they must all return by then (the bound allows for scheduling). */
static void test_time_backoff_never_passes_deadline(void **state)
{
	int64_t start = hx_now_ms();
	int64_t deadline = start + 5;
	int attempt = 5;

	(void)state;
	for (int i = 0; i < 10; i++)
		hx_backoff(&attempt, deadline);
	assert_true(hx_now_ms() - start < 100);
	assert_int_equal(attempt, 15);
}

/* The pause doubles up to 32 ms and stays there: a slow server costs a
 * poll every 32 ms, never a 1 s gap. */
static void test_time_backoff_caps_at_32_ms(void **state)
{
	int64_t start = hx_now_ms();
	int attempt = 10;

	(void)state;
	hx_backoff(&attempt, start + 10000);
	assert_in_range(hx_now_ms() - start, 32, 500);
}

/* While this process spins, the machine's CPUs are busy some share of
 * the span: more than nothing, at most all. */
static void test_time_busy_since_sees_a_spinning_core(void **state)
{
	struct hx_cpu_mark mark;
	int64_t until;
	volatile unsigned long spins = 0;
	double busy;

	(void)state;
	hx_cpu_mark(&mark);
	until = hx_now_ms() + 200;
	while (hx_now_ms() < until)
		spins++;
	busy = hx_cpu_busy_since(&mark);
	assert_true(busy > 0.0);
	assert_true(busy <= 1.0);
}

/* Kept to one CPU (as batch -j 1 keeps itself), the process counts one
 * core, and its spinning keeps that core busy nearly all the time; a
 * share of every CPU would be at most a half on two. */
static void test_time_busy_counts_only_our_cpus(void **state)
{
	cpu_set_t all, one;
	struct hx_cpu_mark mark;
	int64_t until;
	volatile unsigned long spins = 0;
	double busy;
	int cpu = 0;

	(void)state;
	assert_int_equal(sched_getaffinity(0, sizeof(all), &all), 0);
	assert_int_equal(hx_cores(), CPU_COUNT(&all));
	if (CPU_COUNT(&all) < 2)
		skip();
	while (!CPU_ISSET(cpu, &all))
		cpu++;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
	assert_int_equal(hx_cores(), 1);
	hx_cpu_mark(&mark);
	until = hx_now_ms() + 300;
	while (hx_now_ms() < until)
		spins++;
	busy = hx_cpu_busy_since(&mark);
	assert_int_equal(sched_setaffinity(0, sizeof(all), &all), 0);
	assert_true(busy > 0.7);
	assert_true(busy <= 1.0);
}

/* A mark never taken (or unreadable) gives "unknown", not 0. */
static void test_time_busy_since_unknown_without_mark(void **state)
{
	struct hx_cpu_mark none = {0, 0};

	(void)state;
	assert_true(hx_cpu_busy_since(&none) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_time_now_is_monotonic, reset_scale),
	    cmocka_unit_test_setup(test_time_deadline_unscaled_by_default,
				   reset_scale),
	    cmocka_unit_test_setup(test_time_deadline_respects_scale,
				   reset_scale),
	    cmocka_unit_test_setup(test_time_invalid_scale_ignored,
				   reset_scale),
	    cmocka_unit_test_setup(test_time_extra_scale_multiplies_env_scale,
				   reset_scale),
	    cmocka_unit_test_setup(test_time_extra_scale_below_one_ignored,
				   reset_scale),
	    cmocka_unit_test_setup(test_time_remaining_never_negative,
				   reset_scale),
	    cmocka_unit_test_setup(test_time_remaining_counts_down,
				   reset_scale),
	    cmocka_unit_test_setup(test_time_remaining_clamped_to_int,
				   reset_scale),
	    cmocka_unit_test_setup(test_time_backoff_counts_attempts,
				   reset_scale),
	    cmocka_unit_test_setup(test_time_backoff_never_passes_deadline,
				   reset_scale),
	    cmocka_unit_test_setup(test_time_backoff_caps_at_32_ms,
				   reset_scale),
	    cmocka_unit_test(test_time_busy_since_sees_a_spinning_core),
	    cmocka_unit_test(test_time_busy_counts_only_our_cpus),
	    cmocka_unit_test(test_time_busy_since_unknown_without_mark),
	};

	unit_init();
	return cmocka_run_group_tests_name("hx_time", tests, NULL, reset_scale);
}
