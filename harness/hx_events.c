/* hx_events.c - the transcript's events in a frame, and read back. */
#define _GNU_SOURCE
#include "hx_events.h"

#include <string.h>

#include "hx_verdict.h"

#define HX_EVENT_HEAD 16 /* time, connection, length */

void hx_events_put(const struct hx_check *c, struct hx_buf *out)
{
	struct hx_buf event;
	int n = c->nevents < HX_EVENTS_MAX ? c->nevents : HX_EVENTS_MAX;

	hx_buf_init(&event);
	for (int i = 0; i < n; i++) {
		const struct hx_event *e = &c->events[i];
		int64_t at = e->at_ms;
		int32_t conn = e->conn;
		uint32_t length = (uint32_t)e->bytes.len;
		size_t half = HX_EVENT_BYTES / 2;

		hx_buf_clear(&event);
		hx_buf_add(&event, &at, sizeof(at));
		hx_buf_add(&event, &conn, sizeof(conn));
		hx_buf_add(&event, &length, sizeof(length));
		if (e->bytes.len <= HX_EVENT_BYTES) {
			hx_buf_add(&event, e->bytes.data, e->bytes.len);
		} else {
			hx_buf_add(&event, e->bytes.data, half);
			hx_buf_add(&event, e->bytes.data + e->bytes.len - half,
				   half);
		}
		hx_frame_put(out, e->dir, event.data, event.len);
	}
	hx_buf_free(&event);
}

int hx_events_send(int fd, const struct hx_check *c)
{
	struct hx_buf events, out;
	int rc;

	hx_buf_init(&events);
	hx_buf_init(&out);
	hx_events_put(c, &events);
	hx_frame_put(&out, HX_FRAME_EVENTS, events.data, events.len);
	rc = hx_write_all(fd, out.data, out.len);
	hx_buf_free(&events);
	hx_buf_free(&out);
	return rc;
}

int hx_events_next(const struct hx_buf *events, size_t *at,
		   struct hx_event_view *e)
{
	const char *bytes;
	uint32_t n, length;
	int32_t conn;
	int rc;

	rc = hx_frame_next(events, at, &e->dir, &bytes, &n);
	if (rc <= 0)
		return rc;
	if (n < HX_EVENT_HEAD)
		return -1;
	memcpy(&e->at_ms, bytes, sizeof(e->at_ms));
	memcpy(&conn, bytes + 8, sizeof(conn));
	memcpy(&length, bytes + 12, sizeof(length));
	e->conn = conn;
	e->length = length;
	e->bytes = bytes + HX_EVENT_HEAD;
	e->kept = n - HX_EVENT_HEAD;
	if (e->kept > e->length ||
	    (e->kept < e->length && e->kept != HX_EVENT_BYTES))
		return -1;
	return 1;
}
