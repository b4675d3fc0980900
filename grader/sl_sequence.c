/* sl_sequence.c - the exchange of a check as an SVG sequence diagram. */
#define _GNU_SOURCE
#include "sl_sequence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/hx_events.h"
#include "sl_escape.h"

#define SL_MAX_PROGRAM_LANES 6	  /* lanes of the student's programs */
#define SL_MAX_PEER_LANES    6	  /* lanes of the harness's peers */
#define SL_LANE_NAME	     40	  /* bytes of a lane's name */
#define SL_LEFT		     70	  /* the time column, pixels */
#define SL_GAP		     300  /* between two lanes */
#define SL_TOP		     58	  /* the lanes' heads */
#define SL_ROW		     36	  /* one event */
#define SL_CHAR_PX	     6.7  /* width of a character of the labels */
#define SL_TIP_BYTES	     2048 /* escaped bytes of an arrow's tooltip */

/* What an event is drawn as. */
enum sl_shape {
	SL_NOTE,  /* text at a lane, or across the diagram */
	SL_ARROW, /* bytes, or a connection, from one lane to another */
	SL_CLOSE, /* a close (FIN), dashed */
	SL_RESET  /* a reset (RST), red and dashed */
};

/* A note of the harness that stands for something on the wire: what its
 * text starts with, what it is drawn as, who it goes from, its label
 * ("" for the note's own text). */
static const struct {
	const char *starts;  /* the note begins with this */
	enum sl_shape shape; /* drawn as */
	int from_program;    /* 1: from the program's lane to the peer's */
	const char *label;   /* the arrow's label, "" for the note */
} sl_wire_notes[] = {
    {"connected to ", SL_ARROW, 0, ""},
    {"accepted a connection", SL_ARROW, 1, "connects (accepted)"},
    {"the program closed", SL_CLOSE, 1, "closes (FIN)"},
    {"half-close", SL_CLOSE, 0, "half-close (FIN)"},
    {"closing", SL_CLOSE, 0, ""},
    {"reset (", SL_RESET, 0, "resets (RST)"},
    {"recv: Connection reset", SL_RESET, 1, "resets (RST)"},
};

/* Where each event goes, found before drawing. */
struct sl_layout {
	struct hx_event_view *events; /* every event */
	int nevents;		      /* events in it */
	int more;		      /* events past SL_SEQUENCE_ROWS */
	char programs[SL_MAX_PROGRAM_LANES][SL_LANE_NAME]; /* lane names */
	int nprograms;					   /* program lanes */
	int npeers;					   /* peer lanes */
	int maxconn;	 /* highest connection number */
	int *program_of; /* per connection: its program lane */
	int *peer_of;	 /* per connection: its peer lane */
	int *last_of;	 /* per connection: its last event */
};

/* The lane of a program named name (len bytes), made if it is new and
 * there is room; -1 when there is none. */
static int sl_program_lane(struct sl_layout *l, const char *name, size_t len)
{
	if (len >= SL_LANE_NAME)
		len = SL_LANE_NAME - 1;
	for (int i = 0; i < l->nprograms; i++)
		if (strlen(l->programs[i]) == len &&
		    memcmp(l->programs[i], name, len) == 0)
			return i;
	if (l->nprograms == SL_MAX_PROGRAM_LANES)
		return l->nprograms - 1;
	memcpy(l->programs[l->nprograms], name, len);
	l->programs[l->nprograms][len] = '\0';
	return l->nprograms++;
}

/* 1 when the note e says text (a harness note; its bytes end there). */
static int sl_note_starts(const struct hx_event_view *e, const char *text)
{
	size_t n = strlen(text);

	return e->dir == '*' && e->kept >= n && memcmp(e->bytes, text, n) == 0;
}

/* The port in "... port N" at the end of a note, or -1. */
static int sl_note_port(const struct hx_event_view *e)
{
	char text[160];
	const char *at;

	snprintf(text, sizeof(text), "%.*s",
		 (int)(e->kept < sizeof(text) - 1 ? e->kept : sizeof(text) - 1),
		 e->bytes);
	at = strstr(text, " port ");
	return at ? atoi(at + 6) : -1;
}

/* Reads the events, then gives each connection a program and a peer
 * lane: the program whose port it connected to, else the one started
 * last; the first peer lane no live connection holds. */
