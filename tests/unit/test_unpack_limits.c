/* test_unpack_limits.c - what a student's archive may weigh: the limits
 * on files and bytes, held on what is written whatever the archive
 * declares, and archives that are not what they should be (corrupt,
 * truncated, another format), refused with nothing left behind.
 */
#include "unit.h"

#include <sys/resource.h>
#include <sys/wait.h>

#define LYING_SIZE 100 /* what a lying zip claims an entry unpacks to */

/* Uncompressed sizes of 30 MiB claim LYING_SIZE instead. */
static int patch_size(unsigned char *p, size_t left, const void *arg)
{
	/* where each record holds the uncompressed size */
	size_t at = unit_le32(p) == UNIT_ZIP_LOCAL	  ? 22
		    : unit_le32(p) == UNIT_ZIP_DESCRIPTOR ? 12
		    : unit_le32(p) == UNIT_ZIP_CENTRAL	  ? 24
							  : 0;

	(void)arg;
	if (!at || left < at + 4 || unit_le32(p + at) != 30 << 20)
		return 0;
	unit_set_le32(p + at, LYING_SIZE);
	return 1;
}

/* ---- limits ------------------------------------------------------------ */

static void write_files(struct unit_archive_fixture *f, int count)
{
	struct archive *w =
	    unit_archive_begin(f, UNIT_ZIP, ARCHIVE_FILTER_NONE);
	char name[64];

	for (int i = 0; i < count; i++) {
		snprintf(name, sizeof(name), "lab/f%03d.c", i);
		unit_archive_add(w, name, AE_IFREG, "x\n", NULL);
	}
	unit_archive_end(w);
}

static void test_unpack_takes_the_most_files(void **state)
{
	struct unit_archive_fixture *f = *state;

	write_files(f, SL_UNPACK_MAX_FILES);
	unit_unpack(f);
	assert_string_equal(f->why, "");
	unit_assert_file(f, "lab/f199.c", "x\n");
}

static void test_unpack_refuses_one_file_too_many(void **state)
{
	write_files(*state, SL_UNPACK_MAX_FILES + 1);
	unit_assert_refused(*state, "more than 200 files");
}

static void write_zeros(struct unit_archive_fixture *f, size_t size)
{
	struct archive *w =
	    unit_archive_begin(f, UNIT_TAR, ARCHIVE_FILTER_GZIP);

	unit_archive_add(w, "lab/ok.c", AE_IFREG, "int ok;\n", NULL);
	unit_archive_add_zeros(w, "lab/zeros", size);
	unit_archive_end(w);
}

/* The limit counts every byte: 8 written before the big file. */
static void test_unpack_takes_the_most_bytes(void **state)
{
	struct unit_archive_fixture *f = *state;
	char path[600];
	struct stat st;

	write_zeros(f, SL_UNPACK_MAX_BYTES - strlen("int ok;\n"));
	unit_unpack(f);
	assert_string_equal(f->why, "");
	snprintf(path, sizeof(path), "%s/lab/zeros", f->dest);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, SL_UNPACK_MAX_BYTES - 8);
}

static void test_unpack_refuses_one_byte_too_many(void **state)
{
	write_zeros(*state, SL_UNPACK_MAX_BYTES - strlen("int ok;\n") + 1);
	unit_assert_refused(*state, "zip bomb");
}

/* Bytes of write() calls this process has made so far; -1 if unknown. */
static long long written_so_far(void)
{
	FILE *io = fopen("/proc/self/io", "r");
	long long bytes = -1;
	char line[128];

	while (io && fgets(line, sizeof(line), io))
		sscanf(line, "wchar: %lld", &bytes);
	if (io)
		fclose(io);
	return bytes;
}

/* A zip of an 8 MiB file, then one whose headers claim 100 bytes while
 * its data inflates to 30 MiB: the limit must hold on what is written,
 * whatever the archive declares. sl_unpack runs in a child whose files
 * may not grow past the limit and one chunk (a write past it kills the
 * child with SIGXFSZ), and whose write() calls may not add up to more in
 * all (a limit kept per file would let 18 MiB through). */
