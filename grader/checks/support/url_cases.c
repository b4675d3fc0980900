/* url_cases.c - lab 09: the URL parser's test table, run with cmocka.
 *
 * usage: url-cases GROUP
 *
 * Linked with the student's url.c. Runs every case of GROUP (defaults,
 * ports, ipv6, query, invalid) as its own cmocka test, named by its URL.
 * A failing case first prints one line
 *	case failed: NAME: what differed
 * so the grader can list every case that failed with its reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "url.h"

/* One URL and what url_parse must make of it. */
struct url_case {
	const char *group;	/* the check that grades it */
	const char *name;	/* shown in feedback: the URL, or a label */
	const char *text;	/* the URL; NULL: name is the URL */
	enum url_status status; /* the status expected */
	const char *scheme;	/* with URL_OK: every part expected */
	const char *host;
	int port;
	const char *path;
	const char *query;
};

/* A host of 300 letters: more than URL_HOST_MAX. */
#define LONG_HOST_URL                                                          \
	"http://"                                                              \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"         \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"         \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"         \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"         \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"         \
	".example/"

static const struct url_case cases[] = {
    /* Defaults: scheme and host in lower case, port 80 or 443, path "/". */
    {"defaults", "http://example.com/index.html", NULL, URL_OK, "http",
     "example.com", 80, "/index.html", ""},
    {"defaults", "http://example.com", NULL, URL_OK, "http", "example.com", 80,
     "/", ""},
    {"defaults", "https://example.com/", NULL, URL_OK, "https", "example.com",
     443, "/", ""},
    {"defaults", "HTTP://Example.COM/Docs/Page.html", NULL, URL_OK, "http",
     "example.com", 80, "/Docs/Page.html", ""},
    {"defaults", "http://127.0.0.1/a/b/c.txt", NULL, URL_OK, "http",
     "127.0.0.1", 80, "/a/b/c.txt", ""},
    {"defaults", "https://www.python.org/downloads/", NULL, URL_OK, "https",
     "www.python.org", 443, "/downloads/", ""},
    {"defaults", "http://localhost:/x", NULL, URL_OK, "http", "localhost", 80,
     "/x", ""},
    /* Ports written in the URL. */
    {"ports", "http://example.com:8080/", NULL, URL_OK, "http", "example.com",
     8080, "/", ""},
    {"ports", "https://example.com:8443/x", NULL, URL_OK, "https",
     "example.com", 8443, "/x", ""},
    {"ports", "http://localhost:1/", NULL, URL_OK, "http", "localhost", 1, "/",
     ""},
    {"ports", "http://localhost:65535", NULL, URL_OK, "http", "localhost",
     65535, "/", ""},
    {"ports", "http://127.0.0.1:9000?x=1", NULL, URL_OK, "http", "127.0.0.1",
     9000, "/", "x=1"},
    {"ports", "http://h:080/", NULL, URL_OK, "http", "h", 80, "/", ""},
    {"ports", "https://h:443/p", NULL, URL_OK, "https", "h", 443, "/p", ""},
    /* IPv6 literals: in brackets in the URL, without them in host. */
    {"ipv6", "http://[::1]/", NULL, URL_OK, "http", "::1", 80, "/", ""},
    {"ipv6", "http://[::1]:8080/index.html", NULL, URL_OK, "http", "::1", 8080,
     "/index.html", ""},
    {"ipv6", "http://[2001:db8::7]:8443/c", NULL, URL_OK, "http", "2001:db8::7",
     8443, "/c", ""},
    {"ipv6", "http://[2001:DB8::1]", NULL, URL_OK, "http", "2001:db8::1", 80,
     "/", ""},
    {"ipv6", "http://[::ffff:192.0.2.1]:81/x?y=z", NULL, URL_OK, "http",
     "::ffff:192.0.2.1", 81, "/x", "y=z"},
    {"ipv6", "http://[::1]junk/", NULL, URL_BAD_HOST, NULL, NULL, 0, NULL,
     NULL},
    {"ipv6", "http://[::1/", NULL, URL_BAD_HOST, NULL, NULL, 0, NULL, NULL},
    {"ipv6", "http://::1/", NULL, URL_BAD_HOST, NULL, NULL, 0, NULL, NULL},
    /* Queries kept without their "?"; fragments dropped. */
    {"query", "http://example.com/search?q=socket&lang=en", NULL, URL_OK,
     "http", "example.com", 80, "/search", "q=socket&lang=en"},
    {"query", "http://example.com/page#section", NULL, URL_OK, "http",
     "example.com", 80, "/page", ""},
    {"query", "http://example.com/s?q=1#frag", NULL, URL_OK, "http",
     "example.com", 80, "/s", "q=1"},
    {"query", "http://example.com?x", NULL, URL_OK, "http", "example.com", 80,
     "/", "x"},
    {"query", "http://example.com#top", NULL, URL_OK, "http", "example.com", 80,
     "/", ""},
    {"query", "http://example.com/a?b?c", NULL, URL_OK, "http", "example.com",
     80, "/a", "b?c"},
    {"query", "http://example.com/?", NULL, URL_OK, "http", "example.com", 80,
     "/", ""},
    {"query", "http://example.com/p?a=1/2", NULL, URL_OK, "http", "example.com",
     80, "/p", "a=1/2"},
    /* What must be rejected, with its reason, and a neighbour that
     * must not be. */
    {"invalid", "ftp://example.com/", NULL, URL_BAD_SCHEME, NULL, NULL, 0, NULL,
     NULL},
    {"invalid", "example.com/index.html", NULL, URL_BAD_SCHEME, NULL, NULL, 0,
     NULL, NULL},
    {"invalid", "http:/example.com/", NULL, URL_BAD_SCHEME, NULL, NULL, 0, NULL,
     NULL},
    {"invalid", "http://", NULL, URL_BAD_HOST, NULL, NULL, 0, NULL, NULL},
    {"invalid", "http:///path", NULL, URL_BAD_HOST, NULL, NULL, 0, NULL, NULL},
    {"invalid", "http://user@example.com/", NULL, URL_BAD_HOST, NULL, NULL, 0,
     NULL, NULL},
    {"invalid", "http://example.com:0/", NULL, URL_BAD_PORT, NULL, NULL, 0,
     NULL, NULL},
    {"invalid", "http://example.com:65536/", NULL, URL_BAD_PORT, NULL, NULL, 0,
     NULL, NULL},
    {"invalid", "http://example.com:80a/", NULL, URL_BAD_PORT, NULL, NULL, 0,
     NULL, NULL},
    {"invalid", "http://example.com:-80/", NULL, URL_BAD_PORT, NULL, NULL, 0,
     NULL, NULL},
    {"invalid", "http://example.com:99999999999/", NULL, URL_BAD_PORT, NULL,
     NULL, 0, NULL, NULL},
    {"invalid", "a host of 308 characters", LONG_HOST_URL, URL_TOO_LONG, NULL,
     NULL, 0, NULL, NULL},
    {"invalid", "http://example.com:65535/ok", NULL, URL_OK, "http",
     "example.com", 65535, "/ok", ""},
};

