/* sl_unpack.c - a student's archive unpacked safely, or refused with the
 * reason. One reader (libarchive) takes zip and tar in every compression
 * socklab accepts and hands over the entries one by one; socklab decides
 * each as it comes: no absolute paths, no "..", no odd names, no links or
 * special files. The bytes and entries are counted as they are written,
 * never taken from what the archive declares, so an archive that lies
 * about its sizes is stopped at the limit. Files are made below the
 * destination through descriptors only, and a refusal removes all that
 * was written before it returns. */
#define _GNU_SOURCE
#include "sl_unpack.h"

#include "sl_files.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../harness/hx_time.h"

#define SL_UNPACK_MS 20000 /* reading one archive, however it is built */
#define SL_NAME_MAX  255   /* bytes of an entry's whole path */

/* One archive being unpacked. */
struct sl_unpacking {
	struct archive *reader;	      /* libarchive's reader of the archive */
	int archive_fd;		      /* the archive, read by the callbacks */
	int root_fd;		      /* the destination folder */
	int64_t deadline;	      /* when reading is given up */
	int timed_out;		      /* the deadline passed while reading */
	size_t unpacked;	      /* bytes of entries read so far */
	int entries;		      /* entries unpacked so far */
	char input[16384];	      /* archive bytes handed to libarchive */
	char output[SL_UNPACK_CHUNK]; /* entry bytes on their way to a file */
};

/* ---- names ----------------------------------------------------------- */

int sl_is_alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9');
}

/* A student id: letters, digits and ._@+- only, starting with a letter or
 * digit. Anything else is refused as an odd name. */
int sl_good_id(const char *id)
{
	if (!sl_is_alnum(id[0]) || strlen(id) > 100)
		return 0;
	for (const char *p = id; *p; p++)
		if (!sl_is_alnum(*p) && !strchr("._@+-", *p))
			return 0;
	return 1;
}

/* An archive entry's name; NULL when it is fine, else why it is refused. */
static const char *sl_bad_entry(const char *name)
{
	const char *p = name;

	if (!*name)
		return "an entry without a name";
	if (*name == '/')
		return "an absolute path";
	for (const unsigned char *u = (const unsigned char *)name; *u; u++)
		if (*u < 0x20 || *u == 0x7f || *u == '\\')
			return "an odd file name (control byte or backslash)";
	if (strlen(name) > SL_NAME_MAX)
		return "a file name longer than 255 bytes";
	while (*p) {
		size_t len = strcspn(p, "/");

		if (len == 2 && p[0] == '.' && p[1] == '.')
			return "a path that leaves the archive (..)";
		p += len;
		p += *p == '/';
	}
	return NULL;
}

/* An entry name shown in a message: non-printable bytes as '?'. */
void sl_show_name(char *out, size_t size, const char *name)
{
	size_t i = 0;

	for (; name[i] && i + 1 < size; i++)
		out[i] = (unsigned char)name[i] < 0x20 ||
				 (unsigned char)name[i] >= 0x7f
			     ? '?'
			     : name[i];
	out[i] = '\0';
}

/* The path of an entry as socklab uses it: without leading "./" (tar
 * writes them for `tar -C dir .`); NULL when the archive gives none. */
static const char *sl_entry_path(struct archive_entry *entry)
{
	const char *name = archive_entry_pathname(entry);

	if (!name)
		name = archive_entry_pathname_utf8(entry);
	while (name && name[0] == '.' && name[1] == '/')
		name += 2;
	return name;
}

/* Why an entry of this type is refused; NULL for a file or a folder. */
static const char *sl_bad_type(struct archive_entry *entry)
{
	switch (archive_entry_filetype(entry)) {
	case AE_IFREG:
	case AE_IFDIR:
		return NULL;
	case AE_IFLNK:
		return "a symbolic link; links are not accepted";
	case AE_IFCHR:
	case AE_IFBLK:
		return "a special file (a device)";
	case AE_IFIFO:
		return "a special file (a FIFO)";
	case AE_IFSOCK:
		return "a special file (a socket)";
	default:
		return "a special file (of an unknown type)";
	}
}

