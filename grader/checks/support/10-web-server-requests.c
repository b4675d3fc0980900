/* 10-web-server-requests.c - lab 10: driving the server's reads, and the checks
 * of single requests.
 *
 * Included by grader/checks/10-web-server.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

/* ---- driving the server's reads ------------------------------------ */

/* The local port of a connected socket. */
static int local_port(int fd)
{
	struct sockaddr_in addr;
	socklen_t len = sizeof(addr);

	if (getsockname(fd, (struct sockaddr *)&addr, &len) < 0)
		return -1;
	return ntohs(addr.sin_port);
}

/* Bytes the server's end of a connection has received and its program
 * not yet read, from /proc/net/tcp (local port server_port, remote port
 * client_port); -1 when that socket is not there (closed). */
static long server_unread(int server_port, int client_port)
{
	char line[512];
	long unread = -1;
	FILE *f = fopen("/proc/net/tcp", "re");

	if (!f)
		return -1;
	while (unread < 0 && fgets(line, sizeof(line), f)) {
		unsigned local, remote, state;
		unsigned long tx, rx;

		/* "sl: ADDR:PORT ADDR:PORT st tx_queue:rx_queue ..." */
		if (sscanf(line, "%*d: %*x:%x %*x:%x %x %lx:%lx", &local,
			   &remote, &state, &tx, &rx) == 5 &&
		    (int)local == server_port && (int)remote == client_port)
			unread = (long)rx;
	}
	fclose(f);
	return unread;
}

/* Waits until the server has read every byte sent on conn so far: the
 * kernel acknowledged them all (on loopback: they are in the server's
 * receive queue) and the server's program took them out of it. Then
 * what is sent next meets a recv of its own. Never fails: a server that
 * does not read is judged by what it answers. */
static void wait_consumed(struct hx_check *c, struct hx_proc *server,
			  struct hx_conn *conn)
{
	int64_t deadline = hx_deadline(IO_MS);
	int client = local_port(conn->fd), attempt = 0;

	while (hx_remaining_ms(deadline) > 0 && hx_proc_running(server)) {
		int unacked = 0;

		if (ioctl(conn->fd, SIOCOUTQ, &unacked) == 0 && unacked == 0 &&
		    server_unread(hx_port(c, 0), client) <= 0)
			break;
		hx_backoff(&attempt, deadline);
	}
	hx_proc_wait_idle(server, IO_MS);
	hx_recordf(c, conn->id, "the server has read all that was sent");
}

/* Sends len bytes at once, as far as the server takes them: a server
 * that answers and closes before it has all of them makes the rest fail,
 * which is recorded, not judged (the answer is what counts). */
static void send_rest(struct hx_check *c, struct hx_conn *conn,
		      const char *data, size_t len)
{
	int64_t deadline = hx_deadline(IO_MS);

	while (len > 0 && hx_remaining_ms(deadline) > 0) {
		ssize_t n = send(conn->fd, data, len, MSG_NOSIGNAL);

		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd pfd = {.fd = conn->fd, .events = POLLOUT};

			poll(&pfd, 1, hx_remaining_ms(deadline));
			continue;
		}
		if (n < 0) {
			hx_recordf(c, conn->id,
				   "send: %s (the server stopped "
				   "reading)",
				   strerror(errno));
			return;
		}
		hx_record(c, conn->id, '>', data, (size_t)n);
		data += n;
		len -= (size_t)n;
	}
}

/* What an answer read after an early one looked like. */
enum early_answer {
	EARLY_STATUS, /* a status line came: it is in *status */
	EARLY_LOST,   /* reset before a whole status line: try again */
	EARLY_FAILED  /* no answer in time, or none at all: failed */
};

/* Reads the answer to a request the server may answer before reading
 * all of it. A server that closes with request bytes unread makes its
 * kernel reset the connection, and the reset may destroy the end of the
 * answer, or all of it, before it is read: the status line decides, and
 * an answer lost whole is asked for again. */
static enum early_answer read_early_answer(struct hx_check *c,
					   struct hx_conn *conn, int *status)
{
	struct hx_http_message resp;
	const char *in;
	int got;

