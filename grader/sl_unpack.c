/* sl_unpack.c - a student's archive unpacked safely, or refused with the
 * reason: .tar.gz read by socklab itself, .zip inspected entry by entry
 * before unzip runs; no absolute paths, no "..", no links, no device
 * files, limits on size and count, external tools under a deadline. */
#define _GNU_SOURCE
#include "sl_unpack.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../harness/hx_text.h"
#include "../harness/hx_time.h"

#define SL_UNPACK_MAX_BYTES (10 << 20) /* what one archive may unpack to */
#define SL_UNPACK_MAX_FILES 200        /* entries one archive may hold */
#define SL_TOOL_MS 20000               /* gzip or unzip of one archive */

/* ---- external tools (gzip, unzip) under a deadline ------------------- */

/* Runs argv with stdout and stderr on a pipe, files capped at fsize
 * bytes; reads at most cap bytes into out. Returns the exit status,
 * -1 after a timeout, -2 when the output passed cap, -3 if it cannot run. */
static int sl_run_tool(char *const argv[], const char *cwd, rlim_t fsize,
		       struct hx_buf *out, size_t cap)
{
	int64_t deadline = hx_deadline(SL_TOOL_MS);
	int pipefd[2], status = 0, rc = 0;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -3;
	pid = fork();
	if (pid == 0) {
		struct rlimit limit = { fsize, fsize };
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		setrlimit(RLIMIT_FSIZE, &limit);
		if (cwd && chdir(cwd) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	if (pid < 0) {
		close(pipefd[0]);
		return -3;
	}
	for (;;) {
		struct pollfd pfd = { .fd = pipefd[0], .events = POLLIN };
		char chunk[65536];
		ssize_t n;

		if (poll(&pfd, 1, hx_remaining_ms(deadline)) == 0) {
			rc = -1;
			break;
		}
		n = read(pipefd[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out->len + (size_t)n > cap) {
			rc = -2;
			break;
		}
		hx_buf_add(out, chunk, (size_t)n);
	}
	close(pipefd[0]);
	if (rc < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc < 0)
		return rc;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

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
	if (strlen(name) > 255)
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
				 (unsigned char)name[i] >= 0x7f ?
			       '?' :
			       name[i];
	out[i] = '\0';
}

/* ---- unpacking ------------------------------------------------------- */

static int sl_make_parents(const char *root, const char *name)
{
	char path[4096];

	for (const char *p = strchr(name, '/'); p; p = strchr(p + 1, '/')) {
		snprintf(path, sizeof(path), "%s/%.*s", root, (int)(p - name),
			 name);
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

static int sl_write_entry(const char *root, const char *name,
			  const char *data, size_t len)
{
	char path[4096];
	int fd, rc = 0;

	if (sl_make_parents(root, name) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", root, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd < 0)
		return -1;
	if (len && write(fd, data, len) != (ssize_t)len)
		rc = -1;
	if (close(fd) < 0)
		rc = -1;
	return rc;
}

static uint64_t sl_octal(const char *field, size_t len)
{
	uint64_t value = 0;

	for (size_t i = 0; i < len && field[i]; i++)
		if (field[i] >= '0' && field[i] <= '7')
			value = value * 8 + (uint64_t)(field[i] - '0');
	return value;
}

static int sl_tar_checksum_ok(const unsigned char *h)
{
	uint64_t sum = 0;

	for (int i = 0; i < 512; i++)
		sum += i >= 148 && i < 156 ? ' ' : h[i];
	return sum == sl_octal((const char *)h + 148, 8);
}

/* The path of a pax extended header's records, into name. */
static void sl_pax_path(const char *data, size_t len, char *name, size_t size)
{
	size_t pos = 0;

	while (pos < len) {
		size_t reclen = (size_t)strtoul(data + pos, NULL, 10);
		const char *key = memchr(data + pos, ' ', len - pos);

		if (!reclen || !key || pos + reclen > len)
			return;
		key++;
		if (strncmp(key, "path=", 5) == 0)
			snprintf(name, size, "%.*s",
				 (int)(data + pos + reclen - 1 - key - 5),
				 key + 5);
		pos += reclen;
	}
}

/* Unpacks an uncompressed tar held in memory; "" in why when it is fine. */
static void sl_untar(const char *tar, size_t len, const char *root, char *why,
		     size_t whylen)
{
	char name[512] = "", shown[300];
	size_t pos = 0, total = 0;
	int files = 0;

	while (pos + 512 <= len) {
		const unsigned char *h = (const unsigned char *)tar + pos;
		size_t size;
		char type = (char)h[156];
		const char *bad;

		if (h[0] == 0 && memcmp(h, h + 1, 511) == 0)
			return; /* the end-of-archive block */
		if (!sl_tar_checksum_ok(h) || (h[124] & 0x80)) {
			snprintf(why, whylen, "a corrupt archive (bad tar header)");
			return;
		}
		size = (size_t)sl_octal((const char *)h + 124, 12);
		if (size > len - pos - 512) {
			snprintf(why, whylen, "a corrupt archive (truncated)");
			return;
		}
		if (type == 'L' || type == 'x') {
			if (type == 'L')
				snprintf(name, sizeof(name), "%.*s", (int)size,
					 tar + pos + 512);
			else
				sl_pax_path(tar + pos + 512, size, name,
					    sizeof(name));
			pos += 512 + (size + 511) / 512 * 512;
			continue;
		}
		if (!name[0]) {
			if (memcmp(h + 257, "ustar", 5) == 0 && h[345])
				snprintf(name, sizeof(name), "%.155s/%.100s",
					 (const char *)h + 345,
					 (const char *)h);
			else
				snprintf(name, sizeof(name), "%.100s",
					 (const char *)h);
		}
		while (strncmp(name, "./", 2) == 0)
			memmove(name, name + 2, strlen(name + 2) + 1);
		sl_show_name(shown, sizeof(shown), name);
		bad = type == 'g' || type == 'K' ? NULL : sl_bad_entry(name);
		if (bad && !(name[0] == '\0' && type == '5')) {
			snprintf(why, whylen, "refused: entry \"%s\" is %s", shown,
				 bad);
			return;
		}
		if (type == '1' || type == '2') {
			snprintf(why, whylen, "refused: entry \"%s\" is a %s link; "
					      "links are not accepted",
				 shown, type == '1' ? "hard" : "symbolic");
			return;
		}
		if (type == '0' || type == '\0' || type == '7') {
			total += size;
			if (++files > SL_UNPACK_MAX_FILES ||
			    total > SL_UNPACK_MAX_BYTES) {
				snprintf(why, whylen,
					 "refused: more than %d files or %d MiB",
					 SL_UNPACK_MAX_FILES,
					 SL_UNPACK_MAX_BYTES >> 20);
				return;
			}
			if (sl_write_entry(root, name, tar + pos + 512, size) < 0) {
				snprintf(why, whylen, "entry \"%s\" could not be "
						      "written: %s",
					 shown, strerror(errno));
				return;
			}
		} else if (type == '5' && name[0]) {
			/* a folder: its path with a final '/' makes them all */
			if (name[strlen(name) - 1] != '/')
				strncat(name, "/", sizeof(name) - strlen(name) - 1);
			if (sl_make_parents(root, name) < 0) {
				snprintf(why, whylen, "could not unpack \"%s\"",
					 shown);
				return;
			}
		} else if (type != '5' && type != 'g' && type != 'K') {
			snprintf(why, whylen, "refused: entry \"%s\" is a special "
					      "file (type %c)",
				 shown, type);
			return;
		}
		name[0] = '\0';
		pos += 512 + (size + 511) / 512 * 512;
	}
	if (pos != len)
		snprintf(why, whylen, "a corrupt archive (truncated)");
}

static unsigned sl_le16(const unsigned char *p)
{
	return p[0] | (unsigned)p[1] << 8;
}

static uint32_t sl_le32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Reads a zip's central directory and refuses what it must not unpack:
 * bad names, links, encryption, too many files or bytes. */
static void sl_zip_inspect(const unsigned char *zip, size_t len, char *why,
			   size_t whylen)
{
	size_t eocd = len >= 22 ? len - 22 : 0, pos, total = 0;
	unsigned entries;
	int files = 0;

	while (len >= 22 && eocd > 0 && len - eocd < 22 + 65535 &&
	       sl_le32(zip + eocd) != 0x06054b50)
		eocd--;
	if (len < 22 || sl_le32(zip + eocd) != 0x06054b50) {
		snprintf(why, whylen, "a corrupt archive (not a zip file)");
		return;
	}
	entries = sl_le16(zip + eocd + 10);
	pos = sl_le32(zip + eocd + 16);
	if (entries == 0xffff || pos == 0xffffffff || pos > eocd) {
		snprintf(why, whylen, "a corrupt archive (bad zip directory)");
		return;
	}
	for (unsigned i = 0; i < entries; i++) {
		const unsigned char *h = zip + pos;
		char name[300], shown[300];
		unsigned namelen, mode;
		const char *bad;

		if (pos + 46 > eocd || sl_le32(h) != 0x02014b50) {
			snprintf(why, whylen, "a corrupt archive (bad zip entry)");
			return;
		}
		namelen = sl_le16(h + 28);
		if (pos + 46 + namelen > eocd) {
			snprintf(why, whylen, "a corrupt archive (bad zip entry)");
			return;
		}
		snprintf(name, sizeof(name), "%.*s", (int)namelen,
			 (const char *)h + 46);
		sl_show_name(shown, sizeof(shown), name);
		mode = sl_le32(h + 38) >> 16;
		bad = memchr(h + 46, '\0', namelen) ? "an odd file name" :
						      sl_bad_entry(name);
		if (bad) {
			snprintf(why, whylen, "refused: entry \"%s\" is %s", shown,
				 bad);
			return;
		}
		if (h[5] == 3 && S_ISLNK(mode)) {
			snprintf(why, whylen, "refused: entry \"%s\" is a symbolic "
					      "link; links are not accepted",
				 shown);
			return;
		}
		if (sl_le16(h + 8) & 1) {
			snprintf(why, whylen, "refused: entry \"%s\" is encrypted",
				 shown);
			return;
		}
		total += sl_le32(h + 24);
		files += name[namelen - 1] != '/';
		if (files > SL_UNPACK_MAX_FILES || total > SL_UNPACK_MAX_BYTES) {
			snprintf(why, whylen,
				 "refused: it would unpack to more than %d files "
				 "or %d MiB (a zip bomb?)",
				 SL_UNPACK_MAX_FILES, SL_UNPACK_MAX_BYTES >> 20);
			return;
		}
		pos += 46 + namelen + sl_le16(h + 30) + sl_le16(h + 32);
	}
}

/* What nftw found in an unpacked tree (the walk has no user pointer). */
static struct {
	size_t bytes;       /* in regular files */
	int files;          /* regular files */
	char odd[300];      /* first entry that is neither file nor folder */
} sl_walk;

static int sl_walk_entry(const char *path, const struct stat *st, int flag,
			 struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_F && S_ISREG(st->st_mode)) {
		sl_walk.files++;
		sl_walk.bytes += (size_t)st->st_size;
	} else if (flag != FTW_D && flag != FTW_DP && !sl_walk.odd[0]) {
		sl_show_name(sl_walk.odd, sizeof(sl_walk.odd), path);
	}
	return 0;
}

/* Checks an unpacked tree again, whatever the tool did. */
static void sl_check_tree(const char *root, char *why, size_t whylen)
{
	memset(&sl_walk, 0, sizeof(sl_walk));
	nftw(root, sl_walk_entry, 16, FTW_PHYS);
	if (sl_walk.odd[0])
		snprintf(why, whylen, "refused: it unpacked a link or special "
				      "file (%s)",
			 strrchr(sl_walk.odd, '/') + 1);
	else if (sl_walk.files > SL_UNPACK_MAX_FILES ||
		 sl_walk.bytes > SL_UNPACK_MAX_BYTES)
		snprintf(why, whylen, "refused: it unpacked to more than %d "
				      "files or %d MiB",
			 SL_UNPACK_MAX_FILES, SL_UNPACK_MAX_BYTES >> 20);
}

static int sl_read_file(const char *path, struct hx_buf *out, size_t cap)
{
	char chunk[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n;

	if (fd < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0 ||
	       (n < 0 && errno == EINTR))
		if (n > 0 && (out->len + (size_t)n > cap ||
			      hx_buf_add(out, chunk, (size_t)n) < 0)) {
			close(fd);
			errno = EFBIG;
			return -1;
		}
	close(fd);
	return n < 0 ? -1 : 0;
}

/* Unpacks archive (a .zip or .tar.gz) into root; why says what went wrong. */
void sl_unpack(const char *archive, int is_zip, const char *root, char *why,
	       size_t whylen)
{
	struct hx_buf data, log;
	int rc;

	hx_buf_init(&data);
	hx_buf_init(&log);
	if (mkdir(root, 0755) < 0) {
		snprintf(why, whylen, "mkdir: %s", strerror(errno));
		goto out_free;
	}
	if (is_zip) {
		char *argv[] = { "unzip", "-qq", "-o", (char *)archive, "-d",
				 (char *)root, NULL };

		if (sl_read_file(archive, &data, SL_UNPACK_MAX_BYTES) < 0) {
			snprintf(why, whylen, "refused: the archive is larger "
					      "than %d MiB or unreadable",
				 SL_UNPACK_MAX_BYTES >> 20);
			goto out_free;
		}
		sl_zip_inspect((const unsigned char *)data.data, data.len, why,
			       whylen);
		if (why[0])
			goto out_free;
		rc = sl_run_tool(argv, NULL, SL_UNPACK_MAX_BYTES, &log, 4096);
		if (rc == 127 || rc == -3)
			snprintf(why, whylen, "cannot unpack a .zip here: unzip "
					      "is not installed");
		else if (rc != 0)
			snprintf(why, whylen, "a corrupt archive (unzip: %.200s)",
				 log.data ? log.data : "failed");
	} else {
		char *argv[] = { "gzip", "-dc", (char *)archive, NULL };

		rc = sl_run_tool(argv, NULL, 0, &data,
				 SL_UNPACK_MAX_BYTES + (1 << 20));
		if (rc == -2)
			snprintf(why, whylen, "refused: it would unpack to more "
					      "than %d MiB (a zip bomb?)",
				 SL_UNPACK_MAX_BYTES >> 20);
		else if (rc == -1)
			snprintf(why, whylen, "refused: unpacking took too long");
		else if (rc == 127 || rc == -3)
			snprintf(why, whylen, "cannot unpack here: gzip is not "
					      "installed");
		else if (rc != 0)
			snprintf(why, whylen, "a corrupt archive (not gzip data)");
		else
			sl_untar(data.data, data.len, root, why, whylen);
	}
	if (!why[0])
		sl_check_tree(root, why, whylen);
out_free:
	hx_buf_free(&data);
	hx_buf_free(&log);
}

