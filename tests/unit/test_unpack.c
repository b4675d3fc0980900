/* test_unpack.c - students' archives unpacked, or refused with nothing
 * left behind.
 *
 * Each test writes its archive with libarchive's write API (zip, and tar
 * plain or compressed), patching bytes by hand where an archive has to
 * lie, then unpacks it with sl_unpack into a folder of its own.
 */
#include "unit.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/resource.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#define ZIP ARCHIVE_FORMAT_ZIP
#define TAR ARCHIVE_FORMAT_TAR_PAX_RESTRICTED
#define LYING_SIZE 100 /* what a lying zip claims an entry unpacks to */

/* One test's archive and where it is unpacked. */
struct unpack_fixture {
	char dir[256];     /* the test's temporary folder */
	char archive[300]; /* the archive the test writes */
	char dest[300];    /* where sl_unpack unpacks it */
	char why[1024];    /* sl_unpack's refusal, "" when none */
};

static int unpack_setup(void **state)
{
	struct unpack_fixture *f = calloc(1, sizeof(*f));

	if (!f || unit_temp_dir(f->dir, sizeof(f->dir)) < 0) {
		free(f);
		return -1;
	}
	snprintf(f->archive, sizeof(f->archive), "%s/archive", f->dir);
	snprintf(f->dest, sizeof(f->dest), "%s/out", f->dir);
	*state = f;
	return 0;
}

static int unpack_teardown(void **state)
{
	struct unpack_fixture *f = *state;

	unit_remove_tree(f->dir);
	free(f);
	return 0;
}

/* ---- writing archives ------------------------------------------------ */

/* A new archive at f->archive in format (ZIP or TAR) through filter. */
static struct archive *archive_begin(struct unpack_fixture *f, int format,
				     int filter)
{
	struct archive *w = archive_write_new();

	assert_non_null(w);
	assert_int_equal(archive_write_set_format(w, format), ARCHIVE_OK);
	if (filter != ARCHIVE_FILTER_NONE)
		assert_true(archive_write_add_filter(w, filter) >= ARCHIVE_WARN);
	assert_int_equal(archive_write_open_filename(w, f->archive), ARCHIVE_OK);
	return w;
}

static void archive_end(struct archive *w)
{
	assert_int_equal(archive_write_close(w), ARCHIVE_OK);
	archive_write_free(w);
}

/* Adds an entry of type holding text; link is a symbolic link's target
 * (or a hard link's, with type 0). Files claim mode 0777, folders 0700,
 * and all a time in 1970: none of it may reach the unpacked files. */
static void archive_add(struct archive *w, const char *name, mode_t type,
			const char *text, const char *link)
{
	struct archive_entry *e = archive_entry_new();
	size_t len = text ? strlen(text) : 0;

	assert_non_null(e);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, type ? type : AE_IFREG);
	archive_entry_set_perm(e, type == AE_IFDIR ? 0700 : 0777);
	archive_entry_set_mtime(e, 1, 0);
	archive_entry_set_size(e, (la_int64_t)len);
	if (type == AE_IFLNK)
		archive_entry_set_symlink(e, link);
	else if (link)
		archive_entry_set_hardlink(e, link);
	if (type == AE_IFCHR)
		archive_entry_set_rdev(e, makedev(1, 3));
	assert_int_equal(archive_write_header(w, e), ARCHIVE_OK);
	if (len)
		assert_int_equal(archive_write_data(w, text, len), (la_ssize_t)len);
	archive_entry_free(e);
}

/* Adds a file of size zero bytes. */
static void archive_add_zeros(struct archive *w, const char *name,
			      size_t size)
{
	static const char zeros[1 << 16];
	struct archive_entry *e = archive_entry_new();

	assert_non_null(e);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)size);
	assert_int_equal(archive_write_header(w, e), ARCHIVE_OK);
	for (size_t left = size; left > 0;) {
		size_t n = left < sizeof(zeros) ? left : sizeof(zeros);

		assert_int_equal(archive_write_data(w, zeros, n), (la_ssize_t)n);
		left -= n;
	}
	archive_entry_free(e);
}

