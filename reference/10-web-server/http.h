/* http.h - lab 10: the HTTP/1.0 a static file server speaks.
 *
 * A request head is a request line, header lines and an empty line:
 *
 *	GET /index.html HTTP/1.0\r\n
 *	Host: localhost\r\n
 *	\r\n
 *
 * Lines may end in "\n" alone (the server is tolerant); the head is at
 * most HEAD_MAX bytes. The request line is exactly three words separated
 * by single spaces: a method, a target starting with "/", and a version
 * "HTTP/1.0" or "HTTP/1.1". Header lines are read and ignored.
 *
 * The answer is always HTTP/1.0, and the server closes the connection
 * after it:
 *
 *	200 OK              the file, with its Content-Type and Length
 *	400 Bad Request     no empty line within HEAD_MAX bytes, a request
 *	                    line that is not three words, a target not
 *	                    starting with "/", a bad %-escape or %00, a
 *	                    version that is not HTTP/1.x
 *	403 Forbidden       a ".." segment in the path (after %-decoding):
 *	                    nothing above the folder is ever served
 *	404 Not Found       no such file, or a folder (use "name/")
 *	501 Not Implemented any method other than GET
 *
 * A target ending in "/" means the index.html in that folder; a query
 * ("?...") is ignored.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>
#include <sys/types.h>

/* Exit statuses, the same in every lab. */
#define EXIT_OK	     0 /* the server was stopped by a signal */
#define EXIT_USAGE   1 /* wrong arguments: a "usage:" line was printed */
#define EXIT_RUNTIME 2 /* a call failed or the folder is wrong */

#define HEAD_MAX   8192 /* longest request head, empty line included */
#define TARGET_MAX 2048 /* longest path, after decoding, with '\0' */

/* What a request asks for, once parsed. */
struct request {
	char method[16];	 /* "GET" */
	char path[TARGET_MAX];	 /* decoded, query dropped: "/img/a.png" */
	int status;		 /* 0 when valid, else 400, 403 or 501 */
};

/* Returns the port written in text (a whole number 1..65535), or -1. */
int parse_port(const char *text);

/* Writes all n bytes of buf to fd, retrying short writes and EINTR;
 * returns n, or -1 with errno set. */
ssize_t writen(int fd, const void *buf, size_t n);

/* Length of the head at the start of buf (len bytes), through its empty
 * line ("\r\n\r\n" or "\n\n"), or 0 when the empty line is not there. */
size_t head_length(const char *buf, size_t len);

/* Parses the request line at the start of head into req. Sets
 * req->status to 0 for a GET the server may try to serve, or to the
 * error status to answer with. */
void parse_request(const char *head, struct request *req);

/* The Content-Type for a file name, from its extension:
 * .html .htm text/html, .txt text/plain, .png image/png, .jpg .jpeg
 * image/jpeg, anything else application/octet-stream. */
const char *content_type(const char *path);

/* The reason phrase of a status: "OK", "Not Found", ... */
const char *status_reason(int status);

#endif
