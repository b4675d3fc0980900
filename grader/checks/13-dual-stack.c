/* 13-dual-stack.c - lab 13: IPv4, IPv6 and UNIX sockets.
 *
 * "server PORT PATH" greets each client with one line that names it,
 *	"Thank you for connecting, IPv4 127.0.0.1 port 40312\n"
 * ("IPv6 ::1 port N", "unix PATH", "unix @NAME", "unix (unnamed)"), on
 * one AF_INET6 socket with IPV6_V6ONLY off for TCP and on a UNIX stream
 * socket at PATH; "client HOST PORT" and "client -U PATH" print what a
 * server sends. format_peer, the function that names a peer, is graded
 * on its own through a driver linked with sockets.c
 * (support/peer_cases.c); the programs from the outside: server checks
 * play clients of every family from chosen source addresses (an extra
 * IPv6 address on loopback, a system default that makes sockets
 * IPv6-only, both in the sandbox's own network namespace), plant stale
 * socket files, files that are not sockets and live servers at PATH,
 * and look at the socket file's mode; client checks play the server, on
 * names whose first addresses refuse (fixture entries of /etc/hosts)
 * under a small descriptor limit.
 *
 * Machines without IPv6: a kernel with none skips every server check
 * (the server needs an AF_INET6 socket); without ::1 (IPv6 switched off,
 * as in many containers) the checks that need an IPv6 client or server
 * are skipped, and the others run over IPv4 and UNIX sockets. A skipped
 * check never passes. The rubric is the table at the end of this file.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../harness/hx_inet.h"
#include "../../harness/hx_unix.h"
#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS   1500	 /* a server starts listening on both sockets */
#define IO_MS	   1500	 /* a greeting arrives, a client connects or exits */
#define STOP_MS	   1000	 /* a server exits after SIGTERM or SIGINT */
#define EXIT_MS	   1500	 /* a program exits after bad arguments */
#define RESOLVE_MS 3000	 /* the client gives up on a name that cannot exist */
#define CASES_MS   10000 /* the format_peer driver runs one group */

#define SOCKET	     "lab13.sock" /* the PATH server checks give */
#define GREETING     "Thank you for connecting, "
#define OTHER_IPV4   "127.45.6.7" /* a loopback address, not 127.0.0.1 */
#define LONG_IPV6    "fd13:1313:1313:1313:1313:1313:1313:1313" /* 39 */
#define UNKNOWN_HOST "no-such-host.invalid" /* RFC 6761: never resolves */
#define REPLY_CAP    4096		    /* more than any greeting */
#define NAME_CAP     160    /* a peer's name, a greeting's text */
#define LONG_REPLY   100000 /* bytes of the client's long reply */

/* Relative paths at sun_path's limit (107 bytes) and past it. */
#define X10	 "xxxxxxxxxx"
#define X90	 X10 X10 X10 X10 X10 X10 X10 X10 X10
#define NAME_107 "long-" X90 "xxxxxxx.sock"
#define NAME_108 "long-" X90 "xxxxxxxx.sock"
#define NAME_200 NAME_108 X90 "xx"
_Static_assert(sizeof(NAME_107) == 108, "NAME_107 has 107 bytes");
_Static_assert(sizeof(NAME_108) == 109, "NAME_108 has 108 bytes");

#define FD_LEAK_FILES  16 /* RLIMIT_NOFILE of the fd-leak check */
#define FD_LEAK_VISITS 30 /* clients of the fd-leak check, six kinds */
#define MANY_FILES     10 /* RLIMIT_NOFILE of the client-many check */

/* The fixture names: their first addresses refuse, the last answers
 * (getaddrinfo sorts them; the checks ask it for the order). */
static const char fixture_hosts[] =
    "127.0.0.1\tlocalhost\n"
    "::1\t\tlocalhost ip6-localhost ip6-loopback\n"
    "::1\t\tlab13-far\n"
    "127.0.0.2\tlab13-far\n"
    "127.0.0.1\tlab13-far\n"
    "::1\t\tlab13-many\n"
    "127.0.0.1\tlab13-many\n"
    "127.0.0.2\tlab13-many\n"
    "127.0.0.3\tlab13-many\n"
    "127.0.0.4\tlab13-many\n"
    "127.0.0.5\tlab13-many\n"
    "127.0.0.6\tlab13-many\n"
    "127.0.0.7\tlab13-many\n"
    "127.0.0.8\tlab13-many\n"
    "127.0.0.9\tlab13-many\n"
    "127.0.0.10\tlab13-many\n"
    "127.0.0.11\tlab13-many\n"
    "127.0.0.12\tlab13-many\n";

/* Files only: no DNS server is asked, whatever the machine's setup. */
static const char fixture_nsswitch[] = "passwd: files\ngroup: files\n"
				       "hosts: files\nservices: files\n";

/* ---- the machine ------------------------------------------------------ */

/* Server checks need an AF_INET6 socket: skipped where the kernel has no
 * IPv6 at all. */
static int need_ipv6_stack(struct hx_check *c)
{
	char why[256];

	if (hx_ipv6_stack(why, sizeof(why)))
		return 0;
	return hx_skip(c,
		       "this machine has no IPv6 (%s): a dual-stack server "
		       "cannot run here",
		       why);
}

/* IPv6 clients and servers need ::1: skipped where IPv6 is off. */
static int need_ipv6_loopback(struct hx_check *c)
{
	char why[256];

	if (hx_ipv6_loopback(why, sizeof(why)))
		return 0;
	return hx_skip(c, "this machine has no IPv6 loopback address (%s)",
		       why);
}

/* name made absolute from the work folder, for the harness's own calls. */
static void work_path(const struct hx_check *c, const char *name, char *out,
		      size_t size)
{
	snprintf(out, size, "%s/%s", c->work_dir, name);
}

/* ---- the server --------------------------------------------------------- */

/* Starts "server PORT path" and waits until it listens on both sockets. */
static struct hx_proc *start_server(struct hx_check *c, const char *label,
				    const char *path)
{
	char port_arg[16];
	const char *args[] = {port_arg, path, NULL};
	struct hx_proc *server;

	if (need_ipv6_stack(c) < 0)
		return NULL;
	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	server = hx_start_labelled(c, label, "server", args);
	if (!server ||
	    hx_wait_ready(c, server, HX_TCP, hx_port(c, 0), READY_MS) < 0 ||
	    hx_unix_wait_ready(c, server, path, READY_MS) < 0)
		return NULL;
	return server;
}

/* After a failed step: says in the notes how the server ended, if it did,
 * and names running out of descriptors as the cause. */
static void note_server_end(struct hx_check *c, struct hx_proc *server)
{
	if (!server)
		return;
	hx_proc_pump(server, 0);
	if (server->err.data && strstr(server->err.data, "Too many open files"))
		hx_set_cause(c, HX_CAUSE_DESCRIPTORS,
			     "%s: ran out of descriptors (EMFILE): a "
			     "connection is not closed on some path",
			     server->label);
	if (!hx_proc_running(server))
		hx_note_end(c, server);
}

/* The end of every server check: a server writes nothing on stdout. */
static void finish(struct hx_check *c, struct hx_proc *server)
{
	if (server)
		hx_expect_no_stdout(c, server);
}