	if (hx_recv_all(c, conn, RESPONSE_CAP, IO_MS) < 0)
		return EARLY_FAILED;
	in = conn->in.data ? conn->in.data : "";
	if (!conn->reset) {
		hx_http_message_init(&resp);
		got = hx_http_parse_response(c, in, conn->in.len, &resp) == 0;
		*status = resp.status;
		hx_http_message_free(&resp);
		return got ? EARLY_STATUS : EARLY_FAILED;
	}
	if (sscanf(in, "HTTP/1.%*1[01] %3d ", status) == 1 &&
	    strstr(in, "\r\n")) {
		hx_recordf(c, conn->id,
			   "reset after the status line: the "
			   "rest of the answer may be lost");
		return EARLY_STATUS;
	}
	return EARLY_LOST;
}

/* Sends request (len bytes): its first `first` bytes, then, once the
 * server has read them, the rest in one send; requires status want. A
 * server that receives into its whole buffer instead of its free part
 * then writes past the buffer, whatever the timing. */
static int expect_early_status(struct hx_check *c, struct hx_proc *server,
			       const char *what, const char *request,
			       size_t len, size_t first, int want)
{
	for (int attempt = 1; attempt <= EARLY_ATTEMPTS; attempt++) {
		struct hx_conn conn;
		enum early_answer got;
		int status = 0;

		if (hx_tcp_connect(c, &conn, "127.0.0.1", hx_port(c, 0),
				   IO_MS) < 0)
			break;
		if (first > 0 && first < len) {
			send_rest(c, &conn, request, first);
			wait_consumed(c, server, &conn);
		}
		send_rest(c, &conn, request + first, len - first);
		got = read_early_answer(c, &conn, &status);
		hx_close(c, &conn);
		if (got == EARLY_STATUS)
			return hx_expect_int(c, what, want, status) < 0 ? -1
									: 0;
		if (got == EARLY_FAILED)
			break;
	}
	if (hx_ok(c))
		hx_fail(c, HX_FAIL,
			"%s: the connection was reset before any answer, %d "
			"times",
			what, EARLY_ATTEMPTS);
	hx_note(c, "the request: %s (%zu bytes)", what, len);
	note_server_end(c, server);
	return -1;
}

/* A head of exactly len bytes: GET target, one filler field, the blank
 * line; eol ends every line. */
static void head_of_length(struct hx_buf *out, const char *target,
			   const char *eol, size_t len)
{
	size_t blank = 2 * strlen(eol); /* the filler's end, the blank line */

	hx_buf_clear(out);
	hx_buf_addf(out, "GET %s HTTP/1.0%sX-Filler: ", target, eol);
	while (out->len + blank < len)
		hx_buf_add(out, "f", 1);
	hx_buf_addf(out, "%s%s", eol, eol);
}

/* ---- the checks ----------------------------------------------------- */

static void check_text(struct hx_check *c)
{
	struct site *s = NULL;
	struct hx_proc *server = set_up(c, &s);
	const struct {
		const char *target; /* asked with GET */
		const void *body;   /* the file expected */
		size_t len;	    /* its bytes */
	} cases[] = {
	    {.target = "/index.html", .body = INDEX_HTML},
	    {.target = "/notes.txt?lang=en",
	     .body = s ? s->notes : "",
	     .len = s ? s->notes_len : 0},
	    {.target = "/", .body = INDEX_HTML},
	    {.target = "/?page=2", .body = INDEX_HTML},
	    {.target = "/sub/", .body = SUB_HTML},
	    /* %-escapes of ordinary bytes, in both cases */
	    {.target = "/not%65s.txt",
	     .body = s ? s->notes : "",
	     .len = s ? s->notes_len : 0},
	    {.target = "/sub%2Findex%2ehtml", .body = SUB_HTML},
	    {.target = "/%5aebra.txt", .body = ZEBRA_TEXT},
	    {.target = "/%5Aebra.txt", .body = ZEBRA_TEXT},
	    /* the query is cut before decoding: %3F is a '?' of the name */
	    {.target = "/a%3Fb.txt", .body = QUESTION_TEXT},
	    /* '+' is a byte like the others, not a space */
	    {.target = "/a+b.txt", .body = PLUS_TEXT},
	};

	for (int i = 0; server && i < SL_COUNT(cases); i++) {
		struct hx_http_message resp;
		size_t len =
		    cases[i].len ? cases[i].len : strlen(cases[i].body);
		int rc = fetch_file(c, server, cases[i].target, cases[i].body,
				    len, &resp);

		if (rc == 0)
			rc = expect_status_line(c, &resp);
		hx_http_message_free(&resp);
		if (rc < 0)
			goto out_free;
	}
	if (server) {
		/* stdio keeps what a server prints on a pipe until it exits */
		stop_quietly(c, server);
		hx_expect_no_stdout(c, server);
	}
out_free:
	free(s);
}

