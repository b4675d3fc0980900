/* test_file.c - folders the harness shares with a student's program: one
 * it did not make itself, or that others may enter, is refused. */
#include "unit.h"

/* Absent: made, mode 0700, and accepted. */
static void test_private_dir_made_when_absent(void **state)
{
	struct unit_fixture *f = *state;
	char dir[300], err[512] = "";
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/private", f->dir);
	assert_int_equal(hx_private_dir(dir, err, sizeof(err)), 0);
	assert_int_equal(lstat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0700);
	/* and again: the folder it made is its own */
	assert_int_equal(hx_private_dir(dir, err, sizeof(err)), 0);
}

/* A folder others may enter (as one a student made for the grader to
 * use, then opened to everyone) is refused, by name. */
static void test_private_dir_open_to_others_refused(void **state)
{
	struct unit_fixture *f = *state;
	char dir[300], err[512] = "";

	snprintf(dir, sizeof(dir), "%s/open", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(hx_private_dir(dir, err, sizeof(err)), -1);
	assert_non_null(strstr(err, dir));
}

/* A symbolic link to a folder of ours: the link is someone else's to
 * turn elsewhere, so it is refused though its target would pass. */
static void test_private_dir_link_refused(void **state)
{
	struct unit_fixture *f = *state;
	char dir[300], link[300], err[512] = "";

	snprintf(dir, sizeof(dir), "%s/target", f->dir);
	snprintf(link, sizeof(link), "%s/link", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(symlink(dir, link), 0);
	assert_int_equal(hx_private_dir(link, err, sizeof(err)), -1);
	assert_non_null(strstr(err, link));
}

/* A folder of another user, even mode 0700: a student's program made it
 * first (as root, the test gives it away). */
static void test_private_dir_of_another_user_refused(void **state)
{
	struct unit_fixture *f = *state;
	char dir[300], err[512] = "";

	if (geteuid() != 0)
		skip();
	snprintf(dir, sizeof(dir), "%s/theirs", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chown(dir, 1000001, 1000001), 0);
	assert_int_equal(hx_private_dir(dir, err, sizeof(err)), -1);
	assert_non_null(strstr(err, dir));
}

/* A file where the folder should be. */
static void test_private_dir_file_refused(void **state)
{
	struct unit_fixture *f = *state;
	char path[300], err[512] = "";

	snprintf(path, sizeof(path), "%s/file", f->dir);
	assert_int_equal(unit_write_file(path, "x\n", 0600), 0);
	assert_int_equal(hx_private_dir(path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
}

#define FILE_TEST(name)                                                        \
	cmocka_unit_test_setup_teardown(name, unit_fixture_setup,              \
					unit_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    FILE_TEST(test_private_dir_made_when_absent),
	    FILE_TEST(test_private_dir_open_to_others_refused),
	    FILE_TEST(test_private_dir_link_refused),
	    FILE_TEST(test_private_dir_of_another_user_refused),
	    FILE_TEST(test_private_dir_file_refused),
	};

	unit_init();
	return cmocka_run_group_tests_name("hx_file", tests, NULL, NULL);
}
