/* hx_lines.c - a client of a line echo protocol: lines back, an echo,
 * silence. */
#include "hx_lines.h"

#include <stdio.h>
#include <string.h>

int hx_expect_lines(struct hx_check *c, struct hx_conn *conn, const char *want,
		    size_t len, int timeout_ms, const char *who)
{
	struct hx_buf got;
	char what[160];
	size_t lines = 0;
	int rc = 0;

	for (size_t i = 0; i < len; i++)
		lines += want[i] == '\n';
	hx_buf_init(&got);
	hx_buf_add(&got, "", 0);
	for (size_t i = 0; i < lines; i++) {
		long n = hx_recv_until(c, conn, "\n", timeout_ms);

		if (n < 0) {
			hx_note(c,
				"%s was waiting for %zu line(s) back, got %zu",
				who, lines, i);
			rc = -1;
			break;
		}
		hx_buf_add(&got, conn->in.data, (size_t)n);
		hx_consume(conn, (size_t)n);
	}
	snprintf(what, sizeof(what), "what %s got back", who);
	if (rc == 0)
		rc = hx_expect_bytes(c, what, want, len, got.data, got.len);
	hx_buf_free(&got);
	return rc;
}

int hx_expect_echo(struct hx_check *c, struct hx_conn *conn, const char *line,
		   size_t len, const struct hx_plan *plan, int timeout_ms,
		   const char *who)
{
	if (hx_send(c, conn, line, len, plan) < 0)
		return -1;
	return hx_expect_lines(c, conn, line, len, timeout_ms, who);
}

int hx_expect_echo_str(struct hx_check *c, struct hx_conn *conn,
		       const char *line, int timeout_ms, const char *who)
{
	return hx_expect_echo(c, conn, line, strlen(line), NULL, timeout_ms,
			      who);
}

int hx_expect_silence(struct hx_check *c, struct hx_proc *server,
		      struct hx_conn *conn, const struct hx_silence *s,
		      const char *who, const char *why)
{
	hx_proc_wait_idle(server, s->idle_ms);
	hx_recv_for(c, conn, s->listen_ms);
	if (conn->eof) {
		if (!hx_proc_running(server))
			hx_note_end(c, server);
		return hx_fail(c, HX_FAIL, "%s was %s %s%s%s", who,
			       conn->reset ? "reset" : "closed", why,
			       s->rule ? ": " : "", s->rule ? s->rule : "");
	}
	if (conn->in.len > 0)
		return hx_fail_values(c, HX_FAIL, NULL, 0, conn->in.data,
				      conn->in.len, "%s got an answer %s", who,
				      why);
	return 0;
}

const char *hx_client_name(int n)
{
	static char names[HX_CLIENT_NAMES][24];
	int slot = (n < 0 ? -n : n) % HX_CLIENT_NAMES;

	snprintf(names[slot], sizeof(names[slot]), "client %d", n);
	return names[slot];
}

void hx_long_line(struct hx_buf *out, size_t len)
{
	hx_buf_clear(out);
	for (size_t i = 0; i + 1 < len; i++)
		hx_buf_add(out, &"0123456789abcdefghijklmnopqrstuvwxyz"[i % 36],
			   1);
	hx_buf_add(out, "\n", 1);
}

int hx_echo_visit(struct hx_check *c, struct hx_proc *server, int port,
		  int kind, const struct hx_echo_rules *rules, int timeout_ms)
{
	struct hx_conn conn;
	struct hx_buf line;
	int rc = 0;

	kind %= HX_VISIT_KINDS;
	if (kind == 5)
		return hx_probe_leave_early(c, server, port, "gone\n", 5,
					    timeout_ms);
	if (hx_tcp_connect(c, &conn, "127.0.0.1", port, timeout_ms) < 0)
		return -1;
	hx_buf_init(&line);
	switch (kind) {
	case 0: /* a line and a close */
		rc = hx_expect_echo_str(c, &conn, "a visit\n", timeout_ms,
					"a client");
		break;
	case 1: /* a line and a reset */
		rc = hx_expect_echo_str(c, &conn, "a visit\n", timeout_ms,
					"a client");
		hx_reset(c, &conn);
		break;
	case 2: /* a line too long, then a close */
		hx_long_line(&line, rules->line_max + 1);
		rc = hx_send(c, &conn, line.data, line.len, NULL);
		if (rc == 0)
			rc = hx_expect_lines(c, &conn, rules->too_long_reply,
					     strlen(rules->too_long_reply),
					     timeout_ms,
					     "a client with a line too long");
		break;
	case 3: /* half a line, then a close */
		rc = hx_send_str(c, &conn, "half a", NULL);
		break;
	case 4: /* nothing at all */
		break;
	}
	hx_close(c, &conn);
	hx_buf_free(&line);
	return rc;
}

void hx_close_all(struct hx_check *c, struct hx_conn *conns, int n)
{
	for (int i = 0; i < n; i++)
		hx_close(c, &conns[i]);
}