/* An archive of one good file, then one entry that must be refused: the
 * good file is written first, so the refusal has something to remove. */
static void write_refused(struct unpack_fixture *f, int format, int filter,
			  const char *name, mode_t type, const char *link)
{
	struct archive *w = archive_begin(f, format, filter);

	archive_add(w, "lab/ok.c", AE_IFREG, "int ok;\n", NULL);
	archive_add(w, name, type, type == AE_IFREG && !link ? "x\n" : NULL,
		    link);
	archive_end(w);
}

static uint32_t le32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void set_le32(unsigned char *p, uint32_t value)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(value >> (8 * i));
}

/* Replaces f->archive with the bytes of zip. */
static void rewrite_archive(struct unpack_fixture *f, const struct hx_buf *zip)
{
	FILE *out = fopen(f->archive, "wb");

	assert_non_null(out);
	assert_int_equal(fwrite(zip->data, 1, zip->len, out), zip->len);
	assert_int_equal(fclose(out), 0);
}

/* Rewrites f->archive, a zip: in every local header, data descriptor and
 * central directory entry, a size field that holds from is set to to. */
static void zip_patch_sizes(struct unpack_fixture *f, uint32_t from,
			    uint32_t to)
{
	struct hx_buf zip;
	int patched = 0;

	hx_buf_init(&zip);
	assert_int_equal(unit_read_file(f->archive, &zip), 0);
	for (size_t i = 0; i + 46 <= zip.len; i++) {
		unsigned char *p = (unsigned char *)zip.data + i;
		/* signature: offset of the uncompressed size after it */
		size_t at = le32(p) == 0x04034b50 ? 22 :
			    le32(p) == 0x08074b50 ? 12 :
			    le32(p) == 0x02014b50 ? 24 :
						    0;

		if (at && le32(p + at) == from) {
			set_le32(p + at, to);
			patched++;
		}
	}
	assert_true(patched >= 2); /* at least the header and directory */
	rewrite_archive(f, &zip);
	hx_buf_free(&zip);
}

/* Rewrites the mode a zip's central directory gives entry name. */
static void zip_patch_mode(struct unpack_fixture *f, const char *name,
			   uint32_t mode)
{
	struct hx_buf zip;
	size_t len = strlen(name);
	int patched = 0;

	hx_buf_init(&zip);
	assert_int_equal(unit_read_file(f->archive, &zip), 0);
	for (size_t i = 0; i + 46 + len <= zip.len; i++) {
		unsigned char *p = (unsigned char *)zip.data + i;

		if (le32(p) == 0x02014b50 && (size_t)(p[28] | p[29] << 8) == len &&
		    memcmp(p + 46, name, len) == 0) {
			set_le32(p + 38, mode << 16);
			patched++;
		}
	}
	assert_int_equal(patched, 1);
	rewrite_archive(f, &zip);
	hx_buf_free(&zip);
}

/* Sets the flag of every entry of f->archive, a zip, that says its name
 * is UTF-8 (bit 11 of the flags, in local headers and the directory). */
static void zip_mark_utf8(struct unpack_fixture *f)
{
	struct hx_buf zip;
	int patched = 0;

	hx_buf_init(&zip);
	assert_int_equal(unit_read_file(f->archive, &zip), 0);
	for (size_t i = 0; i + 46 <= zip.len; i++) {
		unsigned char *p = (unsigned char *)zip.data + i;
		size_t at = le32(p) == 0x04034b50 ? 7 :
			    le32(p) == 0x02014b50 ? 9 :
						    0;

		if (at) {
			p[at] |= 0x08;
			patched++;
		}
	}
	assert_true(patched >= 2);
	rewrite_archive(f, &zip);
	hx_buf_free(&zip);
}

