/* test_unpack.c - what a student's archive may hold: every format
 * socklab takes unpacks to its files, and every entry it must not write
 * (links, special files, odd or escaping names) is refused with nothing
 * left behind.
 *
 * Each test writes its archive with libarchive's write API (unit.h),
 * patching a zip's bytes where no writer makes what the test needs, then
 * unpacks it with sl_unpack into a folder of its own.
 */
#include "unit.h"

/* The directory says entry arg is a socket. */
static int patch_socket(unsigned char *p, size_t left, const void *arg)
{
	size_t len = strlen(arg);

	if (left < 46 + len || unit_le32(p) != UNIT_ZIP_CENTRAL ||
	    (size_t)(p[28] | p[29] << 8) != len ||
	    memcmp(p + 46, arg, len) != 0)
		return 0;
	unit_set_le32(p + 38, 0140644u << 16); /* the mode, in the high half */
	return 1;
}

/* Every name is flagged as UTF-8 (bit 11 of the flags). */
static int patch_utf8(unsigned char *p, size_t left, const void *arg)
{
	size_t at = unit_le32(p) == UNIT_ZIP_LOCAL     ? 7
		    : unit_le32(p) == UNIT_ZIP_CENTRAL ? 9
						       : 0;

	(void)arg;
	if (at && left > at)
		p[at] |= 0x08;
	return at && left > at;
}

static void assert_folder(struct unit_archive_fixture *f, const char *name)
{
	char path[600];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", f->dest, name);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0755);
}

/* A lab folder in format through filter unpacks to its files: a folder
 * listed and one only implied, a file with "./" before its name, an
 * empty file. */
static void assert_lab_unpacks(struct unit_archive_fixture *f, int format,
			       int filter)
{
	struct archive *w = unit_archive_begin(f, format, filter);

	unit_archive_add(w, "lab/", AE_IFDIR, NULL, NULL);
	unit_archive_add(w, "lab/server.c", AE_IFREG, "int main(void);\n",
			 NULL);
	unit_archive_add(w, "lab/include/server.h", AE_IFREG, "#pragma once\n",
			 NULL);
	unit_archive_add(w, "./lab/empty.txt", AE_IFREG, "", NULL);
	unit_archive_end(w);
	unit_unpack(f);
	assert_string_equal(f->why, "");
	assert_folder(f, "");
	assert_folder(f, "lab");
	assert_folder(f, "lab/include");
	unit_assert_file(f, "lab/server.c", "int main(void);\n");
	unit_assert_file(f, "lab/include/server.h", "#pragma once\n");
	unit_assert_file(f, "lab/empty.txt", "");
}

/* ---- archives that unpack -------------------------------------------- */

static void test_unpack_zip(void **state)
{
	assert_lab_unpacks(*state, UNIT_ZIP, ARCHIVE_FILTER_NONE);
}

static void test_unpack_tar(void **state)
{
	assert_lab_unpacks(*state, UNIT_TAR, ARCHIVE_FILTER_NONE);
}

static void test_unpack_tar_gz(void **state)
{
	assert_lab_unpacks(*state, UNIT_TAR, ARCHIVE_FILTER_GZIP);
}

static void test_unpack_tar_bz2(void **state)
{
	assert_lab_unpacks(*state, UNIT_TAR, ARCHIVE_FILTER_BZIP2);
}

static void test_unpack_tar_xz(void **state)
{
	assert_lab_unpacks(*state, UNIT_TAR, ARCHIVE_FILTER_XZ);
}

static void test_unpack_tar_zst(void **state)
{
	assert_lab_unpacks(*state, UNIT_TAR, ARCHIVE_FILTER_ZSTD);
}

/* `tar -C lab .` starts with "./" itself: the top, not a nameless entry. */
static void test_unpack_tar_of_dot_unpacks(void **state)
{
	struct unit_archive_fixture *f = *state;
	struct archive *w =
	    unit_archive_begin(f, UNIT_TAR, ARCHIVE_FILTER_GZIP);

	unit_archive_add(w, "./", AE_IFDIR, NULL, NULL);
	unit_archive_add(w, "./server.c", AE_IFREG, "int s;\n", NULL);
	unit_archive_end(w);
	unit_unpack(f);
	assert_string_equal(f->why, "");
	unit_assert_file(f, "server.c", "int s;\n");
}

