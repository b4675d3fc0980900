/* url_cases.c - lab 09: the URL parser's test table, run with cmocka.
 *
 * usage: url-cases GROUP
 *
 * Linked with the student's url.c. Runs every case of GROUP (defaults,
 * ports, ipv6, query, invalid, limits) as its own cmocka test, named by
 * its URL or by a label. A failing case first prints one line
 *	case failed: NAME: what differed
 * so the grader can list every case that failed with its reason.
 *
 * A case's URL and expected parts may hold "%s": each becomes the same
 * run of `fill` letters, so the limits of url.h are tested at limit - 1,
 * limit and limit + 1 without URLs thousands of characters long here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "url.h"

#define TEXT_MAX  16384 /* longest URL or part a case expands to */
#define GUARD_LEN 64	/* bytes watched on each side of struct url */
#define GUARD	  'G'	/* what they hold */
#define GARBAGE	  'Z'	/* what every field holds before url_parse */

/* One URL and what url_parse (and url_target) must make of it. */
struct url_case {
	const char *group;	   /* the check that grades it */
	const char *name;	   /* shown in feedback: the URL, or a label */
	const char *text;	   /* the URL; NULL: name is the URL */
	size_t fill;		   /* letters each "%s" stands for */
	enum url_status status;	   /* the status expected */
	enum url_status or_status; /* another one allowed, URL_OK: none */
	const char *scheme;	   /* with URL_OK: every part expected */
	const char *host;	   /* host, lower case, without brackets */
	int port;		   /* port, the default filled in */
	const char *path;	   /* path, "/" at least */
	const char *query;	   /* query without "?", "" when none */
	const char *target;	   /* url_target's text; NULL: not tested */
	size_t target_size;	   /* bytes url_target may use; 0: plenty */
};

/* A URL url_parse accepts, with every part it must store. */
#define OK(GROUP, URL, SCHEME, HOST, PORT, PATH, QUERY)                        \
	{                                                                      \
		.group = GROUP, .name = URL, .status = URL_OK,                 \
		.scheme = SCHEME, .host = HOST, .port = PORT, .path = PATH,    \
		.query = QUERY                                                 \
	}

/* A URL url_parse rejects, with the status it must return. */
#define BAD(GROUP, URL, STATUS)                                                \
	{                                                                      \
		.group = GROUP, .name = URL, .status = STATUS                  \
	}

/* A URL url_parse accepts, and the request target url_target makes of
 * it. */
#define TARGET(GROUP, URL, TEXT)                                               \
	{                                                                      \
		.group = GROUP, .name = "url_target of " URL, .text = URL,     \
		.status = URL_OK, .target = TEXT                               \
	}

/* The same in a buffer of SIZE bytes: -1 unless TEXT and its '\0' fit. */
#define TARGET_IN(GROUP, URL, TEXT, SIZE)                                      \
	{                                                                      \
		.group = GROUP,                                                \
		.name = "url_target of " URL " in " #SIZE " bytes",            \
		.text = URL, .status = URL_OK, .target = TEXT,                 \
		.target_size = SIZE                                            \
	}