/* ---- assertions ------------------------------------------------------ */

static void unpack(struct unpack_fixture *f)
{
	sl_unpack(f->archive, f->dest, f->why, sizeof(f->why));
}

/* The archive is refused with want in the reason, and nothing of it is
 * left: not even the destination folder. */
static void assert_refused(struct unpack_fixture *f, const char *want)
{
	unpack(f);
	if (!strstr(f->why, want))
		print_message("expected \"%s\", got \"%s\"\n", want, f->why);
	assert_non_null(strstr(f->why, want));
	assert_int_equal(access(f->dest, F_OK), -1);
	assert_int_equal(errno, ENOENT);
}

/* dest/name holds exactly text, mode 0644, with a time of its own. */
static void assert_file(struct unpack_fixture *f, const char *name,
			const char *text)
{
	char path[600];
	struct hx_buf data;
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", f->dest, name);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_true(st.st_mtime > 1);
	hx_buf_init(&data);
	assert_int_equal(unit_read_file(path, &data), 0);
	assert_int_equal(data.len, strlen(text));
	if (data.len)
		assert_memory_equal(data.data, text, data.len);
	hx_buf_free(&data);
}

static void assert_folder(struct unpack_fixture *f, const char *name)
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
static void assert_lab_unpacks(struct unpack_fixture *f, int format,
			       int filter)
{
	struct archive *w = archive_begin(f, format, filter);

	archive_add(w, "lab/", AE_IFDIR, NULL, NULL);
	archive_add(w, "lab/server.c", AE_IFREG, "int main(void);\n", NULL);
	archive_add(w, "lab/include/server.h", AE_IFREG, "#pragma once\n",
		    NULL);
	archive_add(w, "./lab/empty.txt", AE_IFREG, "", NULL);
	archive_end(w);
	unpack(f);
	assert_string_equal(f->why, "");
	assert_folder(f, "");
	assert_folder(f, "lab");
	assert_folder(f, "lab/include");
	assert_file(f, "lab/server.c", "int main(void);\n");
	assert_file(f, "lab/include/server.h", "#pragma once\n");
	assert_file(f, "lab/empty.txt", "");
}

/* ---- archives that unpack -------------------------------------------- */

static void test_unpack_zip(void **state)
{
	assert_lab_unpacks(*state, ZIP, ARCHIVE_FILTER_NONE);
}

static void test_unpack_tar(void **state)
{
	assert_lab_unpacks(*state, TAR, ARCHIVE_FILTER_NONE);
}

static void test_unpack_tar_gz(void **state)
{
	assert_lab_unpacks(*state, TAR, ARCHIVE_FILTER_GZIP);
}

static void test_unpack_tar_bz2(void **state)
{
	assert_lab_unpacks(*state, TAR, ARCHIVE_FILTER_BZIP2);
}

static void test_unpack_tar_xz(void **state)
{
	assert_lab_unpacks(*state, TAR, ARCHIVE_FILTER_XZ);
}

static void test_unpack_tar_zst(void **state)
{
	assert_lab_unpacks(*state, TAR, ARCHIVE_FILTER_ZSTD);
}

/* `tar -C lab .` starts with "./" itself: the top, not a nameless entry. */
static void test_unpack_tar_of_dot_unpacks(void **state)
{
	struct unpack_fixture *f = *state;
	struct archive *w = archive_begin(f, TAR, ARCHIVE_FILTER_GZIP);

	archive_add(w, "./", AE_IFDIR, NULL, NULL);
	archive_add(w, "./server.c", AE_IFREG, "int s;\n", NULL);
	archive_end(w);
	unpack(f);
	assert_string_equal(f->why, "");
	assert_file(f, "server.c", "int s;\n");
}

/* A zip says its names are UTF-8; a grader runs in the C locale, where
 * libarchive cannot convert them: the name must come through as it is. */
