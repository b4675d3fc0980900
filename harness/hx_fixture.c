/* hx_fixture.c - fixtures in a sandbox's own /etc, or in place. */
#define _GNU_SOURCE
#include "hx_fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx_file.h"
#include "hx_root.h"
#include "hx_time.h"

#define HX_FIXTURE_DIR	   "/tmp/socklab-fixtures" /* lock, journal, copies */
#define HX_FIXTURE_LOCK_MS 60000 /* a fixture check waits its turn */
#define HX_FIXTURE_MAX	   16	 /* fixtures of one check: journal lines */

/* The files fixtures may replace in place, and so the only ones a journal
 * may name: as root, the grader writes or removes whatever it names. */
static const char *const hx_fixture_paths[] = {
    "/etc/hosts",
    "/etc/services",
    "/etc/resolv.conf",
    "/etc/nsswitch.conf",
};

/* Held while this process has fixtures in place. */
static int hx_lock_fd = -1;
/* Fixtures this process installed in place (the journal's lines). */
static int hx_ninstalled;

/* flags: O_NOFOLLOW for the files of the fixtures' folder; a file of
 * /etc may be a link the machine made (resolv.conf often is). */
static int hx_write_file(const char *path, int flags, const char *content,
			 size_t len)
{
	int fd =
	    open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | flags, 0644);

	if (fd < 0)
		return -1;
	while (len > 0) {
		ssize_t n = write(fd, content, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -1;
		}
		content += n;
		len -= (size_t)n;
	}
	return close(fd);
}

