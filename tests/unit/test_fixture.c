/* test_fixture.c - fixtures installed in place (root in a container that
 * says so) are put back when the check ends, and after a check that died
 * before it could; never where nobody said so. */
#include "unit.h"

#include <sys/wait.h>

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *read_text(const char *path)
{
	struct hx_buf b;

	hx_buf_init(&b);
	if (unit_read_file(path, &b) < 0) {
		hx_buf_free(&b);
		return NULL;
	}
	return b.data ? b.data : strdup("");
}

/* Not root in a container that said so: a fixture is skipped, and the
 * file is as it was. */
static void test_fixture_not_in_place_unless_said(void **state)
{
	struct unit_fixture *f = *state;
	char path[300];
	char *text;

	snprintf(path, sizeof(path), "%s/hosts", f->dir);
	write_text(path, "original\n");
	unsetenv("SOCKLAB_CONTAINER");
	assert_int_equal(hx_fixture_file(&f->c, path, "fixture\n"), -1);
	assert_int_equal(f->c.status, HX_SKIPPED);
	text = read_text(path);
	assert_string_equal(text, "original\n");
	free(text);
}

static void test_fixture_in_place_restored_at_end(void **state)
{
	struct unit_fixture *f = *state;
	char path[300], absent[300];
	char *text;

	if (getuid() != 0)
		skip();
	snprintf(path, sizeof(path), "%s/hosts", f->dir);
	snprintf(absent, sizeof(absent), "%s/services", f->dir);
	write_text(path, "original\n");
	setenv("SOCKLAB_CONTAINER", "1", 1);
	assert_int_equal(hx_fixture_file(&f->c, path, "fixture\n"), 0);
	assert_int_equal(hx_fixture_file(&f->c, absent, "new\n"), 0);
	text = read_text(path);
	assert_string_equal(text, "fixture\n");
	free(text);
	hx_fixtures_restore(&f->c);
	unsetenv("SOCKLAB_CONTAINER");
	text = read_text(path);
	assert_string_equal(text, "original\n");
	free(text);
	/* a file the fixture made is removed again */
	assert_int_equal(access(absent, F_OK), -1);
}

/* A check killed with its fixtures in place: the grader puts the
 * machine's file back. */
static void test_fixture_recovered_after_killed_check(void **state)
{
	struct unit_fixture *f = *state;
	char path[300];
	int status;
	char *text;
	pid_t pid;

	if (getuid() != 0)
		skip();
	snprintf(path, sizeof(path), "%s/hosts", f->dir);
	write_text(path, "original\n");
	setenv("SOCKLAB_CONTAINER", "1", 1);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct hx_check c;

		hx_check_init(&c, "killed", 1);
		_exit(hx_fixture_file(&c, path, "fixture\n") == 0 ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	text = read_text(path);
	assert_string_equal(text, "fixture\n");
	free(text);
	hx_fixtures_recover();
	unsetenv("SOCKLAB_CONTAINER");
	text = read_text(path);
	assert_string_equal(text, "original\n");
	free(text);
}

#define FIXTURE_TEST(name)                                                     \
	cmocka_unit_test_setup_teardown(name, unit_fixture_setup,              \
					unit_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    FIXTURE_TEST(test_fixture_not_in_place_unless_said),
	    FIXTURE_TEST(test_fixture_in_place_restored_at_end),
	    FIXTURE_TEST(test_fixture_recovered_after_killed_check),
	};

	unit_init();
	return cmocka_run_group_tests_name("hx_fixture", tests, NULL, NULL);
}