static int sl_layout(struct sl_layout *l, const struct hx_buf *events)
{
	struct hx_event_view e;
	int ports[SL_MAX_PROGRAM_LANES], busy[SL_MAX_PEER_LANES];
	int *port_of, latest = -1, cap = 0;
	size_t at = 0;
	int rc;

	memset(l, 0, sizeof(*l));
	while ((rc = hx_events_next(events, &at, &e)) == 1) {
		if (l->nevents == SL_SEQUENCE_ROWS) {
			l->more++;
			continue;
		}
		if (l->nevents == cap) {
			struct hx_event_view *grown;

			cap = cap ? cap * 2 : 64;
			grown =
			    realloc(l->events, (size_t)cap * sizeof(*grown));
			if (!grown)
				return -1;
			l->events = grown;
		}
		l->events[l->nevents++] = e;
		if (e.conn > l->maxconn)
			l->maxconn = e.conn;
	}
	if (rc < 0)
		return -1;
	l->program_of = calloc((size_t)l->maxconn + 1, sizeof(int));
	l->peer_of = calloc((size_t)l->maxconn + 1, sizeof(int));
	l->last_of = calloc((size_t)l->maxconn + 1, sizeof(int));
	port_of = calloc((size_t)l->maxconn + 1, sizeof(int));
	if (!l->program_of || !l->peer_of || !l->last_of || !port_of) {
		free(port_of);
		return -1;
	}
	for (int i = 0; i <= l->maxconn; i++)
		l->program_of[i] = l->peer_of[i] = port_of[i] = -1;
	for (int i = 0; i < l->nevents; i++) {
		const struct hx_event_view *ev = &l->events[i];

		l->last_of[ev->conn] = i;
		if (ev->conn && sl_note_starts(ev, "connected to "))
			port_of[ev->conn] = sl_note_port(ev);
	}
	for (int i = 0; i < SL_MAX_PROGRAM_LANES; i++)
		ports[i] = -1;
	for (int i = 0; i < SL_MAX_PEER_LANES; i++)
		busy[i] = -1;
	for (int i = 0; i < l->nevents; i++) {
		const struct hx_event_view *ev = &l->events[i];
		const char *end;

		if (ev->conn == 0 && sl_note_starts(ev, "started ") &&
		    (end = memmem(ev->bytes, ev->kept, " (pid ", 6))) {
			latest = sl_program_lane(l, ev->bytes + 8,
						 (size_t)(end - ev->bytes) - 8);
		} else if (ev->conn == 0 && ev->dir == '*' &&
			   (end = memmem(ev->bytes, ev->kept,
					 " is ready on port ", 18))) {
			int lane = sl_program_lane(l, ev->bytes,
						   (size_t)(end - ev->bytes));

			ports[lane] = atoi(end + 18);
		}
		if (ev->conn == 0 || l->program_of[ev->conn] >= 0)
			continue;
		/* a connection's first event: its lanes */
		for (int p = 0; p < l->nprograms; p++)
			if (port_of[ev->conn] >= 0 &&
			    ports[p] == port_of[ev->conn])
				l->program_of[ev->conn] = p;
		if (l->program_of[ev->conn] < 0)
			l->program_of[ev->conn] =
			    latest >= 0
				? latest
				: sl_program_lane(l, "your program", 12);
		for (int p = 0; p < SL_MAX_PEER_LANES; p++)
			if (busy[p] < i || p == SL_MAX_PEER_LANES - 1) {
				l->peer_of[ev->conn] = p;
				busy[p] = l->last_of[ev->conn];
				if (p + 1 > l->npeers)
					l->npeers = p + 1;
				break;
			}
	}
	free(port_of);
	return 0;
}

static void sl_layout_free(struct sl_layout *l)
{
	free(l->events);
	free(l->program_of);
	free(l->peer_of);
	free(l->last_of);
}

/* The x of a lane: programs first, then the peers. */
static int sl_lane_x(const struct sl_layout *l, int program, int peer)
{
	int lane = peer >= 0 ? l->nprograms + peer : program;

	return SL_LEFT + SL_GAP / 2 + lane * SL_GAP;
}

/* Escaped length of one byte, as hx_escape writes it. */
static size_t sl_escaped_len(unsigned char ch)
{
	if (ch == '\n' || ch == '\r' || ch == '\t' || ch == '\0' || ch == '\\')
		return 2;
	return ch >= 0x20 && ch < 0x7f ? 1 : 4;
}

/* The bytes of an event, escaped, in at most room characters: both ends
 * and "…" between when they do not fit (or when the event was cut on
 * its way from the sandbox); for SVG text. */
static void sl_bytes_label(struct hx_buf *out, const struct hx_event_view *e,
			   size_t room)
{
	const unsigned char *p = (const unsigned char *)e->bytes;
	size_t total = 0, head = 0, tail = 0, used = 0;
	struct hx_buf text;

	for (size_t i = 0; i < e->kept; i++)
		total += sl_escaped_len(p[i]);
	hx_buf_init(&text);
	if (total <= room && e->kept == e->length) {
		hx_escape(&text, p, e->kept);
	} else {
		while (head < e->kept &&
		       used + sl_escaped_len(p[head]) <= room / 2)
			used += sl_escaped_len(p[head++]);
		used = 0;
		while (tail < e->kept - head &&
		       used + sl_escaped_len(p[e->kept - 1 - tail]) <= room / 2)
			used += sl_escaped_len(p[e->kept - 1 - tail++]);
		hx_escape(&text, p, head);
		hx_buf_addf(&text, "\xe2\x80\xa6");
		hx_escape(&text, p + e->kept - tail, tail);
	}
	sl_escape_xml(out, text.data, text.len);
	hx_buf_free(&text);
}