static void check_binary(struct hx_check *c)
{
	struct site *s = NULL;
	struct hx_proc *server = set_up(c, &s);

	if (server &&
	    expect_file(c, server, "/img/logo.png", s->logo, LOGO_BYTES) == 0)
		expect_file(c, server, "/photo.jpg", s->photo,
			    sizeof(s->photo));
	free(s);
}

static void check_types(struct hx_check *c)
{
	struct hx_proc *server = set_up(c, NULL);

	for (int i = 0; server && i < SL_COUNT(typed_files); i++) {
		struct hx_http_message resp;
		char request[512], target[128], what[160], type[256];
		const char *got;

		snprintf(target, sizeof(target), "/types/%s",
			 typed_files[i].name);
		request_for(request, sizeof(request), target);
		if (ask(c, server, request, NULL, 200, 0, &resp) < 0)
			return;
		got = hx_http_header(&resp, "Content-Type");
		/* Parameters (";charset=...") are the server's business. */
		snprintf(type, sizeof(type), "%.*s",
			 got ? (int)strcspn(got, "; ") : 0, got ? got : "");
		snprintf(what, sizeof(what), "Content-Type of %s", target);
		if (!got)
			hx_fail(c, HX_FAIL,
				"the answer for %s has no "
				"Content-Type header",
				target);
		else
			hx_expect_str(c, what, typed_files[i].type, type);
		hx_http_message_free(&resp);
		if (!hx_ok(c))
			return;
	}
}

static void check_not_found(struct hx_check *c)
{
	static const char *const missing[] = {
	    "/nope.html",
	    "/img/nope.png",
	    "/sub/nothing/",
	    "/img", /* folders without their "/" */
	    "/sub",
	    "/index.html/", /* ENOTDIR */
	    "/notes.txt/more",
	    "/no%0Afile.txt", /* an escaped byte 0x0a is no %00 */
	};
	static const char *const unreadable[] = {"/private.txt"};
	struct hx_proc *server = set_up(c, NULL);

	if (!server ||
	    expect_statuses(c, server, missing, SL_COUNT(missing), 404) < 0)
		return;
	if (runs_as_root(server)) {
		hx_recordf(c, 0,
			   "the server runs as root: it may read a "
			   "file without permissions, not tried");
		return;
	}
	expect_statuses(c, server, unreadable, SL_COUNT(unreadable), 403);
}

/* A request exactly as sent and the status it must get. */
struct raw_case {
	const char *request; /* bytes sent, empty line included */
	int status;	     /* the status expected */
};

/* The request format makes of a field (a method, a path) of LONG_FIELD
 * bytes of letter: more than struct request holds, well inside a head. */
static void long_field_request(struct hx_buf *out, const char *format,
			       char letter)
{
	char field[LONG_FIELD + 1];

	memset(field, letter, LONG_FIELD);
	field[LONG_FIELD] = '\0';
	hx_buf_clear(out);
	hx_buf_addf(out, format, field);
}