static const struct url_case cases[] = {
    /* Defaults: scheme and host in lower case, port 80 or 443, path "/". */
    OK("defaults", "http://example.com/index.html", "http", "example.com", 80,
       "/index.html", ""),
    OK("defaults", "http://example.com", "http", "example.com", 80, "/", ""),
    OK("defaults", "https://example.com/", "https", "example.com", 443, "/",
       ""),
    OK("defaults", "HTTP://Example.COM/Docs/Page.html", "http", "example.com",
       80, "/Docs/Page.html", ""),
    OK("defaults", "HtTpS://WWW.Example.org", "https", "www.example.org", 443,
       "/", ""),
    OK("defaults", "http://127.0.0.1/a/b/c.txt", "http", "127.0.0.1", 80,
       "/a/b/c.txt", ""),
    OK("defaults", "https://www.python.org/downloads/", "https",
       "www.python.org", 443, "/downloads/", ""),
    /* An empty port is the default port, for both schemes. */
    OK("defaults", "http://localhost:/x", "http", "localhost", 80, "/x", ""),
    OK("defaults", "https://localhost:/x", "https", "localhost", 443, "/x", ""),
    OK("defaults", "http://localhost:", "http", "localhost", 80, "/", ""),
    /* Ports written in the URL, from 1 to 65535. */
    OK("ports", "http://example.com:8080/", "http", "example.com", 8080, "/",
       ""),
    OK("ports", "https://example.com:8443/x", "https", "example.com", 8443,
       "/x", ""),
    OK("ports", "HTTPS://Example.com:8443", "https", "example.com", 8443, "/",
       ""),
    OK("ports", "http://localhost:1/", "http", "localhost", 1, "/", ""),
    OK("ports", "http://localhost:2/", "http", "localhost", 2, "/", ""),
    OK("ports", "http://localhost:65534/", "http", "localhost", 65534, "/", ""),
    OK("ports", "http://localhost:65535", "http", "localhost", 65535, "/", ""),
    OK("ports", "http://127.0.0.1:9000?x=1", "http", "127.0.0.1", 9000, "/",
       "x=1"),
    OK("ports", "http://127.0.0.1:9000#top", "http", "127.0.0.1", 9000, "/",
       ""),
    OK("ports", "http://h:080/", "http", "h", 80, "/", ""),
    OK("ports", "https://h:443/p", "https", "h", 443, "/p", ""),
    OK("ports", "https://h:80/p", "https", "h", 80, "/p", ""),
    /* IPv6 literals: in brackets in the URL, without them in host. */
    OK("ipv6", "http://[::1]/", "http", "::1", 80, "/", ""),
    OK("ipv6", "http://[::1]:8080/index.html", "http", "::1", 8080,
       "/index.html", ""),
    OK("ipv6", "http://[2001:db8::7]:8443/c", "http", "2001:db8::7", 8443, "/c",
       ""),
    OK("ipv6", "http://[2001:DB8::1]", "http", "2001:db8::1", 80, "/", ""),
    OK("ipv6", "https://[::1]/", "https", "::1", 443, "/", ""),
    OK("ipv6", "http://[::ffff:192.0.2.1]:81/x?y=z", "http", "::ffff:192.0.2.1",
       81, "/x", "y=z"),
    OK("ipv6", "http://[fe80::1:2:3:4]:65535/", "http", "fe80::1:2:3:4", 65535,
       "/", ""),
    OK("ipv6", "http://[::1]:/x", "http", "::1", 80, "/x", ""),
    OK("ipv6", "http://[::1]?q=1", "http", "::1", 80, "/", "q=1"),
    OK("ipv6", "http://[::1]#f", "http", "::1", 80, "/", ""),
    OK("ipv6", "http://[::1]/[x]:80", "http", "::1", 80, "/[x]:80", ""),
    BAD("ipv6", "http://[::1]junk/", URL_BAD_HOST),
    BAD("ipv6", "http://[::1/", URL_BAD_HOST),
    BAD("ipv6", "http://[::1", URL_BAD_HOST),
    BAD("ipv6", "http://::1/", URL_BAD_HOST),
    BAD("ipv6", "http://[]/", URL_BAD_HOST),
    BAD("ipv6", "http://[]:80/", URL_BAD_HOST),
    BAD("ipv6", "http://[g::1]/", URL_BAD_HOST),
    BAD("ipv6", "http://[::1g]/", URL_BAD_HOST),
    BAD("ipv6", "http://[example]/", URL_BAD_HOST),
    BAD("ipv6", "http://[::1%25eth0]/", URL_BAD_HOST),
    BAD("ipv6", "http://[::1 ]/", URL_BAD_HOST),
    BAD("ipv6", "http://[::1]]/", URL_BAD_HOST),
    BAD("ipv6", "http://[::1]:65536/", URL_BAD_PORT),
    BAD("ipv6", "http://[::1]:0/", URL_BAD_PORT),
    /* Queries kept without their "?"; fragments dropped. */
    OK("query", "http://example.com/search?q=socket&lang=en", "http",
       "example.com", 80, "/search", "q=socket&lang=en"),
    OK("query", "http://example.com/page#section", "http", "example.com", 80,
       "/page", ""),
    OK("query", "http://example.com/s?q=1#frag", "http", "example.com", 80,
       "/s", "q=1"),
    OK("query", "http://example.com?x", "http", "example.com", 80, "/", "x"),
    OK("query", "http://example.com#top", "http", "example.com", 80, "/", ""),
    OK("query", "http://example.com/a?b?c", "http", "example.com", 80, "/a",
       "b?c"),
    OK("query", "http://example.com/?", "http", "example.com", 80, "/", ""),
    OK("query", "http://example.com/p?a=1/2", "http", "example.com", 80, "/p",
       "a=1/2"),
    /* A "?" inside the fragment starts no query. */
    OK("query", "http://example.com/p#a?b=1", "http", "example.com", 80, "/p",
       ""),
    OK("query", "http://example.com#f?x", "http", "example.com", 80, "/", ""),
    OK("query", "http://example.com/p?#f", "http", "example.com", 80, "/p", ""),
    /* Path and query keep their case; ";" is part of the path (Python's
     * urlparse would cut ";type=i" off as "params", urlsplit does not). */
    OK("query", "http://EXAMPLE.com/Path/To?Q=Mixed", "http", "example.com", 80,
       "/Path/To", "Q=Mixed"),
    OK("query", "http://example.com/a;type=i?x", "http", "example.com", 80,
       "/a;type=i", "x"),
    /* url_target: the path, then "?query" only when there is a query. */
    TARGET("query", "http://example.com/search?q=socket#frag",
	   "/search?q=socket"),
    TARGET("query", "http://example.com/page#section", "/page"),
    TARGET("query", "http://example.com", "/"),
    TARGET("query", "http://example.com?x", "/?x"),
    TARGET("query", "http://example.com/p?", "/p"),
    /* What must be rejected, with its reason. */
    BAD("invalid", "ftp://example.com/", URL_BAD_SCHEME),
    BAD("invalid", "example.com/index.html", URL_BAD_SCHEME),
    BAD("invalid", "http:/example.com/", URL_BAD_SCHEME),
    BAD("invalid", "http//example.com/", URL_BAD_SCHEME),
    BAD("invalid", "://example.com/", URL_BAD_SCHEME),
    BAD("invalid", "htt://example.com/", URL_BAD_SCHEME),
    BAD("invalid", "httpss://example.com/", URL_BAD_SCHEME),
    BAD("invalid", "http://", URL_BAD_HOST),
    BAD("invalid", "http:///path", URL_BAD_HOST),
    BAD("invalid", "http://:80/", URL_BAD_HOST),
    BAD("invalid", "http://?q=1", URL_BAD_HOST),
    BAD("invalid", "http://user@example.com/", URL_BAD_HOST),
    BAD("invalid", "http://user@example.com:8080/", URL_BAD_HOST),
    BAD("invalid", "http://example.com:0/", URL_BAD_PORT),
    BAD("invalid", "http://example.com:65536/", URL_BAD_PORT),
    BAD("invalid", "http://example.com:99999/", URL_BAD_PORT),
    BAD("invalid", "http://example.com:80a/", URL_BAD_PORT),
    BAD("invalid", "http://example.com:-80/", URL_BAD_PORT),
    BAD("invalid", "http://example.com:+80/", URL_BAD_PORT),
    BAD("invalid", "http://example.com: 80/", URL_BAD_PORT),
    BAD("invalid", "http://example.com:0x50/", URL_BAD_PORT),
    BAD("invalid", "http://example.com:99999999999/", URL_BAD_PORT),
    /* 2^32 + 80: a number kept in 32 bits wraps around to 80. */
    BAD("invalid", "http://example.com:4294967376/", URL_BAD_PORT),
    /* ... and neighbours that look forbidden but are not: "@" and ":"
     * after the host part belong to the path, query or fragment. */
    OK("invalid", "http://example.com:65535/ok", "http", "example.com", 65535,
       "/ok", ""),
    OK("invalid", "http://example.com/mail?to=a@b.example", "http",
       "example.com", 80, "/mail", "to=a@b.example"),
    OK("invalid", "http://example.com/~me@home/", "http", "example.com", 80,
       "/~me@home/", ""),
    OK("invalid", "http://example.com#me@home", "http", "example.com", 80, "/",
       ""),
    OK("invalid", "http://example.com/a:b/c", "http", "example.com", 80,
       "/a:b/c", ""),
    OK("invalid", "http://example.com?time=12:30", "http", "example.com", 80,
       "/", "time=12:30"),
    OK("invalid", "http://example.com/ftp://x/", "http", "example.com", 80,
       "/ftp://x/", ""),
    /* Each array of struct url at its size: a part of size - 1 bytes is
     * the longest that fits with its '\0'; one more is URL_TOO_LONG. */
    {.group = "limits",
     .name = "a host of 254 letters",
     .text = "http://%s/",
     .fill = URL_HOST_MAX - 2,
     .status = URL_OK,
     .scheme = "http",
     .host = "%s",
     .port = 80,
     .path = "/",
     .query = ""},
    {.group = "limits",
     .name = "a host of 255 letters (URL_HOST_MAX - 1: the longest)",
     .text = "http://%s/",
     .fill = URL_HOST_MAX - 1,
     .status = URL_OK,
     .scheme = "http",
     .host = "%s",
     .port = 80,
     .path = "/",
     .query = ""},
    {.group = "limits",
     .name = "a host of 255 letters and a port",
     .text = "http://%s:8080?q",
     .fill = URL_HOST_MAX - 1,
     .status = URL_OK,
     .scheme = "http",
     .host = "%s",
     .port = 8080,
     .path = "/",
     .query = "q"},
    {.group = "limits",
     .name = "a host of 256 letters (URL_HOST_MAX: one too many)",
     .text = "http://%s/",
     .fill = URL_HOST_MAX,
     .status = URL_TOO_LONG},
    {.group = "limits",
     .name = "a host of 257 letters",
     .text = "http://%s/",
     .fill = URL_HOST_MAX + 1,
     .status = URL_TOO_LONG},
    {.group = "limits",
     .name = "a host of 256 letters and a port",
     .text = "http://%s:80/",
     .fill = URL_HOST_MAX,
     .status = URL_TOO_LONG},
    {.group = "limits",
     .name = "a host of 5000 letters",
     .text = "http://%s/",
     .fill = 5000,
     .status = URL_TOO_LONG},
    {.group = "limits",
     .name = "a path of 2046 bytes",
     .text = "http://h/%s",
     .fill = URL_PATH_MAX - 3,
     .status = URL_OK,
     .scheme = "http",
     .host = "h",
     .port = 80,
     .path = "/%s",
     .query = ""},
    {.group = "limits",
     .name = "a path of 2047 bytes (URL_PATH_MAX - 1: the longest)",
     .text = "http://h/%s#fragment",
     .fill = URL_PATH_MAX - 2,
     .status = URL_OK,
     .scheme = "http",
     .host = "h",
     .port = 80,
     .path = "/%s",
     .query = ""},
    {.group = "limits",
     .name = "a path of 2048 bytes (URL_PATH_MAX: one too many)",
     .text = "http://h/%s",
     .fill = URL_PATH_MAX - 1,
     .status = URL_TOO_LONG},
    {.group = "limits",
     .name = "a path of 2049 bytes",
     .text = "http://h/%s?q",
     .fill = URL_PATH_MAX,
     .status = URL_TOO_LONG},
    {.group = "limits",
     .name = "a path of 10000 bytes",
     .text = "http://h/%s",
     .fill = 9999,
     .status = URL_TOO_LONG},
    {.group = "limits",
     .name = "a query of 2046 bytes",
     .text = "http://h/q?%s",
     .fill = URL_PATH_MAX - 2,
     .status = URL_OK,
     .scheme = "http",
     .host = "h",
     .port = 80,
     .path = "/q",
     .query = "%s"},
    {.group = "limits",
     .name = "a query of 2047 bytes (URL_PATH_MAX - 1: the longest)",
     .text = "http://h/q?%s#fragment",
     .fill = URL_PATH_MAX - 1,
     .status = URL_OK,
     .scheme = "http",
     .host = "h",
     .port = 80,
     .path = "/q",
     .query = "%s"},
    {.group = "limits",
     .name = "a query of 2048 bytes (URL_PATH_MAX: one too many)",
     .text = "http://h/q?%s",
     .fill = URL_PATH_MAX,
     .status = URL_TOO_LONG},
    {.group = "limits",
     .name = "a query of 2049 bytes",
     .text = "http://h?%s#f",
     .fill = URL_PATH_MAX + 1,
     .status = URL_TOO_LONG},
    {.group = "limits",
     .name = "a query of 10000 bytes",
     .text = "http://h/?%s",
     .fill = 10000,
     .status = URL_TOO_LONG},
    {.group = "limits",
     .name = "a path and a query of 2047 bytes each",
     .text = "http://h/%s?%sa",
     .fill = URL_PATH_MAX - 2,
     .status = URL_OK,
     .scheme = "http",
     .host = "h",
     .port = 80,
     .path = "/%s",
     .query = "%sa",
     .target = "/%s?%sa"},
    {.group = "limits",
     .name = "a scheme of 5000 letters",
     .text = "%s://h/",
     .fill = 5000,
     .status = URL_BAD_SCHEME,
     .or_status = URL_TOO_LONG},
    /* url_target at its size: the target and its '\0' just fit, or not. */
    TARGET_IN("limits", "http://h/abc?de", "/abc?de", 9),
    TARGET_IN("limits", "http://h/abc?de#x", "/abc?de", 8),
    TARGET_IN("limits", "http://h/abc?de", "/abc?de", 7),
    TARGET_IN("limits", "http://h/abc?", "/abc", 5),
    TARGET_IN("limits", "http://h/abc", "/abc", 4),
};