static void test_unpack_lying_zip_writes_no_more_than_the_limit(void **state)
{
	struct unit_archive_fixture *f = *state;
	struct archive *w =
	    unit_archive_begin(f, UNIT_ZIP, ARCHIVE_FILTER_NONE);
	const long long most = SL_UNPACK_MAX_BYTES + SL_UNPACK_CHUNK;
	int status;
	pid_t pid;

	unit_archive_add(w, "lab/ok.c", AE_IFREG, "int ok;\n", NULL);
	unit_archive_add_zeros(w, "lab/zeros8", 8 << 20);
	unit_archive_add_zeros(w, "lab/zeros30", 30 << 20);
	unit_archive_end(w);
	/* the sizes in the local header and the directory at least */
	unit_zip_patch(f, patch_size, NULL, 2);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit limit = {(rlim_t)most, (rlim_t)most};
		long long before = written_so_far(), after;

		signal(SIGXFSZ, SIG_DFL);
		if (setrlimit(RLIMIT_FSIZE, &limit) < 0)
			_exit(10);
		unit_unpack(f);
		after = written_so_far();
		/* the exit status names the step that failed */
		status = !strstr(f->why, "zip bomb")		? 11
			 : access(f->dest, F_OK) == 0		? 12
			 : before >= 0 && after - before > most ? 13
								: 0;
		if (status)
			fprintf(stderr,
				"the child: \"%s\", %lld bytes "
				"written\n",
				f->why, after - before);
		_exit(status);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status))
		print_message("the child died of signal %d\n",
			      WTERMSIG(status));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* and once more in this process, for the message and the clean up */
	unit_assert_refused(f, "zip bomb");
}

/* ---- archives that are not what they should be ------------------------ */

static void test_unpack_refuses_what_is_not_an_archive(void **state)
{
	struct unit_archive_fixture *f = *state;

	assert_int_equal(
	    unit_write_file(f->archive, "not an archive at all", 0644), 0);
	unit_assert_refused(f, "corrupt");
}

/* libarchive reads many formats; a student's archive is zip or tar. */
static void test_unpack_refuses_other_formats(void **state)
{
	unit_write_refused(*state, ARCHIVE_FORMAT_CPIO_POSIX,
			   ARCHIVE_FILTER_NONE, "lab/server.c", AE_IFREG, NULL);
	unit_assert_refused(*state, "corrupt");
}

/* Cut off in the middle of its second file: the first, written whole,
 * goes too. */
static void assert_truncated_refused(struct unit_archive_fixture *f, int format,
				     int filter)
{
	struct archive *w = unit_archive_begin(f, format, filter);
	static char noise[1 << 18];
	uint32_t x = 1;
	struct stat st;

	for (size_t i = 0; i + 1 < sizeof(noise); i++) {
		x = x * 1103515245u + 12345u; /* bytes no compressor shrinks */
		noise[i] = (char)(' ' + (x >> 16) % 90);
	}
	unit_archive_add(w, "lab/ok.c", AE_IFREG, "int ok;\n", NULL);
	unit_archive_add(w, "lab/noise.txt", AE_IFREG, noise, NULL);
	unit_archive_end(w);
	assert_int_equal(stat(f->archive, &st), 0);
	assert_int_equal(truncate(f->archive, st.st_size / 2), 0);
	unit_assert_refused(f, "corrupt");
}

static void test_unpack_refuses_truncated_tar_gz(void **state)
{
	assert_truncated_refused(*state, UNIT_TAR, ARCHIVE_FILTER_GZIP);
}

static void test_unpack_refuses_truncated_zip(void **state)
{
	assert_truncated_refused(*state, UNIT_ZIP, ARCHIVE_FILTER_NONE);
}

/* A destination that exists is not unpacked into. */
static void test_unpack_refuses_existing_destination(void **state)
{
	struct unit_archive_fixture *f = *state;
	char path[600];

	write_files(f, 1);
	assert_int_equal(mkdir(f->dest, 0755), 0);
	unit_unpack(f);
	assert_non_null(strstr(f->why, "mkdir"));
	snprintf(path, sizeof(path), "%s/lab", f->dest);
	assert_int_equal(access(path, F_OK), -1);
}

#define UNPACK_TEST(name)                                                      \
	cmocka_unit_test_setup_teardown(name, unit_archive_setup,              \
					unit_archive_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    UNPACK_TEST(test_unpack_takes_the_most_files),
	    UNPACK_TEST(test_unpack_refuses_one_file_too_many),
	    UNPACK_TEST(test_unpack_takes_the_most_bytes),
	    UNPACK_TEST(test_unpack_refuses_one_byte_too_many),
	    UNPACK_TEST(test_unpack_lying_zip_writes_no_more_than_the_limit),
	    UNPACK_TEST(test_unpack_refuses_what_is_not_an_archive),
	    UNPACK_TEST(test_unpack_refuses_other_formats),
	    UNPACK_TEST(test_unpack_refuses_truncated_tar_gz),
	    UNPACK_TEST(test_unpack_refuses_truncated_zip),
	    UNPACK_TEST(test_unpack_refuses_existing_destination),
	};

	unit_init();
	return cmocka_run_group_tests_name("sl_unpack limits", tests, NULL,
					   NULL);
}