/* The whole of what came back of an event's bytes, for its tooltip. */
static void sl_bytes_tip(struct hx_buf *out, const struct hx_event_view *e)
{
	struct hx_buf text;

	hx_buf_init(&text);
	if (e->kept == e->length) {
		hx_escape_cut(&text, e->bytes, e->kept, SL_TIP_BYTES);
	} else {
		hx_escape(&text, e->bytes, e->kept / 2);
		hx_buf_addf(&text, " ...[%zu bytes not in the report]... ",
			    e->length - e->kept);
		hx_escape(&text, e->bytes + e->kept / 2, e->kept - e->kept / 2);
	}
	sl_escape_xml(out, text.data, text.len);
	hx_buf_free(&text);
}

/* A note's text, on one line, escaped for SVG. */
static void sl_note_text(struct hx_buf *out, const struct hx_event_view *e)
{
	struct hx_buf line;

	hx_buf_init(&line);
	sl_escape_line(&line, e->bytes, e->kept);
	sl_escape_xml(out, line.data, line.len);
	hx_buf_free(&line);
}

/* What a connection's note stands for on the wire, or -1: a plain note. */
static int sl_wire_note(const struct hx_event_view *e)
{
	for (size_t i = 0; i < sizeof(sl_wire_notes) / sizeof(sl_wire_notes[0]);
	     i++)
		if (sl_note_starts(e, sl_wire_notes[i].starts))
			return (int)i;
	return -1;
}

/* An arrow from x1 to x2 at y, its label above it, what it is below
 * it (connection, size), a tooltip. */
static void sl_arrow(struct hx_buf *out, int x1, int x2, int y,
		     enum sl_shape shape, const char *label, const char *meta,
		     const char *tip)
{
	int dir = x2 > x1 ? 1 : -1;
	const char *cls = shape == SL_RESET   ? "rst"
			  : shape == SL_CLOSE ? "fin"
					      : "msg";

	/* an empty buffer has no bytes yet */
	label = label ? label : "";
	meta = meta ? meta : "";
	tip = tip ? tip : "";

	hx_buf_addf(out, "<g class=\"%s\"><title>%s</title>", cls, tip);
	hx_buf_addf(out,
		    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
		    "<polygon points=\"%d,%d %d,%d %d,%d\"/>",
		    x1, y, x2 - dir * 7, y, x2, y, x2 - dir * 9, y - 4,
		    x2 - dir * 9, y + 4);
	hx_buf_addf(out,
		    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s"
		    "</text><text class=\"meta\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"middle\">%s</text></g>\n",
		    (x1 + x2) / 2, y - 5, label, (x1 + x2) / 2, y + 12, meta);
}

