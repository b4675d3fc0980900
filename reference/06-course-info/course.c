/* course.c - lab 06: what server and client share: ports, writen, the line
 * reader and the course table.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "course.h"

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

void line_reader_init(struct line_reader *r, int fd)
{
	r->fd = fd;
	r->skipping = 0;
	r->len = 0;
}

/* Takes bytes up to the first "\n" out of r->buf; returns 1 and leaves the
 * line (without "\n" and "\r") in line, or 0 if no "\n" is there yet. */
static int take_line(struct line_reader *r, char *line, size_t size)
{
	char *newline = memchr(r->buf, '\n', r->len);
	size_t line_len, used;

	if (!newline)
		return 0;
	line_len = (size_t)(newline - r->buf);
	used = line_len + 1;
	if (line_len > 0 && r->buf[line_len - 1] == '\r')
		line_len--; /* "Python\r\n" is the request "Python" */
	if (line_len >= size)
		line_len = size - 1; /* cannot happen with size > REQUEST_MAX */
	memcpy(line, r->buf, line_len);
	line[line_len] = '\0';
	/* Keep what came after the "\n": the start of the next request. */
	memmove(r->buf, r->buf + used, r->len - used);
	r->len -= used;
	return 1;
}

enum line_status read_line(struct line_reader *r, char *line, size_t size)
{
	for (;;) {
		ssize_t n;

		if (r->skipping) {
			/* Drop the rest of an overlong line, its "\n" too. */
			char *newline = memchr(r->buf, '\n', r->len);
			size_t used;

			if (newline) {
				used = (size_t)(newline - r->buf) + 1;
				memmove(r->buf, r->buf + used, r->len - used);
				r->len -= used;
				r->skipping = 0;
				continue;
			}
			r->len = 0;
		} else if (take_line(r, line, size)) {
			return LINE_OK;
		} else if (r->len == sizeof(r->buf)) {
			/* REQUEST_MAX + 1 bytes and still no "\n". */
			r->len = 0;
			r->skipping = 1;
			return LINE_TOO_LONG;
		}

		/* Python: data = conn.recv(...). TCP is a byte stream: a
		 * request may come in pieces, or two in one piece. Read only
		 * into the free part of the buffer. */
		n = recv(r->fd, r->buf + r->len, sizeof(r->buf) - r->len, 0);
		if (n == 0)
			return LINE_EOF;
		if (n < 0)
			return LINE_ERROR; /* errno tells, EINTR included */
		r->len += (size_t)n;
	}
}

void table_builtin(struct course_table *table)
{
	/* The lecture's three courses, as its replies spell them. */
	static const struct course lecture[] = {
	    {"Python", "1Year", "4000"},
	    {"Java", "2Year", "2000"},
	    {"C", "2Months", "1000"},
	};

	table->count = (int)(sizeof(lecture) / sizeof(lecture[0]));
	memcpy(table->courses, lecture, sizeof(lecture));
}

/* Copies the field that starts at *text and ends at stop (',' or '\0')
 * into field; returns 0, or -1 if it is empty or too long. */
static int take_field(const char **text, int stop, char *field)
{
	const char *end = strchr(*text, stop);
	size_t len;

	if (!end)
		return -1;
	len = (size_t)(end - *text);
	if (len == 0 || len >= FIELD_MAX)
		return -1;
	memcpy(field, *text, len);
	field[len] = '\0';
	*text = end + (stop != '\0');
	return 0;
}

int table_load(struct course_table *table, const char *path, char *error,
	       size_t error_size)
{
	char text[3 * FIELD_MAX + 4]; /* one line of the file */
	int line_no = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(error, error_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	table->count = 0;
	while (fgets(text, sizeof(text), f)) {
		struct course *course = &table->courses[table->count];
		const char *next = text;

		line_no++;
		text[strcspn(text, "\r\n")] = '\0';
		if (text[0] == '\0')
			continue; /* blank lines are allowed */
		if (table->count == COURSES_MAX) {
			snprintf(error, error_size, "%s: more than %d courses",
				 path, COURSES_MAX);
			goto out_close;
		}
		if (take_field(&next, ',', course->name) < 0 ||
		    take_field(&next, ',', course->duration) < 0 ||
		    take_field(&next, '\0', course->fee) < 0 ||
		    strchr(course->fee, ',')) {
			snprintf(error, error_size,
				 "%s line %d: expected Name,Duration,Fee", path,
				 line_no);
			goto out_close;
		}
		table->count++;
	}
	fclose(f);
	if (table->count == 0) {
		snprintf(error, error_size, "%s: no courses", path);
		return -1;
	}
	return 0;

out_close:
	fclose(f);
	return -1;
}

void course_reply(const struct course_table *table, const char *request,
		  char *reply, size_t size)
{
	if (request[0] == '\0') {
		snprintf(reply, size, "%s\n", REPLY_EMPTY);
		return;
	}
	/* The whole name must match, in any case: the lecture types
	 * "python", the table says "Python". strcasecmp compares letters
	 * without their case; the reply spells the name as the table does. */
	for (int i = 0; i < table->count; i++) {
		const struct course *course = &table->courses[i];

		if (strcasecmp(course->name, request) == 0) {
			snprintf(reply, size,
				 "CourseName:%s,Duration:%s,Fee=%s\n",
				 course->name, course->duration, course->fee);
			return;
		}
	}
	snprintf(reply, size, "%s\n", REPLY_NOT_AVAILABLE);
}
