/* hx_text.c - byte buffers, escaping, differences, signal names. */
#define _GNU_SOURCE
#include "hx_text.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hx_buf_init(struct hx_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void hx_buf_free(struct hx_buf *b)
{
	free(b->data);
	hx_buf_init(b);
}

void hx_buf_clear(struct hx_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static int hx_buf_reserve(struct hx_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	size_t cap = b->cap ? b->cap : 64;
	char *data;

	if (need <= b->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	data = realloc(b->data, cap);
	if (!data)
		return -1;
	b->data = data;
	b->cap = cap;
	return 0;
}

int hx_buf_add(struct hx_buf *b, const void *data, size_t len)
{
	if (hx_buf_reserve(b, len) < 0)
		return -1;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int hx_buf_vaddf(struct hx_buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0 || hx_buf_reserve(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int hx_buf_addf(struct hx_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = hx_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

/* Escaped form of one byte into out (at most 5 characters). */
static size_t hx_escape_byte(unsigned char ch, char out[5])
{
	switch (ch) {
	case '\n':
		memcpy(out, "\\n", 2);
		return 2;
	case '\r':
		memcpy(out, "\\r", 2);
		return 2;
	case '\t':
		memcpy(out, "\\t", 2);
		return 2;
	case '\0':
		memcpy(out, "\\0", 2);
		return 2;
	case '\\':
		memcpy(out, "\\\\", 2);
		return 2;
	}
	if (ch >= 0x20 && ch < 0x7f) {
		out[0] = (char)ch;
		return 1;
	}
	snprintf(out, 5, "\\x%02x", ch);
	return 4;
}

int hx_escape(struct hx_buf *out, const void *data, size_t len)
{
	const unsigned char *p = data;
	char piece[5];

	for (size_t i = 0; i < len; i++)
		if (hx_buf_add(out, piece, hx_escape_byte(p[i], piece)) < 0)
			return -1;
	return 0;
}

long hx_first_difference(const void *a, size_t alen, const void *b, size_t blen)
{
	const unsigned char *x = a, *y = b;
	size_t n = alen < blen ? alen : blen;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return (long)i;
	return alen == blen ? -1 : (long)n;
}

int hx_escape_cut(struct hx_buf *out, const void *data, size_t len, size_t max)
{
	const unsigned char *p = data;
	size_t escaped = 0, head = 0, tail = 0, used = 0, keep;
	char piece[5];

	for (size_t i = 0; i < len; i++)
		escaped += hx_escape_byte(p[i], piece);
	if (escaped <= max || max < 64)
		return hx_escape(out, data, len);
	/* keep whole escapes from both ends; the middle is what is least
	 * often needed, and the marker says how many bytes it held */
	keep = (max - 32) / 2;
	while (head < len && used + hx_escape_byte(p[head], piece) <= keep)
		used += hx_escape_byte(p[head++], piece);
	used = 0;
	while (tail < len - head &&
	       used + hx_escape_byte(p[len - 1 - tail], piece) <= keep)
		used += hx_escape_byte(p[len - 1 - tail++], piece);
	if (hx_escape(out, p, head) < 0 ||
	    hx_buf_addf(out, " ...[%zu bytes cut]... ", len - head - tail) < 0)
		return -1;
	return hx_escape(out, p + len - tail, tail);
}

const char *hx_signal_name(int sig)
{
	static const struct {
		int sig;
		const char *name;
	} names[] = {
	    {SIGHUP, "SIGHUP"},	  {SIGINT, "SIGINT"},	{SIGQUIT, "SIGQUIT"},
	    {SIGILL, "SIGILL"},	  {SIGTRAP, "SIGTRAP"}, {SIGABRT, "SIGABRT"},
	    {SIGBUS, "SIGBUS"},	  {SIGFPE, "SIGFPE"},	{SIGKILL, "SIGKILL"},
	    {SIGUSR1, "SIGUSR1"}, {SIGSEGV, "SIGSEGV"}, {SIGUSR2, "SIGUSR2"},
	    {SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"}, {SIGTERM, "SIGTERM"},
	    {SIGCHLD, "SIGCHLD"}, {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"},
	    {SIGSYS, "SIGSYS"},
	};
	static __thread char other[24];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].sig == sig)
			return names[i].name;
	snprintf(other, sizeof(other), "signal %d", sig);
	return other;
}
