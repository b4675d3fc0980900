/* hx_unix.c - UNIX stream sockets as peers, and readiness on a path. */
#define _GNU_SOURCE
#include "hx_unix.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hx_inet.h"
#include "hx_sandbox.h"
#include "hx_time.h"

#define HX_UNIX_LISTENING  0x10000 /* __SO_ACCEPTCON in /proc/net/unix */
#define HX_UNIX_MAX_INODES 64	   /* sockets of one process looked at */

/* Fills addr for path ('@': abstract); its length, or -1 if too long. */
static socklen_t hx_unix_address(const char *path, struct sockaddr_un *addr)
{
	size_t len = strlen(path);

	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	if (len == 0 || len > HX_UNIX_PATH_MAX)
		return 0;
	memcpy(addr->sun_path, path, len);
	if (path[0] == '@') {
		addr->sun_path[0] = '\0'; /* the name is the bytes after it */
		return (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
				   len);
	}
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
}

/* A relative path is the programs' (their cwd is the work folder): for
 * bind and connect, which take at most 107 bytes, the harness goes
 * there for the call. Returns the folder to come back to, or -1 when
 * there is no need (an absolute path, an abstract name); -2 on error. */
static int hx_unix_enter(const struct hx_check *c, const char *path)
{
	int back;

	if (path[0] == '/' || path[0] == '@' || !c->work_dir)
		return -1;
	back = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (back < 0)
		return -2;
	if (chdir(c->work_dir) < 0) {
		close(back);
		return -2;
	}
	return back;
}

static void hx_unix_leave(int back)
{
	if (back < 0)
		return;
	if (fchdir(back) < 0) {
		/* the harness uses absolute paths everywhere else */
	}
	close(back);
}

/* bind (connect 0) or connect (connect 1) fd to path, from the work
 * folder where the path is relative; errno is the call's. */
static int hx_unix_call(const struct hx_check *c, int fd, const char *path,
			int connect_too)
{
	struct sockaddr_un addr;
	socklen_t len = hx_unix_address(path, &addr);
	int back, rc, saved;

	if (len == 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	back = hx_unix_enter(c, path);
	if (back == -2)
		return -1;
	rc = connect_too ? connect(fd, (struct sockaddr *)&addr, len)
			 : bind(fd, (struct sockaddr *)&addr, len);
	saved = errno;
	hx_unix_leave(back);
	errno = saved;
	return rc;
}

/* path as the harness opens it: made absolute from the work folder. */
static void hx_unix_full(const struct hx_check *c, const char *path, char *out,
			 size_t size)
{
	if (path[0] == '/' || !c->work_dir)
		snprintf(out, size, "%s", path);
	else
		snprintf(out, size, "%s/%s", c->work_dir, path);
}

/* A new non-blocking UNIX stream socket set up as conn; -1 on error. */
static int hx_unix_socket(struct hx_check *c, struct hx_conn *conn)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	memset(conn, 0, sizeof(*conn));
	conn->fd = fd;
	if (fd < 0)
		return hx_fail(c, HX_ERROR, "socket AF_UNIX: %s",
			       strerror(errno));
	conn->id = __atomic_fetch_add(&c->next_conn, 1, __ATOMIC_SEQ_CST);
	hx_buf_init(&conn->in);
	return 0;
}

int hx_unix_give(struct hx_check *c, const char *path)
{
	int uid = hx_sandbox_student_uid();
	char full[1024];

	if (uid <= 0 || path[0] == '@')
		return 0;
	hx_unix_full(c, path, full, sizeof(full));
	if (lchown(full, (uid_t)uid, (gid_t)uid) < 0)
		return hx_fail(c, HX_ERROR, "chown %s: %s", path,
			       strerror(errno));
	return 0;
}

int hx_unix_listen(struct hx_check *c, struct hx_conn *listener,
		   const char *path)
{
	if (hx_unix_socket(c, listener) < 0)
		return -1;
	if (hx_unix_call(c, listener->fd, path, 0) < 0 ||
	    listen(listener->fd, 64) < 0) {
		int err = errno;

		hx_close(c, listener);
		return hx_fail(c, HX_ERROR,
			       "harness could not listen on %s: %s", path,
			       strerror(err));
	}
	hx_recordf(c, listener->id, "listening on %s", path);
	return hx_unix_give(c, path);
}

