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

/* Tries each address in the list; returns the first socket that connects,
 * or -1 with errno from the last failure. */
static int connect_first(const struct addrinfo *list)
{
	const struct addrinfo *ai;
	int last_errno = ECONNREFUSED; /* reported if every try failed */

	for (ai = list; ai != NULL; ai = ai->ai_next) {
		int fd =
		    socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);

		if (fd < 0) {
			last_errno = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			return fd;
		last_errno = errno;
		close(fd);
	}
	errno = last_errno;
	return -1;
}

/* Resolves and connects to the URL's host and port; returns the socket,
 * or -1 after a message on stderr. */
static int connect_to(const struct url *url)
{
	struct addrinfo hints, *results;
	char port[8];
	int rc, fd;

	/* Python: socket.create_connection((host, port)) */
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%d", url->port);
	rc = getaddrinfo(url->host, port, &hints, &results);
	if (rc != 0) {
		fprintf(stderr, "get: %s: %s\n", url->host, gai_strerror(rc));
		return -1;
	}
	fd = connect_first(results);
	freeaddrinfo(results);
	if (fd < 0)
		fprintf(stderr, "get: connect to %s port %d: %s\n", url->host,
			url->port, strerror(errno));
	return fd;
}

/* Writes all n bytes of buf to fd, retrying short writes and EINTR. */
static int writen(int fd, const void *buf, size_t n)
{
	const char *next = buf;

	while (n > 0) {
		ssize_t written = write(fd, next, n);

		if (written < 0 && errno == EINTR)
			continue;
		if (written < 0)
			return -1;
		next += written;
		n -= (size_t)written;
	}
	return 0;
}

/* Sends the GET request for url. Returns 0, or -1 after a message. */
static int send_request(int fd, const struct url *url)
{
	char target[URL_PATH_MAX * 2], request[URL_PATH_MAX * 2 + 512];
	int default_port = strcmp(url->scheme, "https") == 0 ? 443 : 80;
	int ipv6 = strchr(url->host, ':') != NULL;
	char host[URL_HOST_MAX + 16];
	int n;

	if (url_target(url, target, sizeof(target)) < 0) {
		fprintf(stderr, "get: the URL is too long\n");
		return -1;
	}
	/* Host: the name as in the URL, brackets around an IPv6 address,
	 * and the port only when it is not the default. */
	snprintf(host, sizeof(host), "%s%s%s", ipv6 ? "[" : "", url->host,
		 ipv6 ? "]" : "");
	if (url->port != default_port)
		snprintf(host + strlen(host), sizeof(host) - strlen(host),
			 ":%d", url->port);
	n = snprintf(request, sizeof(request),
		     "GET %s HTTP/1.1\r\n"
		     "Host: %s\r\n"
		     "User-Agent: get/1.0\r\n"
		     "Accept: */*\r\n"
		     "Connection: close\r\n"
		     "\r\n",
		     target, host);
	if (writen(fd, request, (size_t)n) < 0) {
		perror("get: write");
		return -1;
	}
	return 0;
}

/* Receives more bytes into the reader (after moving the unused ones to
 * the front). Returns the number received, 0 at the close, -1 on error. */
static ssize_t reader_fill(struct reader *r)
{
	ssize_t n;

	memmove(r->buf, r->buf + r->start, r->len);
	r->start = 0;
	do
		n = recv(r->fd, r->buf + r->len, sizeof(r->buf) - r->len, 0);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		r->len += (size_t)n;
	return n;
}

/* Reads one line, without its "\n" and a "\r" before it, into line.
 * Returns 1, 0 if the connection closed first, -1 on an error or a line
 * longer than the buffer. */
static int read_line(struct reader *r, char *line, size_t size)
{
	for (;;) {
		char *newline = memchr(r->buf + r->start, '\n', r->len);

		if (newline) {
			size_t len = (size_t)(newline - (r->buf + r->start));
			size_t used = len + 1;

			if (len > 0 && r->buf[r->start + len - 1] == '\r')
				len--;
			if (len >= size)
				return -1;
			memcpy(line, r->buf + r->start, len);
			line[len] = '\0';
			r->start += used;
			r->len -= used;
			return 1;
		}
		if (r->len == sizeof(r->buf))
			return -1; /* no "\n" in a full buffer */
		switch (reader_fill(r)) {
		case 0:
			return 0;
		case -1:
			return -1;
		}
	}
}