static void test_unpack_keeps_utf8_names(void **state)
{
	struct unpack_fixture *f = *state;
	struct archive *w = archive_begin(f, ZIP, ARCHIVE_FILTER_NONE);

	archive_add(w, "lab/caf\xc3\xa9.c", AE_IFREG, "int cafe;\n", NULL);
	archive_end(w);
	zip_mark_utf8(f);
	unpack(f);
	assert_string_equal(f->why, "");
	assert_file(f, "lab/caf\xc3\xa9.c", "int cafe;\n");
}

/* ---- entries refused -------------------------------------------------- */

static void test_unpack_refuses_tar_symbolic_link(void **state)
{
	write_refused(*state, TAR, ARCHIVE_FILTER_GZIP, "lab/server.c",
		      AE_IFLNK, "/etc/passwd");
	assert_refused(*state, "symbolic link");
}

static void test_unpack_refuses_zip_symbolic_link(void **state)
{
	write_refused(*state, ZIP, ARCHIVE_FILTER_NONE, "lab/server.c",
		      AE_IFLNK, "/etc/passwd");
	assert_refused(*state, "symbolic link");
}

static void test_unpack_refuses_hard_link(void **state)
{
	write_refused(*state, TAR, ARCHIVE_FILTER_GZIP, "lab/server.c", 0,
		      "lab/ok.c");
	assert_refused(*state, "hard link");
}

static void test_unpack_refuses_device(void **state)
{
	write_refused(*state, TAR, ARCHIVE_FILTER_GZIP, "lab/null", AE_IFCHR,
		      NULL);
	assert_refused(*state, "a special file (a device)");
}

static void test_unpack_refuses_fifo(void **state)
{
	write_refused(*state, TAR, ARCHIVE_FILTER_XZ, "lab/fifo", AE_IFIFO,
		      NULL);
	assert_refused(*state, "a special file (a FIFO)");
}

/* tar cannot hold a socket; a zip's directory can say an entry is one */
static void test_unpack_refuses_socket(void **state)
{
	struct unpack_fixture *f = *state;

	write_refused(f, ZIP, ARCHIVE_FILTER_NONE, "lab/sock", AE_IFREG, NULL);
	zip_patch_mode(f, "lab/sock", 0140644);
	assert_refused(f, "a special file (a socket)");
}

static void test_unpack_refuses_absolute_path(void **state)
{
	write_refused(*state, TAR, ARCHIVE_FILTER_GZIP, "/tmp/evil.c", AE_IFREG,
		      NULL);
	assert_refused(*state, "absolute path");
}

static void test_unpack_refuses_tar_dot_dot(void **state)
{
	write_refused(*state, TAR, ARCHIVE_FILTER_GZIP, "lab/../../evil.c",
		      AE_IFREG, NULL);
	assert_refused(*state, "leaves the archive");
}

static void test_unpack_refuses_zip_dot_dot(void **state)
{
	write_refused(*state, ZIP, ARCHIVE_FILTER_NONE, "../../evil.c",
		      AE_IFREG, NULL);
	assert_refused(*state, "leaves the archive");
}

static void test_unpack_refuses_control_byte(void **state)
{
	write_refused(*state, ZIP, ARCHIVE_FILTER_NONE, "lab/evil\nname.c",
		      AE_IFREG, NULL);
	assert_refused(*state, "odd file name");
}

static void test_unpack_refuses_backslash(void **state)
{
	write_refused(*state, TAR, ARCHIVE_FILTER_GZIP, "lab\\..\\evil.c",
		      AE_IFREG, NULL);
	assert_refused(*state, "odd file name");
}

/* 255 bytes is the longest name; 256 is refused. */
static void test_unpack_refuses_name_over_255_bytes(void **state)
{
	struct unpack_fixture *f = *state;
	char name[300];

	memset(name, 'a', sizeof(name));
	memcpy(name, "lab/", 4);
	name[255] = '\0';
	write_refused(f, TAR, ARCHIVE_FILTER_GZIP, name, AE_IFREG, NULL);
	unpack(f);
	assert_string_equal(f->why, "");
	unit_remove_tree(f->dest);
	name[255] = 'a';
	name[256] = '\0';
	write_refused(f, TAR, ARCHIVE_FILTER_GZIP, name, AE_IFREG, NULL);
	assert_refused(f, "longer than 255 bytes");
}

