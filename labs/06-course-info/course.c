/* course.c - lab 06: what server and client share: ports, writen, the line
 * reader and the course table.
 *
 * Write each function as course.h describes it. None of them prints or
 * exits: they return a status and the caller decides. You may add static
 * helper functions (a take_line that cuts one line out of the buffer is a
 * good one).
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
	/* TODO: return -1 unless text[0] is a digit (isdigit, with the byte
	 * cast to unsigned char). Set errno = 0, read the number with
	 * strtol(text, &end, 10), and return -1 if errno is set, if *end is
	 * not '\0' or if the value is not in 1..65535. Else return it. */
	(void)text;
	return -1;
}

ssize_t writen(int fd, const void *buf, size_t n)
{
	/* TODO: as in lab 02: loop on write(fd, next, left) until no byte
	 * is left; retry when it fails with EINTR, return -1 on any other
	 * error; return n at the end. */
	(void)fd;
	(void)buf;
	(void)n;
	return -1;
}

void line_reader_init(struct line_reader *r, int fd)
{
	/* TODO: remember fd; nothing buffered (len 0), not skipping. */
	(void)r;
	(void)fd;
}

enum line_status read_line(struct line_reader *r, char *line, size_t size)
{
	/* TODO: loop:
	 *
	 * 1. If r->skipping: look for '\n' in r->buf (memchr over r->len
	 *    bytes). Found: drop the bytes up to and including it (memmove
	 *    the rest to the front, lower len), skipping = 0, loop again.
	 *    Not found: drop everything (len = 0) and go to step 4.
	 *
	 * 2. Else, if r->buf holds a '\n': the line is the bytes before it,
	 *    minus one '\r' just before the '\n' if there is one. Copy it
	 *    into line with a '\0' after it; memmove the bytes after the
	 *    '\n' to the front of r->buf (the start of the next request)
	 *    and lower len. Return LINE_OK.
	 *
	 * 3. Else, if the buffer is full (len == sizeof r->buf): the line
	 *    is too long. len = 0, skipping = 1, return LINE_TOO_LONG.
	 *
	 * 4. n = recv(r->fd, r->buf + r->len, sizeof r->buf - r->len, 0):
	 *    never more than the free space. n == 0: return LINE_EOF.
	 *    n < 0: return LINE_ERROR (errno says why; the caller decides
	 *    about EINTR). Else len += n and loop. */
	(void)r;
	(void)line;
	(void)size;
	return LINE_EOF;
}

void table_builtin(struct course_table *table)
{
	/* TODO: the lecture's courses, in this order: Python 1Year 4000,
	 * Java 2Year 2000, C 2Months 1000 (a static const array of struct
	 * course, copied in with memcpy); count = 3. */
	table->count = 0;
}

int table_load(struct course_table *table, const char *path, char *error,
	       size_t error_size)
{
	/* TODO:
	 * - f = fopen(path, "r"); if it fails, snprintf into error
	 *   "PATH: " and strerror(errno), return -1;
	 * - count = 0; for each line read with fgets (a buffer of
	 *   3 * FIELD_MAX + 4 bytes holds the longest good line and its
	 *   "\r\n"), counting lines from 1, blank ones too: cut it at the
	 *   first '\r' or '\n' (strcspn); skip it if empty; else split it at
	 *   its two commas into name, duration and fee (each not empty,
	 *   shorter than FIELD_MAX, no third comma; spaces are ordinary
	 *   bytes) and add it to the table; a bad line: message "PATH line
	 *   N: expected Name,Duration,Fee" into error, fclose, return -1; a
	 *   33rd course: "PATH: more than 32 courses", fclose, return -1;
	 * - fclose(f); no course at all is an error too ("PATH: no
	 *   courses"); else return 0. */
	(void)path;
	table->count = 0;
	snprintf(error, error_size, "table_load is not written yet");
	return -1;
}

void course_reply(const struct course_table *table, const char *request,
		  char *reply, size_t size)
{
	/* TODO: with snprintf into reply (size bytes), "\n" at the end:
	 * - an empty request: REPLY_EMPTY;
	 * - the first course whose name is the whole request, letters
	 *   compared without their case (strcasecmp, from <strings.h>:
	 *   "python", "Python" and "PYTHON" all name Python):
	 *   "CourseName:%s,Duration:%s,Fee=%s" with its three fields, the
	 *   name spelled as the table has it;
	 * - anything else: REPLY_NOT_AVAILABLE. */
	(void)table;
	(void)request;
	snprintf(reply, size, "\n");
}
