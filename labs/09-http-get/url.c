/* url.c - lab 09: splitting a URL into scheme, host, port, path and query.
 *
 * Python: urllib.parse.urlparse. Write each function as url.h describes
 * it. None of them prints or exits. You may add static helper functions
 * (a copy_lower that copies n bytes in lower case and says whether they
 * fit is a good one; a parse_port_part for the digits of the port).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "url.h"

enum url_status url_parse(const char *text, struct url *url)
{
	/* TODO, step by step (url.h has the rules, the handout examples):
	 *
	 * 1. Scheme: sep = strstr(text, "://"). No sep, or nothing before
	 *    it: URL_BAD_SCHEME. Copy the bytes before it into url->scheme
	 *    in lower case (too long: URL_BAD_SCHEME). "http" has the
	 *    default port 80, "https" 443; any other: URL_BAD_SCHEME.
	 *
	 * 2. Authority: auth = sep + 3, auth_len = strcspn(auth, "/?#").
	 *    An '@' in it (memchr): URL_BAD_HOST.
	 *
	 * 3. Host: if auth starts with '[', the host is up to the next
	 *    ']' (none: URL_BAD_HOST), without the brackets, and must be
	 *    hex digits, ':' and '.' with at least one ':'; after the ']'
	 *    only ':' or the end of the authority may follow. Otherwise
	 *    the host ends at the first ':' (or the end of the authority).
	 *    An empty host: URL_BAD_HOST. Copy it in lower case; too long
	 *    for url->host: URL_TOO_LONG.
	 *
	 * 4. Port: the bytes after that ':' up to the end of the authority.
	 *    None, or empty: the default. Else only digits, at most 5, a
	 *    value from 1 to 65535, or URL_BAD_PORT.
	 *
	 * 5. Path: from the end of the authority up to '?' or '#'
	 *    (strcspn); empty means "/". Too long: URL_TOO_LONG.
	 *
	 * 6. Query: after a '?', up to '#' or the end, without the '?';
	 *    "" when there is no '?'. The fragment (from '#') is dropped.
	 *
	 * Return URL_OK. */
	(void)text;
	(void)url;
	return URL_BAD_SCHEME;
}

const char *url_status_text(enum url_status status)
{
	/* TODO: a short message per status, e.g. "bad port (a number from 1
	 * to 65535)", for the downloader's error lines. */
	(void)status;
	return "url_status_text is not written yet";
}

int url_target(const struct url *url, char *out, size_t size)
{
	/* TODO: snprintf into out the path, then "?" and the query when the
	 * query is not empty; return -1 if it did not fit (snprintf returns
	 * the length it wanted), else 0. */
	(void)url;
	(void)out;
	(void)size;
	return -1;
}