/* ---- reading the archive --------------------------------------------- */

/* libarchive asks for more of the archive: the next bytes of the file,
 * unless the deadline has passed (a bomb may ask for little input and
 * make much work of it, so time is checked on every read). */
static la_ssize_t sl_source_read(struct archive *reader, void *data,
				 const void **buffer)
{
	struct sl_unpacking *u = data;
	ssize_t n;

	if (hx_remaining_ms(u->deadline) == 0) {
		u->timed_out = 1;
		archive_set_error(reader, ETIMEDOUT, "out of time");
		return -1;
	}
	do
		n = read(u->archive_fd, u->input, sizeof(u->input));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		archive_set_error(reader, errno, "read: %s", strerror(errno));
	*buffer = u->input;
	return n;
}

/* A zip's directory is at its end: libarchive seeks to read it first. */
static la_int64_t sl_source_seek(struct archive *reader, void *data,
				 la_int64_t offset, int whence)
{
	struct sl_unpacking *u = data;
	off_t at = lseek(u->archive_fd, (off_t)offset, whence);

	if (at < 0)
		archive_set_error(reader, errno, "seek: %s", strerror(errno));
	return at;
}

/* Why the reader stopped, as a refusal. */
static void sl_reader_failed(struct sl_unpacking *u, char *why, size_t whylen)
{
	const char *error = archive_error_string(u->reader);
	char line[200], shown[200];

	/* the first line of the message: some end in a newline */
	if (!error || !error[0])
		error = "truncated or unreadable";
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(error, "\n"), error);
	sl_show_name(shown, sizeof(shown), line);
	if (u->timed_out)
		snprintf(why, whylen, "refused: unpacking took more than %d s",
			 SL_UNPACK_MS / 1000);
	else
		snprintf(why, whylen, "a corrupt archive (%s)", shown);
}

/* Opens archive for reading as zip or tar, plain or compressed. Only
 * these formats and filters are enabled: libarchive knows many more. */
