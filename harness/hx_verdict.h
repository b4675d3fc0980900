/* hx_verdict.h - what a sandbox sends back, and how it is framed.
 *
 * Everything crosses the pipe as frames: a tag byte, a 4-byte length, the
 * bytes. A check's verdict is a list of frames ended by '.'; a sandbox
 * whose setup failed sends one 'X' frame naming the failed step. Frames
 * a check sends before its verdict's own (a capture, the transcript's
 * events) are kept as they come. The
 * parent parses only frames: nothing a student's program prints is read
 * as a verdict.
 */
#ifndef HX_VERDICT_H
#define HX_VERDICT_H

#include <stdint.h>

#include "hx_check.h"

/* What came back from a check's sandbox. */
struct hx_verdict {
	enum hx_status status;	  /* pass, fail, ... */
	long diff_at;		  /* first differing byte, or -1 */
	struct hx_buf message;	  /* what went wrong */
	struct hx_buf expected;	  /* full expected value */
	struct hx_buf actual;	  /* full actual value */
	struct hx_buf notes;	  /* program logs and extra lines */
	struct hx_buf memcheck;	  /* Valgrind findings */
	struct hx_buf transcript; /* rendered transcript */
	enum hx_cause cause;	  /* what made it fail, if named */
	struct hx_buf cause_text; /* that cause, in one line */
	int64_t duration_ms;	  /* wall time of the sandbox */
	int64_t cpu_ms;		  /* CPU time of its processes, -1 unknown */
	struct hx_buf capture;	  /* its packets, a pcap file (hx_capture.h) */
	struct hx_buf capture_note; /* what the capture lacks, or why none */
	struct hx_buf events;	    /* the transcript as data (hx_events.h) */
};

/* Frames, the format of everything a sandbox sends: a tag byte, a 4-byte
 * length, the bytes. */
void hx_frame_put(struct hx_buf *out, char tag, const void *data, size_t len);
/* The frame at *at: 1 (and *at moves past it), 0 at the end of the data,
 * -1 when the data is cut short. */
int hx_frame_next(const struct hx_buf *in, size_t *at, char *tag,
		  const char **bytes, uint32_t *len);
/* Writes all of data to fd; 0 or -1. */
int hx_write_all(int fd, const void *data, size_t len);

/* Most bytes of one field of a verdict (its message, values, notes,
 * Valgrind's findings, cause), and of its transcript: a program that
 * prints without end, or a file of a gigabyte, must not make the grader
 * hold and write as much. A longer field keeps its start and ends in
 * " ...[N bytes cut]", within the limit; the notes say which was cut. */
#define HX_FIELD_MAX	  (64u << 10)
#define HX_TRANSCRIPT_MAX (512u << 10)

/* Appends data to field, cut as above so that field stays within max
 * bytes, marker included. How many bytes of data were cut. */
size_t hx_field_add(struct hx_buf *field, const void *data, size_t len,
		    size_t max);

/* Inside the sandbox: serialise a finished check to fd, each field cut
 * to its limit. */
int hx_verdict_send(int fd, const struct hx_check *c);
/* Parse what hx_verdict_send wrote, each field cut to its limit again
 * (the grader trusts no sandbox with its memory); -1 if it is
 * incomplete. */
int hx_verdict_parse(const struct hx_buf *data, struct hx_verdict *v);
void hx_verdict_init(struct hx_verdict *v);
void hx_verdict_free(struct hx_verdict *v);

#endif