static void check_malformed(struct hx_check *c)
{
	static const struct raw_case cases[] = {
	    {.request = "GARBAGE\r\n\r\n", .status = 400},
	    {.request = "GARBAGE\n\n", .status = 400},
	    {.request = "\r\n\r\n", .status = 400},
	    {.request = "GET /index.html\r\n\r\n", .status = 400},
	    {.request = "GET /index.html HTTP/1.0 extra\r\n\r\n",
	     .status = 400},
	    /* the request line ends at its line end, spaces after it or not */
	    {.request = "GET /index.html\r\nHost: a b\r\n\r\n", .status = 400},
	    {.request = "GET  /index.html HTTP/1.0\r\n\r\n", .status = 400},
	    {.request = "GET /index.html  HTTP/1.0\r\n\r\n", .status = 400},
	    {.request = "GET /index.html HTTP/1.0 \r\n\r\n", .status = 400},
	    {.request = "GET\t/index.html HTTP/1.0\r\n\r\n", .status = 400},
	    {.request = "GET index.html HTTP/1.0\r\n\r\n", .status = 400},
	    {.request = "GET /index.html FTP/1.0\r\n\r\n", .status = 400},
	    {.request = "GET /index.html http/1.0\r\n\r\n", .status = 400},
	    {.request = "GET /index.html HTTP/2.0\r\n\r\n", .status = 400},
	    {.request = "GET /index%zz.html HTTP/1.0\r\n\r\n", .status = 400},
	    {.request = "GET /index%4g.html HTTP/1.0\r\n\r\n", .status = 400},
	    {.request = "GET /index.html% HTTP/1.0\r\n\r\n", .status = 400},
	    {.request = "GET /index.html%2 HTTP/1.0\r\n\r\n", .status = 400},
	    {.request = "GET /index.html%00.txt HTTP/1.0\r\n\r\n",
	     .status = 400},
	    /* malformed first, whatever the method */
	    {.request = "POST index.html HTTP/1.0\r\n\r\n", .status = 400},
	    {.request = "POST /index.html HTTP/1.0\r\nContent-Length: "
			"0\r\n\r\n",
	     .status = 501},
	    {.request = "HEAD /index.html HTTP/1.0\r\n\r\n", .status = 501},
	    {.request = "DELETE /index.html HTTP/1.1\r\nHost: x\r\n\r\n",
	     .status = 501},
	    /* methods are case-sensitive */
	    {.request = "get /index.html HTTP/1.0\r\n\r\n", .status = 501},
	    {.request = "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n",
	     .status = 200},
	};
	struct hx_proc *server = set_up(c, NULL);
	struct hx_buf request;

	for (int i = 0; server && i < SL_COUNT(cases); i++)
		if (expect_answer(c, server, cases[i].request, NULL,
				  cases[i].status, 0) < 0)
			return;
	if (!server)
		return;
	/* A method longer than method[] holds: refused as too long (400)
	 * or as not GET (501), never copied past the field. */
	hx_buf_init(&request);
	long_field_request(&request, "%s /index.html HTTP/1.0\r\n\r\n", 'M');
	if (expect_answer(c, server, request.data, NULL, 400, 501) == 0)
		expect_file(c, server, "/index.html", INDEX_HTML,
			    strlen(INDEX_HTML));
	else
		hx_note(c,
			"the method had %d bytes; method[] in struct "
			"request holds 15 and its '\\0'",
			LONG_FIELD);
	hx_buf_free(&request);
}