/* Folders nested deeper than PATH_MAX, one entry per level: refused when
 * the name passes 255 bytes, and the levels made before are removed. */
static void test_unpack_refuses_folders_deeper_than_path_max(void **state)
{
	struct unpack_fixture *f = *state;
	struct archive *w = archive_begin(f, TAR, ARCHIVE_FILTER_GZIP);
	static char name[PATH_MAX + 8];
	size_t len = 0;

	archive_add(w, "lab/ok.c", AE_IFREG, "int ok;\n", NULL);
	while (len <= PATH_MAX) {
		memcpy(name + len, "d/", 3);
		len += 2;
		archive_add(w, name, AE_IFDIR, NULL, NULL);
	}
	archive_end(w);
	assert_refused(f, "longer than 255 bytes");
}

static void test_unpack_refuses_file_twice(void **state)
{
	write_refused(*state, TAR, ARCHIVE_FILTER_GZIP, "lab/ok.c", AE_IFREG,
		      NULL);
	assert_refused(*state, "twice");
}

/* A file where a folder should be: never followed or replaced. */
static void test_unpack_refuses_path_through_a_file(void **state)
{
	write_refused(*state, ZIP, ARCHIVE_FILTER_NONE, "lab/ok.c/evil.c",
		      AE_IFREG, NULL);
	assert_refused(*state, "could not be written");
}

/* ---- limits ------------------------------------------------------------ */

static void write_files(struct unpack_fixture *f, int count)
{
	struct archive *w = archive_begin(f, ZIP, ARCHIVE_FILTER_NONE);
	char name[64];

	for (int i = 0; i < count; i++) {
		snprintf(name, sizeof(name), "lab/f%03d.c", i);
		archive_add(w, name, AE_IFREG, "x\n", NULL);
	}
	archive_end(w);
}

static void test_unpack_takes_the_most_files(void **state)
{
	struct unpack_fixture *f = *state;

	write_files(f, SL_UNPACK_MAX_FILES);
	unpack(f);
	assert_string_equal(f->why, "");
	assert_file(f, "lab/f199.c", "x\n");
}

static void test_unpack_refuses_one_file_too_many(void **state)
{
	write_files(*state, SL_UNPACK_MAX_FILES + 1);
	assert_refused(*state, "more than 200 files");
}

static void write_zeros(struct unpack_fixture *f, size_t size)
{
	struct archive *w = archive_begin(f, TAR, ARCHIVE_FILTER_GZIP);

	archive_add(w, "lab/ok.c", AE_IFREG, "int ok;\n", NULL);
	archive_add_zeros(w, "lab/zeros", size);
	archive_end(w);
}

/* The limit counts every byte: 8 written before the big file. */
static void test_unpack_takes_the_most_bytes(void **state)
{
	struct unpack_fixture *f = *state;
	char path[600];
	struct stat st;

	write_zeros(f, SL_UNPACK_MAX_BYTES - strlen("int ok;\n"));
	unpack(f);
	assert_string_equal(f->why, "");
	snprintf(path, sizeof(path), "%s/lab/zeros", f->dest);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, SL_UNPACK_MAX_BYTES - 8);
}

