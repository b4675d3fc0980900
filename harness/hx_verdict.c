/* hx_verdict.c - frames on the sandbox's pipe, and the verdict in them. */
#define _GNU_SOURCE
#include "hx_verdict.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx_capture.h"
#include "hx_events.h"

/* Room kept at the end of a cut field for its marker, " ...[N bytes
 * cut]", whatever N. */
#define HX_MARKER_ROOM 48
/* Room kept in the notes for the lines that say which field was cut. */
#define HX_CUT_NOTES_ROOM 1024

int hx_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void hx_frame_put(struct hx_buf *out, char tag, const void *data, size_t len)
{
	uint32_t n = (uint32_t)len;

	hx_buf_add(out, &tag, 1);
	hx_buf_add(out, &n, sizeof(n));
	hx_buf_add(out, data, len);
}

int hx_frame_next(const struct hx_buf *in, size_t *at, char *tag,
		  const char **bytes, uint32_t *len)
{
	if (*at == in->len)
		return 0;
	if (*at + 5 > in->len)
		return -1;
	memcpy(len, in->data + *at + 1, sizeof(*len));
	if (*len > in->len - *at - 5)
		return -1;
	*tag = in->data[*at];
	*bytes = in->data + *at + 5;
	*at += 5 + *len;
	return 1;
}

size_t hx_field_add(struct hx_buf *field, const void *data, size_t len,
		    size_t max)
{
	size_t keep;

	if (field->len + len <= max) {
		hx_buf_add(field, data, len);
		return 0;
	}
	/* full already, marker included: the rest goes */
	if (field->len + HX_MARKER_ROOM > max)
		return len;
	keep = max - field->len - HX_MARKER_ROOM;
	hx_buf_add(field, data, keep);
	hx_buf_addf(field, " ...[%zu bytes cut]", len - keep);
	return len - keep;
}

/* Frames one field of a check, cut to max; a line in cuts names what was
 * cut, for the notes. */
static void hx_field_put(struct hx_buf *out, char tag, const char *name,
			 const struct hx_buf *field, size_t max,
			 struct hx_buf *cuts)
{
	struct hx_buf kept;
	size_t cut;

	hx_buf_init(&kept);
	cut = hx_field_add(&kept, field->data, field->len, max);
	hx_frame_put(out, tag, kept.data, kept.len);
	if (cut && cuts)
		hx_buf_addf(cuts,
			    "the %s was %zu bytes: the grader keeps the first "
			    "%zu\n",
			    name, field->len, field->len - cut);
	hx_buf_free(&kept);
}

void hx_verdict_init(struct hx_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->diff_at = -1;
	v->cpu_ms = -1;
	hx_buf_init(&v->message);
	hx_buf_init(&v->expected);
	hx_buf_init(&v->actual);
	hx_buf_init(&v->notes);
	hx_buf_init(&v->memcheck);
	hx_buf_init(&v->transcript);
	hx_buf_init(&v->cause_text);
	hx_buf_init(&v->capture);
	hx_buf_init(&v->capture_note);
	hx_buf_init(&v->events);
}

void hx_verdict_free(struct hx_verdict *v)
{
	hx_buf_free(&v->message);
	hx_buf_free(&v->expected);
	hx_buf_free(&v->actual);
	hx_buf_free(&v->notes);
	hx_buf_free(&v->memcheck);
	hx_buf_free(&v->transcript);
	hx_buf_free(&v->cause_text);
	hx_buf_free(&v->capture);
	hx_buf_free(&v->capture_note);
	hx_buf_free(&v->events);
}

int hx_verdict_send(int fd, const struct hx_check *c)
{
	struct hx_buf out, transcript, notes, cuts;
	char number[32];
	int rc;

	hx_buf_init(&out);
	hx_buf_init(&transcript);
	hx_buf_init(&notes);
	hx_buf_init(&cuts);
	number[0] = (char)c->status;
	hx_frame_put(&out, 'S', number, 1);
	snprintf(number, sizeof(number), "%ld", c->diff_at);
	hx_frame_put(&out, 'D', number, strlen(number));
	/* a program decides how long its output and its files are: each
	 * field is cut, so a check's verdict stays small */
	hx_field_put(&out, 'M', "message", &c->message, HX_FIELD_MAX, &cuts);
	hx_field_put(&out, 'E', "expected value", &c->expected, HX_FIELD_MAX,
		     &cuts);
	hx_field_put(&out, 'A', "actual value", &c->actual, HX_FIELD_MAX,
		     &cuts);
	/* the notes say what was cut, where every report shows them */
	hx_field_add(&notes, c->notes.data, c->notes.len,
		     HX_FIELD_MAX - HX_CUT_NOTES_ROOM);
	hx_field_add(&notes, cuts.data, cuts.len, HX_FIELD_MAX);
	hx_frame_put(&out, 'N', notes.data, notes.len);
	hx_field_put(&out, 'V', "memcheck", &c->memcheck, HX_FIELD_MAX, NULL);
	number[0] = (char)c->cause;
	hx_frame_put(&out, 'C', number, 1);
	hx_field_put(&out, 'W', "cause", &c->cause_text, HX_FIELD_MAX, NULL);
	hx_transcript_render(c, &transcript);
	hx_field_put(&out, 'T', "transcript", &transcript, HX_TRANSCRIPT_MAX,
		     NULL);
	hx_frame_put(&out, '.', "", 0);
	rc = hx_write_all(fd, out.data, out.len);
	hx_buf_free(&out);
	hx_buf_free(&transcript);
	hx_buf_free(&notes);
	hx_buf_free(&cuts);
	return rc;
}

int hx_verdict_parse(const struct hx_buf *data, struct hx_verdict *v)
{
	const char *bytes;
	size_t at = 0;
	uint32_t n;
	char tag;

	while (hx_frame_next(data, &at, &tag, &bytes, &n) == 1) {
		char number[32];

		switch (tag) {
		case 'S':
			v->status = n ? (enum hx_status)bytes[0] : HX_ERROR;
			break;
		case 'D':
			snprintf(number, sizeof(number), "%.*s",
				 (int)(n < 31 ? n : 31), bytes);
			v->diff_at = strtol(number, NULL, 10);
			break;
		case 'M':
			hx_field_add(&v->message, bytes, n, HX_FIELD_MAX);
			break;
		case 'E':
			hx_field_add(&v->expected, bytes, n, HX_FIELD_MAX);
			break;
		case 'A':
			hx_field_add(&v->actual, bytes, n, HX_FIELD_MAX);
			break;
		case 'N':
			hx_field_add(&v->notes, bytes, n, HX_FIELD_MAX);
			break;
		case 'V':
			hx_field_add(&v->memcheck, bytes, n, HX_FIELD_MAX);
			break;
		case 'T':
			hx_field_add(&v->transcript, bytes, n,
				     HX_TRANSCRIPT_MAX);
			break;
		case 'C':
			v->cause =
			    n && (unsigned char)bytes[0] <= HX_CAUSE_SANITIZER
				? (enum hx_cause)bytes[0]
				: HX_CAUSE_NONE;
			break;
		case 'W':
			hx_field_add(&v->cause_text, bytes, n, HX_FIELD_MAX);
			break;
		case HX_FRAME_CAPTURE:
			hx_buf_add(&v->capture, bytes, n);
			break;
		case HX_FRAME_CAPTURE_NOTE:
			hx_buf_add(&v->capture_note, bytes, n);
			break;
		case HX_FRAME_EVENTS:
			hx_buf_add(&v->events, bytes, n);
			break;
		case '.':
			return 0;
		default:
			return -1;
		}
	}
	return -1;
}
