/* hx_lines.h - a client of a line echo protocol: lines back, an echo,
 * silence.
 *
 * The servers of labs 11 and 12 echo each line a client sends; their
 * checks play the clients with these calls. Every wait has a deadline,
 * and who (a client's name, "client 3") is how feedback names it.
 */
#ifndef HX_LINES_H
#define HX_LINES_H

#include <stddef.h>

#include "hx_check.h"
#include "hx_net.h"
#include "hx_probe.h"
#include "hx_proc.h"

/* Receives as many lines as want holds (len bytes, each line ending in
 * "\n"), each within timeout_ms, and requires exactly want. 0 or -1. */
int hx_expect_lines(struct hx_check *c, struct hx_conn *conn, const char *want,
		    size_t len, int timeout_ms, const char *who);

/* Sends len bytes (cut by plan, NULL: whole) and requires them back,
 * line by line. 0 or -1. */
int hx_expect_echo(struct hx_check *c, struct hx_conn *conn, const char *line,
		   size_t len, const struct hx_plan *plan, int timeout_ms,
		   const char *who);

/* The same for a C string sent whole. */
int hx_expect_echo_str(struct hx_check *c, struct hx_conn *conn,
		       const char *line, int timeout_ms, const char *who);

/* What hx_expect_silence waits for and what a failure says. */
struct hx_silence {
	int idle_ms;	  /* the most it waits for the server to block */
	int listen_ms;	  /* how long conn then listens for anything */
	const char *rule; /* said after a closed connection, NULL: nothing */
};

/* Once server has done all it can (every thread blocked), nothing has
 * come back on conn for s->listen_ms and conn is still open; why says
 * when ("while every worker is busy"). 0 or -1. */
int hx_expect_silence(struct hx_check *c, struct hx_proc *server,
		      struct hx_conn *conn, const struct hx_silence *s,
		      const char *who, const char *why);

/* "client N": a name that stays valid for the next HX_CLIENT_NAMES
 * calls. */
#define HX_CLIENT_NAMES 64
const char *hx_client_name(int n);

/* A line of len bytes, "\n" last, its bytes numbered so a shift shows;
 * replaces what out held. */
void hx_long_line(struct hx_buf *out, size_t len);

/* What an echo server answers beyond the echo. */
struct hx_echo_rules {
	size_t line_max;	    /* longest line, its "\n" included */
	const char *too_long_reply; /* its answer to a longer one */
};

/* The kinds of short visit a descriptor-leak check pays, by number
 * modulo HX_VISIT_KINDS: a line and a close; a line and a reset; a line
 * too long, then a close; half a line, then a close; nothing at all;
 * gone before the echo. Each requires what the server owes it. 0 or -1. */
#define HX_VISIT_KINDS 6
int hx_echo_visit(struct hx_check *c, struct hx_proc *server, int port,
		  int kind, const struct hx_echo_rules *rules, int timeout_ms);

/* Closes conns[0..n-1]; each close is recorded as hx_close does. */
void hx_close_all(struct hx_check *c, struct hx_conn *conns, int n);

#endif
