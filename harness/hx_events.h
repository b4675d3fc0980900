/* hx_events.h - the transcript as data, for reports that draw it.
 *
 * The rendered transcript (hx_transcript_render) is text for people.
 * A report that draws the exchange (the HTML report's sequence diagram)
 * needs each event's time, connection and direction as values, and its
 * bytes as they were: hx_events_send puts them on the verdict pipe as one
 * frame, before the verdict, and hx_events_next reads them back.
 *
 * The frame holds one frame per event (hx_verdict.h): the tag is the
 * event's direction ('>' the harness sent, '<' it received, '*' a note),
 * the bytes an 8-byte time in milliseconds since the check started, a
 * 4-byte connection number, the 4-byte length of the event's bytes, then
 * those bytes, or, past HX_EVENT_BYTES, their first and last halves of
 * it. At most HX_EVENTS_MAX events are sent, the first ones.
 */
#ifndef HX_EVENTS_H
#define HX_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "hx_check.h"

#define HX_FRAME_EVENTS 'R'  /* the frame of the events */
#define HX_EVENTS_MAX	2000 /* events sent, the first ones */
#define HX_EVENT_BYTES	512  /* bytes sent of one event, both ends */

/* One event as it comes back. */
struct hx_event_view {
	int64_t at_ms;	   /* milliseconds since the check started */
	int conn;	   /* connection number, 0 for process events */
	char dir;	   /* '>' harness sent, '<' received, '*' a note */
	size_t length;	   /* bytes the event had */
	const char *bytes; /* the bytes kept: all, or both ends of them */
	size_t kept;	   /* how many: length, or HX_EVENT_BYTES */
};

/* Writes the frame of c's events to fd; 0 or -1. */
int hx_events_send(int fd, const struct hx_check *c);
/* The events as a frame's bytes, appended to out. */
void hx_events_put(const struct hx_check *c, struct hx_buf *out);
/* The next event of a frame's bytes from *at: 1 (and *at moves past
 * it), 0 at the end, -1 when the bytes are not events. */
int hx_events_next(const struct hx_buf *events, size_t *at,
		   struct hx_event_view *e);
#endif