/* One event as a row of the diagram. */
static void sl_draw_event(struct hx_buf *out, const struct sl_layout *l,
			  const struct hx_event_view *e, int y, int width)
{
	struct hx_buf label, meta, tip;
	int program, peer, x_program, x_peer, room, wire;

	hx_buf_init(&label);
	hx_buf_init(&meta);
	hx_buf_init(&tip);
	hx_buf_addf(out, "<text class=\"time\" x=\"%d\" y=\"%d\">%.3f</text>",
		    SL_LEFT - 8, y, (double)e->at_ms / 1000.0);
	if (e->conn == 0) {
		sl_note_text(&label, e);
		hx_buf_addf(
		    out, "<text class=\"note\" x=\"%d\" y=\"%d\">%s</text>\n",
		    SL_LEFT + 8, y, label.data ? label.data : "");
		goto out_free;
	}
	program = l->program_of[e->conn];
	peer = l->peer_of[e->conn];
	x_program = sl_lane_x(l, program, -1);
	x_peer = sl_lane_x(l, -1, peer);
	room = (int)((double)abs(x_peer - x_program) / SL_CHAR_PX) - 6;
	if (room < 12)
		room = 12;
	wire = e->dir == '*' ? sl_wire_note(e) : -1;
	if (e->dir == '>' || e->dir == '<') {
		hx_buf_add(&label, "\"", 1);
		sl_bytes_label(&label, e, (size_t)room);
		hx_buf_add(&label, "\"", 1);
		hx_buf_addf(&meta, "conn %d, %zu byte%s", e->conn, e->length,
			    e->length == 1 ? "" : "s");
		hx_buf_addf(
		    &tip, "connection %d, %s %zu bytes at %.3f s: ", e->conn,
		    e->dir == '>' ? "the harness sent" : "the harness received",
		    e->length, (double)e->at_ms / 1000.0);
		sl_bytes_tip(&tip, e);
		if (e->dir == '>')
			sl_arrow(out, x_peer, x_program, y, SL_ARROW,
				 label.data, meta.data, tip.data);
		else
			sl_arrow(out, x_program, x_peer, y, SL_ARROW,
				 label.data, meta.data, tip.data);
	} else if (wire >= 0) {
		hx_buf_addf(&meta, "conn %d", e->conn);
		if (sl_wire_notes[wire].label[0])
			hx_buf_addf(&label, "%s", sl_wire_notes[wire].label);
		else
			sl_note_text(&label, e);
		sl_note_text(&tip, e);
		if (sl_wire_notes[wire].from_program)
			sl_arrow(out, x_program, x_peer, y,
				 sl_wire_notes[wire].shape, label.data,
				 meta.data, tip.data);
		else
			sl_arrow(out, x_peer, x_program, y,
				 sl_wire_notes[wire].shape, label.data,
				 meta.data, tip.data);
	} else {
		/* a note of the peer's, beside its lane, inside the picture */
		int right = x_peer + 8 + (int)(SL_CHAR_PX * 40) > width;

		sl_note_text(&label, e);
		hx_buf_addf(out,
			    "<text class=\"note\" x=\"%d\" y=\"%d\"%s>conn "
			    "%d: %s</text>\n",
			    right ? x_peer - 8 : x_peer + 8, y,
			    right ? " text-anchor=\"end\"" : "", e->conn,
			    label.data ? label.data : "");
	}
out_free:
	hx_buf_free(&label);
	hx_buf_free(&meta);
	hx_buf_free(&tip);
}

/* The lanes' heads and lifelines. */
static void sl_draw_lanes(struct hx_buf *out, const struct sl_layout *l,
			  int height)
{
	for (int i = 0; i < l->nprograms + l->npeers; i++) {
		int program = i < l->nprograms ? i : -1;
		int peer = i < l->nprograms ? -1 : i - l->nprograms;
		int x = sl_lane_x(l, program, peer);
		struct hx_buf name;

		hx_buf_init(&name);
		if (program >= 0)
			sl_escape_xml(&name, l->programs[i],
				      strlen(l->programs[i]));
		else
			hx_buf_addf(&name, "harness peer %d", peer + 1);
		hx_buf_addf(
		    out,
		    "<g class=\"lane %s\"><rect x=\"%d\" y=\"6\" "
		    "width=\"%d\" height=\"34\" rx=\"5\"/>"
		    "<text x=\"%d\" y=\"21\" text-anchor=\"middle\">%s"
		    "</text><text class=\"who\" x=\"%d\" y=\"34\" "
		    "text-anchor=\"middle\">%s</text>"
		    "<line x1=\"%d\" y1=\"40\" x2=\"%d\" y2=\"%d\"/></g>\n",
		    program >= 0 ? "program" : "peer", x - 90, 180, x,
		    name.data, x, program >= 0 ? "your program" : "the grader",
		    x, x, height - 6);
		hx_buf_free(&name);
	}
}

int sl_sequence_svg(struct hx_buf *out, const struct hx_buf *events)
{
	struct sl_layout l;
	int width, height;

	if (events->len == 0)
		return 0;
	if (sl_layout(&l, events) < 0) {
		sl_layout_free(&l);
		return -1;
	}
	if (l.nevents == 0) {
		sl_layout_free(&l);
		return 0;
	}
	width = SL_LEFT + SL_GAP * (l.nprograms + l.npeers);
	if (width < 640)
		width = 640;
	height = SL_TOP + SL_ROW * (l.nevents + (l.more > 0)) + 10;
	hx_buf_addf(
	    out,
	    "<svg class=\"sequence\" xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
	    "role=\"img\">\n",
	    width, height, width, height);
	hx_buf_addf(out, "<title>the exchange, one row per event, times in "
			 "seconds</title>\n");
	sl_draw_lanes(out, &l, height);
	for (int i = 0; i < l.nevents; i++)
		sl_draw_event(out, &l, &l.events[i], SL_TOP + 14 + SL_ROW * i,
			      width);
	if (l.more)
		hx_buf_addf(out,
			    "<text class=\"note\" x=\"%d\" y=\"%d\">and %d "
			    "events more, not drawn (the transcript has them)"
			    "</text>\n",
			    SL_LEFT + 8, SL_TOP + 14 + SL_ROW * l.nevents,
			    l.more);
	hx_buf_addf(out, "</svg>\n");
	sl_layout_free(&l);
	return l.nevents;
}
