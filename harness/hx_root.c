/* hx_root.c - build a sealed root over a fresh tmpfs and pivot into it.
 *
 * The steps are those of bubblewrap's setup: a tmpfs becomes the new
 * root, the parts of the host a program needs are bind-mounted into it
 * read-only, /etc is written fresh, then pivot_root drops the old root.
 * Every step is checked and named when it fails.
 */
#define _GNU_SOURCE
#include "hx_root.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The tmpfs that becomes the root is mounted here first. */
#define HX_NEW_ROOT "/tmp"

/* Links or folders of the host that hold programs and libraries. */
static const char *const hx_system_dirs[] = {"bin",   "sbin",  "lib",
					     "lib32", "lib64", "libx32"};

/* Devices a program may open. */
static const char *const hx_devices[] = {"null",   "zero",    "full",
					 "random", "urandom", "tty"};

/* Files of /etc, written fresh in every sandbox. */
static const struct {
	const char *name; /* file in /etc */
	const char *text; /* its content */
} hx_etc_files[] = {
    {"passwd", "root:x:0:0:harness:/:/usr/sbin/nologin\n"
	       "student:x:1000:1000:student:/work:/bin/sh\n"
	       "nobody:x:65534:65534:nobody:/nonexistent:"
	       "/usr/sbin/nologin\n"},
    {"group", "root:x:0:\nstudent:x:1000:\nnogroup:x:65534:\n"},
    {"hosts", "127.0.0.1\tlocalhost\n"
	      "::1\tlocalhost ip6-localhost ip6-loopback\n"
	      "127.0.1.1\tsandbox\n"},
    {"hostname", "sandbox\n"},
    {"nsswitch.conf", "passwd: files\ngroup: files\nshadow: files\n"
		      "hosts: files dns\nnetworks: files\n"
		      "protocols: files\nservices: files\n"},
    /* nothing answers on port 53 inside: a name that is not in hosts
     * fails at once instead of after a resolver's timeout */
    {"resolv.conf", "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n"},
    {"host.conf", "multi on\n"},
};

/* Files of the host's /etc copied as they are, when the host has them:
 * public tables C programs read, and the dynamic linker's cache. */
static const char *const hx_etc_copies[] = {"services", "protocols",
					    "ld.so.cache", "localtime"};

/* Fills err with "what: strerror(errno)"; returns -1. */
static int hx_step_failed(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int hx_step_failed(char *err, size_t errlen, const char *fmt, ...)
{
	int saved = errno;
	size_t used;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	used = strlen(err);
	snprintf(err + used, errlen - used, ": %s", strerror(saved));
	errno = saved;
	return -1;
}

int hx_root_open(struct hx_root_spec *spec, char *err, size_t errlen)
{
	for (int i = 0; i < spec->nmounts; i++) {
		struct hx_mount *m = &spec->mounts[i];

		m->fd = open(m->host, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (m->fd < 0)
			return hx_step_failed(err, errlen, "open %s", m->host);
	}
	return 0;
}

static int hx_write_file(const char *path, const void *data, size_t len,
			 mode_t mode)
{
	const char *p = data;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	if (fd < 0)
		return -1;
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return close(fd);
}

/* Copies a host file; a missing one is not an error. */
static int hx_copy_file(const char *from, const char *to)
{
	char chunk[16384];
	int in = open(from, O_RDONLY | O_CLOEXEC), out, rc = 0;
	ssize_t n;

	if (in < 0)
		return errno == ENOENT ? 0 : -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, chunk, sizeof(chunk))) > 0)
		if (write(out, chunk, (size_t)n) != n) {
			rc = -1;
			break;
		}
	if (n < 0)
		rc = -1;
	close(in);
	return close(out) < 0 ? -1 : rc;
}

/* The flags a remount must keep: a mount inherited from the host may
 * not lose nosuid, nodev, noexec or its atime setting. */
static unsigned long hx_kept_flags(const char *path)
{
	static const struct {
		unsigned long st;    /* statvfs flag */
		unsigned long mount; /* the mount flag it stands for */
	} map[] = {
	    {ST_NOSUID, MS_NOSUID},	    {ST_NODEV, MS_NODEV},
	    {ST_NOEXEC, MS_NOEXEC},	    {ST_NOATIME, MS_NOATIME},
	    {ST_NODIRATIME, MS_NODIRATIME}, {ST_RELATIME, MS_RELATIME},
	};
	unsigned long flags = 0;
	struct statvfs st;

	if (statvfs(path, &st) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (st.f_flag & map[i].st)
			flags |= map[i].mount;
	return flags;
}

/* Bind-mounts source on target (a folder or file that exists), read-only
 * unless writable. */
static int hx_bind(const char *source, const char *target, int writable,
		   char *err, size_t errlen)
{
	if (mount(source, target, NULL, MS_BIND | MS_REC, NULL) < 0)
		return hx_step_failed(err, errlen, "bind %s", target);
	if (writable)
		return 0;
	if (mount(NULL, target, NULL,
		  MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID |
		      hx_kept_flags(target),
		  NULL) < 0)
		return hx_step_failed(err, errlen, "make %s read-only", target);
	return 0;
}

/* A private tmpfs of size_mb with at most inodes files. */
static int hx_tmpfs(const char *target, const char *mode, int size_mb,
		    int inodes, char *err, size_t errlen)
{
	char options[128];

	snprintf(options, sizeof(options), "mode=%s,size=%dm,nr_inodes=%d",
		 mode, size_mb, inodes);
	if (mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, options) < 0)
		return hx_step_failed(err, errlen, "mount tmpfs on %s", target);
	return 0;
}

