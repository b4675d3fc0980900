/* sl_sequence.h - a check's exchange drawn as a sequence diagram.
 *
 * From a verdict's events (harness/hx_events.h): one lane per program of
 * the student's (the labels the harness started them under) and per peer
 * of the harness (a lane is reused by a later connection once an earlier
 * one has ended), an arrow per send with its bytes, escaped, and its time,
 * connections, closes and resets marked, the harness's own notes between.
 * The result is inline SVG for an HTML page: no script, no font, no
 * address outside the page; every byte of the exchange escaped.
 */
#ifndef SL_SEQUENCE_H
#define SL_SEQUENCE_H

#include "../harness/hx_text.h"

#define SL_SEQUENCE_ROWS 400 /* events drawn at most */

/* Appends the diagram to out: the number of events drawn, 0 when there
 * are none, -1 when the events cannot be read. */
int sl_sequence_svg(struct hx_buf *out, const struct hx_buf *events);

#endif
