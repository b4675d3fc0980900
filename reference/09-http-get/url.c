/* url.c - lab 09: splitting a URL into scheme, host, port, path and query.
 *
 * Python: urllib.parse.urlparse. Here every part is copied into the
 * arrays of a struct url, and every rule of url.h is checked on the way.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "url.h"

/* Copies len bytes of text into out (size bytes) as a C string in lower
 * case; returns 0, or -1 if they do not fit. */
static int copy_lower(char *out, size_t size, const char *text, size_t len)
{
	if (len >= size)
		return -1;
	for (size_t i = 0; i < len; i++)
		out[i] = (char)tolower((unsigned char)text[i]);
	out[len] = '\0';
	return 0;
}

/* The same without changing case. */
static int copy_part(char *out, size_t size, const char *text, size_t len)
{
	if (len >= size)
		return -1;
	memcpy(out, text, len);
	out[len] = '\0';
	return 0;
}

/* Reads the port from its len digits; returns it, or -1. An empty port
 * ("host:") is the scheme's default, given as fallback. */
static int parse_port_part(const char *text, size_t len, int fallback)
{
	int value = 0;

	if (len == 0)
		return fallback;
	/* Digits only: no sign, no space; more than 5 is always too big
	 * (and could overflow an int). */
	if (len > 5)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)text[i]))
			return -1;
		value = value * 10 + (text[i] - '0');
	}
	return value >= 1 && value <= 65535 ? value : -1;
}

/* 1 if the len bytes of an IPv6 literal (between the brackets) hold only
 * hex digits, ':' and '.' (for "::ffff:192.0.2.1"), and at least one ':'. */
static int looks_like_ipv6(const char *text, size_t len)
{
	if (len == 0 || !memchr(text, ':', len))
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!isxdigit((unsigned char)text[i]) && text[i] != ':' &&
		    text[i] != '.')
			return 0;
	return 1;
}

enum url_status url_parse(const char *text, struct url *url)
{
	const char *sep = strstr(text, "://"); /* end of the scheme */
	const char *auth, *host, *port_text, *rest, *query;
	size_t auth_len, host_len, port_len, path_len;
	int default_port;

	/* 1. The scheme: "http" or "https" before "://", in any case. */
	if (!sep || sep == text ||
	    copy_lower(url->scheme, sizeof(url->scheme), text,
		       (size_t)(sep - text)) < 0)
		return URL_BAD_SCHEME;
	if (strcmp(url->scheme, "http") == 0)
		default_port = 80;
	else if (strcmp(url->scheme, "https") == 0)
		default_port = 443;
	else
		return URL_BAD_SCHEME;

	/* 2. The authority, "host[:port]", ends at the first "/", "?" or
	 * "#" (or at the end). */
	auth = sep + 3;
	auth_len = strcspn(auth, "/?#");
	if (memchr(auth, '@', auth_len))
		return URL_BAD_HOST; /* user information: not supported */
	if (auth_len > 0 && auth[0] == '[') {
		/* An IPv6 literal: its colons are not the port's. */
		const char *close = memchr(auth, ']', auth_len);

		if (!close)
			return URL_BAD_HOST;
		host = auth + 1;
		host_len = (size_t)(close - host);
		if (!looks_like_ipv6(host, host_len))
			return URL_BAD_HOST;
		port_text = close + 1;
		if (port_text < auth + auth_len && *port_text != ':')
			return URL_BAD_HOST; /* "[::1]junk" */
	} else {
		const char *colon = memchr(auth, ':', auth_len);

		host = auth;
		host_len = colon ? (size_t)(colon - auth) : auth_len;
		port_text = colon ? colon : auth + auth_len;
	}
	if (host_len == 0)
		return URL_BAD_HOST;
	if (copy_lower(url->host, sizeof(url->host), host, host_len) < 0)
		return URL_TOO_LONG;

	/* 3. The port: the digits after ":", or the scheme's default. */
	if (port_text < auth + auth_len)
		port_text++; /* skip the ':' */
	port_len = (size_t)(auth + auth_len - port_text);
	url->port = parse_port_part(port_text, port_len, default_port);
	if (url->port < 0)
		return URL_BAD_PORT;

	/* 4. The path, up to "?" or "#"; "/" when there is none. */
	rest = auth + auth_len;
	path_len = strcspn(rest, "?#");
	if (path_len == 0)
		strcpy(url->path, "/");
	else if (copy_part(url->path, sizeof(url->path), rest, path_len) < 0)
		return URL_TOO_LONG;

	/* 5. The query, between "?" and "#"; the fragment is dropped. */
	url->query[0] = '\0';
	if (rest[path_len] == '?') {
		query = rest + path_len + 1;
		if (copy_part(url->query, sizeof(url->query), query,
			      strcspn(query, "#")) < 0)
			return URL_TOO_LONG;
	}
	return URL_OK;
}

const char *url_status_text(enum url_status status)
{
	switch (status) {
	case URL_OK:
		return "no error";
	case URL_BAD_SCHEME:
		return "not an http:// or https:// URL";
	case URL_BAD_HOST:
		return "bad host";
	case URL_BAD_PORT:
		return "bad port (a number from 1 to 65535)";
	case URL_TOO_LONG:
		return "a part of the URL is too long";
	}
	return "unknown error";
}

int url_target(const struct url *url, char *out, size_t size)
{
	int n = snprintf(out, size, "%s%s%s", url->path,
			 url->query[0] ? "?" : "", url->query);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}
