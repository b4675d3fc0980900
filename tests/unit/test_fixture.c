/* test_fixture.c - fixtures installed in place (root in a container that
 * says so) are put back when the check ends, and after a check that died
 * before it could; never where nobody said so, never into a file that is
 * not a fixture's, and never from a folder the grader did not make.
 *
 * The tests that install fixtures in place do it in a mount namespace of
 * the test's own, with a fresh /etc and /tmp: the machine's files are
 * never touched. Where that cannot be made (not root), they are skipped.
 */
#include "unit.h"

#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>

#define FIXTURE_DIR "/tmp/socklab-fixtures" /* the harness's own folder */
#define STUDENT_UID 1000001		    /* a uid a sandbox could have */

/* 1 once this process has an /etc and a /tmp of its own. */
static int private_etc;

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

static void assert_text(const char *path, const char *want)
{
	char *text = read_text(path);

	assert_non_null(text);
	assert_string_equal(text, want);
	free(text);
}

/* A fresh /etc and /tmp (tmpfs) in a mount namespace of this process. */
static int make_private_etc(void)
{
	if (getuid() != 0 || unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", "/etc", "tmpfs", 0, "mode=0755") < 0 ||
	    mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777") < 0)
		return 0;
	setenv("TMPDIR", "/tmp", 1);
	return 1;
}

static int in_place_setup(void **state)
{
	setenv("SOCKLAB_CONTAINER", "1", 1);
	return unit_fixture_setup(state);
}

/* Each test starts without the fixtures' folder, and says nothing. */
static int in_place_teardown(void **state)
{
	unsetenv("SOCKLAB_CONTAINER");
	unit_remove_tree(FIXTURE_DIR);
	unlink("/etc/hosts");
	unlink("/etc/services");
	return unit_fixture_teardown(state);
}

/* Not root in a container that said so: a fixture is skipped, and the
 * file is as it was. */
static void test_fixture_not_in_place_unless_said(void **state)
{
	struct unit_fixture *f = *state;
	char path[300];

	snprintf(path, sizeof(path), "%s/hosts", f->dir);
	write_text(path, "original\n");
	unsetenv("SOCKLAB_CONTAINER");
	assert_int_equal(hx_fixture_file(&f->c, path, "fixture\n"), -1);
	assert_int_equal(f->c.status, HX_SKIPPED);
	assert_text(path, "original\n");
}

static void test_fixture_in_place_restored_at_end(void **state)
{
	struct unit_fixture *f = *state;

	if (!private_etc)
		skip();
	write_text("/etc/hosts", "original\n");
	assert_int_equal(hx_fixture_file(&f->c, "/etc/hosts", "fixture\n"), 0);
	assert_int_equal(hx_fixture_file(&f->c, "/etc/services", "new\n"), 0);
	assert_text("/etc/hosts", "fixture\n");
	hx_fixtures_restore(&f->c);
	assert_text("/etc/hosts", "original\n");
	/* a file the fixture made is removed again */
	assert_int_equal(access("/etc/services", F_OK), -1);
}

/* A check killed with its fixtures in place: the grader puts the
 * machine's file back. */
static void test_fixture_recovered_after_killed_check(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	if (!private_etc)
		skip();
	write_text("/etc/hosts", "original\n");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct hx_check c;

		hx_check_init(&c, "killed", 1);
		_exit(hx_fixture_file(&c, "/etc/hosts", "fixture\n") == 0 ? 0
									  : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_text("/etc/hosts", "fixture\n");
	hx_fixtures_recover();
	assert_text("/etc/hosts", "original\n");
}

/* Only the files of /etc the checks' fixtures are: any other path would
 * be the grader, as root, writing where a check said. */
static void test_fixture_in_place_other_file_refused(void **state)
{
	struct unit_fixture *f = *state;
	char path[300];

	if (!private_etc)
		skip();
	snprintf(path, sizeof(path), "%s/hosts", f->dir);
	write_text(path, "original\n");
	assert_int_equal(hx_fixture_file(&f->c, path, "fixture\n"), -1);
	assert_int_equal(f->c.status, HX_ERROR);
	assert_true(unit_message_has(&f->c, path));
	assert_text(path, "original\n");
}

/* A student's program (a uid of its own, in a /tmp every user may write)
 * makes the fixtures' folder first and plants a journal in it: the
 * grader never reads it, neither at its end nor in a fixture check,
 * which fails naming the folder. */
static void test_fixture_folder_of_a_student_refused(void **state)
{
	struct unit_fixture *f = *state;
	char target[300], line[400];

	if (!private_etc)
		skip();
	snprintf(target, sizeof(target), "%s/root-only", f->dir);
	write_text(target, "the grader's\n");
	write_text("/etc/hosts", "original\n");
	assert_int_equal(mkdir(FIXTURE_DIR, 0755), 0);
	snprintf(line, sizeof(line), "%s\t1\n/etc/hosts\t0\n", target);
	write_text(FIXTURE_DIR "/journal", line);
	write_text(FIXTURE_DIR "/0.saved", "planted\n");
	assert_int_equal(chown(FIXTURE_DIR, STUDENT_UID, STUDENT_UID), 0);
	hx_fixtures_recover();
	assert_text(target, "the grader's\n");
	assert_text("/etc/hosts", "original\n");
	assert_int_equal(hx_fixture_file(&f->c, "/etc/hosts", "fixture\n"), -1);
	assert_int_equal(f->c.status, HX_ERROR);
	assert_true(unit_message_has(&f->c, FIXTURE_DIR));
	assert_text(target, "the grader's\n");
	assert_text("/etc/hosts", "original\n");
	/* its folder is left as it was: the grader never used it */
	assert_text(FIXTURE_DIR "/journal", line);
}

/* In the grader's own folder, a journal line naming another file than a
 * fixture's is not followed; the fixtures' lines still are. */
static void test_fixture_journal_names_only_fixtures(void **state)
{
	struct unit_fixture *f = *state;
	char target[300], line[400], err[256];

	if (!private_etc)
		skip();
	snprintf(target, sizeof(target), "%s/root-only", f->dir);
	write_text(target, "the grader's\n");
	write_text("/etc/hosts", "fixture\n");
	assert_int_equal(hx_private_dir(FIXTURE_DIR, err, sizeof(err)), 0);
	snprintf(line, sizeof(line), "%s\t1\n/etc/hosts\t1\n", target);
	write_text(FIXTURE_DIR "/journal", line);
	write_text(FIXTURE_DIR "/0.saved", "planted\n");
	write_text(FIXTURE_DIR "/1.saved", "original\n");
	hx_fixtures_recover();
	assert_text(target, "the grader's\n");
	assert_text("/etc/hosts", "original\n");
	assert_int_equal(access(FIXTURE_DIR "/journal", F_OK), -1);
}

#define FIXTURE_TEST(name)                                                     \
	cmocka_unit_test_setup_teardown(name, in_place_setup, in_place_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    FIXTURE_TEST(test_fixture_not_in_place_unless_said),
	    FIXTURE_TEST(test_fixture_in_place_restored_at_end),
	    FIXTURE_TEST(test_fixture_recovered_after_killed_check),
	    FIXTURE_TEST(test_fixture_in_place_other_file_refused),
	    FIXTURE_TEST(test_fixture_folder_of_a_student_refused),
	    FIXTURE_TEST(test_fixture_journal_names_only_fixtures),
	};

	unit_init();
	private_etc = make_private_etc();
	return cmocka_run_group_tests_name("hx_fixture", tests, NULL, NULL);
}
