/* 10-web-server-site.c - lab 10: the site the server serves, starting it, and
 * asking it.
 *
 * Included by grader/checks/10-web-server.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

/* The site's files that checks compare with, built once per check. */
struct site {
	char notes[4096];		/* site/notes.txt */
	size_t notes_len;		/* its bytes */
	unsigned char logo[LOGO_BYTES]; /* site/img/logo.png */
	unsigned char photo[3000];	/* site/photo.jpg */
};

/* A file of the types/ folder and the Content-Type it must get. */
struct typed_file {
	const char *name; /* under site/types/ */
	const char *type; /* the media type expected */
};

static const struct typed_file typed_files[] = {
    {.name = "page.html", .type = "text/html"},
    {.name = "old.htm", .type = "text/html"},
    {.name = "SHOUT.HTML", .type = "text/html"},
    {.name = "notes.txt", .type = "text/plain"},
    {.name = "picture.png", .type = "image/png"},
    {.name = "scan.PNG", .type = "image/png"},
    {.name = "photo.jpg", .type = "image/jpeg"},
    {.name = "photo.JpEg", .type = "image/jpeg"},
    {.name = "data.bin", .type = "application/octet-stream"},
    {.name = "README", .type = "application/octet-stream"},
    {.name = "photo.v2.png", .type = "image/png"},
    {.name = "notes.txt.bak", .type = "application/octet-stream"},
    {.name = "ends-in-a-dot.", .type = "application/octet-stream"},
    {.name = "pages.html/README", .type = "application/octet-stream"},
};

/* Writes len bytes into the file at relative path under the work folder,
 * making its folder first. */
static int write_file(struct hx_check *c, const char *path, const void *data,
		      size_t len)
{
	char full[1024], *slash;
	FILE *f;

	snprintf(full, sizeof(full), "%s/%s", c->work_dir, path);
	for (slash = strchr(full + strlen(c->work_dir) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(full, 0755) < 0 && errno != EEXIST)
			return hx_fail(c, HX_ERROR, "mkdir %s: %s", path,
				       strerror(errno));
		*slash = '/';
	}
	f = fopen(full, "we");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		return hx_fail(c, HX_ERROR, "cannot write %s: %s", path,
			       strerror(errno));
	return 0;
}

static int write_text(struct hx_check *c, const char *path, const char *text)
{
	return write_file(c, path, text, strlen(text));
}

/* Writes the site and the secret next to it; fills s. */
static int make_site(struct hx_check *c, struct site *s)
{
	char private_path[1100];
	size_t used = 0;

	for (int line = 1; used + 64 < sizeof(s->notes); line++)
		used +=
		    (size_t)snprintf(s->notes + used, sizeof(s->notes) - used,
				     "%04d a line of plain text\n", line);
	s->notes_len = used;
	/* Binary: NUL bytes, a blank line, every byte value. */
	memcpy(s->logo, "\x89PNG\r\n\x1a\n\0\0\r\n\r\n", 14);
	for (int i = 14; i < LOGO_BYTES; i++)
		s->logo[i] = (unsigned char)hx_random(c);
	memcpy(s->photo, "\xff\xd8\xff\xe0\0\x10JFIF\0", 11);
	for (size_t i = 11; i < sizeof(s->photo); i++)
		s->photo[i] = (unsigned char)(i * 7);
	if (write_text(c, "secret.txt", SECRET) < 0 ||
	    write_text(c, SITE "/index.html", INDEX_HTML) < 0 ||
	    write_text(c, SITE "/sub/index.html", SUB_HTML) < 0 ||
	    write_file(c, SITE "/notes.txt", s->notes, s->notes_len) < 0 ||
	    write_file(c, SITE "/img/logo.png", s->logo, LOGO_BYTES) < 0 ||
	    write_file(c, SITE "/photo.jpg", s->photo, sizeof(s->photo)) < 0 ||
	    write_text(c, SITE "/v1..2.txt", DOTS_TEXT) < 0 ||
	    write_text(c, SITE "/..notes.txt", DOTS_TEXT) < 0 ||
	    write_text(c, SITE "/private.txt", PRIVATE_TEXT) < 0 ||
	    write_text(c, SITE "/Zebra.txt", ZEBRA_TEXT) < 0 ||
	    write_text(c, SITE "/a?b.txt", QUESTION_TEXT) < 0 ||
	    write_text(c, SITE "/a+b.txt", PLUS_TEXT) < 0)
		return -1;
	/* Nobody may read it: open fails with EACCES (unless root). */
	snprintf(private_path, sizeof(private_path), "%s/" SITE "/private.txt",
		 c->work_dir);
	if (chmod(private_path, 0) < 0)
		return hx_fail(c, HX_ERROR, "chmod %s: %s", private_path,
			       strerror(errno));
	for (int i = 0; i < SL_COUNT(typed_files); i++) {
		char path[256], text[128];

		snprintf(path, sizeof(path), SITE "/types/%s",
			 typed_files[i].name);
		snprintf(text, sizeof(text), "the file %s\n",
			 typed_files[i].name);
		if (write_text(c, path, text) < 0)
			return -1;
	}
	hx_recordf(c, 0, "wrote the folder " SITE " and secret.txt");
	return 0;
}

