/* 02-tcp-hello-greetings.c - lab 02: greeting the server, and the server's
 * checks.
 *
 * Included by grader/checks/02-tcp-hello.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

/* 1 if reply has the shape of a greeting: its start, and one final \n. */
static int looks_like_greeting(const struct hx_buf *reply)
{
	size_t start = strlen(GREETING_START);

	return reply->len > start &&
	       memcmp(reply->data, GREETING_START, start) == 0 &&
	       memchr(reply->data, '\n', reply->len) ==
		   reply->data + reply->len - 1;
}

/* A server that ran out of descriptors says so on stderr (EMFILE): name
 * the cause, so the student reads about descriptors before the check's
 * own hint. */
static void note_emfile(struct hx_check *c, struct hx_proc *server)
{
	hx_proc_pump(server, 0);
	if (strstr(server->err.data ? server->err.data : "",
		   "Too many open files"))
		hx_set_cause(c, HX_CAUSE_DESCRIPTORS,
			     "%s: ran out of descriptors (EMFILE) with a limit "
			     "of %d",
			     server->label, server->max_files);
}

/* Connects to the server at host as client number n, reads until the
 * server closes, and checks the reply: byte for byte when exact, else only
 * its shape (the greeting's format is the greeting check's business). */
static int greet_at(struct hx_check *c, const char *host, int port, int n,
		    int exact)
{
	struct sockaddr_in me; /* our end: the address the server must name */
	socklen_t me_len = sizeof(me);
	char want[128], what[64], address[INET_ADDRSTRLEN];
	struct hx_conn conn;
	int rc = -1;

	if (hx_tcp_connect(c, &conn, host, port, IO_MS) < 0)
		return -1;
	if (getsockname(conn.fd, (struct sockaddr *)&me, &me_len) < 0) {
		hx_fail(c, HX_ERROR, "getsockname: %s", strerror(errno));
		goto out_close;
	}
	inet_ntop(AF_INET, &me.sin_addr, address, sizeof(address));
	snprintf(want, sizeof(want), GREETING_START ", %s port %u\n", address,
		 (unsigned)ntohs(me.sin_port));
	snprintf(what, sizeof(what), "reply to client %d (connected to %s)", n,
		 host);
	if (hx_recv_all(c, &conn, REPLY_CAP, IO_MS) < 0)
		goto out_close;
	rc = 0;
	if (exact || !looks_like_greeting(&conn.in))
		rc = hx_expect_bytes(c, what, want, strlen(want), conn.in.data,
				     conn.in.len);
out_close:
	hx_close(c, &conn);
	return rc;
}

/* The same at 127.0.0.1, the address every other check uses. */
static int expect_greeting(struct hx_check *c, int port, int n, int exact)
{
	return greet_at(c, "127.0.0.1", port, n, exact);
}

/* Greets clients first..last in a row; notes how the server ended and
 * names EMFILE when one is not served. */
static int greet_range(struct hx_check *c, struct hx_proc *server, int port,
		       int first, int last)
{
	for (int n = first; n <= last; n++) {
		if (expect_greeting(c, port, n, 0) < 0) {
			hx_note_end(c, server);
			note_emfile(c, server);
			return -1;
		}
	}
	return 0;
}
