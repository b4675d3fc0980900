/* test_footprint.c - a program's children, resident memory and what
 * memcheck left allocated, against programs of this binary's own (it
 * runs itself again in a mode): one that forks, one that grows its
 * memory, and memcheck logs written by hand. */
#include "unit.h"

#include <sys/wait.h>

#include "../../harness/hx_footprint.h"

static char self[PATH_MAX];

/* --- the programs: this binary with a mode as its first argument ------ */

/* Starts n children that sleep, then sleeps itself. */
static int forker(int n)
{
	for (int i = 0; i < n; i++)
		if (fork() == 0)
			for (;;)
				pause();
	for (;;)
		pause();
	return 0;
}

/* Where grower keeps its memory: a global, so that the compiler cannot
 * leave out the allocation nobody reads. */
char *grown;

/* Touches mb MiB, then sleeps. */
static int grower(int mb)
{
	grown = malloc((size_t)mb << 20);
	if (grown)
		memset(grown, 1, (size_t)mb << 20);
	for (;;)
		pause();
	return 0;
}

/* Opens n sockets, then sleeps. */
static int socketer(int n)
{
	for (int i = 0; i < n; i++)
		if (socket(AF_INET, SOCK_STREAM, 0) < 0)
			return 1;
	for (;;)
		pause();
	return 0;
}

static struct hx_proc *start_self(struct hx_check *c, const char *mode,
				  const char *arg)
{
	const char *args[] = {mode, arg, NULL};

	return hx_start_labelled(c, "server", self, args);
}

/* --- the tests --------------------------------------------------------- */

static void test_footprint_counts_children(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_self(&f->c, "--forker", "3");
	int64_t deadline = hx_deadline(2000);
	int attempt = 0, n;

	assert_non_null(p);
	while ((n = hx_proc_count_children(p)) < 3 &&
	       hx_remaining_ms(deadline) > 0)
		hx_backoff(&attempt, deadline);
	assert_int_equal(n, 3);
	hx_proc_kill(p);
	assert_int_equal(hx_proc_count_children(p), -1);
}

static void test_footprint_none_for_a_lone_process(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_self(&f->c, "--forker", "0");

	assert_non_null(p);
	hx_proc_wait_idle(p, 2000);
	assert_int_equal(hx_proc_count_children(p), 0);
}

static void test_footprint_counts_sockets(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_self(&f->c, "--socketer", "3");

	assert_non_null(p);
	hx_proc_wait_idle(p, 2000);
	assert_int_equal(hx_proc_count_sockets(p), 3);
	hx_proc_kill(p);
	assert_int_equal(hx_proc_count_sockets(p), -1);
}

static void test_footprint_rss_grows(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *small = start_self(&f->c, "--grower", "1");
	struct hx_proc *big = start_self(&f->c, "--grower", "64");
	int64_t deadline = hx_deadline(3000);
	int attempt = 0;
	long small_kb, big_kb;

	assert_non_null(small);
	assert_non_null(big);
	hx_proc_wait_idle(small, 2000);
	small_kb = hx_proc_rss_kb(small);
	assert_true(small_kb > 0);
	/* the big one may still be touching its pages */
	while ((big_kb = hx_proc_rss_kb(big)) < small_kb + 32 * 1024 &&
	       hx_remaining_ms(deadline) > 0)
		hx_backoff(&attempt, deadline);
	assert_true(big_kb > small_kb + 32 * 1024);
}

static void test_footprint_heap_in_use_from_the_log(void **state)
{
	struct hx_proc p;
	long bytes, blocks;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.pid = 321;
	hx_buf_init(&p.log);
	/* another process's lines (a child traced too) do not count */
	hx_buf_addf(&p.log, "==999== in use at exit: 5 bytes in 1 blocks\n"
			    "==321== HEAP SUMMARY:\n"
			    "==321==     in use at exit: 72,704 bytes in 3 "
			    "blocks\n");
	hx_proc_heap_in_use(&p, &bytes, &blocks);
	assert_int_equal(bytes, 72704);
	assert_int_equal(blocks, 3);
	hx_buf_clear(&p.log);
	hx_buf_addf(&p.log, "==321==     in use at exit: 0 bytes in 0 "
			    "blocks\n");
	hx_proc_heap_in_use(&p, &bytes, &blocks);
	assert_int_equal(bytes, 0);
	hx_buf_free(&p.log);
	/* no log at all */
	hx_proc_heap_in_use(&p, &bytes, &blocks);
	assert_int_equal(bytes, 0);
	assert_int_equal(blocks, 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_footprint_counts_children,
					    unit_fixture_setup,
					    unit_fixture_teardown),
	    cmocka_unit_test_setup_teardown(
		test_footprint_none_for_a_lone_process, unit_fixture_setup,
		unit_fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_footprint_counts_sockets,
					    unit_fixture_setup,
					    unit_fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_footprint_rss_grows,
					    unit_fixture_setup,
					    unit_fixture_teardown),
	    cmocka_unit_test(test_footprint_heap_in_use_from_the_log),
	};

	if (argc == 3 && strcmp(argv[1], "--forker") == 0)
		return forker(atoi(argv[2]));
	if (argc == 3 && strcmp(argv[1], "--socketer") == 0)
		return socketer(atoi(argv[2]));
	if (argc == 3 && strcmp(argv[1], "--grower") == 0)
		return grower(atoi(argv[2]));
	if (!realpath(argv[0], self))
		return 1;
	unit_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