/* Reads the status line and the header fields into resp. Returns 0, or
 * -1 after a message. */
static int read_head(struct reader *r, struct response *resp)
{
	char line[LINE_MAX_LEN];
	int minor, got;

	resp->content_length = -1;
	resp->chunked = 0;
	resp->location[0] = '\0';
	/* "HTTP/1.1 200 OK": the version, a code of three digits, a reason. */
	if (read_line(r, line, sizeof(line)) != 1 ||
	    sscanf(line, "HTTP/1.%d %3d", &minor, &resp->status) != 2 ||
	    resp->status < 100 || resp->status > 599) {
		fprintf(stderr, "get: the server's reply is not HTTP\n");
		return -1;
	}
	snprintf(resp->reason, sizeof(resp->reason), "%s",
		 strlen(line) > 13 ? line + 13 : "");
	/* "Name: value" lines until an empty line. */
	while ((got = read_line(r, line, sizeof(line))) == 1 && line[0]) {
		char *value = strchr(line, ':');

		if (!value)
			continue; /* not a field: ignored */
		*value++ = '\0';
		value += strspn(value, " \t");
		/* Field names are case-insensitive. */
		if (strcasecmp(line, "Content-Length") == 0) {
			char *end;

			errno = 0;
			resp->content_length = strtoll(value, &end, 10);
			if (errno || end == value || resp->content_length < 0) {
				fprintf(stderr, "get: bad Content-Length\n");
				return -1;
			}
		} else if (strcasecmp(line, "Transfer-Encoding") == 0) {
			resp->chunked = strcasecmp(value, "chunked") == 0;
		} else if (strcasecmp(line, "Location") == 0) {
			snprintf(resp->location, sizeof(resp->location), "%s",
				 value);
		}
	}
	if (got != 1) {
		fprintf(stderr, "get: the server closed in the middle of the "
				"head\n");
		return -1;
	}
	return 0;
}

/* Copies up to max bytes of the body to out: first what the reader
 * holds, then straight from the socket. Returns bytes copied, 0 at the
 * close, -1 on an error. */
static ssize_t copy_some(struct reader *r, FILE *out, size_t max)
{
	size_t n;

	if (r->len == 0) {
		ssize_t got = reader_fill(r);

		if (got <= 0)
			return got;
	}
	n = r->len < max ? r->len : max;
	if (fwrite(r->buf + r->start, 1, n, out) != n)
		return -1;
	r->start += n;
	r->len -= n;
	return (ssize_t)n;
}

/* Copies exactly len bytes of body (or, with len -1, everything until
 * the close). Returns the bytes copied, or -1 after a message. */
static long long copy_body(struct reader *r, FILE *out, long long len)
{
	long long done = 0;

	while (len < 0 || done < len) {
		size_t want = len < 0 || len - done > (long long)LINE_MAX_LEN
				  ? LINE_MAX_LEN
				  : (size_t)(len - done);
		ssize_t n = copy_some(r, out, want);

		if (n < 0) {
			perror("get: reading the body");
			return -1;
		}
		if (n == 0) {
			if (len < 0)
				break; /* the close ends the body */
			fprintf(stderr,
				"get: body cut short: the server closed after "
				"%lld of %lld bytes\n",
				done, len);
			return -1;
		}
		done += n;
	}
	return done;
}

/* Copies a chunked body: "SIZE-IN-HEX\r\n" DATA "\r\n" ... "0\r\n" then
 * trailer lines up to an empty line. Returns bytes copied or -1. */
static long long copy_chunked(struct reader *r, FILE *out)
{
	char line[LINE_MAX_LEN];
	long long done = 0;

	for (;;) {
		char *end;
		long long size;

		if (read_line(r, line, sizeof(line)) != 1)
			goto out_cut;
		errno = 0;
		size = strtoll(line, &end, 16); /* ";extension" is ignored */
		if (errno || end == line || size < 0) {
			fprintf(stderr, "get: bad chunk size \"%s\"\n", line);
			return -1;
		}
		if (size == 0)
			break;
		if (copy_body(r, out, size) < 0)
			return -1;
		done += size;
		/* The "\r\n" after the data. */
		if (read_line(r, line, sizeof(line)) != 1)
			goto out_cut;
	}
	/* Trailer fields, if any, up to the empty line. */
	do
		if (read_line(r, line, sizeof(line)) != 1)
			goto out_cut;
	while (line[0] != '\0');
	return done;

out_cut:
	fprintf(stderr, "get: body cut short: the chunks ended early\n");
	return -1;
}