/* Starts "web port site" and waits until it listens. */
static struct hx_proc *start_web(struct hx_check *c, int port)
{
	char port_arg[16];
	const char *args[] = {port_arg, SITE, NULL};
	struct hx_proc *server;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	server = hx_start_labelled(c, "server", "web", args);
	if (!server || hx_wait_ready(c, server, HX_TCP, port, READY_MS) < 0)
		return NULL;
	return server;
}

/* Writes the site, starts the server; NULL after a failure. s may be
 * NULL when the check compares no file. */
static struct hx_proc *set_up(struct hx_check *c, struct site **s)
{
	struct site *site = calloc(1, sizeof(*site));
	struct hx_proc *server = NULL;

	if (!site) {
		hx_fail(c, HX_ERROR, "out of memory");
		return NULL;
	}
	if (make_site(c, site) == 0)
		server = start_web(c, hx_port(c, 0));
	if (s)
		*s = site;
	else
		free(site);
	return server;
}

/* 1 if the server runs as root: a file without permissions opens then. */
static int runs_as_root(struct hx_proc *server)
{
	char path[64], status[4096];
	const char *uid;
	int real = -1, effective = -1;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)server->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, status, sizeof(status) - 1);
	close(fd);
	status[n > 0 ? n : 0] = '\0';
	/* "Uid:\treal\teffective\tsaved\tfs" */
	uid = strstr(status, "\nUid:");
	return uid && sscanf(uid + 5, "%d %d", &real, &effective) == 2 &&
	       effective == 0;
}

/* After a failed step: says in the notes how the server ended, if it did. */
static void note_server_end(struct hx_check *c, struct hx_proc *server)
{
	struct hx_buf how;

	if (!server || hx_proc_running(server))
		return;
	hx_buf_init(&how);
	hx_proc_describe_end(server, &how);
	hx_note(c, "%s had ended: %s", server->label, how.data);
	hx_buf_free(&how);
}

/* Stops the server with SIGTERM and waits (STOP_MS) for it to exit,
 * without judging how: stop-signal does. */
static void stop_quietly(struct hx_check *c, struct hx_proc *server)
{
	int64_t deadline = hx_deadline(STOP_MS);

	hx_proc_wait_idle(server, IO_MS);
	hx_recordf(c, 0, "stopping %s (SIGTERM)", server->label);
	server->stopped_by_harness = 1;
	kill(server->pid, SIGTERM);
	while (hx_proc_running(server) && hx_remaining_ms(deadline) > 0)
		hx_proc_pump(server, 20);
	hx_proc_pump(server, 0);
}

/* A request for target, as a browser would send it. */
static void request_for(char *out, size_t size, const char *target)
{
	snprintf(out, size,
		 "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n"
		 "User-Agent: lab10-check\r\n\r\n",
		 target);
}

/* The request line of request, for feedback. */
static void first_line(char *out, size_t size, const char *request)
{
	snprintf(out, size, "%.*s", (int)strcspn(request, "\r\n"), request);
}

/* Requires the response's status to be want, or also when also is not 0
 * (where the handout leaves the choice between two). */
static int expect_status(struct hx_check *c, const char *request,
			 const struct hx_http_message *resp, int want, int also)
{
	char what[300], line[200], expected[32];

	if (resp->status == want || (also && resp->status == also))
		return 0;
	first_line(line, sizeof(line), request);
	snprintf(what, sizeof(what), "status of the answer to \"%s\"", line);
	snprintf(expected, sizeof(expected), also ? "%d or %d" : "%d", want,
		 also);
	return hx_fail_values(c, HX_FAIL, NULL, 0, resp->head.data,
			      resp->head.len,
			      "%s: expected %s, got %d (\"%s\")", what,
			      expected, resp->status, resp->start[2]);
}

/* Sends request cut by plan on a connection of its own and requires the
 * status want (or also, when not 0). resp is left for the caller to look
 * at and free. */
