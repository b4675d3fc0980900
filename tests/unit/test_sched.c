/* test_sched.c - threads and wakeups from /proc, against programs of this
 * binary's own (it runs itself again in a mode): one that sleeps well,
 * one that spins, one that polls, and one with a known number of
 * threads, so each verdict is seen both ways. */
#include "unit.h"

#include <pthread.h>
#include <time.h>

#include "../../harness/hx_sched.h"

static char self[PATH_MAX];

/* --- the programs: this binary with a mode as its first argument ------ */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

static void *wait_for_ever(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	for (;;)
		pthread_cond_wait(&never, &lock);
	return NULL;
}

/* n threads and main, each asleep for good. */
static int sleeper(int n)
{
	for (int i = 0; i < n; i++) {
		pthread_t t;

		pthread_create(&t, NULL, wait_for_ever, NULL);
	}
	for (;;)
		pause();
	return 0;
}

static volatile unsigned long spins;

static int spinner(void)
{
	for (;;)
		spins++;
	return 0;
}

/* Wakes every 10 ms to look at nothing. */
static int poller(void)
{
	struct timespec t = {0, 10 * 1000000L};

	for (;;)
		nanosleep(&t, NULL);
	return 0;
}

static struct hx_proc *start_self(struct hx_check *c, const char *mode,
				  const char *arg)
{
	const char *args[] = {mode, arg, NULL};

	return hx_start_labelled(c, "server", self, args);
}

/* --- the tests --------------------------------------------------------- */

static const struct hx_idle_limits limits = {
    .window_ms = 300,
    .max_wakeups = 3,
    .max_cpu_ms = 50,
};

static void test_sched_counts_threads(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_self(&f->c, "--sleeper", "4");

	assert_non_null(p);
	hx_proc_wait_idle(p, 2000);
	assert_int_equal(hx_proc_count_threads(p), 5);
	hx_proc_kill(p);
	assert_int_equal(hx_proc_count_threads(p), -1);
}

static void test_sched_sleeper_passes(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_self(&f->c, "--sleeper", "3");

	assert_non_null(p);
	assert_int_equal(hx_expect_asleep(&f->c, p, &limits, "idle", 2000), 0);
	assert_true(hx_ok(&f->c));
}

static void test_sched_spinner_fails(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_self(&f->c, "--spinner", NULL);

	assert_non_null(p);
	/* it never sleeps: the wait for idleness ends at its deadline */
	assert_int_equal(hx_expect_asleep(&f->c, p, &limits, "idle", 100), -1);
	assert_true(unit_message_has(&f->c, "spinning") ||
		    unit_message_has(&f->c, "woke up"));
}

static void test_sched_poller_fails(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_self(&f->c, "--poller", NULL);

	assert_non_null(p);
	assert_int_equal(hx_expect_asleep(&f->c, p, &limits, "idle", 2000), -1);
	assert_true(unit_message_has(&f->c, "the main thread"));
	assert_true(unit_message_has(&f->c, "polls"));
}

static void test_sched_ended_program_fails(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_self(&f->c, "--sleeper", "0");

	assert_non_null(p);
	hx_proc_kill(p);
	assert_int_equal(hx_expect_asleep(&f->c, p, &limits, "idle", 100), -1);
	assert_true(unit_message_has(&f->c, "ended"));
}

#define SCHED_TEST(name)                                                       \
	cmocka_unit_test_setup_teardown(name, unit_fixture_setup,              \
					unit_fixture_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    SCHED_TEST(test_sched_counts_threads),
	    SCHED_TEST(test_sched_sleeper_passes),
	    SCHED_TEST(test_sched_spinner_fails),
	    SCHED_TEST(test_sched_poller_fails),
	    SCHED_TEST(test_sched_ended_program_fails),
	};
	ssize_t len;

	if (argc == 3 && strcmp(argv[1], "--sleeper") == 0)
		return sleeper(atoi(argv[2]));
	if (argc == 2 && strcmp(argv[1], "--spinner") == 0)
		return spinner();
	if (argc == 2 && strcmp(argv[1], "--poller") == 0)
		return poller();
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		return 1;
	self[len] = '\0';
	unit_init();
	return cmocka_run_group_tests_name("hx_sched", tests, NULL, NULL);
}