/* 1 if reply has a greeting's shape: its start, and one final "\n". */
static int looks_like_greeting(const struct hx_buf *reply)
{
	size_t start = strlen(GREETING);

	return reply->len > start &&
	       memcmp(reply->data, GREETING, start) == 0 &&
	       memchr(reply->data, '\n', reply->len) ==
		   reply->data + reply->len - 1;
}

/* Reads on conn until the server closes, and requires the greeting that
 * names name: byte for byte when exact, else only its shape (the exact
 * text is the business of the checks per family). */
static int expect_reply(struct hx_check *c, struct hx_conn *conn,
			const char *name, int exact, const char *who)
{
	char want[NAME_CAP + 64], what[NAME_CAP];

	snprintf(want, sizeof(want), GREETING "%s\n", name);
	if (hx_recv_all(c, conn, REPLY_CAP, IO_MS) < 0) {
		hx_note(c, "%s waited for its greeting and the server's close",
			who);
		return -1;
	}
	if (!exact && looks_like_greeting(&conn->in))
		return 0;
	snprintf(what, sizeof(what), "greeting to %s", who);
	if (hx_expect_bytes(c, what, want, strlen(want), conn->in.data,
			    conn->in.len) == 0)
		return 0;
	if (conn->in.data && strstr(conn->in.data, "::ffff:"))
		hx_note(c, "an IPv4 client of an AF_INET6 socket has an "
			   "IPv4-mapped address, ::ffff:a.b.c.d: name it as "
			   "IPv4 (IN6_IS_ADDR_V4MAPPED; its last 4 bytes)");
	return -1;
}

/* The name the server must give the harness socket fd: its own address
 * and port, from getsockname. */
static int name_of_socket(struct hx_check *c, int fd, char *out, size_t size)
{
	struct sockaddr_storage me;
	socklen_t len = sizeof(me);
	char text[INET6_ADDRSTRLEN];

	if (getsockname(fd, (struct sockaddr *)&me, &len) < 0)
		return hx_fail(c, HX_ERROR, "getsockname: %s", strerror(errno));
	if (me.ss_family == AF_INET) {
		struct sockaddr_in *v4 = (struct sockaddr_in *)&me;

		inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
		snprintf(out, size, "IPv4 %s port %u", text,
			 (unsigned)ntohs(v4->sin_port));
	} else {
		struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&me;

		inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
		snprintf(out, size, "IPv6 %s port %u", text,
			 (unsigned)ntohs(v6->sin6_port));
	}
	return 0;
}

/* A TCP client from source to dest, on the server's port: it must be
 * greeted by its own address and port. */
static int greet_tcp(struct hx_check *c, struct hx_proc *server,
		     const char *source, const char *dest, int exact,
		     const char *who)
{
	char name[NAME_CAP];
	struct hx_conn conn;
	int rc;

	if (hx_tcp_connect_from(c, &conn, source, dest, hx_port(c, 0), IO_MS) <
	    0) {
		if (!strchr(dest, ':'))
			hx_note(c, "an AF_INET6 socket takes IPv4 clients only "
				   "with IPV6_V6ONLY off");
		note_server_end(c, server);
		return -1;
	}
	rc = name_of_socket(c, conn.fd, name, sizeof(name));
	if (rc == 0)
		rc = expect_reply(c, &conn, name, exact, who);
	hx_close(c, &conn);
	if (rc < 0)
		note_server_end(c, server);
	return rc;
}

/* A UNIX client of the server's socket at path, bound to bound first
 * (NULL: unnamed; "@name": abstract): greeted by that name. */
static int greet_unix(struct hx_check *c, struct hx_proc *server,
		      const char *path, const char *bound, int exact,
		      const char *who)
{
	char name[NAME_CAP], file[1200];
	struct hx_conn conn;
	int rc;

	if (hx_unix_connect(c, &conn, path, bound, IO_MS) < 0) {
		note_server_end(c, server);
		return -1;
	}
	snprintf(name, sizeof(name), "unix %s", bound ? bound : "(unnamed)");
	rc = expect_reply(c, &conn, name, exact, who);
	hx_close(c, &conn);
	/* the client's own file, so the name can be used again */
	if (bound && bound[0] != '@') {
		work_path(c, bound, file, sizeof(file));
		unlink(file);
	}
	if (rc < 0)
		note_server_end(c, server);
	return rc;
}

/* The server was given a client that leaves at once, while it was
 * paused: it must still run, and must not have died of SIGPIPE. */
static int expect_survived(struct hx_check *c, struct hx_proc *server,
			   const char *what)
{
	struct hx_buf how;

	hx_proc_wait_idle(server, IO_MS);
	if (hx_proc_running(server))
		return 0;
	hx_buf_init(&how);
	hx_proc_describe_end(server, &how);
	hx_fail(c, WIFSIGNALED(server->wait_status) ? HX_CRASH : HX_FAIL,
		"%s ended (%s) after %s", server->label, how.data, what);
	if (WIFSIGNALED(server->wait_status) &&
	    WTERMSIG(server->wait_status) == SIGPIPE)
		hx_set_cause(c, HX_CAUSE_SIGPIPE, "%s: %s", server->label,
			     how.data);
	hx_buf_free(&how);
	return -1;
}

/* A UNIX client that connects while the server is paused and closes
 * before its greeting: the server's write meets a closed socket (EPIPE,
 * and SIGPIPE unless ignored). */
static int leave_early_unix(struct hx_check *c, struct hx_proc *server)
{
	struct hx_conn conn;
	int connected;

	kill(server->pid, SIGSTOP);
	hx_recordf(c, 0, "paused %s (SIGSTOP)", server->label);
	connected = hx_unix_connect(c, &conn, SOCKET, NULL, IO_MS) == 0;
	if (connected)
		hx_close(c, &conn);
	kill(server->pid, SIGCONT);
	hx_recordf(c, 0, "let %s go on (SIGCONT)", server->label);
	if (!connected)
		return -1;
	return expect_survived(c, server,
			       "a UNIX client that closed before its greeting");
}

/* The socket file at name must be gone (the server stopped). */
static int expect_socket_gone(struct hx_check *c, const char *name,
			      const char *when)
{
	char file[1200];
	struct stat st;

	work_path(c, name, file, sizeof(file));
	if (lstat(file, &st) < 0 && errno == ENOENT)
		return 0;
	return hx_fail(c, HX_FAIL,
		       "the server left its socket file %s behind %s: close "
		       "the socket and unlink(PATH) before it exits",
		       name, when);
}

/* ---- format_peer, through its driver ------------------------------------ */

/* Runs the driver on one group of cases and fails with the list of the
 * cases that failed. */
static void run_peer_group(struct hx_check *c, const char *group)
{
	static const struct hx_cases peer = {
	    .program = "peer-cases",
	    .subject = "format_peer",
	    .failed = "format_peer does not write what dual.h says",
	    .crashed = "look for a read or write past sun_path or past "
		       "out[size - 1]",
	    .code = "format_peer",
	};
	const char *args[] = {group, NULL};

	hx_run_cases(c, &peer, args, CASES_MS);
}

static void check_format_inet(struct hx_check *c)
{
	run_peer_group(c, "inet");
}

static void check_format_unix(struct hx_check *c)
{
	run_peer_group(c, "unix");
}

