/* get.c - lab 09: download a URL over HTTP/1.1 and save its body.
 *
 * usage: get URL FILE
 *
 * Python: urllib.request.urlopen(URL).read(), written to FILE. The
 * downloader sends one GET with a Host header and "Connection: close",
 * follows up to MAX_REDIRECTS redirects (301, 302, 303, 307, 308 with a
 * Location), and writes only the body to FILE, whether the server frames
 * it with Content-Length, with chunks or by closing the connection. On
 * success it prints "FILE: N bytes" on stdout and exits 0. A final status
 * other than 2xx writes no file and exits 2; a body cut short exits 2 and
 * removes the partial file, so no file that looks complete is left.
 *
 * You may add static helper functions; these are the ones the handout
 * walks through:
 *	static int connect_to(const struct url *url);
 *	static int send_request(int fd, const struct url *url);
 *	static ssize_t reader_fill(struct reader *r);
 *	static int read_line(struct reader *r, char *line, size_t size);
 *	static int read_head(struct reader *r, struct response *resp);
 *	static long long copy_body(struct reader *r, FILE *out,
 *				   long long len);
 *	static long long copy_chunked(struct reader *r, FILE *out);
 *	static int follow(struct url *url, const char *location);
 */
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "url.h"

#define EXIT_OK	     0 /* the body is in FILE */
#define EXIT_USAGE   1 /* wrong arguments: a "usage:" line was printed */
#define EXIT_RUNTIME 2 /* a call failed, or the server said no */

#define MAX_REDIRECTS 5	   /* redirects followed before giving up */
#define LINE_MAX_LEN  8192 /* longest head line, and reader buffer size */

/* Bytes received and not yet used: the head is read line by line, and
 * what follows it in the same recv is the start of the body. */
struct reader {
	int fd;			 /* the connected socket */
	size_t start;		 /* first unused byte in buf */
	size_t len;		 /* unused bytes from start */
	char buf[LINE_MAX_LEN];	 /* received bytes */
};

/* What the head of a response said. */
struct response {
	int status;		      /* 200, 301, 404, ... */
	char reason[256];	      /* "OK", "Not Found" */
	long long content_length;     /* -1 when absent */
	int chunked;		      /* 1: Transfer-Encoding: chunked */
	char location[URL_PATH_MAX];  /* Location, "" when absent */
};

int main(int argc, char **argv)
{
	/* TODO, step by step (the handout explains each step):
	 *
	 * 1. Arguments: unless argc == 3 and url_parse(argv[1], &url)
	 *    returns URL_OK, print "usage: get URL FILE" on stderr (with
	 *    url_status_text for a bad URL) and return EXIT_USAGE.
	 *
	 * 2. Loop, at most MAX_REDIRECTS + 1 times:
	 *    - a scheme other than "http": "get: https URLs need TLS" on
	 *      stderr, return EXIT_RUNTIME;
	 *    - connect: getaddrinfo(url.host, port as text) with AF_UNSPEC
	 *      and SOCK_STREAM, then socket and connect on each address
	 *      until one works (localhost may be ::1 first, where nothing
	 *      listens: close that socket and go on), then freeaddrinfo
	 *      (errors: EXIT_RUNTIME with a message);
	 *    - send "GET TARGET HTTP/1.1\r\nHost: HOST[:PORT]\r\n"
	 *      "Connection: close\r\n\r\n" with a writen loop: TARGET from
	 *      url_target, HOST in brackets when it holds a ':', ":PORT"
	 *      only when the port is not the scheme's default;
	 *    - read the head line by line (read_line on a struct reader,
	 *      as lab 06's): the status line "HTTP/1.x CODE REASON", then
	 *      "Name: value" lines up to an empty one; keep
	 *      Content-Length, Transfer-Encoding: chunked and Location
	 *      (names in any case: strcasecmp); a close before the empty
	 *      line is an error;
	 *    - a 301, 302, 303, 307 or 308 with a Location: close, point
	 *      url at the Location (a path starting with '/' keeps host
	 *      and port; else url_parse it) and go round again; a sixth
	 *      redirect is not followed (EXIT_RUNTIME). Otherwise leave
	 *      the loop.
	 *
	 * 3. A status outside 200..299: "get: URL: CODE REASON" on stderr,
	 *    close, return EXIT_RUNTIME, without creating FILE.
	 *
	 * 4. fopen(FILE, "wb") and copy the body: chunked (hex size line,
	 *    that many bytes, "\r\n", until size 0, then trailer lines up
	 *    to an empty one), or exactly Content-Length bytes, or without
	 *    either until recv returns 0. First the bytes the reader still
	 *    holds, then more from recv. Write with fwrite: the body may
	 *    hold any byte, '\0' included.
	 *
	 * 5. The server closing before the body's end is an error: say so
	 *    on stderr, fclose, remove(FILE), return EXIT_RUNTIME.
	 *
	 * 6. fclose, close, print "FILE: N bytes" on stdout, EXIT_OK. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
