/* hx_text.h - growable byte buffers and the text helpers feedback is made of.
 */
#ifndef HX_TEXT_H
#define HX_TEXT_H

#include <stdarg.h>
#include <stddef.h>

/* A growable byte buffer; always NUL-terminated so text can be printed. */
struct hx_buf {
	char *data; /* bytes, followed by one NUL not counted in len */
	size_t len; /* bytes in use */
	size_t cap; /* bytes allocated */
};

void hx_buf_init(struct hx_buf *b);
void hx_buf_free(struct hx_buf *b);
void hx_buf_clear(struct hx_buf *b);
/* Appends len bytes; returns 0, or -1 when memory runs out. */
int hx_buf_add(struct hx_buf *b, const void *data, size_t len);
int hx_buf_addf(struct hx_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int hx_buf_vaddf(struct hx_buf *b, const char *fmt, va_list ap);

/* Appends data with every byte that is not printable ASCII written as a C
 * escape (\n, \r, \t, \0, \\, \xNN), so feedback shows what was really sent. */
int hx_escape(struct hx_buf *out, const void *data, size_t len);

/* Index of the first byte where a and b differ, or -1 when they are equal. */
long hx_first_difference(const void *a, size_t alen, const void *b,
			 size_t blen);

/* Appends the escaped text, cut in the middle (" ...[N bytes cut]... ")
 * when its escaped form is longer than max: both ends stay visible, and
 * no escape is split. */
int hx_escape_cut(struct hx_buf *out, const void *data, size_t len, size_t max);

/* Name of a signal ("SIGSEGV"), or "signal N". */
const char *hx_signal_name(int sig);

#endif
