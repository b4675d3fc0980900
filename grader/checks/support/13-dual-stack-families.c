/* 13-dual-stack-families.c - lab 13: every family, IPv4 and IPv6, at once.
 *
 * Included by grader/checks/13-dual-stack.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

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

/* Once listening and idle, the server holds its listeners and no other
 * socket: one more is a socket it opened on the way and never closed
 * (the one that tried the stale file with connect). */
static int expect_only_listeners(struct hx_check *c, struct hx_proc *server)
{
	unsigned long inodes[SOCKETS_SEEN];
	int n, ipv4 = 0, ipv6 = 0, others;

	hx_proc_wait_idle(server, IO_MS);
	n = hx_proc_socket_inodes(server, inodes, SOCKETS_SEEN);
	/* a server that ended is judged by the next step */
	if (hx_proc_tcp_listeners(server, &ipv4, &ipv6) < 0)
		return 0;
	/* every socket but the TCP listeners and the UNIX one */
	others = n - ipv4 - ipv6 - 1;
	if (others <= 0)
		return 0;
	return hx_fail(c, HX_FAIL,
		       "%s holds %d sockets once it listens, %d of them not "
		       "listening: close the socket that tried the stale "
		       "file at %s, whatever connect answered",
		       server->label, n, others, SOCKET);
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
	if (expect_only_listeners(c, server) < 0 ||
	    greet_unix(c, server, SOCKET, NULL, 0, "a client") < 0)
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
	hx_read_shared(file, 2 * sizeof(precious), &kept);
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
