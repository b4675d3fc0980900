/* test_file.c - folders and files the harness shares with a student's
 * program: a folder it did not make itself, or that others may enter, is
 * refused; a file is read as the regular file it is, never through a
 * link, and only so far; one it writes is new, never a link's target. */
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

/* A folder programs write in (the sanitizers'): a link put where it is
 * made is refused, and the folder it leads to keeps its mode. */
static void test_shared_dir_link_refused(void **state)
{
	struct unit_fixture *f = *state;
	char dir[300], link[300], err[512] = "";
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/graders", f->dir);
	snprintf(link, sizeof(link), "%s/.socklab-sanitizer", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(symlink(dir, link), 0);
	assert_int_equal(hx_shared_dir(link, 01733, err, sizeof(err)), -1);
	assert_non_null(strstr(err, link));
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	/* where nothing is, it is made with the mode asked */
	assert_int_equal(unlink(link), 0);
	assert_int_equal(hx_shared_dir(link, 01733, err, sizeof(err)), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_int_equal(st.st_mode & 07777, 01733);
}

/* A program swaps the file the harness will read for a link to one of
 * the harness's own (its environment, the grader's binary): the link is
 * not followed. */
static void test_read_shared_link_refused(void **state)
{
	struct unit_fixture *f = *state;
	char target[300], link[300];
	struct hx_buf got;

	snprintf(target, sizeof(target), "%s/secret", f->dir);
	snprintf(link, sizeof(link), "%s/out", f->dir);
	assert_int_equal(unit_write_file(target, "the grader's\n", 0600), 0);
	assert_int_equal(symlink(target, link), 0);
	hx_buf_init(&got);
	assert_int_equal(hx_read_shared(link, 4096, &got), -1);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(got.len, 0);
	hx_buf_free(&got);
}

/* A pipe in its place: refused at once, not waited on for a writer. */
static void test_read_shared_pipe_refused(void **state)
{
	struct unit_fixture *f = *state;
	char path[300];
	struct hx_buf got;
	int64_t start = hx_now_ms();

	snprintf(path, sizeof(path), "%s/out", f->dir);
	assert_int_equal(mkfifo(path, 0666), 0);
	hx_buf_init(&got);
	assert_int_equal(hx_read_shared(path, 4096, &got), -1);
	assert_int_equal(errno, EINVAL);
	assert_true(hx_now_ms() - start < unit_scaled(1000));
	hx_buf_free(&got);
}

/* A file bigger than the harness needs: read up to max, and said. */
static void test_read_shared_stops_at_max(void **state)
{
	struct unit_fixture *f = *state;
	char path[300];
	struct hx_buf got;

	snprintf(path, sizeof(path), "%s/out", f->dir);
	assert_int_equal(unit_write_file(path, "0123456789", 0644), 0);
	hx_buf_init(&got);
	assert_int_equal(hx_read_shared(path, 4, &got), 1);
	assert_int_equal(got.len, 4);
	assert_memory_equal(got.data, "0123", 4);
	hx_buf_clear(&got);
	/* exactly max is all of it */
	assert_int_equal(hx_read_shared(path, 10, &got), 0);
	assert_int_equal(got.len, 10);
	hx_buf_free(&got);
}

/* A link left where the harness writes a file for the programs (a table
 * file, before the next server): replaced, its target untouched. */
static void test_write_shared_replaces_link(void **state)
{
	struct unit_fixture *f = *state;
	char target[300], soft[300], hard[300];
	struct hx_buf got;
	struct stat st;

	snprintf(target, sizeof(target), "%s/passwd", f->dir);
	snprintf(soft, sizeof(soft), "%s/courses.txt", f->dir);
	snprintf(hard, sizeof(hard), "%s/hard.txt", f->dir);
	assert_int_equal(unit_write_file(target, "root:x:0:0\n", 0644), 0);
	assert_int_equal(symlink(target, soft), 0);
	assert_int_equal(link(target, hard), 0);
	assert_int_equal(hx_write_shared(soft, "Go,6Weeks,1500\n", 15), 0);
	assert_int_equal(hx_write_shared(hard, "Go,6Weeks,1500\n", 15), 0);
	hx_buf_init(&got);
	assert_int_equal(unit_read_file(target, &got), 0);
	assert_string_equal(got.data, "root:x:0:0\n");
	hx_buf_clear(&got);
	assert_int_equal(lstat(soft, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(unit_read_file(soft, &got), 0);
	assert_string_equal(got.data, "Go,6Weeks,1500\n");
	hx_buf_free(&got);
}

/* hx_expect_file, lab 09's downloaded file: a link to a file holding
 * exactly the expected bytes still fails, and the file is not read. */
static void test_expect_file_link_fails(void **state)
{
	struct unit_fixture *f = *state;
	char target[300], link[300];

	snprintf(target, sizeof(target), "%s/elsewhere", f->dir);
	snprintf(link, sizeof(link), "%s/download.out", f->dir);
	assert_int_equal(unit_write_file(target, "body\n", 0644), 0);
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(hx_expect_file(&f->c, link, "body\n", 5), -1);
	assert_int_equal(f->c.status, HX_FAIL);
	assert_true(unit_message_has(&f->c, "not a regular file"));
}

/* A file without end: its first bytes past the expected ones are read,
 * not all of it. */
static void test_expect_file_reads_a_bounded_part(void **state)
{
	struct unit_fixture *f = *state;
	char path[300];
	int fd;

	snprintf(path, sizeof(path), "%s/download.out", f->dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	/* 64 MiB that take no room: a hole */
	assert_int_equal(ftruncate(fd, 64 << 20), 0);
	close(fd);
	assert_int_equal(hx_expect_file(&f->c, path, "body\n", 5), -1);
	assert_true(f->c.actual.len < (1 << 20));
}

#define FILE_TEST(name)                                                        \
	cmocka_unit_test_setup_teardown(name, unit_fixture_setup,              \
					unit_fixture_teardown)

/* A /proc file comes back NUL-terminated, cut to the buffer; an ended
 * process's is -1. */
static void test_read_proc(void **state)
{
	char text[4096], small[8];

	(void)state;
	assert_int_equal(hx_read_proc("/proc/self/status", text, sizeof(text)),
			 0);
	assert_non_null(strstr(text, "Name:"));
	assert_int_equal(
	    hx_read_proc("/proc/self/status", small, sizeof(small)), 0);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_int_equal(hx_read_proc("/proc/0/status", text, sizeof(text)),
			 -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    FILE_TEST(test_private_dir_made_when_absent),
	    cmocka_unit_test(test_read_proc),
	    FILE_TEST(test_private_dir_open_to_others_refused),
	    FILE_TEST(test_private_dir_link_refused),
	    FILE_TEST(test_private_dir_of_another_user_refused),
	    FILE_TEST(test_private_dir_file_refused),
	    FILE_TEST(test_shared_dir_link_refused),
	    FILE_TEST(test_read_shared_link_refused),
	    FILE_TEST(test_read_shared_pipe_refused),
	    FILE_TEST(test_read_shared_stops_at_max),
	    FILE_TEST(test_write_shared_replaces_link),
	    FILE_TEST(test_expect_file_link_fails),
	    FILE_TEST(test_expect_file_reads_a_bounded_part),
	};

	unit_init();
	return cmocka_run_group_tests_name("hx_file", tests, NULL, NULL);
}