#define NCASES ((int)(sizeof(cases) / sizeof(cases[0])))

/* The expansions of the running case: its URL, and the parts expected. */
static char url_text[TEXT_MAX], want_text[5][TEXT_MAX];

/* Copies template into out with every "%s" replaced by fill letters
 * ("abc...zab..."); returns out, or NULL for a NULL template. */
static const char *expand(const char *template, size_t fill, char *out)
{
	size_t used = 0;

	if (!template)
		return NULL;
	for (const char *at = template; *at && used < TEXT_MAX - 1; at++) {
		if (at[0] == '%' && at[1] == 's') {
			for (size_t i = 0; i < fill && used < TEXT_MAX - 1; i++)
				out[used++] = (char)('a' + i % 26);
			at++;
		} else {
			out[used++] = *at;
		}
	}
	out[used] = '\0';
	return out;
}

static const char *status_name(enum url_status status)
{
	static const char *const names[] = {"URL_OK", "URL_BAD_SCHEME",
					    "URL_BAD_HOST", "URL_BAD_PORT",
					    "URL_TOO_LONG"};

	if ((int)status >= 0 && (int)status < 5)
		return names[status];
	return "a value that is not an enum url_status";
}

/* Compares one text part; on a difference prints the reason and fails. */
static void expect_part(const struct url_case *t, const char *part,
			const char *want, const char *got, size_t size)
{
	size_t len = strnlen(got, size);
	size_t want_len = strlen(want);

	if (len == size) {
		print_message("case failed: %s: %s has no '\\0' in its %zu "
			      "bytes\n",
			      t->name, part, size);
		fail();
	}
	if (strcmp(want, got) == 0)
		return;
	if (want_len > 80 || len > 80)
		print_message("case failed: %s: %s: expected %zu bytes "
			      "\"%.40s...\", got %zu bytes \"%.40s...\"\n",
			      t->name, part, want_len, want, len, got);
	else
		print_message("case failed: %s: %s: expected \"%s\", got "
			      "\"%s\"\n",
			      t->name, part, want, got);
	fail();
}

