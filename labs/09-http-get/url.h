/* url.h - lab 09: the parts of an http:// or https:// URL.
 *
 * A URL, as this lab reads it (RFC 3986, simplified):
 *
 *	scheme://host[:port][/path][?query][#fragment]
 *
 *   scheme    "http" or "https", in any case; stored in lower case
 *   host      a name or IPv4 address, or an IPv6 address in brackets
 *             ("[::1]"); stored in lower case and without the brackets;
 *             user information ("user@host") is not supported
 *   port      1 to 65535 in decimal digits only; absent or empty ("h:/")
 *             means the scheme's default: 80 for http, 443 for https
 *   path      starts with "/"; absent means "/"
 *   query     what follows "?" up to "#", without the "?"; "" if none
 *   fragment  what follows "#": dropped, it is never sent to a server
 *
 * Python (the lecture's urlparse): urllib.parse.urlparse(text) gives the
 * same parts (.scheme, .hostname, .port, .path, .query, .fragment), but
 * cuts ";params" off the path, which this lab keeps in it.
 */
#ifndef URL_H
#define URL_H

#include <stddef.h>

#define URL_SCHEME_MAX 8    /* bytes of scheme, with its '\0' */
#define URL_HOST_MAX   256  /* bytes of host, with its '\0' */
#define URL_PATH_MAX   2048 /* bytes of path (and of query), with '\0' */

/* What url_parse found wrong, or URL_OK. */
enum url_status {
	URL_OK = 0,	/* every part is in the struct */
	URL_BAD_SCHEME, /* no "scheme://", or a scheme other than http(s) */
	URL_BAD_HOST,	/* empty host, "@" in it, or a bad "[...]" */
	URL_BAD_PORT,	/* not 1..65535, or not only digits */
	URL_TOO_LONG	/* a part does not fit its array */
};

/* The parts of a URL. */
struct url {
	char scheme[URL_SCHEME_MAX]; /* "http" or "https" */
	char host[URL_HOST_MAX];     /* "example.com", "127.0.0.1", "::1" */
	int port;		     /* 1..65535, the default when absent */
	char path[URL_PATH_MAX];     /* "/", "/index.html" */
	char query[URL_PATH_MAX];    /* "q=1&lang=en", or "" */
};

/* Splits text into url. Returns URL_OK, or the first problem found (the
 * contents of url are then unspecified). */
enum url_status url_parse(const char *text, struct url *url);

/* A message for a status: "unsupported scheme", ... */
const char *url_status_text(enum url_status status);

/* The request target of url: path, and "?query" when query is not
 * empty. Returns 0, or -1 if it does not fit in size bytes. */
int url_target(const struct url *url, char *out, size_t size);

#endif
