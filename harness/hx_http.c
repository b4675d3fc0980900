/* hx_http.c - HTTP peers: a scripted server and a raw client. */
#define _GNU_SOURCE
#include "hx_http.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx_file.h"
#include "hx_time.h"

void hx_http_message_init(struct hx_http_message *m)
{
	memset(m, 0, sizeof(*m));
	hx_buf_init(&m->head);
	hx_buf_init(&m->body);
}

void hx_http_message_free(struct hx_http_message *m)
{
	hx_buf_free(&m->head);
	hx_buf_free(&m->body);
}

const char *hx_http_header(const struct hx_http_message *m, const char *name)
{
	for (int i = 0; i < m->nfields; i++)
		if (strcasecmp(m->fields[i].name, name) == 0)
			return m->fields[i].value;
	return NULL;
}

static const char *hx_http_reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 301:
		return "Moved Permanently";
	case 302:
		return "Found";
	case 303:
		return "See Other";
	case 307:
		return "Temporary Redirect";
	case 400:
		return "Bad Request";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 500:
		return "Internal Server Error";
	default:
		return "Unknown";
	}
}

/* Length of the head at the start of data, through its blank line
 * ("\r\n\r\n", "\n\n" or a mix), or 0 when the blank line has not come. */
static size_t hx_http_head_length(const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		size_t j = i + 1;

		if (data[i] != '\n')
			continue;
		if (j < len && data[j] == '\r')
			j++;
		if (j < len && data[j] == '\n')
			return j + 1;
	}
	return 0;
}

/* Copies the next word of *line (up to a space, or the rest of the line
 * when rest is 1) into out; moves *line past it and one space. */
static void hx_http_take_word(const char **line, char *out, size_t size,
			      int rest)
{
	size_t n = rest ? strlen(*line) : strcspn(*line, " ");

	snprintf(out, size, "%.*s", (int)n, *line);
	*line += n;
	if (**line == ' ')
		(*line)++;
}

/* Splits the head in m->head into its start line and fields. "what"
 * names the message in feedback. */
static int hx_http_parse_head(struct hx_check *c, struct hx_http_message *m,
			      const char *what)
{
	char *copy = strndup(m->head.data, m->head.len);
	char *line, *save = NULL;
	int first = 1, rc = 0;

	if (!copy)
		return hx_fail(c, HX_ERROR, "out of memory");
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(line);
		const char *next = line;
		char *colon;

		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		else
			m->bare_lf = 1;
		if (n == 0)
			break;
		if (first) {
			hx_http_take_word(&next, m->start[0],
					  sizeof(m->start[0]), 0);
			hx_http_take_word(&next, m->start[1],
					  sizeof(m->start[1]), 0);
			hx_http_take_word(&next, m->start[2],
					  sizeof(m->start[2]), 1);
			first = 0;
			continue;
		}
		colon = strchr(line, ':');
		if (!colon) {
			rc = hx_fail(
			    c, HX_FAIL,
			    "%s: the header line \"%.80s\" has no colon", what,
			    line);
			break;
		}
		if (m->nfields == HX_HTTP_MAX_FIELDS)
			continue;
		*colon = '\0';
		for (colon++; *colon == ' ' || *colon == '\t'; colon++)
			;
		n = strlen(colon);
		while (n > 0 && (colon[n - 1] == ' ' || colon[n - 1] == '\t'))
			colon[--n] = '\0';
		snprintf(m->fields[m->nfields].name, sizeof(m->fields[0].name),
			 "%s", line);
		snprintf(m->fields[m->nfields].value,
			 sizeof(m->fields[0].value), "%s", colon);
		m->nfields++;
	}
	free(copy);
	return rc;
}

/* One recv into conn->in, waiting for data until deadline: 1 data,
 * 0 the other side closed or reset, -1 the deadline passed. */
static int hx_http_recv_some(struct hx_check *c, struct hx_conn *conn,
			     int64_t deadline)
{
	char chunk[65536];

	for (;;) {
		struct pollfd pfd = {.fd = conn->fd, .events = POLLIN};
		ssize_t n = recv(conn->fd, chunk, sizeof(chunk), 0);

		if (n > 0) {
			hx_record(c, conn->id, '<', chunk, (size_t)n);
			hx_buf_add(&conn->in, chunk, (size_t)n);
			return 1;
		}
		if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
			conn->eof = 1;
			conn->reset = n < 0 && errno == ECONNRESET;
			hx_recordf(c, conn->id, "the program %s the connection",
				   conn->reset ? "reset" : "closed");
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (poll(&pfd, 1, hx_remaining_ms(deadline)) == 0)
			return -1;
	}
}