#define NCASES ((int)(sizeof(cases) / sizeof(cases[0])))

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
	int len = (int)strnlen(got, size);

	if ((size_t)len == size) {
		print_message("case failed: %s: %s has no '\\0' in its %zu "
			      "bytes\n",
			      t->name, part, size);
		fail();
	}
	if (strcmp(want, got) != 0) {
		print_message("case failed: %s: %s: expected \"%s\", got "
			      "\"%.*s\"\n",
			      t->name, part, want, len > 200 ? 200 : len, got);
		fail();
	}
}

static void run_case(void **state)
{
	const struct url_case *t = *state;
	struct url u;
	enum url_status got;

	/* Garbage first: every part must be written, "" included. */
	memset(&u, 'Z', sizeof(u));
	u.port = -7;
	got = url_parse(t->text ? t->text : t->name, &u);
	if (got != t->status) {
		print_message("case failed: %s: url_parse returned %s (%d), "
			      "expected %s\n",
			      t->name, status_name(got), (int)got,
			      status_name(t->status));
		fail();
	}
	if (t->status != URL_OK)
		return;
	expect_part(t, "scheme", t->scheme, u.scheme, sizeof(u.scheme));
	expect_part(t, "host", t->host, u.host, sizeof(u.host));
	if (u.port != t->port) {
		print_message("case failed: %s: port: expected %d, got %d\n",
			      t->name, t->port, u.port);
		fail();
	}
	expect_part(t, "path", t->path, u.path, sizeof(u.path));
	expect_part(t, "query", t->query, u.query, sizeof(u.query));
}

int main(int argc, char **argv)
{
	struct CMUnitTest tests[NCASES];
	int n = 0;

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
	return _cmocka_run_group_tests(argv[1], tests, (size_t)n, NULL, NULL);
}