/* Fails if a byte of the guard around struct url changed. */
static void expect_guard(const struct url_case *t, const char *guard,
			 const char *where)
{
	for (int i = 0; i < GUARD_LEN; i++)
		if (guard[i] != GUARD) {
			print_message("case failed: %s: url_parse wrote %s "
				      "struct url (a part copied without "
				      "room for it and its '\\0')\n",
				      t->name, where);
			fail();
		}
}

/* url_target into a buffer of size bytes, with a guard after it. */
static void run_target(const struct url_case *t, const struct url *u,
		       const char *want)
{
	static char out[2 * TEXT_MAX + GUARD_LEN];
	size_t size = t->target_size ? t->target_size : 2 * TEXT_MAX;
	int fits = strlen(want) < size, rc;

	memset(out, GUARD, sizeof(out));
	rc = url_target(u, out, size);
	for (size_t i = size; i < size + GUARD_LEN; i++)
		if (out[i] != GUARD) {
			print_message("case failed: %s: url_target(url, out, "
				      "%zu) wrote past the %zu bytes of out\n",
				      t->name, size, size);
			fail();
		}
	if (fits && rc != 0) {
		print_message("case failed: %s: url_target(url, out, %zu) "
			      "returned %d; \"%s\" and its '\\0' fit: "
			      "expected 0\n",
			      t->name, size, rc, want);
		fail();
	}
	if (!fits && rc != -1) {
		print_message("case failed: %s: url_target(url, out, %zu) "
			      "returned %d; \"%s\" and its '\\0' need %zu "
			      "bytes: expected -1\n",
			      t->name, size, rc, want, strlen(want) + 1);
		fail();
	}
	if (fits)
		expect_part(t, "url_target's text", want, out, size);
}