static int ask(struct hx_check *c, struct hx_proc *server, const char *request,
	       const struct hx_plan *plan, int want, int also,
	       struct hx_http_message *resp)
{
	hx_http_message_init(resp);
	if (hx_http_fetch(c, "127.0.0.1", hx_port(c, 0), request, plan, resp,
			  RESPONSE_CAP, IO_MS) < 0 ||
	    expect_status(c, request, resp, want, also) < 0) {
		char line[300];

		first_line(line, sizeof(line), request);
		hx_note(c, "the request was \"%s\"", line);
		note_server_end(c, server);
		return -1;
	}
	return 0;
}

/* GET target must answer 200 with exactly body (len bytes). resp is
 * left for the caller to look at and free. */
static int fetch_file(struct hx_check *c, struct hx_proc *server,
		      const char *target, const void *body, size_t len,
		      struct hx_http_message *resp)
{
	char request[512], what[300];

	request_for(request, sizeof(request), target);
	if (ask(c, server, request, NULL, 200, 0, resp) < 0)
		return -1;
	snprintf(what, sizeof(what), "body of GET %s", target);
	return hx_expect_bytes(c, what, body, len, resp->body.data,
			       resp->body.len);
}

static int expect_file(struct hx_check *c, struct hx_proc *server,
		       const char *target, const void *body, size_t len)
{
	struct hx_http_message resp;
	int rc = fetch_file(c, server, target, body, len, &resp);

	hx_http_message_free(&resp);
	return rc;
}

/* The reason phrase of a status the server sends. */
static const char *reason_of(int status)
{
	switch (status) {
	case 400:
		return "Bad Request";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 501:
		return "Not Implemented";
	}
	return "OK";
}

/* The status line exactly as the handout writes it, version and reason
 * phrase included: "HTTP/1.0 200 OK", "HTTP/1.0 404 Not Found". */
static int expect_status_line(struct hx_check *c,
			      const struct hx_http_message *resp)
{
	const char *head = resp->head.data ? resp->head.data : "";
	char want[64], got[256], what[64];

	snprintf(want, sizeof(want), "HTTP/1.0 %d %s", resp->status,
		 reason_of(resp->status));
	snprintf(got, sizeof(got), "%.*s", (int)strcspn(head, "\r\n"), head);
	snprintf(what, sizeof(what), "status line of a %d answer",
		 resp->status);
	return hx_expect_str(c, what, want, got);
}

/* An error answer's status line, Content-Type and body, as the
 * handout's status table has them: "404 Not Found\n", text/plain. */
static int expect_error_body(struct hx_check *c,
			     const struct hx_http_message *resp)
{
	const char *type = hx_http_header(resp, "Content-Type");
	int status = resp->status;
	char body[64], what[64], got_type[128];

	snprintf(body, sizeof(body), "%d %s\n", status, reason_of(status));
	if (expect_status_line(c, resp) < 0)
		return -1;
	snprintf(got_type, sizeof(got_type), "%.*s",
		 type ? (int)strcspn(type, "; ") : 0, type ? type : "");
	snprintf(what, sizeof(what), "Content-Type of a %d answer", status);
	if (hx_expect_str(c, what, "text/plain", got_type) < 0)
		return -1;
	snprintf(what, sizeof(what), "body of a %d answer", status);
	return hx_expect_bytes(c, what, body, strlen(body), resp->body.data,
			       resp->body.len);
}

/* Sends request as it is (NULL plan: whole) and requires status want
 * (or also, when not 0), with the error body the handout gives for it;
 * no body may give the secret away. */
static int expect_answer(struct hx_check *c, struct hx_proc *server,
			 const char *request, const struct hx_plan *plan,
			 int want, int also)
{
	struct hx_http_message resp;
	int rc = ask(c, server, request, plan, want, also, &resp);

	if (rc == 0 && resp.body.data && strstr(resp.body.data, "TOP SECRET"))
		rc = hx_fail(c, HX_FAIL,
			     "the answer to \"%.100s\" holds the "
			     "secret file above the folder",
			     request);
	if (rc == 0 && resp.status != 200)
		rc = expect_error_body(c, &resp);
	hx_http_message_free(&resp);
	return rc;
}

/* Asks each target (a GET of its own) and requires status want. */
static int expect_statuses(struct hx_check *c, struct hx_proc *server,
			   const char *const *targets, int n, int want)
{
	for (int i = 0; i < n; i++) {
		char request[2048];

		request_for(request, sizeof(request), targets[i]);
		if (expect_answer(c, server, request, NULL, want, 0) < 0)
			return -1;
	}
	return 0;
}