int hx_unix_connect(struct hx_check *c, struct hx_conn *conn, const char *path,
		    const char *bound, int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);
	int attempt = 0;

	if (hx_unix_socket(c, conn) < 0)
		return -1;
	if (bound && hx_unix_call(c, conn->fd, bound, 0) < 0) {
		int err = errno;

		hx_close(c, conn);
		return hx_fail(c, HX_ERROR, "harness could not bind %s: %s",
			       bound, strerror(err));
	}
	/* a UNIX connect completes at once, or finds the backlog full */
	while (hx_unix_call(c, conn->fd, path, 1) < 0) {
		int err = errno;

		if ((err == EAGAIN || err == EINTR) &&
		    hx_remaining_ms(deadline) > 0) {
			hx_backoff(&attempt, deadline);
			continue;
		}
		hx_close(c, conn);
		if (err == EAGAIN)
			return hx_fail(c, HX_TIMEOUT,
				       "connecting to %s took more than %.1f "
				       "s: its backlog stayed full",
				       path, timeout_ms / 1000.0);
		return hx_fail(c, HX_FAIL, "connect to %s: %s", path,
			       strerror(err));
	}
	hx_recordf(c, conn->id, "connected to %s%s%s", path,
		   bound ? " from " : "", bound ? bound : "");
	return 0;
}

int hx_unix_stale(struct hx_check *c, const char *path)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return hx_fail(c, HX_ERROR, "socket AF_UNIX: %s",
			       strerror(errno));
	if (hx_unix_call(c, fd, path, 0) < 0) {
		int err = errno;

		close(fd);
		return hx_fail(c, HX_ERROR, "harness could not bind %s: %s",
			       path, strerror(err));
	}
	/* closed without unlink: the file stays, nothing listens */
	close(fd);
	hx_recordf(c, 0, "left a stale socket file at %s", path);
	return hx_unix_give(c, path);
}

int hx_unix_listening(struct hx_proc *server, const char *path,
		      const char *work_dir, struct hx_buf *elsewhere)
{
	unsigned long inodes[HX_UNIX_MAX_INODES];
	char line[1024], full[1024];
	int n = hx_proc_socket_inodes(server, inodes, HX_UNIX_MAX_INODES);
	int found = 0;
	FILE *table;

	if (n == 0)
		return 0;
	snprintf(full, sizeof(full), "%s/%s", work_dir ? work_dir : "", path);
	table = fopen("/proc/net/unix", "re");
	if (!table)
		return 0;
	/* Num RefCount Protocol Flags Type St Inode Path */
	while (!found && fgets(line, sizeof(line), table)) {
		unsigned long inode;
		unsigned flags, type;
		char bound[512] = "";
		int mine = 0;

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%*s %*x %*x %x %x %*x %lu %511[^\n]", &flags,
			   &type, &inode, bound) < 3 ||
		    type != SOCK_STREAM || !(flags & HX_UNIX_LISTENING))
			continue;
		for (int i = 0; i < n; i++)
			mine |= inodes[i] == inode;
		if (!mine)
			continue;
		if (strcmp(bound, path) == 0 ||
		    (path[0] != '/' && path[0] != '@' && work_dir &&
		     strcmp(bound, full) == 0))
			found = 1;
		else if (elsewhere)
			hx_buf_addf(elsewhere, "%s%s",
				    elsewhere->len ? ", " : "",
				    bound[0] ? bound : "(no path)");
	}
	fclose(table);
	return found;
}

int hx_unix_wait_ready(struct hx_check *c, struct hx_proc *server,
		       const char *path, int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);
	int attempt = 0;

	for (;;) {
		struct hx_buf elsewhere;

		if (hx_unix_listening(server, path, c->work_dir, NULL)) {
			hx_recordf(c, 0, "%s is ready on %s", server->label,
				   path);
			return 0;
		}
		if (!hx_proc_running(server)) {
			struct hx_buf how;

			hx_proc_pump(server, 0);
			hx_buf_init(&how);
			hx_proc_describe_end(server, &how);
			hx_fail(c,
				WIFSIGNALED(server->wait_status) ? HX_CRASH
								 : HX_FAIL,
				"%s ended (%s) before it began to listen on "
				"the UNIX socket %s",
				server->label, how.data, path);
			hx_buf_free(&how);
			return -1;
		}
		if (hx_remaining_ms(deadline) > 0) {
			hx_proc_pump(server, 0);
			hx_backoff(&attempt, deadline);
			continue;
		}
		hx_buf_init(&elsewhere);
		hx_unix_listening(server, path, c->work_dir, &elsewhere);
		if (elsewhere.len)
			hx_note(c, "%s listens on the UNIX socket %s instead",
				server->label, elsewhere.data);
		hx_buf_free(&elsewhere);
		return hx_fail(c, HX_TIMEOUT,
			       "%s did not listen on the UNIX socket %s within "
			       "%.1f s",
			       server->label, path, timeout_ms / 1000.0);
	}
}