/* mkdir -p of an absolute path below the current folder. */
static int hx_make_path(const char *path)
{
	char partial[512];

	for (size_t i = 1; path[i - 1]; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		snprintf(partial, sizeof(partial), ".%.*s", (int)i, path);
		if (mkdir(partial, 0755) < 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

/* /usr, and /bin, /lib* as the host has them: links made again, folders
 * (a system without a merged /usr) bound read-only. */
static int hx_setup_system(char *err, size_t errlen)
{
	if (mkdir("usr", 0755) < 0)
		return hx_step_failed(err, errlen, "mkdir /usr");
	if (hx_bind("/usr", "usr", 0, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(hx_system_dirs) / sizeof(*hx_system_dirs);
	     i++) {
		const char *name = hx_system_dirs[i];
		char host[64], link[256];
		struct stat st;
		ssize_t n;

		snprintf(host, sizeof(host), "/%s", name);
		if (lstat(host, &st) < 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			n = readlink(host, link, sizeof(link) - 1);
			if (n < 0)
				return hx_step_failed(err, errlen,
						      "readlink %s", host);
			link[n] = '\0';
			if (symlink(link, name) < 0)
				return hx_step_failed(err, errlen, "symlink %s",
						      host);
		} else if (S_ISDIR(st.st_mode)) {
			if (mkdir(name, 0755) < 0)
				return hx_step_failed(err, errlen, "mkdir %s",
						      host);
			if (hx_bind(host, name, 0, err, errlen) < 0)
				return -1;
		}
	}
	return 0;
}

static int hx_setup_etc(char *err, size_t errlen)
{
	struct stat st;

	if (mkdir("etc", 0755) < 0)
		return hx_step_failed(err, errlen, "mkdir /etc");
	for (size_t i = 0; i < sizeof(hx_etc_files) / sizeof(*hx_etc_files);
	     i++) {
		char path[64];

		snprintf(path, sizeof(path), "etc/%s", hx_etc_files[i].name);
		if (hx_write_file(path, hx_etc_files[i].text,
				  strlen(hx_etc_files[i].text), 0644) < 0)
			return hx_step_failed(err, errlen, "write /%s", path);
	}
	for (size_t i = 0; i < sizeof(hx_etc_copies) / sizeof(*hx_etc_copies);
	     i++) {
		char from[64], to[64];

		snprintf(from, sizeof(from), "/etc/%s", hx_etc_copies[i]);
		snprintf(to, sizeof(to), "etc/%s", hx_etc_copies[i]);
		if (hx_copy_file(from, to) < 0)
			return hx_step_failed(err, errlen, "copy %s", from);
	}
	/* Debian's /usr/bin/cc and friends are links through here */
	if (stat("/etc/alternatives", &st) == 0 && S_ISDIR(st.st_mode)) {
		if (mkdir("etc/alternatives", 0755) < 0)
			return hx_step_failed(err, errlen,
					      "mkdir /etc/alternatives");
		if (hx_bind("/etc/alternatives", "etc/alternatives", 0, err,
			    errlen) < 0)
			return -1;
	}
	return 0;
}

static int hx_setup_dev(int tmp_mb, char *err, size_t errlen)
{
	static const struct {
		const char *name;   /* link in /dev */
		const char *target; /* where it points */
	} links[] = {
	    {"dev/fd", "/proc/self/fd"},
	    {"dev/stdin", "/proc/self/fd/0"},
	    {"dev/stdout", "/proc/self/fd/1"},
	    {"dev/stderr", "/proc/self/fd/2"},
	};

	if (mkdir("dev", 0755) < 0)
		return hx_step_failed(err, errlen, "mkdir /dev");
	for (size_t i = 0; i < sizeof(hx_devices) / sizeof(*hx_devices); i++) {
		char host[32], inside[32];
		int fd;

		snprintf(host, sizeof(host), "/dev/%s", hx_devices[i]);
		snprintf(inside, sizeof(inside), "dev/%s", hx_devices[i]);
		fd = open(inside, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
		if (fd < 0)
			return hx_step_failed(err, errlen, "create /%s",
					      inside);
		close(fd);
		if (mount(host, inside, NULL, MS_BIND, NULL) < 0)
			return hx_step_failed(err, errlen, "bind /%s", inside);
	}
	for (size_t i = 0; i < sizeof(links) / sizeof(*links); i++)
		if (symlink(links[i].target, links[i].name) < 0)
			return hx_step_failed(err, errlen, "symlink /%s",
					      links[i].name);
	if (mkdir("dev/shm", 01777) < 0)
		return hx_step_failed(err, errlen, "mkdir /dev/shm");
	return hx_tmpfs("dev/shm", "1777", tmp_mb, 4096, err, errlen);
}

/* The caller's folders, from the descriptors opened before the
 * namespaces: their host paths need not be reachable from here. */
static int hx_setup_mounts(const struct hx_root_spec *spec, char *err,
			   size_t errlen)
{
	for (int i = 0; i < spec->nmounts; i++) {
		const struct hx_mount *m = &spec->mounts[i];
		char source[64], target[512];

		snprintf(target, sizeof(target), ".%s", m->inside);
		if (hx_make_path(m->inside) < 0)
			return hx_step_failed(err, errlen, "mkdir %s",
					      m->inside);
		snprintf(source, sizeof(source), "/proc/self/fd/%d", m->fd);
		if (hx_bind(source, target, m->writable, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* A fresh /proc of this PID namespace. Where the sandbox has a user of
 * its own for programs, they cannot see the harness's processes. In a
 * container that refuses a fresh one, the machine's, as it is. */
static int hx_setup_proc(int hide, int machine, char *err, size_t errlen)
{
	unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;

	if (mkdir("proc", 0555) < 0)
		return hx_step_failed(err, errlen, "mkdir /proc");
	if (machine) {
		if (mount("/proc", "proc", NULL, MS_BIND | MS_REC, NULL) < 0)
			return hx_step_failed(err, errlen, "bind /proc");
		return 0;
	}
	if (hide &&
	    (mount("proc", "proc", "proc", flags, "hidepid=invisible") == 0 ||
	     mount("proc", "proc", "proc", flags, "hidepid=2") == 0))
		return 0;
	if (mount("proc", "proc", "proc", flags, NULL) < 0)
		return hx_step_failed(err, errlen, "mount /proc");
	return 0;
}

#ifdef HX_COVERAGE_DIR
/* A coverage build's counts are written by every sandbox process into
 * the build's object folder: it is shown at its own path. */
static int hx_setup_coverage(char *err, size_t errlen)
{
	char target[512];

	snprintf(target, sizeof(target), ".%s", HX_COVERAGE_DIR);
	if (hx_make_path(HX_COVERAGE_DIR) < 0)
		return hx_step_failed(err, errlen, "mkdir %s", HX_COVERAGE_DIR);
	return hx_bind(HX_COVERAGE_DIR, target, 1, err, errlen);
}
#endif

int hx_root_enter(const struct hx_root_spec *spec, char *err, size_t errlen)
{
	int tmp_mb = spec->tmp_mb > 0 ? spec->tmp_mb : HX_TMP_MB;
	int work_mb = spec->work_mb > 0 ? spec->work_mb : HX_WORK_MB;

	err[0] = '\0';
	umask(022);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return hx_step_failed(err, errlen, "make the mounts private");
	if (hx_tmpfs(HX_NEW_ROOT, "0755", 16, 4096, err, errlen) < 0)
		return -1;
	if (chdir(HX_NEW_ROOT) < 0)
		return hx_step_failed(err, errlen, "chdir to the new root");
	if (hx_setup_system(err, errlen) < 0 || hx_setup_etc(err, errlen) < 0 ||
	    hx_setup_dev(tmp_mb, err, errlen) < 0)
		return -1;
	if (mkdir("tmp", 01777) < 0)
		return hx_step_failed(err, errlen, "mkdir /tmp");
	if (hx_tmpfs("tmp", "1777", tmp_mb, 16384, err, errlen) < 0)
		return -1;
	if (mkdir("work", 0755) < 0)
		return hx_step_failed(err, errlen, "mkdir /work");
	if (hx_tmpfs("work", "0755", work_mb, 16384, err, errlen) < 0)
		return -1;
	if (chown("work", (uid_t)spec->student_uid, (gid_t)spec->student_uid) <
	    0)
		return hx_step_failed(err, errlen, "chown /work");
	if (hx_setup_mounts(spec, err, errlen) < 0)
		return -1;
#ifdef HX_COVERAGE_DIR
	if (hx_setup_coverage(err, errlen) < 0)
		return -1;
#endif
	if (hx_setup_proc(spec->student_uid != 0, spec->machine_proc, err,
			  errlen) < 0)
		return -1;
	/* the old root goes: stacked under the new one, then detached */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return hx_step_failed(err, errlen, "pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		return hx_step_failed(err, errlen, "detach the old root");
	if (chdir("/") < 0)
		return hx_step_failed(err, errlen, "chdir /");
	if (hx_root_writable(0) < 0)
		return hx_step_failed(err, errlen, "make / read-only");
	return 0;
}

int hx_root_writable(int writable)
{
	return mount(NULL, "/", NULL,
		     MS_REMOUNT | MS_NOSUID | MS_NODEV |
			 (writable ? 0 : MS_RDONLY),
		     NULL);
}

int hx_root_full(const char *path)
{
	struct statvfs st;

	return statvfs(path, &st) == 0 &&
	       (st.f_bavail == 0 || st.f_favail == 0);
}