int hx_http_read_request(struct hx_check *c, struct hx_conn *conn,
			 struct hx_http_message *req, int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);
	size_t head_len;

	while (!(head_len = hx_http_head_length(conn->in.data, conn->in.len))) {
		int got;

		if (conn->in.len > HX_HTTP_HEAD_MAX)
			return hx_fail(c, HX_FAIL,
				       "the request head grew past %d bytes "
				       "without a blank line",
				       HX_HTTP_HEAD_MAX);
		got = conn->eof ? 0 : hx_http_recv_some(c, conn, deadline);
		if (got == 1)
			continue;
		if (got == 0)
			return hx_fail_values(c, HX_FAIL, NULL, 0,
					      conn->in.data, conn->in.len,
					      "the program closed the "
					      "connection after %zu bytes, "
					      "before the blank line that ends "
					      "a request head",
					      conn->in.len);
		return hx_fail_values(c, HX_TIMEOUT, NULL, 0, conn->in.data,
				      conn->in.len,
				      "waited %.1f s for a request head ending "
				      "in a blank line and got %zu bytes "
				      "without one",
				      timeout_ms / 1000.0, conn->in.len);
	}
	hx_buf_clear(&req->head);
	hx_buf_add(&req->head, conn->in.data, head_len);
	hx_consume(conn, head_len);
	return hx_http_parse_head(c, req, "the request");
}

/* The body as it travels: chunked when the plan says so. */
static int hx_http_wire_body(const struct hx_http_reply_plan *plan,
			     struct hx_buf *wire)
{
	const char *body = plan->body;
	size_t done = 0;

	if (plan->framing != HX_HTTP_CHUNKED)
		return hx_buf_add(wire, body, plan->body_len);
	for (int i = 0; done < plan->body_len; i++) {
		size_t size = plan->body_len - done;

		if (i < plan->nchunks && plan->chunks[i] < size)
			size = plan->chunks[i];
		if (size == 0)
			continue;
		/* Upper and lower case hex digits both occur. */
		hx_buf_addf(wire, i % 2 ? "%zX\r\n" : "%zx\r\n", size);
		hx_buf_add(wire, body + done, size);
		hx_buf_add(wire, "\r\n", 2);
		done += size;
	}
	return hx_buf_add(wire, "0\r\n\r\n", 5);
}

/* 1 if plan sends in one piece, at once. */
static int hx_http_plan_is_whole(const struct hx_plan *plan)
{
	return plan->split == HX_WHOLE && plan->delay_ms == 0;
}

int hx_http_send_reply(struct hx_check *c, struct hx_conn *conn,
		       const struct hx_http_reply_plan *plan)
{
	struct hx_buf head, wire;
	size_t send_len;
	int rc = -1;

	if (plan->ending == HX_HTTP_NO_REPLY) {
		hx_recordf(c, conn->id, "closing without a reply");
		hx_close(c, conn);
		return 0;
	}
	hx_buf_init(&head);
	hx_buf_init(&wire);
	hx_buf_addf(&head, "HTTP/1.1 %d %s\r\n", plan->status,
		    plan->reason ? plan->reason : hx_http_reason(plan->status));
	if (plan->framing == HX_HTTP_LENGTH)
		hx_buf_addf(&head, "Content-Length: %zu\r\n", plan->body_len);
	else if (plan->framing == HX_HTTP_CHUNKED)
		hx_buf_addf(&head, "Transfer-Encoding: chunked\r\n");
	if (plan->headers)
		hx_buf_addf(&head, "%s", plan->headers);
	hx_buf_addf(&head, "\r\n");
	hx_http_wire_body(plan, &wire);
	send_len = wire.len;
	if (plan->ending == HX_HTTP_CUT && plan->cut_at < send_len)
		send_len = plan->cut_at;
	if (hx_http_plan_is_whole(&plan->head_plan) &&
	    hx_http_plan_is_whole(&plan->body_plan)) {
		/* One send: head and body reach the client in one segment. */
		hx_buf_add(&head, wire.data, send_len);
		if (hx_send(c, conn, head.data, head.len, NULL) < 0)
			goto out_free;
	} else if (hx_send(c, conn, head.data, head.len, &plan->head_plan) <
		       0 ||
		   (send_len > 0 && hx_send(c, conn, wire.data, send_len,
					    &plan->body_plan) < 0)) {
		goto out_free;
	}
	rc = 0;
	if (plan->ending == HX_HTTP_CUT)
		hx_recordf(c, conn->id, "closing after %zu of %zu body bytes",
			   send_len, wire.len);
	if (plan->ending != HX_HTTP_KEEP_OPEN)
		hx_close(c, conn);
	else
		hx_recordf(c, conn->id, "keeping the connection open");
out_free:
	hx_buf_free(&head);
	hx_buf_free(&wire);
	return rc;
}