/* A zip says its names are UTF-8; a grader runs in the C locale, where
 * libarchive cannot convert them: the name must come through as it is. */
static void test_unpack_keeps_utf8_names(void **state)
{
	struct unit_archive_fixture *f = *state;
	struct archive *w =
	    unit_archive_begin(f, UNIT_ZIP, ARCHIVE_FILTER_NONE);

	unit_archive_add(w, "lab/caf\xc3\xa9.c", AE_IFREG, "int cafe;\n", NULL);
	unit_archive_end(w);
	unit_zip_patch(f, patch_utf8, NULL, 2);
	unit_unpack(f);
	assert_string_equal(f->why, "");
	unit_assert_file(f, "lab/caf\xc3\xa9.c", "int cafe;\n");
}

/* ---- entries refused -------------------------------------------------- */

static void test_unpack_refuses_tar_symbolic_link(void **state)
{
	unit_write_refused(*state, UNIT_TAR, ARCHIVE_FILTER_GZIP,
			   "lab/server.c", AE_IFLNK, "/etc/passwd");
	unit_assert_refused(*state, "symbolic link");
}

static void test_unpack_refuses_zip_symbolic_link(void **state)
{
	unit_write_refused(*state, UNIT_ZIP, ARCHIVE_FILTER_NONE,
			   "lab/server.c", AE_IFLNK, "/etc/passwd");
	unit_assert_refused(*state, "symbolic link");
}

static void test_unpack_refuses_hard_link(void **state)
{
	unit_write_refused(*state, UNIT_TAR, ARCHIVE_FILTER_GZIP,
			   "lab/server.c", 0, "lab/ok.c");
	unit_assert_refused(*state, "hard link");
}

static void test_unpack_refuses_device(void **state)
{
	unit_write_refused(*state, UNIT_TAR, ARCHIVE_FILTER_GZIP, "lab/null",
			   AE_IFCHR, NULL);
	unit_assert_refused(*state, "a special file (a device)");
}

static void test_unpack_refuses_fifo(void **state)
{
	unit_write_refused(*state, UNIT_TAR, ARCHIVE_FILTER_XZ, "lab/fifo",
			   AE_IFIFO, NULL);
	unit_assert_refused(*state, "a special file (a FIFO)");
}

/* tar cannot hold a socket; a zip's directory can say an entry is one */
static void test_unpack_refuses_socket(void **state)
{
	struct unit_archive_fixture *f = *state;

	unit_write_refused(f, UNIT_ZIP, ARCHIVE_FILTER_NONE, "lab/sock",
			   AE_IFREG, NULL);
	unit_zip_patch(f, patch_socket, "lab/sock", 1);
	unit_assert_refused(f, "a special file (a socket)");
}

static void test_unpack_refuses_absolute_path(void **state)
{
	unit_write_refused(*state, UNIT_TAR, ARCHIVE_FILTER_GZIP, "/tmp/evil.c",
			   AE_IFREG, NULL);
	unit_assert_refused(*state, "absolute path");
}

static void test_unpack_refuses_tar_dot_dot(void **state)
{
	unit_write_refused(*state, UNIT_TAR, ARCHIVE_FILTER_GZIP,
			   "lab/../../evil.c", AE_IFREG, NULL);
	unit_assert_refused(*state, "leaves the archive");
}

static void test_unpack_refuses_zip_dot_dot(void **state)
{
	unit_write_refused(*state, UNIT_ZIP, ARCHIVE_FILTER_NONE,
			   "../../evil.c", AE_IFREG, NULL);
	unit_assert_refused(*state, "leaves the archive");
}

static void test_unpack_refuses_control_byte(void **state)
{
	unit_write_refused(*state, UNIT_ZIP, ARCHIVE_FILTER_NONE,
			   "lab/evil\nname.c", AE_IFREG, NULL);
	unit_assert_refused(*state, "odd file name");
}

static void test_unpack_refuses_backslash(void **state)
{
	unit_write_refused(*state, UNIT_TAR, ARCHIVE_FILTER_GZIP,
			   "lab\\..\\evil.c", AE_IFREG, NULL);
	unit_assert_refused(*state, "odd file name");
}