static void check_pieces(struct hx_check *c)
{
	/* A pause between bytes, so no single recv can get the head. */
	static const struct hx_plan byte_by_byte = {
	    .split = HX_BYTES, .max_piece = 0, .delay_ms = 1};
	static const struct hx_plan random_pieces = {
	    .split = HX_RANDOM, .max_piece = 5, .delay_ms = 1};
	struct site *s = NULL;
	struct hx_proc *server = set_up(c, &s);
	const struct {
		const char *request;	    /* sent as it is */
		const struct hx_plan *plan; /* how, after its first byte */
		const void *body;	    /* the file expected */
		size_t len;		    /* its bytes */
	} cases[] = {
	    {.request = "GET /index.html HTTP/1.0\r\nHost: 127.0.0.1\r\n"
			"User-Agent: lab10-check\r\n\r\n",
	     .plan = &byte_by_byte,
	     .body = INDEX_HTML,
	     .len = strlen(INDEX_HTML)},
	    {.request = "GET /notes.txt HTTP/1.0\nHost: 127.0.0.1\n\n",
	     .plan = NULL,
	     .body = s ? s->notes : "",
	     .len = s ? s->notes_len : 0},
	    {.request = "GET /sub/ HTTP/1.1\nHost: 127.0.0.1\n\n",
	     .plan = &byte_by_byte,
	     .body = SUB_HTML,
	     .len = strlen(SUB_HTML)},
	    /* CR LF, then LF alone: "\n\r\n" ends the head too */
	    {.request = "GET /index.html HTTP/1.0\r\nAccept: */*\n\r\n",
	     .plan = &random_pieces,
	     .body = INDEX_HTML,
	     .len = strlen(INDEX_HTML)},
	    {.request = "GET /sub/ HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: "
			"*/*\r\nAccept-Language: en\r\n\r\n",
	     .plan = &random_pieces,
	     .body = SUB_HTML,
	     .len = strlen(SUB_HTML)},
	};

	for (int i = 0; server && i < SL_COUNT(cases); i++) {
		struct hx_http_message resp;
		struct hx_conn conn;
		int rc = -1;

		/* The first byte alone, read by the server before the
		 * rest comes: a server that reads once answers now. */
		hx_http_message_init(&resp);
		if (hx_tcp_connect(c, &conn, "127.0.0.1", hx_port(c, 0),
				   IO_MS) < 0)
			break;
		if (hx_send(c, &conn, cases[i].request, 1, NULL) == 0) {
			wait_consumed(c, server, &conn);
			rc = hx_http_exchange(c, &conn, cases[i].request + 1,
					      strlen(cases[i].request) - 1,
					      cases[i].plan, &resp,
					      RESPONSE_CAP, IO_MS);
		}
		if (rc == 0)
			rc = expect_status(c, cases[i].request, &resp, 200, 0);
		if (rc == 0)
			rc = hx_expect_bytes(c, "body of the answer",
					     cases[i].body, cases[i].len,
					     resp.body.data, resp.body.len);
		if (rc < 0) {
			char line[200];

			first_line(line, sizeof(line), cases[i].request);
			hx_note(c, "the request \"%s\" came in pieces", line);
			note_server_end(c, server);
		}
		hx_http_message_free(&resp);
		hx_close(c, &conn);
		if (rc < 0)
			break;
	}
	free(s);
}

static void check_overlong(struct hx_check *c)
{
	struct hx_proc *server = set_up(c, NULL);
	struct hx_buf request;

	if (!server)
		return;
	hx_buf_init(&request);
	/* A request line of 10000 bytes: its first 1000 read alone, then
	 * the rest meets a recv that has 7192 bytes of room. */
	hx_buf_add(&request, "GET /", 5);
	while (request.len < 10005)
		hx_buf_add(&request, "a", 1);
	hx_buf_addf(&request, " HTTP/1.0\r\n\r\n");
	if (expect_early_status(c, server, "a request line of 10000 bytes",
				request.data, request.len, 1000, 400) < 0)
		goto out_free;
	/* Exactly 8192 bytes and no empty line: the answer comes without
	 * one byte more. */
	hx_buf_clear(&request);
	hx_buf_add(&request, "GET /", 5);
	while (request.len < HEAD_MAX)
		hx_buf_add(&request, "b", 1);
	if (expect_early_status(c, server,
				"8192 bytes without an empty line (the "
				"connection left open)",
				request.data, request.len, 0, 400) < 0)
		goto out_free;
	/* 300 fields, 16 KiB in one send. */
	hx_buf_clear(&request);
	hx_buf_addf(&request, "GET /index.html HTTP/1.0\r\n");
	for (int i = 0; i < 300; i++)
		hx_buf_addf(&request, "X-Filler-%03d: %040d\r\n", i, i);
	hx_buf_addf(&request, "\r\n");
	if (expect_early_status(c, server, "a head of 300 fields", request.data,
				request.len, 0, 400) < 0)
		goto out_free;
	/* The limit: 8191 and 8192 bytes are a head, 8193 are not. */
	for (size_t len = HEAD_MAX - 1; len <= HEAD_MAX + 1; len++) {
		char what[96];

		head_of_length(&request, "/index.html", "\r\n", len);
		snprintf(what, sizeof(what), "a head of exactly %zu bytes",
			 len);
		if (len <= HEAD_MAX &&
		    expect_answer(c, server, request.data, NULL, 200, 0) < 0) {
			hx_note(c, "%s, empty line included, is a request",
				what);
			goto out_free;
		}
		if (len > HEAD_MAX &&
		    expect_early_status(c, server, what, request.data,
					request.len, 0, 400) < 0)
			goto out_free;
	}
	/* A path longer than path[] holds, of no file: refused as too long
	 * (400) or not found (404), never decoded past the field. */
	long_field_request(&request, "GET /%s HTTP/1.0\r\n\r\n", 'p');
	if (expect_answer(c, server, request.data, NULL, 400, 404) < 0) {
		hx_note(c,
			"the path had %d bytes; path[] in struct request "
			"holds TARGET_MAX - 1 and its '\\0'",
			LONG_FIELD + 1);
		goto out_free;
	}
	expect_file(c, server, "/index.html", INDEX_HTML, strlen(INDEX_HTML));
out_free:
	hx_buf_free(&request);
}