int hx_http_serve(struct hx_check *c, struct hx_conn *listener,
		  struct hx_conn *conn, struct hx_http_message *req,
		  const struct hx_http_reply_plan *plan, int timeout_ms)
{
	hx_http_message_init(req);
	if (hx_tcp_accept(c, listener, conn, timeout_ms) < 0)
		return -1;
	if (hx_http_read_request(c, conn, req, timeout_ms) < 0)
		return -1;
	return hx_http_send_reply(c, conn, plan);
}

int hx_http_parse_response(struct hx_check *c, const void *raw, size_t len,
			   struct hx_http_message *resp)
{
	size_t head_len = hx_http_head_length(raw, len);
	const char *length;
	char *end;

	if (head_len == 0) {
		return hx_fail_values(c, HX_FAIL, NULL, 0, raw, len,
				      "the response (%zu bytes) has no blank "
				      "line ending its head",
				      len);
	}
	hx_buf_add(&resp->head, raw, head_len);
	hx_buf_add(&resp->body, (const char *)raw + head_len, len - head_len);
	if (hx_http_parse_head(c, resp, "the response") < 0)
		return -1;
	resp->status = (int)strtol(resp->start[1], &end, 10);
	if (strncmp(resp->start[0], "HTTP/1.", 7) != 0 || *end != '\0' ||
	    strlen(resp->start[1]) != 3) {
		return hx_fail_values(c, HX_FAIL, NULL, 0, raw, head_len,
				      "the status line is not \"HTTP/1.x CODE "
				      "REASON\"");
	}
	length = hx_http_header(resp, "Content-Length");
	if (length && strtoul(length, &end, 10) != resp->body.len)
		return hx_fail(c, HX_FAIL,
			       "the response says Content-Length: %s but its "
			       "body has %zu bytes",
			       length, resp->body.len);
	return 0;
}

int hx_http_exchange(struct hx_check *c, struct hx_conn *conn,
		     const void *request, size_t len,
		     const struct hx_plan *plan, struct hx_http_message *resp,
		     size_t max, int timeout_ms)
{
	hx_http_message_init(resp);
	if (hx_send(c, conn, request, len, plan) < 0 ||
	    hx_recv_all(c, conn, max, timeout_ms) < 0)
		return -1;
	return hx_http_parse_response(c, conn->in.data, conn->in.len, resp);
}

int hx_http_fetch(struct hx_check *c, const char *host, int port,
		  const char *request, const struct hx_plan *plan,
		  struct hx_http_message *resp, size_t max, int timeout_ms)
{
	struct hx_conn conn;
	int rc;

	hx_http_message_init(resp);
	if (hx_tcp_connect(c, &conn, host, port, timeout_ms) < 0)
		return -1;
	rc = hx_http_exchange(c, &conn, request, strlen(request), plan, resp,
			      max, timeout_ms);
	hx_close(c, &conn);
	return rc;
}

/* Bytes hx_expect_file reads past what it expects: enough to show what
 * a file holds too many, and no more of a file without end. */
#define HX_FILE_SLACK 65536

/* The name of path after its last '/', for feedback. */
static const char *hx_http_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int hx_expect_file(struct hx_check *c, const char *path, const void *expected,
		   size_t len)
{
	struct hx_buf got;
	char what[300];
	int rc;

	/* the program's to replace by a link to a file of the harness's,
	 * or to fill without end: read as what it is, and only so far */
	hx_buf_init(&got);
	rc = hx_read_shared(path, len + HX_FILE_SLACK, &got);
	if (rc < 0 && (errno == ELOOP || errno == EINVAL)) {
		hx_buf_free(&got);
		return hx_fail(c, HX_FAIL,
			       "%s is not a regular file (a symbolic link, a "
			       "folder or a pipe): the harness reads only a "
			       "file the program wrote",
			       hx_http_base(path));
	}
	if (rc < 0) {
		hx_buf_free(&got);
		return hx_fail(c, HX_FAIL, "the file %s was not written (%s)",
			       hx_http_base(path), strerror(errno));
	}
	if (rc == 1)
		hx_note(c,
			"the file %s holds more than %zu bytes: only those "
			"were read",
			hx_http_base(path), got.len);
	snprintf(what, sizeof(what), "the file %s", hx_http_base(path));
	rc = hx_expect_bytes(c, what, expected, len, got.data, got.len);
	hx_buf_free(&got);
	return rc;
}

int hx_expect_no_file(struct hx_check *c, const char *path)
{
	struct stat st;

	/* lstat: a link the program left there is something left too */
	if (lstat(path, &st) < 0)
		return 0;
	return hx_fail(c, HX_FAIL,
		       "the file %s exists (%lld bytes) but should not have "
		       "been left behind",
		       hx_http_base(path), (long long)st.st_size);
}
