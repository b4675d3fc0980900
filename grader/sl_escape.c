/* sl_escape.c - a submission's text escaped for terminals, text files,
 * Markdown, CSV, JSON and XML (the rules are in sl_escape.h). */
#define _GNU_SOURCE
#include "sl_escape.h"

#include <stdint.h>
#include <string.h>

/* One character of a submission's text. */
struct sl_char {
	size_t len;    /* bytes it takes (1 for a byte that is not UTF-8) */
	uint32_t code; /* its code point, or the byte's value */
	int valid;     /* 1 when it is valid UTF-8 */
	int shown;     /* 1 when it may be shown as it is */
};

/* 1 for a character that acts on a display rather than showing: a
 * control, a line or paragraph separator, a direction mark or override;
 * and U+FFFE, U+FFFF, which XML cannot hold. */
static int sl_acts_on_display(uint32_t code)
{
	return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code == 0x61c ||
	       code == 0x200e || code == 0x200f ||
	       (code >= 0x2028 && code <= 0x202e) ||
	       (code >= 0x2066 && code <= 0x2069) || code == 0xfffe ||
	       code == 0xffff;
}

/* Reads the character at p, which has left > 0 bytes. */
static struct sl_char sl_next_char(const unsigned char *p, size_t left)
{
	struct sl_char ch = {1, p[0], 0, 0};
	uint32_t code, least;
	size_t len;

	if (p[0] < 0x80) {
		len = 1, code = p[0], least = 0;
	} else if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2, code = p[0] & 0x1f, least = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3, code = p[0] & 0x0f, least = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4, code = p[0] & 0x07, least = 0x10000;
	} else {
		return ch;
	}
	if (len > left)
		return ch;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return ch;
		code = code << 6 | (p[i] & 0x3f);
	}
	/* overlong forms and surrogates are not UTF-8 */
	if (code < least || code > 0x10ffff ||
	    (code >= 0xd800 && code <= 0xdfff))
		return ch;
	ch.len = len;
	ch.code = code;
	ch.valid = 1;
	ch.shown = !sl_acts_on_display(code);
	return ch;
}

/* The text rules, with line feeds and tabs kept or escaped. */
static int sl_escape_plain(struct hx_buf *out, const void *data, size_t len,
			   int keep_lines)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len;) {
		struct sl_char ch = sl_next_char(p + i, len - i);
		int rc;

		if (ch.shown || (keep_lines && (p[i] == '\n' || p[i] == '\t')))
			rc = hx_buf_add(out, p + i, ch.len);
		else
			rc = hx_escape(out, p + i, ch.len);
		if (rc < 0)
			return -1;
		i += ch.len;
	}
	return 0;
}

int sl_escape_text(struct hx_buf *out, const void *data, size_t len)
{
	return sl_escape_plain(out, data, len, 1);
}

int sl_escape_line(struct hx_buf *out, const void *data, size_t len)
{
	return sl_escape_plain(out, data, len, 0);
}