/* ---- every family --------------------------------------------------- */

static void check_ipv4(struct hx_check *c)
{
	struct hx_proc *server = start_server(c, "server", SOCKET);

	if (server &&
	    greet_tcp(c, server, "127.0.0.1", "127.0.0.1", 1, "client 1") == 0)
		greet_tcp(c, server, OTHER_IPV4, OTHER_IPV4, 1,
			  "client 2, from " OTHER_IPV4);
	finish(c, server);
}

static void check_ipv6(struct hx_check *c)
{
	struct hx_proc *server;

	if (need_ipv6_loopback(c) < 0)
		return;
	server = start_server(c, "server", SOCKET);
	if (server && greet_tcp(c, server, "::1", "::1", 1, "client 1") == 0)
		greet_tcp(c, server, "::1", "::1", 1, "client 2");
	finish(c, server);
}

static void check_ipv6_long(struct hx_check *c)
{
	struct hx_proc *server;

	if (need_ipv6_loopback(c) < 0 || hx_loopback_add(c, LONG_IPV6) < 0)
		return;
	server = start_server(c, "server", SOCKET);
	if (server && greet_tcp(c, server, LONG_IPV6, LONG_IPV6, 1,
				"a client from " LONG_IPV6) < 0)
		hx_note(c, "an IPv6 address takes up to 45 characters "
			   "(INET6_ADDRSTRLEN 46, with the '\\0'): "
			   "INET_ADDRSTRLEN (16) is IPv4's");
	finish(c, server);
}

static void check_one_socket(struct hx_check *c)
{
	struct hx_proc *server = start_server(c, "server", SOCKET);
	int ipv4 = 0, ipv6 = 0;

	if (!server)
		goto out;
	if (hx_proc_tcp_listeners(server, &ipv4, &ipv6) < 0) {
		note_server_end(c, server);
		hx_fail(c, HX_FAIL,
			"the server ended before its sockets could "
			"be counted");
		goto out;
	}
	hx_recordf(c, 0,
		   "the server listens on %d IPv4 and %d IPv6 TCP "
		   "socket(s)",
		   ipv4, ipv6);
	if (ipv4 != 0 || ipv6 != 1) {
		hx_fail(c, HX_FAIL,
			"the server listens on %d AF_INET and %d AF_INET6 TCP "
			"socket(s): exactly one AF_INET6 socket, with "
			"IPV6_V6ONLY off, takes IPv4 and IPv6 clients alike",
			ipv4, ipv6);
		goto out;
	}
	if (greet_tcp(c, server, "127.0.0.1", "127.0.0.1", 0,
		      "an IPv4 "
		      "client") == 0 &&
	    hx_ipv6_loopback(NULL, 0))
		greet_tcp(c, server, "::1", "::1", 0, "an IPv6 client");
out:
	finish(c, server);
}

static void check_v6only_off(struct hx_check *c)
{
	struct hx_proc *server;

	/* as on systems whose AF_INET6 sockets are IPv6-only by default */
	if (need_ipv6_stack(c) < 0 ||
	    hx_net_sysctl(c, "ipv6.bindv6only", "1") < 0)
		return;
	server = start_server(c, "server", SOCKET);
	if (server && greet_tcp(c, server, "127.0.0.1", "127.0.0.1", 0,
				"an IPv4 client") < 0)
		hx_note(c, "net.ipv6.bindv6only was 1 here, as on systems "
			   "whose IPv6 sockets are IPv6-only by default: "
			   "IPV6_V6ONLY must be set to 0, not left as it is");
	finish(c, server);
}

static void check_unix(struct hx_check *c)
{
	struct hx_proc *server = start_server(c, "server", SOCKET);

	if (server &&
	    greet_unix(c, server, SOCKET, NULL, 1, "an unnamed client") == 0 &&
	    greet_unix(c, server, SOCKET, "client-2.sock", 1,
		       "a client bound to client-2.sock") == 0 &&
	    greet_unix(c, server, SOCKET, "@lab13-client", 1,
		       "a client bound to the abstract name @lab13-client") ==
		0)
		greet_unix(c, server, SOCKET, NAME_107, 1,
			   "a client bound to a path of 107 bytes");
	finish(c, server);
}

static void check_unix_mode(struct hx_check *c)
{
	struct hx_proc *server;
	char file[1200];
	struct stat st;
	mode_t old;

	/* the server inherits a umask that lets everybody in */
	old = umask(0);
	server = start_server(c, "server (started with umask 000)", SOCKET);
	umask(old);
	if (!server)
		goto out;
	work_path(c, SOCKET, file, sizeof(file));
	if (lstat(file, &st) < 0) {
		hx_fail(c, HX_FAIL, "lstat %s: %s", SOCKET, strerror(errno));
		goto out;
	}
	hx_recordf(c, 0, "%s has mode %04o", SOCKET,
		   (unsigned)(st.st_mode & 07777));
	if (!S_ISSOCK(st.st_mode))
		hx_fail(c, HX_FAIL, "%s is not a socket file", SOCKET);
	else if ((st.st_mode & 07777) != 0600)
		hx_fail(c, HX_FAIL,
			"the socket file %s has mode %04o, expected 0600 "
			"(srw-------: only its owner may connect), whatever "
			"the umask the server was started with",
			SOCKET, (unsigned)(st.st_mode & 07777));
	else
		greet_unix(c, server, SOCKET, NULL, 0, "a client");
out:
	finish(c, server);
}

static void check_stale_socket(struct hx_check *c)
{
	struct hx_proc *server;

	/* an earlier run's file: bound, closed, never removed */
	if (need_ipv6_stack(c) < 0 || hx_unix_stale(c, SOCKET) < 0)
		return;
	server = start_server(c, "server", SOCKET);
	if (!server) {
		hx_note(c,
			"a stale socket file was at %s: nothing listened "
			"there (connect is refused), so the server must "
			"remove it before bind",
			SOCKET);
		return;
	}
	if (greet_unix(c, server, SOCKET, NULL, 0, "a client") < 0)
		goto out;
	finish(c, server);
	/* killed: nothing removes the file this time */
	hx_proc_kill(server);
	hx_recordf(c, 0, "killed the server with SIGKILL: %s stays", SOCKET);
	server = start_server(c, "server, after one killed by SIGKILL", SOCKET);
	if (!server) {
		hx_note(c,
			"the server before it was killed by SIGKILL, which "
			"left its socket file at %s",
			SOCKET);
		return;
	}
	greet_unix(c, server, SOCKET, NULL, 0, "a client");
out:
	finish(c, server);
}

/* Runs the server where something is at PATH already: it must exit with
 * status 2, name the path and leave what was there. */
static int expect_refused_path(struct hx_check *c, const char *what)
{
	char port_arg[16], label[128];
	const char *args[] = {port_arg, SOCKET, NULL};
	struct hx_proc *server;

	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	snprintf(label, sizeof(label), "server (with %s at %s)", what, SOCKET);
	server = hx_start_labelled(c, label, "server", args);
	if (!server || hx_proc_expect_exit(c, server, 2, EXIT_MS) < 0) {
		hx_note(c,
			"%s was at %s: never remove anything but a stale "
			"socket file",
			what, SOCKET);
		return -1;
	}
	finish(c, server);
	return hx_expect_contains(c, "the server's stderr", SOCKET,
				  server->err.data ? server->err.data : "");
}

