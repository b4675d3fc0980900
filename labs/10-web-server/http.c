/* http.c - lab 10: reading requests and naming things, for web.c.
 *
 * Write each function as http.h describes it. Nothing here touches a
 * socket except writen: parse_request works on the bytes of a head
 * already received. You may add static helper functions (a hex_value for
 * one hex digit, a decode_path for %-escapes, a climbs_up that looks for
 * a ".." segment).
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
	/* TODO: as in lab 06: a digit first, strtol with errno and end
	 * checked, a value from 1 to 65535; else -1. */
	(void)text;
	return -1;
}

ssize_t writen(int fd, const void *buf, size_t n)
{
	/* TODO: as in lab 02: loop on write until no byte is left; retry
	 * on EINTR; return -1 on another error, n at the end. */
	(void)fd;
	(void)buf;
	(void)n;
	return -1;
}

size_t head_length(const char *buf, size_t len)
{
	/* TODO: find the empty line: a '\n', then maybe a '\r', then
	 * another '\n'. Return the index just after that last '\n', or 0
	 * if the len bytes do not hold one. */
	(void)buf;
	(void)len;
	return 0;
}

void parse_request(const char *head, struct request *req)
{
	/* TODO, step by step (http.h has the rules):
	 *
	 * 1. The request line is head up to its first '\n', without a
	 *    '\r' before it. Start with req->status = 400 and empty
	 *    method and path.
	 *
	 * 2. It must be three words split by single spaces (memchr for
	 *    the first and second space; no third space): METHOD, TARGET,
	 *    VERSION. Copy METHOD (it must fit) into req->method.
	 *
	 * 3. VERSION must be "HTTP/1." and one digit; TARGET must start
	 *    with '/'. Otherwise leave 400.
	 *
	 * 4. A METHOD other than "GET": 501.
	 *
	 * 5. The path is TARGET up to '?': decode "%XY" (two hex digits)
	 *    into one byte as you copy it into req->path; a '%' without two
	 *    hex digits, "%00", or a path too long for req->path: 400.
	 *
	 * 6. A segment (between slashes) that is exactly "..": 403. Else
	 *    req->status = 0. */
	(void)head;
	req->status = 400;
	req->method[0] = req->path[0] = '\0';
}

const char *content_type(const char *path)
{
	/* TODO: take the last '.' after the last '/' (strrchr twice) and
	 * compare it, in any case (strcasecmp), with the table in http.h. */
	(void)path;
	return "application/octet-stream";
}

const char *status_reason(int status)
{
	/* TODO: "OK", "Bad Request", "Forbidden", "Not Found",
	 * "Not Implemented" for 200, 400, 403, 404, 501. */
	(void)status;
	return "";
}
