/* hx_unix.h - UNIX stream sockets: the harness as their client and server,
 * and a server's readiness on a path.
 *
 * A path is the programs' kind of path: relative to the check's work
 * folder (their cwd) unless it starts with '/'. One that starts with '@'
 * names an abstract address instead (Linux: sun_path starts with '\0'
 * and no file exists), as ss and /proc/net/unix show it. A relative path
 * of up to 107 bytes works whatever the length of the work folder's own
 * path: the harness binds and connects from inside the folder.
 *
 * Connections are struct hx_conn, as in hx_net.h: hx_send, hx_recv_*,
 * hx_reset, hx_close work on them, and hx_tcp_accept accepts on a
 * listener made here. Every function returns 0, or -1 once the check has
 * failed (or was skipped), with the reason recorded.
 */
#ifndef HX_UNIX_H
#define HX_UNIX_H

#include "hx_check.h"
#include "hx_net.h"
#include "hx_proc.h"

/* The longest path sun_path holds with its '\0'. */
#define HX_UNIX_PATH_MAX 107

/* A listening UNIX stream socket on path; the file is given to the
 * student's user (hx_unix_give), as if one of their programs made it. */
int hx_unix_listen(struct hx_check *c, struct hx_conn *listener,
		   const char *path);

/* Connects to the UNIX stream socket at path, from a socket bound to
 * bound first (NULL: unnamed, as a client that never calls bind).
 * Retries a full backlog (EAGAIN) until timeout_ms. */
int hx_unix_connect(struct hx_check *c, struct hx_conn *conn, const char *path,
		    const char *bound, int timeout_ms);

/* Leaves a stale socket file at path, as a server killed by SIGKILL
 * does: a socket was bound there and closed, nobody listens, connect is
 * refused. The file belongs to the student's user. */
int hx_unix_stale(struct hx_check *c, const char *path);

/* Gives the file at path (not an abstract name) to the user the
 * student's programs run as, where that is another user than the
 * harness's: a socket file needs write permission to connect to. */
int hx_unix_give(struct hx_check *c, const char *path);

/* 1 when server holds a UNIX stream socket listening on path (as it
 * bound it, relative or made absolute), 0 when not. Fills elsewhere
 * (when not NULL) with the paths it listens on instead. */
int hx_unix_listening(struct hx_proc *server, const char *path,
		      const char *work_dir, struct hx_buf *elsewhere);

/* Waits until server listens on path, polling with backoff; fails at
 * once if it ends first, naming how, and at the deadline with the paths
 * it listens on instead, if any. */
int hx_unix_wait_ready(struct hx_check *c, struct hx_proc *server,
		       const char *path, int timeout_ms);

#endif