static void check_path_safety(struct hx_check *c)
{
	static const char precious[] = "notes that took all night\n";
	struct hx_conn live, probe = {.fd = -1};
	char file[1200];
	struct hx_buf kept;
	FILE *f;

	if (need_ipv6_stack(c) < 0)
		return;
	/* a file that is not a socket */
	work_path(c, SOCKET, file, sizeof(file));
	f = fopen(file, "we");
	if (!f || fputs(precious, f) < 0 || fclose(f) != 0) {
		hx_fail(c, HX_ERROR, "cannot write %s", SOCKET);
		return;
	}
	hx_unix_give(c, SOCKET);
	hx_recordf(c, 0, "wrote a plain file at %s", SOCKET);
	if (expect_refused_path(c, "a plain file") < 0)
		return;
	hx_buf_init(&kept);
	f = fopen(file, "re");
	if (f) {
		char chunk[256];
		size_t n;

		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			hx_buf_add(&kept, chunk, n);
		fclose(f);
	}
	if (hx_expect_bytes(c, "the plain file at " SOCKET " afterwards",
			    precious, strlen(precious), kept.data,
			    kept.len) < 0) {
		hx_buf_free(&kept);
		return;
	}
	hx_buf_free(&kept);
	unlink(file);
	/* a socket another server still listens on */
	if (hx_unix_listen(c, &live, SOCKET) < 0)
		return;
	if (expect_refused_path(c, "a socket another server listens on") == 0 &&
	    hx_unix_connect(c, &probe, SOCKET, NULL, IO_MS) < 0)
		hx_note(c, "the other server's socket file must still lead to "
			   "it");
	hx_close(c, &probe);
	hx_close(c, &live);
}

static void check_both_listeners(struct hx_check *c)
{
	struct hx_proc *server = start_server(c, "server", SOCKET);
	struct hx_conn tcp = {.fd = -1}, local = {.fd = -1};
	char name[NAME_CAP];

	if (!server)
		return;
	/* the first client comes on the UNIX socket, none on TCP */
	if (greet_unix(c, server, SOCKET, NULL, 0, "a UNIX client, first") <
	    0) {
		hx_note(c, "no TCP client had come: a server blocked in accept "
			   "on its TCP socket never sees a UNIX client; poll "
			   "both");
		goto out;
	}
	if (greet_tcp(c, server, "127.0.0.1", "127.0.0.1", 0,
		      "a TCP client, next") < 0)
		goto out;
	for (int i = 0; i < 3; i++)
		if (greet_unix(c, server, SOCKET, NULL, 0,
			       "one of three UNIX clients in a row") < 0)
			goto out;
	for (int i = 0; i < 3; i++)
		if (greet_tcp(c, server, "127.0.0.1", "127.0.0.1", 0,
			      "one of three TCP clients in a row") < 0)
			goto out;
	/* one of each waiting at once */
	kill(server->pid, SIGSTOP);
	hx_recordf(c, 0, "paused the server (SIGSTOP)");
	if (hx_tcp_connect(c, &tcp, "127.0.0.1", hx_port(c, 0), IO_MS) == 0 &&
	    hx_unix_connect(c, &local, SOCKET, NULL, IO_MS) == 0 &&
	    name_of_socket(c, tcp.fd, name, sizeof(name)) == 0) {
		kill(server->pid, SIGCONT);
		hx_recordf(c, 0, "let the server go on (SIGCONT)");
		if (expect_reply(c, &tcp, name, 0, "a TCP client waiting") == 0)
			expect_reply(c, &local, "unix (unnamed)", 0,
				     "a UNIX client waiting with it");
	}
	kill(server->pid, SIGCONT);
	hx_close(c, &tcp);
	hx_close(c, &local);
	if (!hx_ok(c))
		note_server_end(c, server);
out:
	finish(c, server);
}

static void check_restart(struct hx_check *c)
{
	struct hx_proc *server = start_server(c, "server", SOCKET);

	/* the server closes first: each connection waits in TIME_WAIT */
	if (!server ||
	    greet_tcp(c, server, "127.0.0.1", "127.0.0.1", 0, "client 1") < 0 ||
	    greet_tcp(c, server, "127.0.0.1", "127.0.0.1", 0, "client 2") < 0)
		goto out;
	hx_proc_wait_idle(server, READY_MS);
	if (hx_proc_stop(c, server, STOP_MS) < 0)
		goto out;
	finish(c, server);
	server = start_server(c, "restarted server", SOCKET);
	if (!server) {
		hx_note(c,
			"port %d still had the first server's connections "
			"in TIME_WAIT when the second one started",
			hx_port(c, 0));
		return;
	}
	greet_tcp(c, server, "127.0.0.1", "127.0.0.1", 0, "client 3");
out:
	finish(c, server);
}

static void check_stop_signal(struct hx_check *c)
{
	static const int signals[] = {SIGTERM, SIGINT};

	for (int i = 0; i < SL_COUNT(signals); i++) {
		char label[64], when[64];
		struct hx_proc *server;

		snprintf(label, sizeof(label), "server (for %s)",
			 hx_signal_name(signals[i]));
		/* a UNIX client only: no TCP connection waits in TIME_WAIT
		 * on the port the next run takes (that is restart's test) */
		server = start_server(c, label, SOCKET);
		if (!server ||
		    greet_unix(c, server, SOCKET, NULL, 0, "a client") < 0 ||
		    hx_proc_signal_exit(c, server, signals[i], STOP_MS) < 0)
			return;
		finish(c, server);
		snprintf(when, sizeof(when), "after %s",
			 hx_signal_name(signals[i]));
		if (expect_socket_gone(c, SOCKET, when) < 0)
			return;
	}
}

static void check_leave_early(struct hx_check *c)
{
	struct hx_proc *server = start_server(c, "server", SOCKET);

	if (!server || hx_expect_sigpipe_ignored(c, server) < 0 ||
	    hx_probe_leave_early(c, server, hx_port(c, 0), NULL, 0, IO_MS) <
		0 ||
	    leave_early_unix(c, server) < 0)
		goto out;
	if (greet_tcp(c, server, "127.0.0.1", "127.0.0.1", 0,
		      "the next TCP client") == 0)
		greet_unix(c, server, SOCKET, NULL, 0, "the next UNIX client");
out:
	finish(c, server);
}

/* One visit of the fd-leak check's six kinds, by number. */
static int visit(struct hx_check *c, struct hx_proc *server, int i)
{
	char bound[32];

	switch (i % 6) {
	case 0:
		return greet_tcp(c, server, "127.0.0.1", "127.0.0.1", 0,
				 "an IPv4 client");
	case 1:
		return greet_unix(c, server, SOCKET, NULL, 0,
				  "an unnamed UNIX client");
	case 2: /* gone before its greeting: getpeername or write fails */
		return hx_probe_leave_early(c, server, hx_port(c, 0), NULL, 0,
					    IO_MS);
	case 3:
		return leave_early_unix(c, server);
	case 4:
		return greet_tcp(c, server, OTHER_IPV4, OTHER_IPV4, 0,
				 "an IPv4 client from " OTHER_IPV4);
	default:
		snprintf(bound, sizeof(bound), "visitor-%d.sock", i);
		return greet_unix(c, server, SOCKET, bound, 0,
				  "a UNIX client with a path");
	}
}