static void test_unpack_refuses_one_byte_too_many(void **state)
{
	write_zeros(*state, SL_UNPACK_MAX_BYTES - strlen("int ok;\n") + 1);
	assert_refused(*state, "zip bomb");
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
	struct unpack_fixture *f = *state;
	struct archive *w = archive_begin(f, ZIP, ARCHIVE_FILTER_NONE);
	const long long most = SL_UNPACK_MAX_BYTES + SL_UNPACK_CHUNK;
	int status;
	pid_t pid;

	archive_add(w, "lab/ok.c", AE_IFREG, "int ok;\n", NULL);
	archive_add_zeros(w, "lab/zeros8", 8 << 20);
	archive_add_zeros(w, "lab/zeros30", 30 << 20);
	archive_end(w);
	zip_patch_sizes(f, 30 << 20, LYING_SIZE);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit limit = { (rlim_t)most, (rlim_t)most };
		long long before = written_so_far(), after;

		signal(SIGXFSZ, SIG_DFL);
		if (setrlimit(RLIMIT_FSIZE, &limit) < 0)
			_exit(10);
		unpack(f);
		after = written_so_far();
		fprintf(stderr, "unpacking in the child: \"%s\", %lld bytes "
				"written\n",
			f->why, after - before);
		if (!strstr(f->why, "zip bomb"))
			_exit(11);
		if (access(f->dest, F_OK) == 0)
			_exit(12);
		if (before >= 0 && after - before > most)
			_exit(13);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status))
		print_message("the child died of signal %d\n", WTERMSIG(status));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* and once more in this process, for the message and the clean up */
	assert_refused(f, "zip bomb");
}

/* ---- archives that are not what they should be ------------------------ */

static void test_unpack_refuses_what_is_not_an_archive(void **state)
{
	struct unpack_fixture *f = *state;

	assert_int_equal(unit_write_file(f->archive, "not an archive at all",
					 0644),
			 0);
	assert_refused(f, "corrupt");
}

/* libarchive reads many formats; a student's archive is zip or tar. */
static void test_unpack_refuses_other_formats(void **state)
{
	write_refused(*state, ARCHIVE_FORMAT_CPIO_POSIX, ARCHIVE_FILTER_NONE,
		      "lab/server.c", AE_IFREG, NULL);
	assert_refused(*state, "corrupt");
}

/* Cut off in the middle of its second file: the first, written whole,
 * goes too. */
static void assert_truncated_refused(struct unpack_fixture *f, int format,
				     int filter)
{
	struct archive *w = archive_begin(f, format, filter);
	static char noise[1 << 18];
	uint32_t x = 1;
	struct stat st;

	for (size_t i = 0; i + 1 < sizeof(noise); i++) {
		x = x * 1103515245u + 12345u; /* bytes no compressor shrinks */
		noise[i] = (char)(' ' + (x >> 16) % 90);
	}
	archive_add(w, "lab/ok.c", AE_IFREG, "int ok;\n", NULL);
	archive_add(w, "lab/noise.txt", AE_IFREG, noise, NULL);
	archive_end(w);
	assert_int_equal(stat(f->archive, &st), 0);
	assert_int_equal(truncate(f->archive, st.st_size / 2), 0);
	assert_refused(f, "corrupt");
}

static void test_unpack_refuses_truncated_tar_gz(void **state)
{
	assert_truncated_refused(*state, TAR, ARCHIVE_FILTER_GZIP);
}

static void test_unpack_refuses_truncated_zip(void **state)
{
	assert_truncated_refused(*state, ZIP, ARCHIVE_FILTER_NONE);
}

/* A destination that exists is not unpacked into. */
static void test_unpack_refuses_existing_destination(void **state)
{
	struct unpack_fixture *f = *state;
	char path[600];

	write_files(f, 1);
	assert_int_equal(mkdir(f->dest, 0755), 0);
	unpack(f);
	assert_non_null(strstr(f->why, "mkdir"));
	snprintf(path, sizeof(path), "%s/lab", f->dest);
	assert_int_equal(access(path, F_OK), -1);
}

#define UNPACK_TEST(name)                                                     \
	cmocka_unit_test_setup_teardown(name, unpack_setup, unpack_teardown)

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
	return cmocka_run_group_tests_name("sl_unpack", tests, NULL, NULL);
}