/* A code span of len > 0 bytes of text that holds no line break. */
static int sl_code_span(struct hx_buf *out, const char *text, size_t len)
{
	size_t run = 0, longest = 0;
	int spaces_only = 1, pad, rc = 0;

	for (size_t i = 0; i < len; i++) {
		run = text[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
		spaces_only &= text[i] == ' ';
	}
	/* a space at each end keeps a backtick there from joining the fence;
	 * a reader strips one space from each end of a span that has one at
	 * both (unless it holds nothing else), so such a value is padded too,
	 * to keep its own */
	pad = text[0] == '`' || text[len - 1] == '`' ||
	      (text[0] == ' ' && text[len - 1] == ' ' && !spaces_only);
	for (size_t i = 0; i <= longest; i++)
		rc |= hx_buf_add(out, "`", 1);
	if (pad)
		rc |= hx_buf_add(out, " ", 1);
	rc |= hx_buf_add(out, text, len);
	if (pad)
		rc |= hx_buf_add(out, " ", 1);
	for (size_t i = 0; i <= longest; i++)
		rc |= hx_buf_add(out, "`", 1);
	return rc < 0 ? -1 : 0;
}

int sl_escape_markdown(struct hx_buf *out, const void *data, size_t len)
{
	struct hx_buf line;
	const char *p, *end;
	int rc;

	hx_buf_init(&line);
	rc = sl_escape_line(&line, data, len);
	p = line.data;
	end = p + line.len;
	while (rc == 0 && p < end) {
		const char *bar = memchr(p, '|', (size_t)(end - p));
		size_t n = bar ? (size_t)(bar - p) : (size_t)(end - p);

		if (n)
			rc = sl_code_span(out, p, n);
		if (rc < 0 || !bar)
			break;
		rc = hx_buf_add(out, "\\|", 2);
		p = bar + 1;
	}
	hx_buf_free(&line);
	return rc;
}

int sl_escape_csv(struct hx_buf *out, const void *data, size_t len)
{
	struct hx_buf line;
	int rc, quote;

	hx_buf_init(&line);
	/* one line: a tab or CR is escaped, so only these can start a
	 * formula */
	rc = sl_escape_line(&line, data, len);
	quote = line.len && memchr(line.data, ',', line.len);
	quote |= line.len && memchr(line.data, '"', line.len);
	if (rc == 0 && quote)
		rc = hx_buf_add(out, "\"", 1);
	if (rc == 0 && line.len && strchr("=+-@", line.data[0]))
		rc = hx_buf_add(out, "'", 1);
	for (size_t i = 0; rc == 0 && i < line.len; i++)
		rc = line.data[i] == '"' ? hx_buf_add(out, "\"\"", 2)
					 : hx_buf_add(out, line.data + i, 1);
	if (rc == 0 && quote)
		rc = hx_buf_add(out, "\"", 1);
	hx_buf_free(&line);
	return rc < 0 ? -1 : 0;
}

int sl_escape_json(struct hx_buf *out, const void *data, size_t len)
{
	const unsigned char *p = data;
	int rc = hx_buf_add(out, "\"", 1);

	for (size_t i = 0; rc == 0 && i < len;) {
		struct sl_char ch = sl_next_char(p + i, len - i);

		if (ch.shown && (p[i] == '"' || p[i] == '\\'))
			rc = hx_buf_addf(out, "\\%c", p[i]);
		else if (ch.shown)
			rc = hx_buf_add(out, p + i, ch.len);
		else if (ch.valid && ch.code == '\n')
			rc = hx_buf_add(out, "\\n", 2);
		else if (ch.valid && ch.code == '\t')
			rc = hx_buf_add(out, "\\t", 2);
		else if (ch.valid) /* every such code point is below 0x10000 */
			rc = hx_buf_addf(out, "\\u%04x", (unsigned)ch.code);
		else
			rc = hx_buf_add(out, "\\ufffd", 6);
		i += ch.len;
	}
	return rc < 0 || hx_buf_add(out, "\"", 1) < 0 ? -1 : 0;
}

int sl_escape_xml(struct hx_buf *out, const void *data, size_t len)
{
	const unsigned char *p = data;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < len;) {
		struct sl_char ch = sl_next_char(p + i, len - i);
		const char *entity = NULL;

		switch (ch.code) { /* a byte that is not UTF-8 is >= 0x80 */
		case '<':
			entity = "&lt;";
			break;
		case '>':
			entity = "&gt;";
			break;
		case '&':
			entity = "&amp;";
			break;
		case '"':
			entity = "&quot;";
			break;
		case '\'':
			entity = "&apos;";
			break;
		case '\n':
			entity = "&#10;";
			break;
		case '\t':
			entity = "&#9;";
			break;
		}
		if (entity)
			rc = hx_buf_add(out, entity, strlen(entity));
		else if (ch.shown)
			rc = hx_buf_add(out, p + i, ch.len);
		else
			rc = hx_escape(out, p + i, ch.len);
		i += ch.len;
	}
	return rc;
}

int sl_put_bytes(FILE *out, sl_escape_fn *escape, const void *data, size_t len)
{
	struct hx_buf text;
	int rc;

	hx_buf_init(&text);
	rc = escape(&text, data ? data : "", data ? len : 0);
	if (rc == 0 && text.len &&
	    fwrite(text.data, 1, text.len, out) != text.len)
		rc = -1;
	hx_buf_free(&text);
	return rc;
}

int sl_put(FILE *out, sl_escape_fn *escape, const char *text)
{
	return sl_put_bytes(out, escape, text, text ? strlen(text) : 0);
}