static void check_fd_leak(struct hx_check *c)
{
	struct hx_proc *server = start_server(c, "server", SOCKET);
	int before;

	if (!server)
		return;
	hx_proc_wait_idle(server, IO_MS);
	before = hx_proc_count_fds(server);
	hx_recordf(c, 0, "the server holds %d descriptors", before);
	for (int i = 0; i < FD_LEAK_VISITS; i++) {
		if (visit(c, server, i) < 0) {
			hx_note(c,
				"after %d clients (IPv4 and UNIX, greeted or "
				"gone before their greeting), under a limit "
				"of %d descriptors",
				i, FD_LEAK_FILES);
			note_server_end(c, server);
			goto out;
		}
	}
	hx_expect_fds_steady(c, server, before,
			     "30 clients (IPv4 and UNIX, greeted, reset or "
			     "gone before their greeting)",
			     IO_MS);
out:
	finish(c, server);
}

static void check_server_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"9000", NULL},
	    {"abc", SOCKET, NULL},
	    {"0", SOCKET, NULL},
	    {"65536", SOCKET, NULL},
	    {"+9000", SOCKET, NULL},
	    {"9000x", SOCKET, NULL},
	    {"9000", "", NULL},
	    {"9000", NAME_108, NULL},
	    {"9000", NAME_200, NULL},
	    {"9000", SOCKET, "extra", NULL},
	};
	static const char missing[] = "no-such-folder/" SOCKET;
	char port_arg[16];
	const char *in_missing[] = {port_arg, missing, NULL};
	const char *taken[] = {port_arg, SOCKET, NULL};
	struct hx_conn holder;
	struct hx_proc *p;

	if (hx_expect_usage(c, "server", cases, SL_COUNT(cases), EXIT_MS) < 0)
		return;
	/* the longest path is fine */
	p = start_server(c, "server PORT <a path of 107 bytes>", NAME_107);
	if (!p ||
	    greet_unix(c, p, NAME_107, NULL, 0,
		       "a client of a path of 107 bytes") < 0 ||
	    hx_proc_signal_exit(c, p, SIGTERM, STOP_MS) < 0) {
		hx_note(c, "a PATH of 107 bytes is the longest allowed");
		return;
	}
	finish(c, p);
	/* runtime errors name the path, or the call */
	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	p = hx_start_labelled(c, "server PORT no-such-folder/" SOCKET, "server",
			      in_missing);
	if (!p || hx_proc_expect_exit(c, p, 2, EXIT_MS) < 0 ||
	    hx_expect_contains(c,
			       "stderr of server PORT no-such-folder/" SOCKET,
			       missing, p->err.data ? p->err.data : "") < 0)
		return;
	if (hx_tcp_listen(c, &holder, "0.0.0.0", hx_port(c, 0)) < 0)
		return;
	p = hx_start_labelled(c, "server PORT " SOCKET " (the port in use)",
			      "server", taken);
	if (p && hx_proc_expect_exit(c, p, 2, EXIT_MS) == 0)
		hx_expect_contains(c, "stderr of server with its port in use",
				   "bind", p->err.data ? p->err.data : "");
	hx_close(c, &holder);
}

/* ---- the client ------------------------------------------------------ */

/* "client ARGS...", for feedback. */
static void command_line(const char *const *args, char *out, size_t size)
{
	size_t used = (size_t)snprintf(out, size, "client");

	for (int i = 0; args[i] && used < size; i++)
		used += (size_t)snprintf(
		    out + used, size - used,
		    strlen(args[i]) > 40 ? " %.20s..." : " %s", args[i]);
}

/* Plays the server for one run of the client: listener listens already
 * (at where, for feedback); starts "client args", accepts, sends reply
 * cut by plan, closes, and requires the client to print exactly reply
 * and exit 0. */
static int serve_client(struct hx_check *c, struct hx_conn *listener,
			const char *where, const char *const *args,
			const void *reply, size_t len,
			const struct hx_plan *plan)
{
	char label[128], what[200];
	struct hx_proc *client;
	struct hx_conn conn;
	int ready;

	command_line(args, label, sizeof(label));
	client = hx_start_labelled(c, label, "client", args);
	if (!client)
		return -1;
	snprintf(what, sizeof(what), "without connecting to %s", where);
	ready = hx_wait_readable(c, listener->fd, client, what, IO_MS);
	if (ready == 0)
		return hx_fail(c, HX_TIMEOUT,
			       "%s did not connect to %s within %.1f s", label,
			       where, IO_MS / 1000.0);
	if (ready < 0 || hx_tcp_accept(c, listener, &conn, IO_MS) < 0)
		return -1;
	if (hx_send(c, &conn, reply, len, plan) < 0) {
		hx_proc_wait(c, client, IO_MS);
		hx_note(c, "the client printed %zu of the %zu bytes sent",
			client->out.len, len);
	}
	hx_close(c, &conn);
	if (!hx_ok(c) || hx_proc_expect_exit(c, client, 0, IO_MS) < 0)
		return -1;
	snprintf(what, sizeof(what), "stdout of %s", label);
	return hx_expect_bytes(c, what, reply, len, client->out.data,
			       client->out.len);
}

/* Listens on TCP host (numeric), port 0 of the check, and serves one run
 * of "client connect_to PORT". */
static int serve_tcp_client(struct hx_check *c, const char *host,
			    const char *connect_to, const void *reply,
			    size_t len, const struct hx_plan *plan)
{
	char port_arg[16], where[96];
	const char *args[] = {connect_to, port_arg, NULL};
	struct hx_conn listener;
	int rc;

	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	snprintf(where, sizeof(where), "%s port %d", host, hx_port(c, 0));
	if (hx_tcp_listen(c, &listener, host, hx_port(c, 0)) < 0)
		return -1;
	rc = serve_client(c, &listener, where, args, reply, len, plan);
	hx_close(c, &listener);
	return rc;
}

/* Listens on the UNIX socket path and serves one run of "client -U
 * path". */
static int serve_unix_client(struct hx_check *c, const char *path,
			     const void *reply, size_t len)
{
	const char *args[] = {"-U", path, NULL};
	struct hx_conn listener;
	char file[1200];
	int rc;

	if (hx_unix_listen(c, &listener, path) < 0)
		return -1;
	rc = serve_client(c, &listener, path, args, reply, len, NULL);
	hx_close(c, &listener);
	work_path(c, path, file, sizeof(file));
	unlink(file);
	return rc;
}