/* 255 bytes is the longest name; 256 is refused. */
static void test_unpack_refuses_name_over_255_bytes(void **state)
{
	struct unit_archive_fixture *f = *state;
	char name[300];

	memset(name, 'a', sizeof(name));
	memcpy(name, "lab/", 4);
	name[255] = '\0';
	unit_write_refused(f, UNIT_TAR, ARCHIVE_FILTER_GZIP, name, AE_IFREG,
			   NULL);
	unit_unpack(f);
	assert_string_equal(f->why, "");
	unit_remove_tree(f->dest);
	name[255] = 'a';
	name[256] = '\0';
	unit_write_refused(f, UNIT_TAR, ARCHIVE_FILTER_GZIP, name, AE_IFREG,
			   NULL);
	unit_assert_refused(f, "longer than 255 bytes");
}

/* Folders nested deeper than PATH_MAX, one entry per level: refused when
 * the name passes 255 bytes, and the levels made before are removed. */
static void test_unpack_refuses_folders_deeper_than_path_max(void **state)
{
	struct unit_archive_fixture *f = *state;
	struct archive *w =
	    unit_archive_begin(f, UNIT_TAR, ARCHIVE_FILTER_GZIP);
	static char name[PATH_MAX + 8];
	size_t len = 0;

	unit_archive_add(w, "lab/ok.c", AE_IFREG, "int ok;\n", NULL);
	while (len <= PATH_MAX) {
		memcpy(name + len, "d/", 3);
		len += 2;
		unit_archive_add(w, name, AE_IFDIR, NULL, NULL);
	}
	unit_archive_end(w);
	unit_assert_refused(f, "longer than 255 bytes");
}

static void test_unpack_refuses_file_twice(void **state)
{
	unit_write_refused(*state, UNIT_TAR, ARCHIVE_FILTER_GZIP, "lab/ok.c",
			   AE_IFREG, NULL);
	unit_assert_refused(*state, "twice");
}

/* A file where a folder should be: never followed or replaced. */
static void test_unpack_refuses_path_through_a_file(void **state)
{
	unit_write_refused(*state, UNIT_ZIP, ARCHIVE_FILTER_NONE,
			   "lab/ok.c/evil.c", AE_IFREG, NULL);
	unit_assert_refused(*state, "could not be written");
}

#define UNPACK_TEST(name)                                                      \
	cmocka_unit_test_setup_teardown(name, unit_archive_setup,              \
					unit_archive_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    UNPACK_TEST(test_unpack_zip),
	    UNPACK_TEST(test_unpack_tar),
	    UNPACK_TEST(test_unpack_tar_gz),
	    UNPACK_TEST(test_unpack_tar_bz2),
	    UNPACK_TEST(test_unpack_tar_xz),
	    UNPACK_TEST(test_unpack_tar_zst),
	    UNPACK_TEST(test_unpack_tar_of_dot_unpacks),
	    UNPACK_TEST(test_unpack_keeps_utf8_names),
	    UNPACK_TEST(test_unpack_refuses_tar_symbolic_link),
	    UNPACK_TEST(test_unpack_refuses_zip_symbolic_link),
	    UNPACK_TEST(test_unpack_refuses_hard_link),
	    UNPACK_TEST(test_unpack_refuses_device),
	    UNPACK_TEST(test_unpack_refuses_fifo),
	    UNPACK_TEST(test_unpack_refuses_socket),
	    UNPACK_TEST(test_unpack_refuses_absolute_path),
	    UNPACK_TEST(test_unpack_refuses_tar_dot_dot),
	    UNPACK_TEST(test_unpack_refuses_zip_dot_dot),
	    UNPACK_TEST(test_unpack_refuses_control_byte),
	    UNPACK_TEST(test_unpack_refuses_backslash),
	    UNPACK_TEST(test_unpack_refuses_name_over_255_bytes),
	    UNPACK_TEST(test_unpack_refuses_folders_deeper_than_path_max),
	    UNPACK_TEST(test_unpack_refuses_file_twice),
	    UNPACK_TEST(test_unpack_refuses_path_through_a_file),
	};

	unit_init();
	return cmocka_run_group_tests_name("sl_unpack", tests, NULL, NULL);
}