/* Points url at a redirect's Location: a whole URL, or a path on the
 * same server. Returns 0, or -1 after a message. */
static int follow(struct url *url, const char *location)
{
	enum url_status status;
	size_t path_len;

	if (location[0] == '/') {
		/* Same scheme, host and port: only path and query change. */
		path_len = strcspn(location, "?#");
		if (path_len >= sizeof(url->path))
			return -1;
		memcpy(url->path, location, path_len);
		url->path[path_len] = '\0';
		url->query[0] = '\0';
		if (location[path_len] == '?')
			snprintf(url->query, sizeof(url->query), "%.*s",
				 (int)strcspn(location + path_len + 1, "#"),
				 location + path_len + 1);
		return 0;
	}
	status = url_parse(location, url);
	if (status != URL_OK) {
		fprintf(stderr, "get: redirect to %s: %s\n", location,
			url_status_text(status));
		return -1;
	}
	return 0;
}

/* 1 for the statuses that send the client elsewhere. */
static int is_redirect(int status)
{
	return status == 301 || status == 302 || status == 303 ||
	       status == 307 || status == 308;
}

int main(int argc, char **argv)
{
	struct url url;		/* what is fetched now */
	struct response resp;	/* what the server said about it */
	struct reader reader;	/* the connection's unused bytes */
	enum url_status status;
	long long saved;
	FILE *out;

	if (argc != 3) {
		fprintf(stderr, "usage: get URL FILE\n");
		return EXIT_USAGE;
	}
	status = url_parse(argv[1], &url);
	if (status != URL_OK) {
		fprintf(stderr, "usage: get URL FILE (%s: %s)\n", argv[1],
			url_status_text(status));
		return EXIT_USAGE;
	}

	for (int hops = 0;; hops++) {
		if (strcmp(url.scheme, "http") != 0) {
			fprintf(stderr, "get: %s URLs need TLS, which this "
					"downloader does not do\n",
				url.scheme);
			return EXIT_RUNTIME;
		}
		reader.fd = connect_to(&url);
		if (reader.fd < 0)
			return EXIT_RUNTIME;
		reader.start = reader.len = 0;
		if (send_request(reader.fd, &url) < 0 ||
		    read_head(&reader, &resp) < 0)
			goto out_close;
		if (!is_redirect(resp.status) || !resp.location[0])
			break;
		/* Python's urlopen follows redirects by itself. */
		close(reader.fd);
		if (hops == MAX_REDIRECTS) {
			fprintf(stderr, "get: more than %d redirects\n",
				MAX_REDIRECTS);
			return EXIT_RUNTIME;
		}
		fprintf(stderr, "get: %d: redirected to %s\n", resp.status,
			resp.location);
		if (follow(&url, resp.location) < 0)
			return EXIT_RUNTIME;
	}

	/* Python: urlopen raises HTTPError; here: no file, status 2. */
	if (resp.status < 200 || resp.status > 299) {
		fprintf(stderr, "get: %s: %d %s\n", argv[1], resp.status,
			resp.reason);
		goto out_close;
	}
	/* "wb": the body's bytes exactly as they came. */
	out = fopen(argv[2], "wb");
	if (!out) {
		fprintf(stderr, "get: %s: %s\n", argv[2], strerror(errno));
		goto out_close;
	}
	if (resp.chunked)
		saved = copy_chunked(&reader, out);
	else
		saved = copy_body(&reader, out, resp.content_length);
	if (fclose(out) != 0 && saved >= 0) {
		fprintf(stderr, "get: %s: %s\n", argv[2], strerror(errno));
		saved = -1;
	}
	if (saved < 0) {
		/* Half a file must not pass for the whole one. */
		remove(argv[2]);
		goto out_close;
	}
	close(reader.fd);
	printf("%s: %lld bytes\n", argv[2], saved);
	return EXIT_OK;

out_close:
	close(reader.fd);
	return EXIT_RUNTIME;
}