static void check_client_ipv4(struct hx_check *c)
{
	static const char reply[] = GREETING "IPv4 127.0.0.1 port 40312\n";
	/* a pause between bytes, so no single recv can get them all */
	static const struct hx_plan byte_by_byte = {HX_BYTES, 0, 2};
	static const struct hx_plan random_pieces = {HX_RANDOM, 4096, 0};
	char *long_reply = malloc(LONG_REPLY);

	if (!long_reply) {
		hx_fail(c, HX_ERROR, "out of memory");
		return;
	}
	/* numbered lines with NUL bytes and bytes above 127 among them */
	for (size_t i = 0, line = 0; i < LONG_REPLY; line++) {
		char text[64];
		int n =
		    snprintf(text, sizeof(text), "%05zu a line\t\xff", line);

		for (int k = 0; k <= n && i < LONG_REPLY; k++)
			long_reply[i++] = k == n ? '\n' : text[k];
		if (i < LONG_REPLY)
			long_reply[i++] = '\0';
	}
	if (serve_tcp_client(c, "127.0.0.1", "127.0.0.1", reply, strlen(reply),
			     &byte_by_byte) == 0)
		serve_tcp_client(c, "127.0.0.1", "127.0.0.1", long_reply,
				 LONG_REPLY, &random_pieces);
	free(long_reply);
}

static void check_client_ipv6(struct hx_check *c)
{
	static const char reply[] = GREETING "IPv6 ::1 port 40312\n";

	if (need_ipv6_loopback(c) == 0)
		serve_tcp_client(c, "::1", "::1", reply, strlen(reply), NULL);
}

static void check_client_unix(struct hx_check *c)
{
	static const char reply[] = GREETING "unix (unnamed)\n";

	if (serve_unix_client(c, SOCKET, reply, strlen(reply)) == 0)
		serve_unix_client(c, NAME_107, reply, strlen(reply));
}

/* getaddrinfo's answer for a name, in its order, as the handout has the
 * client ask (AF_UNSPEC, SOCK_STREAM). */
struct resolved {
	char address[16][INET6_ADDRSTRLEN];	 /* numeric, in order */
	int n;					 /* addresses */
	char order[16 * (INET6_ADDRSTRLEN + 2)]; /* "::1, 127.0.0.1, ..." */
};

static int resolve(struct hx_check *c, const char *name, struct resolved *r)
{
	struct addrinfo hints, *list, *ai;
	size_t used = 0;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(name, NULL, &hints, &list);
	if (rc != 0)
		return hx_fail(c, HX_ERROR, "the harness cannot resolve %s: %s",
			       name, gai_strerror(rc));
	r->n = 0;
	r->order[0] = '\0';
	for (ai = list; ai && r->n < 16; ai = ai->ai_next) {
		const void *bytes =
		    ai->ai_family == AF_INET
			? (const void *)&((struct sockaddr_in *)ai->ai_addr)
			      ->sin_addr
			: (const void *)&((struct sockaddr_in6 *)ai->ai_addr)
			      ->sin6_addr;

		inet_ntop(ai->ai_family, bytes, r->address[r->n],
			  sizeof(r->address[r->n]));
		used += (size_t)snprintf(r->order + used,
					 sizeof(r->order) - used, "%s%s",
					 r->n ? ", " : "", r->address[r->n]);
		r->n++;
	}
	freeaddrinfo(list);
	return 0;
}

/* 1 if the harness can listen on address here (::1 may be missing). */
static int bindable(const char *address)
{
	struct sockaddr_storage addr;
	int family = strchr(address, ':') ? AF_INET6 : AF_INET;
	socklen_t len = family == AF_INET6 ? sizeof(struct sockaddr_in6)
					   : sizeof(struct sockaddr_in);
	int fd, ok;

	memset(&addr, 0, sizeof(addr));
	addr.ss_family = (sa_family_t)family;
	if (inet_pton(family, address,
		      family == AF_INET6
			  ? (void *)&((struct sockaddr_in6 *)&addr)->sin6_addr
			  : (void *)&((struct sockaddr_in *)&addr)->sin_addr) !=
	    1)
		return 0;
	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ok = fd >= 0 && bind(fd, (struct sockaddr *)&addr, len) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

/* Runs "client name PORT" where only the last address of name the
 * harness can listen on answers: every one before it is refused. 1 when
 * run, 0 when name has no refused address before it here (nothing to
 * test), -1 after a failure. */
static int fallback_case(struct hx_check *c, const char *name)
{
	char reply[NAME_CAP], connect_to[64];
	struct resolved r;
	int last = -1;

	if (resolve(c, name, &r) < 0)
		return -1;
	for (int i = r.n - 1; i >= 0 && last < 0; i--)
		if (bindable(r.address[i]))
			last = i;
	hx_recordf(c, 0, "getaddrinfo(\"%s\") gives %s", name, r.order);
	if (last <= 0)
		return 0;
	hx_recordf(c, 0, "the harness listens on %s only", r.address[last]);
	snprintf(reply, sizeof(reply), GREETING "%s %s port 40312\n",
		 strchr(r.address[last], ':') ? "IPv6" : "IPv4",
		 r.address[last]);
	snprintf(connect_to, sizeof(connect_to), "%s", name);
	if (serve_tcp_client(c, r.address[last], connect_to, reply,
			     strlen(reply), NULL) == 0)
		return 1;
	hx_note(c,
		"getaddrinfo gives %s for %s, in this order; only %s "
		"answers: try every address until one connects, with a new "
		"socket of that address's family each time",
		r.order, name, r.address[last]);
	return -1;
}

static int install_fixtures(struct hx_check *c)
{
	if (hx_fixture_file(c, "/etc/hosts", fixture_hosts) < 0 ||
	    hx_fixture_file(c, "/etc/nsswitch.conf", fixture_nsswitch) < 0)
		return -1;
	return 0;
}

static void check_client_fallback(struct hx_check *c)
{
	int ran = 0, rc;

	if (install_fixtures(c) < 0)
		return;
	rc = fallback_case(c, "localhost");
	if (rc < 0)
		return;
	ran += rc;
	rc = fallback_case(c, "lab13-far");
	if (rc < 0)
		return;
	if (ran + rc == 0)
		hx_skip(c, "here getaddrinfo gives first the one address the "
			   "harness can listen on, for localhost and for "
			   "lab13-far: no address before it to refuse");
}

static void check_client_many(struct hx_check *c)
{
	struct hx_proc *client;
	int rc;

	if (install_fixtures(c) < 0)
		return;
	rc = fallback_case(c, "lab13-many");
	if (rc == 0) {
		hx_skip(c, "getaddrinfo gives first the one address of "
			   "lab13-many the harness can listen on here");
		return;
	}
	/* the client is the last process started */
	client = c->nprocs ? c->procs[c->nprocs - 1] : NULL;
	if (rc < 0 && client && client->err.data &&
	    strstr(client->err.data, "Too many open files"))
		hx_set_cause(c, HX_CAUSE_DESCRIPTORS,
			     "client: ran out of descriptors (EMFILE): the "
			     "socket of each address that failed must be "
			     "closed");
}

/* Runs "client args", which must fail: exit status 2 within timeout_ms
 * and a message on stderr that holds every one of needles (NULL ended). */
static int expect_client_error(struct hx_check *c, const char *const *args,
			       const char *const *needles, int timeout_ms)
{
	char label[128], what[160];
	struct hx_proc *client;

	command_line(args, label, sizeof(label));
	client = hx_start_labelled(c, label, "client", args);
	if (!client || hx_proc_expect_exit(c, client, 2, timeout_ms) < 0)
		return -1;
	snprintf(what, sizeof(what), "stderr of %s", label);
	for (int i = 0; needles[i]; i++)
		if (hx_expect_contains(c, what, needles[i],
				       client->err.data ? client->err.data
							: "") < 0)
			return -1;
	return 0;
}

static void check_client_errors(struct hx_check *c)
{
	static const char *const refused[] = {"connect", "Connection refused",
					      NULL};
	static const char *const unknown[] = {UNKNOWN_HOST, NULL};
	static const char *const missing[] = {"missing.sock", NULL};
	static const char *const stale[] = {"stale.sock", "Connection refused",
					    NULL};
	static const char *const missing_args[] = {"-U", "missing.sock", NULL};
	static const char *const stale_args[] = {"-U", "stale.sock", NULL};
	char port0[16], port1[16];
	const char *refused_args[] = {"127.0.0.1", port1, NULL};
	const char *unknown_args[] = {UNKNOWN_HOST, port0, NULL};

	/* nothing listens on port 1 of this check */
	snprintf(port0, sizeof(port0), "%d", hx_port(c, 0));
	snprintf(port1, sizeof(port1), "%d", hx_port(c, 1));
	if (expect_client_error(c, refused_args, refused, EXIT_MS) < 0 ||
	    expect_client_error(c, unknown_args, unknown, RESOLVE_MS) < 0 ||
	    expect_client_error(c, missing_args, missing, EXIT_MS) < 0 ||
	    hx_unix_stale(c, "stale.sock") < 0)
		return;
	expect_client_error(c, stale_args, stale, EXIT_MS);
}

static void check_client_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"127.0.0.1", NULL},
	    {"127.0.0.1", "abc", NULL},
	    {"127.0.0.1", "0", NULL},
	    {"127.0.0.1", "65536", NULL},
	    {"127.0.0.1", " 80", NULL},
	    {"127.0.0.1", "80", "extra", NULL},
	    {"-U", NULL},
	    {"-U", "", NULL},
	    {"-U", NAME_108, NULL},
	    {"-U", NAME_200, NULL},
	    {"-U", SOCKET, "extra", NULL},
	};

	hx_expect_usage(c, "client", cases, SL_COUNT(cases), EXIT_MS);
}

