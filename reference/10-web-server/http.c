/* http.c - lab 10: reading requests and naming things, for web.c.
 *
 * Nothing here touches a socket except writen: parse_request works on
 * the bytes of a head already received, so it can be tried on strings.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "http.h"

int parse_port(const char *text)
{
	char *end;  /* strtol leaves here the first byte it did not use */
	long value; /* the number read */

	/* strtol would skip spaces and accept a sign: ask for a digit first. */
	if (!isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	value = strtol(text, &end, 10);
	if (errno != 0 || *end != '\0' || value < 1 || value > 65535)
		return -1;
	return (int)value;
}

ssize_t writen(int fd, const void *buf, size_t n)
{
	const char *next = buf; /* first byte not written yet */
	size_t left = n;	/* bytes still to write */

	/* Python's sendall: write may take fewer bytes than asked. */
	while (left > 0) {
		ssize_t written = write(fd, next, left);

		if (written < 0 && errno == EINTR)
			continue;
		if (written < 0)
			return -1;
		next += written;
		left -= (size_t)written;
	}
	return (ssize_t)n;
}

size_t head_length(const char *buf, size_t len)
{
	/* The empty line: a "\n", maybe a "\r", and another "\n". */
	for (size_t i = 0; i < len; i++) {
		size_t j = i + 1;

		if (buf[i] != '\n')
			continue;
		if (j < len && buf[j] == '\r')
			j++;
		if (j < len && buf[j] == '\n')
			return j + 1;
	}
	return 0;
}

/* The value of one hex digit, or -1. */
static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes the len bytes of target ("%2e" is '.') into out, as a C string
 * of at most TARGET_MAX bytes. Returns 0, or -1 for a bad escape, an
 * escaped NUL, or a path too long; out is a C string either way (what
 * was decoded so far), since the caller logs it. */
static int decode_path(const char *target, size_t len, char *out)
{
	size_t used = 0;
	int rc = 0;

	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)target[i];

		if (c == '%') {
			int high, low;

			if (i + 2 >= len) {
				rc = -1; /* "%" or "%2" at the end */
				break;
			}
			high = hex_value(target[i + 1]);
			low = hex_value(target[i + 2]);
			if (high < 0 || low < 0 || (high == 0 && low == 0)) {
				rc = -1;
				break;
			}
			c = high * 16 + low;
			i += 2;
		}
		if (used + 1 >= TARGET_MAX) {
			rc = -1;
			break;
		}
		out[used++] = (char)c;
	}
	out[used] = '\0';
	return rc;
}

/* 1 if one of the path's segments (between slashes) is "..". */
static int climbs_up(const char *path)
{
	for (const char *seg = path; seg; seg = strchr(seg, '/')) {
		seg += *seg == '/';
		if (strncmp(seg, "..", 2) == 0 && (seg[2] == '/' || !seg[2]))
			return 1;
	}
	return 0;
}

void parse_request(const char *head, struct request *req)
{
	size_t line_len = strcspn(head, "\n"); /* the request line */
	const char *first, *second, *target;
	size_t method_len, target_len;

	if (line_len > 0 && head[line_len - 1] == '\r')
		line_len--;
	req->status = 400;
	req->method[0] = req->path[0] = '\0';

	/* Three words: METHOD SP TARGET SP VERSION, nothing more. */
	first = memchr(head, ' ', line_len);
	if (!first)
		return;
	second = memchr(first + 1, ' ', line_len - (size_t)(first + 1 - head));
	if (!second ||
	    memchr(second + 1, ' ', line_len - (size_t)(second + 1 - head)))
		return;
	method_len = (size_t)(first - head);
	target = first + 1;
	target_len = (size_t)(second - target);
	if (method_len == 0 || method_len >= sizeof(req->method) ||
	    target_len == 0)
		return;
	memcpy(req->method, head, method_len);
	req->method[method_len] = '\0';

	/* The version: HTTP/1.0 or HTTP/1.1. */
	if (line_len - (size_t)(second + 1 - head) != 8 ||
	    strncmp(second + 1, "HTTP/1.", 7) != 0 ||
	    !isdigit((unsigned char)second[8]))
		return;
	/* The target: a path from the folder's top, "?query" ignored. */
	if (target[0] != '/')
		return;
	if (strcmp(req->method, "GET") != 0) {
		req->status = 501;
		return;
	}
	target_len = strcspn(target, "? ");
	if (decode_path(target, target_len, req->path) < 0)
		return;
	/* Decoded first: "%2e%2e" is ".." too. */
	req->status = climbs_up(req->path) ? 403 : 0;
}

const char *content_type(const char *path)
{
	static const struct {
		const char *extension; /* with its dot */
		const char *type;      /* the Content-Type */
	} types[] = {
	    {".html", "text/html"}, {".htm", "text/html"},
	    {".txt", "text/plain"}, {".png", "image/png"},
	    {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"},
	};
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(dot, types[i].extension) == 0)
			return types[i].type;
	return "application/octet-stream";
}

const char *status_reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 501:
		return "Not Implemented";
	}
	return "Internal Server Error";
}