static void check_traversal(struct hx_check *c)
{
	static const char *const climbs[] = {
	    "/../secret.txt",
	    "/%2e%2e/secret.txt",
	    "/img/../../secret.txt",
	    "/..%2fsecret.txt",
	    "/%2E%2E/%2e%2E/secret.txt",
	    "/img/../index.html",
	    "/..",
	    "/img/..",
	};
	struct hx_proc *server = set_up(c, NULL);
	char absolute[1200];
	const char *outside[] = {absolute, "//secret.txt"};

	if (!server ||
	    expect_statuses(c, server, climbs, SL_COUNT(climbs), 403) < 0)
		return;
	/* A target is always inside the folder, never a path on disk. */
	snprintf(absolute, sizeof(absolute), "%s%s/secret.txt",
		 c->work_dir[0] == '/' ? "" : "/", c->work_dir);
	if (expect_statuses(c, server, outside, SL_COUNT(outside), 404) < 0)
		return;
	/* Two dots inside a name are no segment "..": served. */
	if (expect_file(c, server, "/v1..2.txt", DOTS_TEXT,
			strlen(DOTS_TEXT)) == 0)
		expect_file(c, server, "/..notes.txt", DOTS_TEXT,
			    strlen(DOTS_TEXT));
}

static void check_slow_client(struct hx_check *c)
{
	static const struct hx_plan slowly = {
	    .split = HX_BYTES, .max_piece = 0, .delay_ms = 3};
	struct site *s = NULL;
	struct hx_proc *server = set_up(c, &s);
	struct hx_http_message resp;
	struct hx_conn slow;

	if (!server ||
	    hx_tcp_connect(c, &slow, "127.0.0.1", hx_port(c, 0), IO_MS) < 0)
		goto out_free;
	/* Half a head, a byte at a time; the empty line comes last. */
	if (hx_send_str(c, &slow,
			"GET /index.html HTTP/1.0\r\nHost: 127.0.0.1\r\n",
			&slowly) < 0)
		goto out_close;
	hx_recordf(c, 0, "a second client asks while the first is half done");
	if (expect_file(c, server, "/notes.txt", s->notes, s->notes_len) < 0) {
		hx_note(c, "a client that had sent half its request was "
			   "connected meanwhile: one slow client must not "
			   "hold up the others");
		goto out_close;
	}
	if (hx_http_exchange(c, &slow, "\r\n", 2, NULL, &resp, RESPONSE_CAP,
			     IO_MS) == 0 &&
	    expect_status(c, "GET /index.html HTTP/1.0", &resp, 200, 0) == 0)
		hx_expect_bytes(c, "body for the slow client", INDEX_HTML,
				strlen(INDEX_HTML), resp.body.data,
				resp.body.len);
	hx_http_message_free(&resp);
out_close:
	hx_close(c, &slow);
out_free:
	free(s);
}
