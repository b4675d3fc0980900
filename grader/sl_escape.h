/* sl_escape.h - text from a submission made safe for the place it is
 * shown: one function per destination, used by every reporter.
 *
 * A submission's bytes (its programs' output, its file names, its
 * compiler's messages) reach terminals, text files, Markdown, CSV, JSON
 * and XML. Each of those gives some bytes a meaning (an escape sequence,
 * a link, a formula, the end of a string); each function below writes
 * the bytes so that they keep none, and so that a reader still sees what
 * the program sent.
 *
 * What is a character to show as it is, in every destination: printable
 * ASCII, and valid UTF-8 (no overlong forms, no surrogates) except the
 * characters that act on a display: C0 and C1 controls and DEL (a C1
 * CSI, U+009B, starts an escape sequence in some terminals), U+2028 and
 * U+2029 (line breaks to some readers), the bidirectional marks and
 * overrides (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069: they
 * reorder what a reader sees), and U+FFFE and U+FFFF (XML cannot hold
 * them). A byte that is not part of valid UTF-8 is never shown as it is:
 * a lone 0x80-0x9f byte is an 8-bit control to a terminal that is not in
 * UTF-8 mode.
 *
 * Each function appends to out and returns 0, or -1 when memory runs out.
 */
#ifndef SL_ESCAPE_H
#define SL_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

#include "../harness/hx_text.h"

/* The shape every escaping function has. */
typedef int sl_escape_fn(struct hx_buf *out, const void *data, size_t len);

/* Terminal and plain-text files, for text laid out in lines (stderr,
 * compiler output, notes, messages): line feeds and tabs are kept; every
 * other byte that is not shown as it is is written as a C escape, the
 * way values are shown (\r, \0, \x1b; the bytes of a character that acts
 * on a display one by one: \xe2\x80\xae). A backslash stays as it is. */
int sl_escape_text(struct hx_buf *out, const void *data, size_t len);

/* The same for a value shown on one line (a file name, a field): a line
 * feed is \n, a tab \t. */
int sl_escape_line(struct hx_buf *out, const void *data, size_t len);

/* Markdown (GitHub-flavoured, as GitHub renders it, HTML included): the
 * value on one line as sl_escape_line writes it, in code spans, where no
 * link, image, HTML tag, emphasis, mention or autolink is live. Each
 * span's fence of backticks is longer than any run of backticks in the
 * value, so the value cannot close it; a pipe is written between spans
 * as \|, so it cannot end a table cell and shows as a pipe both in a
 * table and in running text. */
int sl_escape_markdown(struct hx_buf *out, const void *data, size_t len);

/* A whole CSV field: the value on one line as sl_escape_line writes it
 * (so no tab, CR or line feed is left), a ' before a value that starts
 * with =, +, - or @ (a spreadsheet would take it for a formula), in
 * double quotes with quotes doubled when it holds a comma or a quote. */
int sl_escape_csv(struct hx_buf *out, const void *data, size_t len);

/* A whole JSON string, quotes included. Valid UTF-8 passes through as it
 * is; controls and the characters that act on a display are \u escapes
 * of their code points (\n and \t as such), so nothing is lost; a byte
 * that is not part of valid UTF-8 becomes U+FFFD, \ufffd, one for each
 * such byte. */
int sl_escape_json(struct hx_buf *out, const void *data, size_t len);

/* XML text or an attribute value: markup characters as entities, a line
 * feed as &#10; and a tab as &#9;, valid UTF-8 as it is; every other byte
 * that is not shown as it is is written as a C escape, as sl_escape_line
 * does (XML 1.0 cannot hold most controls at all). */
int sl_escape_xml(struct hx_buf *out, const void *data, size_t len);

/* Writes text (NULL is empty) to out as escape makes it; 0 or -1. */
int sl_put(FILE *out, sl_escape_fn *escape, const char *text);
/* The same for len bytes of data (NULL when len is 0). */
int sl_put_bytes(FILE *out, sl_escape_fn *escape, const void *data, size_t len);

#endif