static int hx_read_file(const char *path, int flags, struct hx_buf *into)
{
	char chunk[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | flags);

	if (fd < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		hx_buf_add(into, chunk, (size_t)n);
	close(fd);
	return n < 0 ? -1 : 0;
}

int hx_fixtures_in_place(void)
{
	const char *flag = getenv("SOCKLAB_CONTAINER");

	/* said, never guessed: it changes the machine's own /etc */
	return getuid() == 0 && flag && strcmp(flag, "1") == 0;
}

/* 1 when path is a file fixtures may replace in place. */
static int hx_fixture_path_known(const char *path)
{
	for (size_t i = 0;
	     i < sizeof(hx_fixture_paths) / sizeof(*hx_fixture_paths); i++)
		if (strcmp(path, hx_fixture_paths[i]) == 0)
			return 1;
	return 0;
}

/* One line of the journal: a file a fixture replaced. */
struct hx_journal_entry {
	char path[300]; /* the file, one of hx_fixture_paths */
	int existed;	/* 1: its original is in saved; 0: remove it */
	int saved;	/* number of its copy, N.saved: the line's */
};

/* The journal's lines, oldest first; a line that names another file than
 * a fixture's is ignored, said in c. How many. */
static int hx_read_journal(struct hx_check *c,
			   struct hx_journal_entry entries[HX_FIXTURE_MAX])
{
	char line[600];
	int n = 0, fd;
	FILE *journal;

	fd = open(HX_FIXTURE_DIR "/journal", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	journal = fd >= 0 ? fdopen(fd, "re") : NULL;
	if (!journal) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	for (int i = 0;
	     i < HX_FIXTURE_MAX && fgets(line, sizeof(line), journal); i++) {
		struct hx_journal_entry *e = &entries[n];

		if (sscanf(line, "%299[^\t]\t%d", e->path, &e->existed) != 2 ||
		    !hx_fixture_path_known(e->path) ||
		    (e->existed != 0 && e->existed != 1)) {
			if (c)
				hx_note(c,
					"fixtures: line %d of the journal "
					"names no fixture file: ignored",
					i + 1);
			continue;
		}
		e->saved = i;
		n++;
	}
	fclose(journal);
	return n;
}

/* Puts back the file of one journal line: its original copy, or no file
 * where there was none. 0 or -1. */
static int hx_restore_entry(const struct hx_journal_entry *e)
{
	char saved[64];
	struct hx_buf content;
	int rc;

	if (!e->existed)
		return unlink(e->path);
	snprintf(saved, sizeof(saved), HX_FIXTURE_DIR "/%d.saved", e->saved);
	hx_buf_init(&content);
	rc = hx_read_file(saved, O_NOFOLLOW, &content);
	if (rc == 0)
		rc = hx_write_file(e->path, 0, content.data ? content.data : "",
				   content.len);
	hx_buf_free(&content);
	return rc;
}

/* Puts back every file the journal lists, newest first, then empties
 * it: what a check installed, or what one killed at its deadline left. */
static void hx_replay_journal(struct hx_check *c)
{
	struct hx_journal_entry entries[HX_FIXTURE_MAX];
	int n = hx_read_journal(c, entries);

	for (int i = n - 1; i >= 0; i--)
		if (hx_restore_entry(&entries[i]) < 0 && c)
			hx_note(c, "fixtures: could not restore %s: %s",
				entries[i].path, strerror(errno));
	for (int i = 0; i < HX_FIXTURE_MAX; i++) {
		char saved[64];

		snprintf(saved, sizeof(saved), HX_FIXTURE_DIR "/%d.saved", i);
		unlink(saved);
	}
	unlink(HX_FIXTURE_DIR "/journal");
}

/* Waits for the fixtures' lock: one check at a time changes the
 * machine's /etc. A journal found then was left by a check that died. */
static int hx_take_lock(struct hx_check *c)
{
	int64_t deadline = hx_deadline(HX_FIXTURE_LOCK_MS);
	int attempt = 0;
	char err[512];

	if (hx_lock_fd >= 0)
		return 0;
	/* a folder a student's program made first, in a /tmp every user
	 * may write, holds a journal of its choosing: never read */
	if (hx_private_dir(HX_FIXTURE_DIR, err, sizeof(err)) < 0)
		return hx_fail(c, HX_ERROR, "fixtures: %s", err);
	hx_lock_fd = open(HX_FIXTURE_DIR "/lock",
			  O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (hx_lock_fd < 0)
		return hx_fail(c, HX_ERROR, "fixtures: open the lock: %s",
			       strerror(errno));
	while (flock(hx_lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (hx_remaining_ms(deadline) == 0) {
			close(hx_lock_fd);
			hx_lock_fd = -1;
			return hx_fail(c, HX_TIMEOUT,
				       "fixtures: another check "
				       "kept them for too long");
		}
		hx_backoff(&attempt, deadline);
	}
	hx_replay_journal(c);
	return 0;
}

static int hx_fixture_in_place(struct hx_check *c, const char *path,
			       const char *content)
{
	char saved[64], entry[400];
	struct hx_buf original;
	int existed, fd, rc = 0;

	if (!hx_fixture_path_known(path))
		return hx_fail(c, HX_ERROR,
			       "fixture %s: not a file fixtures may replace "
			       "in place",
			       path);
	if (hx_take_lock(c) < 0)
		return -1;
	if (hx_ninstalled == HX_FIXTURE_MAX)
		return hx_fail(c, HX_ERROR, "fixtures: more than %d in a check",
			       HX_FIXTURE_MAX);
	/* the original first, then the journal's line, then the fixture:
	 * whenever the check dies, the journal restores what it changed */
	snprintf(saved, sizeof(saved), HX_FIXTURE_DIR "/%d.saved",
		 hx_ninstalled);
	hx_buf_init(&original);
	existed = hx_read_file(path, 0, &original) == 0;
	if (existed &&
	    hx_write_file(saved, O_NOFOLLOW, original.data ? original.data : "",
			  original.len) < 0)
		rc = -1;
	hx_buf_free(&original);
	snprintf(entry, sizeof(entry), "%s\t%d\n", path, existed);
	fd = open(HX_FIXTURE_DIR "/journal",
		  O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (rc < 0 || fd < 0 || write(fd, entry, strlen(entry)) < 0 ||
	    fsync(fd) < 0)
		rc = -1;
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		return hx_fail(c, HX_ERROR, "fixture %s: keep the original: %s",
			       path, strerror(errno));
	hx_ninstalled++;
	if (hx_write_file(path, 0, content, strlen(content)) < 0)
		return hx_fail(c, HX_ERROR, "fixture %s: write: %s", path,
			       strerror(errno));
	return 0;
}

int hx_fixture_file(struct hx_check *c, const char *path, const char *content)
{
	int rc;

	if (!c->isolated && hx_fixtures_in_place())
		return hx_fixture_in_place(c, path, content);
	if (!c->isolated)
		return hx_skip(c,
			       "needs a private mount namespace for a "
			       "fixture %s, and this machine has none",
			       path);
	/* the sealed root is read-only to everyone but for this moment,
	 * before the check starts a program */
	if (hx_root_writable(1) < 0)
		return hx_fail(c, HX_ERROR, "fixture %s: make / writable: %s",
			       path, strerror(errno));
	rc = hx_write_file(path, 0, content, strlen(content));
	if (rc < 0)
		hx_fail(c, HX_ERROR, "fixture %s: write: %s", path,
			strerror(errno));
	if (hx_root_writable(0) < 0)
		return hx_fail(c, HX_ERROR, "fixture %s: make / read-only: %s",
			       path, strerror(errno));
	return rc;
}

int hx_fixture_hostname(struct hx_check *c, const char *name)
{
	char now[256] = "";

	if (!c->isolated) {
		if (gethostname(now, sizeof(now) - 1) == 0 &&
		    strcmp(now, name) == 0)
			return 0;
		return hx_skip(c, "needs a private UTS namespace to set the "
				  "hostname, and this machine has none");
	}
	if (sethostname(name, strlen(name)) < 0)
		return hx_fail(c, HX_ERROR, "sethostname %s: %s", name,
			       strerror(errno));
	return 0;
}

void hx_fixtures_restore(struct hx_check *c)
{
	if (hx_lock_fd < 0)
		return;
	hx_replay_journal(c);
	hx_ninstalled = 0;
	close(hx_lock_fd);
	hx_lock_fd = -1;
}

void hx_fixtures_recover(void)
{
	struct hx_check none;

	if (!hx_fixtures_in_place() ||
	    access(HX_FIXTURE_DIR "/journal", F_OK) < 0)
		return;
	hx_check_init(&none, "fixtures", 1);
	if (hx_take_lock(&none) == 0)
		hx_fixtures_restore(&none);
	hx_check_free_verdict(&none);
}