static void run_case(void **state)
{
	const struct url_case *t = *state;
	/* Guards on both sides: a part written one byte too far shows. */
	static struct {
		char before[GUARD_LEN];
		struct url u;
		char after[GUARD_LEN];
	} g;
	const char *text =
	    expand(t->text ? t->text : t->name, t->fill, url_text);
	enum url_status got;

	/* Garbage first: every part must be written, "" included. */
	memset(&g, GUARD, sizeof(g));
	memset(&g.u, GARBAGE, sizeof(g.u));
	g.u.port = -7;
	got = url_parse(text, &g.u);
	expect_guard(t, g.before, "before the start of");
	expect_guard(t, g.after, "past the end of");
	if (got != t->status && (got != t->or_status || got == URL_OK)) {
		print_message("case failed: %s: url_parse returned %s (%d), "
			      "expected %s\n",
			      t->name, status_name(got), (int)got,
			      status_name(t->status));
		fail();
	}
	if (t->status != URL_OK)
		return;
	if (t->scheme) {
		expect_part(t, "scheme",
			    expand(t->scheme, t->fill, want_text[0]),
			    g.u.scheme, sizeof(g.u.scheme));
		expect_part(t, "host", expand(t->host, t->fill, want_text[1]),
			    g.u.host, sizeof(g.u.host));
		if (g.u.port != t->port) {
			print_message("case failed: %s: port: expected %d, "
				      "got %d\n",
				      t->name, t->port, g.u.port);
			fail();
		}
		expect_part(t, "path", expand(t->path, t->fill, want_text[2]),
			    g.u.path, sizeof(g.u.path));
		expect_part(t, "query", expand(t->query, t->fill, want_text[3]),
			    g.u.query, sizeof(g.u.query));
	}
	if (t->target)
		run_target(t, &g.u, expand(t->target, t->fill, want_text[4]));
}

int main(int argc, char **argv)
{
	struct CMUnitTest tests[NCASES];
	int n = 0, failed;
	char token[64] = "";

	/* First, before any of the student's code runs: the harness's
	 * token for this run, which only the last line carries. */
	if (!fgets(token, sizeof(token), stdin))
		token[0] = '\0';
	token[strcspn(token, "\n")] = '\0';

	if (argc != 2) {
		fprintf(stderr, "usage: url-cases GROUP\n");
		return 1;
	}
	for (int i = 0; i < NCASES; i++) {
		if (strcmp(cases[i].group, argv[1]) != 0)
			continue;
		tests[n].name = cases[i].name;
		tests[n].test_func = run_case;
		tests[n].setup_func = NULL;
		tests[n].teardown_func = NULL;
		tests[n].initial_state = (void *)&cases[i];
		n++;
	}
	if (n == 0) {
		fprintf(stderr, "url-cases: no group %s\n", argv[1]);
		return 1;
	}
	failed = _cmocka_run_group_tests(argv[1], tests, (size_t)n, NULL, NULL);
	printf("cases: %d run, %d failed, token %s\n", n, failed, token);
	return failed;
}