/* The rubric: 100 points. */
static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "server, client and the format_peer tests build without "
		 "warnings",
	.points = 5,
	.timeout_ms = 60000,
	.programs = "server client peer-cases",
	.hint = "Read the compiler's messages from the first one down; fix "
		"every warning too (an unused variable, a missing return, a "
		"signed and unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "format-inet",
	.title = "format_peer: IPv4, IPv6, IPv4-mapped as IPv4, sizes to the "
		 "byte",
	.points = 4,
	.timeout_ms = 20000,
	.flags = SL_SANITIZE,
	.programs = "peer-cases",
	.hint = "AF_INET6 with IN6_IS_ADDR_V4MAPPED: inet_ntop(AF_INET, "
		"&sin6_addr.s6_addr[12]) and \"IPv4\"; never test the text. "
		"A char[INET6_ADDRSTRLEN] for inet_ntop(AF_INET6). ntohs the "
		"port. snprintf returning size or more: return -1.",
	.run = check_format_inet,
    },
    {
	.id = "format-unix",
	.title = "format_peer: paths, abstract and unnamed, never past "
		 "sun_path",
	.points = 4,
	.timeout_ms = 20000,
	.flags = SL_SANITIZE,
	.programs = "peer-cases",
	.hint = "n = len - offsetof(struct sockaddr_un, sun_path), at most "
		"sizeof(sun_path). n == 0: \"unix (unnamed)\"; sun_path[0] == "
		"'\\0': \"unix @\" and n - 1 bytes; else \"unix %.*s\" with "
		"strnlen(sun_path, n): sun_path may have no '\\0'.",
	.run = check_format_unix,
    },
    {
	.id = "ipv4",
	.title = "IPv4 clients are greeted by their address, as IPv4",
	.points = 7,
	.timeout_ms = 8000,
	.programs = "server",
	.hint = "One AF_INET6 socket bound to in6addr_any with IPV6_V6ONLY 0 "
		"accepts IPv4 clients as ::ffff:a.b.c.d; greet them with "
		"\"Thank you for connecting, IPv4 A.B.C.D port P\\n\" from "
		"getpeername on the connected socket into a sockaddr_storage.",
	.run = check_ipv4,
    },
    {
	.id = "ipv6",
	.title = "IPv6 clients are greeted by their address (::1)",
	.points = 6,
	.timeout_ms = 8000,
	.programs = "server",
	.hint = "Bind the AF_INET6 socket to in6addr_any (not ::1 and not "
		"INADDR_ANY on AF_INET); getpeername into a sockaddr_storage "
		"(a sockaddr_in is too small for IPv6); \"IPv6 ::1 port P\".",
	.run = check_ipv6,
    },
    {
	.id = "ipv6-long",
	.title = "a client from a 39-character IPv6 address is named in full",
	.points = 3,
	.timeout_ms = 8000,
	.flags = SL_NAMESPACE,
	.programs = "server",
	.hint = "inet_ntop(AF_INET6) needs INET6_ADDRSTRLEN (46) bytes, and "
		"the greeting's buffer room for the longest name "
		"(PEER_TEXT_MAX) and the text around it.",
	.run = check_ipv6_long,
    },
    {
	.id = "one-socket",
	.title = "IPv4 and IPv6 share one TCP socket: AF_INET6, IPV6_V6ONLY "
		 "off",
	.points = 4,
	.timeout_ms = 8000,
	.programs = "server",
	.hint = "listen_dual makes exactly one TCP socket: AF_INET6, "
		"SO_REUSEADDR, IPV6_V6ONLY set to 0, bound to in6addr_any. No "
		"second AF_INET socket: the AF_INET6 one takes IPv4 clients.",
	.run = check_one_socket,
    },
    {
	.id = "v6only-off",
	.title = "IPv4 is served where sockets are IPv6-only by default",
	.points = 4,
	.timeout_ms = 8000,
	.flags = SL_NAMESPACE,
	.programs = "server",
	.hint = "The default of IPV6_V6ONLY is the sysctl "
		"net.ipv6.bindv6only, on (1) on some systems: set the option "
		"to 0 yourself with setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, "
		"&off, sizeof(off)) before bind.",
	.run = check_v6only_off,
    },
    {
	.id = "unix",
	.title = "UNIX clients are greeted: unnamed, by path, abstract, 107 "
		 "bytes",
	.points = 7,
	.timeout_ms = 8000,
	.programs = "server",
	.hint = "Greet \"unix (unnamed)\", \"unix PATH\" or \"unix @NAME\" "
		"from getpeername's address and len into a sockaddr_storage "
		"(format_peer); the line buffer must hold \"Thank you for "
		"connecting, \", PEER_TEXT_MAX bytes and \"\\n\".",
	.run = check_unix,
    },
    {
	.id = "unix-mode",
	.title = "the socket file has mode 0600 whatever the umask",
	.points = 3,
	.timeout_ms = 8000,
	.programs = "server",
	.hint = "bind creates the file with 0777 minus the umask: old = "
		"umask(0177) before bind and umask(old) after gives 0600 "
		"(or chmod(path, 0600) after bind, before listen).",
	.run = check_unix_mode,
    },
    {
	.id = "stale-socket",
	.title = "a stale socket file from an earlier run is replaced",
	.points = 5,
	.timeout_ms = 8000,
	.programs = "server",
	.hint = "Before bind: lstat(path); a socket file there that refuses "
		"a connect (ECONNREFUSED: nobody listens, a run killed before "
		"its unlink left it) is stale: unlink it, then bind.",
	.run = check_stale_socket,
    },
    {
	.id = "path-safety",
	.title = "a plain file or a live server's socket at PATH is left "
		 "alone: status 2",
	.points = 4,
	.timeout_ms = 8000,
	.programs = "server",
	.hint = "Remove only a stale socket: a file that is not a socket "
		"(S_ISSOCK false) and a socket whose connect succeeds (a "
		"server listens there) are errors: \"server: PATH ...\" on "
		"stderr, status 2, nothing removed.",
	.run = check_path_safety,
    },
    {
	.id = "both-listeners",
	.title = "TCP and UNIX clients in any order: poll waits on both",
	.points = 4,
	.timeout_ms = 10000,
	.programs = "server",
	.hint = "Never block in accept on one socket while a client waits on "
		"the other: poll a struct pollfd[2] with POLLIN on both, then "
		"accept on each whose revents has POLLIN.",
	.run = check_both_listeners,
    },
    {
	.id = "restart",
	.title = "the server restarts at once on the same port",
	.points = 3,
	.timeout_ms = 8000,
	.programs = "server",
	.hint = "Set SO_REUSEADDR on the AF_INET6 socket before bind: "
		"without it, bind fails with \"Address already in use\" while "
		"the last run's connections are in TIME_WAIT.",
	.run = check_restart,
    },
    {
	.id = "stop-signal",
	.title = "SIGTERM or SIGINT: exit 0 promptly, socket file removed",
	.points = 4,
	.timeout_ms = 8000,
	.programs = "server",
	.hint = "sigaction with sa_flags 0 for SIGINT and SIGTERM: poll fails "
		"with EINTR and the loop sees the flag; then close both "
		"sockets, unlink(PATH) and return 0.",
	.run = check_stop_signal,
    },
    {
	.id = "leave-early",
	.title = "clients gone before their greeting do not stop the server",
	.points = 3,
	.timeout_ms = 8000,
	.programs = "server",
	.hint = "Ignore SIGPIPE (sigaction with SIG_IGN); when getpeername "
		"(ENOTCONN) or writen (EPIPE, ECONNRESET) fails, log it, close "
		"that connection and go on with the next client.",
	.run = check_leave_early,
    },
    {
	.id = "fd-leak",
	.title = "30 clients of every kind leave no descriptor open",
	.points = 3,
	.timeout_ms = 15000,
	.programs = "server",
	.hint = "Close the connected socket on every path: after the "
		"greeting, and when getpeername, format_peer or writen "
		"failed.",
	.run = check_fd_leak,
	.max_files = FD_LEAK_FILES,
    },
    {
	.id = "server-usage",
	.title = "bad arguments: usage and status 1; bad PATH or port in use: "
		 "2",
	.points = 3,
	.timeout_ms = 15000,
	.flags = SL_SANITIZE,
	.programs = "server",
	.hint = "Exactly two arguments: PORT (digits only, 1 to 65535) and "
		"PATH of 1 to SOCKET_PATH_MAX (107) bytes; else \"usage: "
		"server PORT PATH\", status 1. A failed bind: \"server: bind "
		"...\" naming PATH or the port, status 2.",
	.run = check_server_usage,
    },
    {
	.id = "client-ipv4",
	.title = "client prints a reply byte by byte, and 100 KB with NUL "
		 "bytes",
	.points = 4,
	.timeout_ms = 8000,
	.flags = SL_SANITIZE,
	.programs = "client",
	.hint = "recv in a loop until it returns 0, writing each piece to "
		"stdout with writen, exactly the n bytes received: no string "
		"functions (the reply may hold '\\0'), no buf[n] = '\\0'.",
	.run = check_client_ipv4,
    },
    {
	.id = "client-ipv6",
	.title = "client connects to an IPv6 literal (::1)",
	.points = 3,
	.timeout_ms = 6000,
	.programs = "client",
	.hint = "getaddrinfo with ai_family AF_UNSPEC, and each socket of the "
		"address's own family (ai_family), never AF_INET.",
	.run = check_client_ipv6,
    },
    {
	.id = "client-unix",
	.title = "client -U PATH connects to a UNIX socket, up to 107 bytes",
	.points = 3,
	.timeout_ms = 6000,
	.programs = "client",
	.hint = "connect_unix: a struct sockaddr_un with AF_UNIX and PATH "
		"copied with its '\\0' (strlen at most SOCKET_PATH_MAX), "
		"socket(AF_UNIX, SOCK_STREAM, 0), connect.",
	.run = check_client_unix,
    },
    {
	.id = "client-fallback",
	.title = "client tries every address: localhost and a name whose "
		 "first refuse",
	.points = 6,
	.timeout_ms = 8000,
	.flags = SL_FIXTURES,
	.programs = "client",
	.hint = "Loop over the whole getaddrinfo list: for each address a new "
		"socket(ai_family, ai_socktype, ai_protocol) and connect; on "
		"failure close it and go on; stop at the first that connects.",
	.run = check_client_fallback,
    },
    {
	.id = "client-many",
	.title = "client closes each failed socket: 12 refused addresses, 10 "
		 "descriptors",
	.points = 3,
	.timeout_ms = 8000,
	.flags = SL_FIXTURES,
	.programs = "client",
	.hint = "close(fd) after each connect that failed before you try the "
		"next address: otherwise every refused address keeps a "
		"descriptor and socket fails with EMFILE.",
	.run = check_client_many,
	.max_files = MANY_FILES,
    },
    {
	.id = "client-errors",
	.title = "refused, unknown host, missing or stale PATH: status 2",
	.points = 3,
	.timeout_ms = 10000,
	.programs = "client",
	.hint = "Print \"client: \" and the message connect_host or "
		"connect_unix wrote (the call, the host or PATH, and "
		"strerror(errno) or gai_strerror(rc)) on stderr; return 2.",
	.run = check_client_errors,
    },
    {
	.id = "client-usage",
	.title = "client rejects bad arguments: usage line, status 1",
	.points = 2,
	.timeout_ms = 15000,
	.flags = SL_SANITIZE,
	.programs = "client",
	.hint = "\"HOST PORT\" (PORT digits only, 1 to 65535) or \"-U PATH\" "
		"(PATH of 1 to 107 bytes), nothing else; otherwise print "
		"\"usage: client HOST PORT | client -U PATH\" and return 1.",
	.run = check_client_usage,
    },
};

static const struct sl_lab lab13 = {
    .number = "13",
    .name = "dual-stack",
    .title = "IPv6 and UNIX sockets: one server for every family, a client "
	     "that tries every address",
    .files = {"sockets.c", "server.c", "client.c"},
    .given = {"dual.h"},
    .programs =
	{
	    {.name = "server", .sources = {"server.c", "sockets.c"}},
	    {.name = "client", .sources = {"client.c", "sockets.c"}},
	    {.name = "peer-cases",
	     .sources = {"sockets.c"},
	     .support = {"peer_cases.c"}},
	},
    .max_files = 32,
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab13);