static int sl_open_reader(struct sl_unpacking *u, const char *archive,
			  char *why, size_t whylen)
{
	struct archive *reader;
	struct stat st;

	/* O_NONBLOCK: a FIFO put in the archive's place must not hang us */
	u->archive_fd =
	    open(archive, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (u->archive_fd < 0 || fstat(u->archive_fd, &st) < 0) {
		snprintf(why, whylen, "cannot read the archive: %s",
			 strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "refused: the archive is not a file");
		return -1;
	}
	reader = u->reader = archive_read_new();
	if (!reader) {
		snprintf(why, whylen, "cannot unpack: out of memory");
		return -1;
	}
	/* ARCHIVE_WARN: the filter is run as an external program, which
	 * decompresses into a pipe as well */
	if (archive_read_support_format_zip(reader) < ARCHIVE_WARN ||
	    archive_read_support_format_tar(reader) < ARCHIVE_WARN ||
	    archive_read_support_filter_gzip(reader) < ARCHIVE_WARN ||
	    archive_read_support_filter_bzip2(reader) < ARCHIVE_WARN ||
	    archive_read_support_filter_xz(reader) < ARCHIVE_WARN ||
	    archive_read_support_filter_zstd(reader) < ARCHIVE_WARN ||
	    archive_read_set_callback_data(reader, u) != ARCHIVE_OK ||
	    archive_read_set_read_callback(reader, sl_source_read) !=
		ARCHIVE_OK ||
	    archive_read_set_seek_callback(reader, sl_source_seek) !=
		ARCHIVE_OK) {
		snprintf(why, whylen, "cannot unpack here: %s",
			 archive_error_string(reader)
			     ? archive_error_string(reader)
			     : "libarchive lacks a format");
		return -1;
	}
	if (archive_read_open1(reader) < ARCHIVE_WARN) {
		sl_reader_failed(u, why, whylen);
		return -1;
	}
	return 0;
}

/* ---- writing below the destination ----------------------------------- */

/* Enters folder name of dir_fd, making it (0755) when it is not there;
 * a link or a file in its place is not followed. A descriptor or -1. */
static int sl_enter_folder(int dir_fd, const char *name)
{
	int made = mkdirat(dir_fd, name, 0755) == 0, fd, saved;

	if (!made && errno != EEXIST)
		return -1;
	fd = openat(dir_fd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	/* the umask must not take the graders' read access away */
	if (fd >= 0 && made && fchmod(fd, 0755) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* Opens the folder that holds path's last component, making the folders
 * before it; *leaf is that last component. Each step is taken from the
 * previous folder's descriptor, so no link and no long path is involved.
 * path is cut into its components. A descriptor or -1. */
static int sl_open_parent(int root_fd, char *path, char **leaf)
{
	int fd = fcntl(root_fd, F_DUPFD_CLOEXEC, 0), next;
	char *part = path, *slash;

	while (fd >= 0 && (slash = strchr(part, '/'))) {
		*slash = '\0';
		if (part[0] && strcmp(part, ".") != 0) {
			next = sl_enter_folder(fd, part);
			close(fd);
			fd = next;
		}
		part = slash + 1;
	}
	*leaf = part;
	return fd;
}

static int sl_write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads the current entry's bytes into fd (or nowhere, for a folder's),
 * each chunk counted against the limit before it is written. */
static int sl_copy_data(struct sl_unpacking *u, int fd, const char *shown,
			char *why, size_t whylen)
{
	for (;;) {
		la_ssize_t n =
		    archive_read_data(u->reader, u->output, sizeof(u->output));

		if (n == 0)
			return 0;
		if (n < 0) {
			sl_reader_failed(u, why, whylen);
			return -1;
		}
		if ((size_t)n > SL_UNPACK_MAX_BYTES - u->unpacked) {
			snprintf(why, whylen,
				 "refused: it unpacks to more than %d MiB "
				 "(a zip bomb?)",
				 SL_UNPACK_MAX_BYTES >> 20);
			return -1;
		}
		u->unpacked += (size_t)n;
		if (fd >= 0 && sl_write_all(fd, u->output, (size_t)n) < 0) {
			snprintf(why, whylen,
				 "entry \"%s\" could not be written: %s", shown,
				 strerror(errno));
			return -1;
		}
	}
}

/* Makes a regular file's entry at path: a new file (0644), never one
 * that is already there. */
static int sl_write_file(struct sl_unpacking *u, char *path, const char *shown,
			 char *why, size_t whylen)
{
	char *leaf;
	int parent = sl_open_parent(u->root_fd, path, &leaf), fd = -1, rc = -1;

	if (parent < 0)
		goto out_failed;
	if (!leaf[0] || strcmp(leaf, ".") == 0) {
		snprintf(why, whylen,
			 "refused: entry \"%s\" is an odd file "
			 "name (a file named like a folder)",
			 shown);
		goto out_close;
	}
	fd = openat(parent, leaf,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST) {
		snprintf(why, whylen,
			 "refused: entry \"%s\" is in the archive "
			 "twice",
			 shown);
		goto out_close;
	}
	if (fd < 0 || fchmod(fd, 0644) < 0)
		goto out_failed;
	rc = sl_copy_data(u, fd, shown, why, whylen);
	if (close(fd) < 0 && rc == 0)
		goto out_failed;
	fd = -1;
	goto out_close;
out_failed:
	snprintf(why, whylen, "entry \"%s\" could not be written: %s", shown,
		 strerror(errno));
	rc = -1;
out_close:
	if (fd >= 0)
		close(fd);
	if (parent >= 0)
		close(parent);
	return rc;
}

/* Makes a folder's entry at path, and the folders above it. */
static int sl_write_folder(struct sl_unpacking *u, char *path,
			   const char *shown, char *why, size_t whylen)
{
	char *leaf;
	int fd;

	strcat(path, "/"); /* so every component is entered */
	fd = sl_open_parent(u->root_fd, path, &leaf);
	if (fd < 0) {
		snprintf(why, whylen, "entry \"%s\" could not be written: %s",
			 shown, strerror(errno));
		return -1;
	}
	close(fd);
	/* a folder has no bytes, but one that claims some is read all the
	 * same: they count, and they are not left to a skip nobody limits */
	return sl_copy_data(u, -1, shown, why, whylen);
}

/* Unpacks the entry the reader is at, or refuses it in why. */
static int sl_unpack_entry(struct sl_unpacking *u, struct archive_entry *entry,
			   char *why, size_t whylen)
{
	const char *name = sl_entry_path(entry), *bad;
	int folder = archive_entry_filetype(entry) == AE_IFDIR;
	char path[SL_NAME_MAX + 2], shown[SL_NAME_MAX + 1];

	sl_show_name(shown, sizeof(shown), name ? name : "");
	if (!name)
		bad = "an odd file name (not readable here)";
	else if (folder && (!name[0] || strcmp(name, ".") == 0))
		return sl_copy_data(u, -1, shown, why, whylen); /* the top */
	else
		bad = sl_bad_entry(name);
	if (!bad && archive_entry_hardlink(entry))
		bad = "a hard link; links are not accepted";
	if (!bad && archive_entry_symlink(entry))
		bad = "a symbolic link; links are not accepted";
	if (!bad)
		bad = sl_bad_type(entry);
	if (!bad && archive_entry_is_encrypted(entry))
		bad = "encrypted";
	if (bad) {
		snprintf(why, whylen, "refused: entry \"%s\" is %s", shown,
			 bad);
		return -1;
	}
	if (++u->entries > SL_UNPACK_MAX_FILES) {
		snprintf(why, whylen, "refused: more than %d files or folders",
			 SL_UNPACK_MAX_FILES);
		return -1;
	}
	snprintf(path, sizeof(path), "%s", name);
	if (folder)
		return sl_write_folder(u, path, shown, why, whylen);
	return sl_write_file(u, path, shown, why, whylen);
}

/* ---- unpacking ------------------------------------------------------- */

void sl_unpack(const char *archive, const char *root, char *why, size_t whylen)
{
	struct sl_unpacking *u = calloc(1, sizeof(*u));
	/* names in UTF-8 (zip's flag, pax records) are converted to the
	 * locale's character set, and in the C locale of a grader, refused:
	 * this thread reads them as UTF-8 while it unpacks */
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t previous = utf8 ? uselocale(utf8) : (locale_t)0;
	struct archive_entry *entry;
	int status;

	why[0] = '\0';
	if (!u) {
		snprintf(why, whylen, "cannot unpack: out of memory");
		goto out_free;
	}
	u->archive_fd = u->root_fd = -1;
	u->deadline = hx_deadline(SL_UNPACK_MS);
	if (mkdir(root, 0755) < 0) {
		snprintf(why, whylen, "mkdir: %s", strerror(errno));
		goto out_free;
	}
	u->root_fd =
	    open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (u->root_fd < 0 || fchmod(u->root_fd, 0755) < 0) {
		snprintf(why, whylen, "open %s: %s", root, strerror(errno));
		goto out_close;
	}
	if (sl_open_reader(u, archive, why, whylen) < 0)
		goto out_close;
	while ((status = archive_read_next_header(u->reader, &entry)) !=
	       ARCHIVE_EOF) {
		/* ARCHIVE_WARN: read, with a remark (a name in another
		 * character set); the name is checked all the same */
		if (status != ARCHIVE_OK && status != ARCHIVE_WARN) {
			sl_reader_failed(u, why, whylen);
			break;
		}
		if (sl_unpack_entry(u, entry, why, whylen) < 0)
			break;
	}
out_close:
	if (u->reader)
		archive_read_free(u->reader);
	if (u->archive_fd >= 0)
		close(u->archive_fd);
	/* a refused archive leaves nothing: its space is free at once */
	if (why[0] &&
	    ((u->root_fd >= 0 && sl_remove_contents(u->root_fd) < 0) ||
	     rmdir(root) < 0))
		snprintf(why + strlen(why), whylen - strlen(why),
			 "; what it unpacked could not be removed: %s",
			 strerror(errno));
	if (u->root_fd >= 0)
		close(u->root_fd);
out_free:
	free(u);
	if (utf8) {
		uselocale(previous);
		freelocale(utf8);
	}
}
