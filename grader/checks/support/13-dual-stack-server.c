/* 13-dual-stack-server.c - lab 13: the machine, the server, and format_peer
 * through its driver.
 *
 * Included by grader/checks/13-dual-stack.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

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
