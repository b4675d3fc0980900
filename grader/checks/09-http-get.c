/* 09-http-get.c - lab 09: URLs and downloading a page.
 *
 * The URL parser (url.c) is graded through a cmocka driver linked with
 * it (support/url_cases.c): a table of URLs in six groups, one check per
 * group, each case its own test; a check fails with the list of every
 * case that failed and why. The downloader, "get URL FILE", is graded
 * against a web server the check plays on loopback: for each connection
 * get makes, the check reads the request and answers as the download's
 * plan says (a response the harness's HTTP peer builds, or raw bytes in
 * a spelling of its own), then compares FILE (in the program's working
 * folder) byte for byte, or checks that it does not exist. Every rule of
 * the handout and the check that exercises it are listed in
 * rules/09-http-get.md. The rubric is the table at the end of this file.
 *
 * The file is longer than a check table should be: the download runner
 * and its answers are used by every get check and have no other home yet
 * (a harness HTTP peer that serves raw bytes and counts connections).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../harness/hx_footprint.h"
#include "../../harness/hx_http.h"
#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define IO_MS	 1500 /* a request arrives, the downloader exits */
#define EXIT_MS	 1500 /* a program exits after bad arguments */
#define CASES_MS 4000 /* the URL driver runs one group */

/* Deadlines of whole checks. */
#define BUILD_MS    60000 /* every program, plain and sanitized */
#define URL_MS	    8000  /* one group of URL cases */
#define GET_MS	    8000  /* a few downloads */
#define GET_LONG_MS 15000 /* many downloads, or sanitized ones */

#define OUT_FILE    "download.out" /* FILE, in the program's cwd */
#define MAX_ANSWERS 8		   /* connections of one download */
#define MAX_SERVERS 2		   /* servers (ports) of one download */
#define MAX_HOPS    5		   /* redirects get follows (the handout) */
#define HTTP_PORT   80		   /* the default port of http */
#define LEAK_EXIT                                                              \
	86 /* a sanitized program's status after a                             \
	      LeakSanitizer report */

#include "support/09-http-get-url-and-runs.c"
#include "support/09-http-get-responses.c"
#include "support/09-http-get-trouble.c"

static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "get and the URL tests build without warnings",
	.points = 7,
	.timeout_ms = BUILD_MS,
	.programs = "get url-cases",
	.hint =
	    "Read the compiler's messages from the first one down; fix every "
	    "warning too (an unused variable, a missing return, a signed and "
	    "unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "url-defaults",
	.title = "url_parse fills in scheme, host, default port and path",
	.points = 5,
	.timeout_ms = URL_MS,
	.programs = "url-cases",
	.hint =
	    "Lower-case the scheme and the host; with no port the port is 80 "
	    "for http and 443 for https, also after an empty \"host:\"; with "
	    "no "
	    "path the path is \"/\". Write every field, query \"\" included.",
	.run = check_url_defaults,
    },
    {
	.id = "url-ports",
	.title = "url_parse reads explicit ports, 1 to 65535",
	.points = 5,
	.timeout_ms = URL_MS,
	.programs = "url-cases",
	.hint =
	    "The port is the digits between the host's ':' and the first '/', "
	    "'?' or '#' (or the end); a port given in the URL wins over the "
	    "scheme's default, for https too.",
	.run = check_url_ports,
    },
    {
	.id = "url-ipv6",
	.title = "url_parse takes IPv6 literals in brackets, and rejects bad "
		 "ones",
	.points = 5,
	.timeout_ms = URL_MS,
	.programs = "url-cases",
	.hint =
	    "After \"//\", a '[' starts an IPv6 address that ends at ']': its "
	    "colons are not the port's. Store it without the brackets; only "
	    "hex "
	    "digits, ':' and '.' may be inside (else URL_BAD_HOST); after ']' "
	    "only ':' and a port, or the end of the host part, may follow.",
	.run = check_url_ipv6,
    },
    {
	.id = "url-query",
	.title = "url_parse keeps the query and drops the fragment; "
		 "url_target",
	.points = 5,
	.timeout_ms = URL_MS,
	.programs = "url-cases",
	.hint =
	    "The path ends at the first '?' or '#'; the query is what follows "
	    "that '?' up to '#', without the '?'; from '#' on is the fragment, "
	    "dropped, even if a '?' is in it. url_target writes the path, and "
	    "\"?query\" only when the query is not empty.",
	.run = check_url_query,
    },
    {
	.id = "url-invalid",
	.title = "url_parse rejects bad schemes, hosts and ports, and "
		 "only those",
	.points = 5,
	.timeout_ms = URL_MS,
	.programs = "url-cases",
	.hint =
	    "Return URL_BAD_SCHEME without \"http://\" or \"https://\", "
	    "URL_BAD_HOST for an empty host or an '@' in the host part (not in "
	    "the path or query), URL_BAD_PORT unless the port is only digits "
	    "(no sign, no space) from 1 to 65535: check the digits yourself, "
	    "atoi and strtol accept \"+80\" and \" 80\", and long numbers "
	    "wrap.",
	.run = check_url_invalid,
    },
    {
	.id = "url-limits",
	.title = "url_parse and url_target at the size of every array",
	.points = 5,
	.timeout_ms = URL_MS,
	.flags = SL_SANITIZE,
	.programs = "url-cases",
	.hint =
	    "A part of N bytes needs N + 1 with its '\\0': a host of 255 "
	    "letters fits host[256], one of 256 is URL_TOO_LONG; the same for "
	    "path and query (2047 fit). Compare the length with the array's "
	    "size before copying (len >= size is too long). url_target returns "
	    "-1 when the target and its '\\0' do not fit in size bytes, and "
	    "never writes past them.",
	.run = check_url_limits,
    },
    {
	.id = "get-request",
	.title = "get sends GET, the target, Host with port, Connection: "
		 "close",
	.points = 4,
	.timeout_ms = GET_MS,
	.programs = "get",
	.hint =
	    "Send \"GET /path?query HTTP/1.1\\r\\n\", then \"Host: "
	    "HOST:PORT\\r\\n"
	    "\" (the port when it is not 80), \"Connection: close\\r\\n\" and "
	    "an "
	    "empty line. The fragment (#...) is never sent; every line ends in "
	    "\\r\\n.",
	.run = check_get_request,
    },
    {
	.id = "get-localhost",
	.title = "get tries every address of a name (localhost: ::1, then "
		 "127.0.0.1)",
	.points = 3,
	.timeout_ms = GET_MS,
	.flags = SL_NAMESPACE,
	.programs = "get",
	.hint =
	    "getaddrinfo may give several addresses: localhost is ::1 first, "
	    "where nothing listens here, then 127.0.0.1. Loop over the list: "
	    "socket and connect each, close the socket of a refused one, and "
	    "stop at the first that connects. Host names the host as in the "
	    "URL (localhost:PORT).",
	.run = check_get_localhost,
    },
    {
	.id = "get-ipv6",
	.title = "get fetches from an IPv6 literal, Host in brackets",
	.points = 2,
	.timeout_ms = GET_MS,
	.programs = "get",
	.hint =
	    "Resolve with hints.ai_family = AF_UNSPEC so that \"::1\" gives an "
	    "IPv6 address, and make the socket with the family getaddrinfo "
	    "gives; in the Host field put an IPv6 address in brackets: "
	    "\"Host: [::1]:PORT\".",
	.run = check_get_ipv6,
    },
    {
	.id = "get-default-port",
	.title = "get connects to port 80 when the URL has none; no :80 in "
		 "Host",
	.points = 2,
	.timeout_ms = GET_MS,
	.flags = SL_NAMESPACE,
	.programs = "get",
	.hint =
	    "Without a port in the URL, connect to 80 (443 for https). Write "
	    "\":PORT\" in the Host field only when the port is not the "
	    "scheme's "
	    "default: \"Host: 127.0.0.1\" for http://127.0.0.1/ and for "
	    "http://127.0.0.1:80/.",
	.run = check_get_default_port,
    },
    {
	.id = "get-length",
	.title = "get stops after Content-Length bytes, connection open",
	.points = 5,
	.timeout_ms = GET_MS,
	.programs = "get",
	.hint =
	    "With a Content-Length, read exactly that many body bytes, then "
	    "stop: "
	    "do not wait for the server to close (it may not). Content-Length: "
	    "0 "
	    "means no body at all. Bytes that came with the head in the same "
	    "recv are the start of the body.",
	.run = check_get_length,
    },
    {
	.id = "get-syntax",
	.title = "get reads every spelling of a head HTTP allows",
	.points = 4,
	.timeout_ms = GET_LONG_MS,
	.flags = SL_SANITIZE,
	.programs = "get",
	.hint =
	    "Compare field names with strcasecmp, and compare the whole name "
	    "(not strstr in the head: X-Original-Content-Length is another "
	    "field); a line may end in \\n alone; Content-Length is decimal "
	    "even with leading zeros (strtol base 10, not 0); the status line "
	    "may say HTTP/1.0.",
	.run = check_get_syntax,
    },
    {
	.id = "get-chunked",
	.title = "get decodes a chunked body",
	.points = 5,
	.timeout_ms = GET_MS,
	.flags = SL_SANITIZE,
	.programs = "get",
	.hint =
	    "With \"Transfer-Encoding: chunked\" the body is chunks: a line "
	    "with "
	    "the size in hex (upper or lower case, perhaps leading zeros; from "
	    "';' on ignore the line), the bytes, \"\\r\\n\"; a size 0 ends it, "
	    "then trailer lines up to an empty line. Stop there: do not wait "
	    "for "
	    "the close. Write only the chunks' bytes.",
	.run = check_get_chunked,
    },
    {
	.id = "get-close",
	.title = "get reads a body without length until the close",
	.points = 3,
	.timeout_ms = GET_MS,
	.programs = "get",
	.hint =
	    "With neither Content-Length nor chunks, the body is everything "
	    "until the server closes: recv until it returns 0, and write what "
	    "came, nothing if the close came right after the head.",
	.run = check_get_close,
    },
    {
	.id = "get-output",
	.title = "get prints \"FILE: N bytes\" with the body's length",
	.points = 3,
	.timeout_ms = GET_MS,
	.programs = "get",
	.hint =
	    "After saving, print one line on stdout: FILE as given, \": \", "
	    "the number of body bytes written (not the bytes received: no "
	    "head, no chunk sizes), \" bytes\" and a newline.",
	.run = check_get_output,
    },
    {
	.id = "get-redirect",
	.title = "get follows 301, 302, 303, 307 and 308 to the file",
	.points = 5,
	.timeout_ms = GET_MS,
	.programs = "get",
	.hint =
	    "On 301, 302, 303, 307 or 308 with a Location (any case), close "
	    "and fetch the Location: a whole URL (parse it with url_parse: its "
	    "host and port may differ) or a path on the server just asked "
	    "(keep its host and port, take the new query, drop a '#'). Do not "
	    "read the redirect's body to the close. Follow up to 5 redirects; "
	    "notes go to stderr, stdout holds only \"FILE: N bytes\".",
	.run = check_get_redirect,
    },
    {
	.id = "get-redirect-limit",
	.title = "get gives up after 5 redirects: exit 2, no file",
	.points = 3,
	.timeout_ms = GET_MS,
	.programs = "get",
	.hint =
	    "Count the redirects: after the fifth, a sixth is not followed; "
	    "print a message and exit 2 without creating FILE. A server that "
	    "redirects a page to itself would keep a downloader busy for ever.",
	.run = check_get_redirect_limit,
    },
    {
	.id = "get-status",
	.title = "get saves every 2xx body and no file for other statuses",
	.points = 4,
	.timeout_ms = GET_MS,
	.programs = "get",
	.hint =
	    "Any status from 200 to 299 is success. Any other final status "
	    "(404, 500, a 300, a 301 without Location) writes no file: look at "
	    "the status before opening FILE, print \"get: URL: 404 Not Found\" "
	    "and exit 2.",
	.run = check_get_status,
    },
    {
	.id = "get-binary",
	.title = "get saves a 100 KB binary body byte for byte",
	.points = 4,
	.timeout_ms = GET_MS,
	.flags = SL_SANITIZE,
	.programs = "get",
	.hint =
	    "The body is bytes, not text: write exactly the n bytes each recv "
	    "gave (fwrite or write, not fputs or strlen), open FILE with "
	    "\"wb\", "
	    "and never look for the head's end inside the body.",
	.run = check_get_binary,
    },
    {
	.id = "get-pieces",
	.title = "get reads a head that arrives in pieces",
	.points = 4,
	.timeout_ms = GET_LONG_MS,
	.flags = SL_SANITIZE,
	.programs = "get",
	.hint =
	    "One recv is not one response: keep receiving until the head's "
	    "empty line has come (it may be split anywhere, even between \\r "
	    "and "
	    "\\n), and keep the bytes after it for the body. When the buffer "
	    "already holds len bytes, recv at most sizeof(buf) - len more.",
	.run = check_get_pieces,
    },
    {
	.id = "get-cut",
	.title = "get reports a response cut short: exit 2, no file",
	.points = 4,
	.timeout_ms = GET_LONG_MS,
	.programs = "get",
	.hint =
	    "When the server closes before Content-Length bytes, before the "
	    "last (size 0) chunk, or before the head's empty line, that is an "
	    "error: say so on stderr, remove the partial FILE and exit 2.",
	.run = check_get_cut,
    },
    {
	.id = "get-errors",
	.title = "get exits 2 with a message: unknown host, refused, https, "
		 "not HTTP",
	.points = 3,
	.timeout_ms = GET_LONG_MS,
	.programs = "get",
	.hint =
	    "Every runtime error prints one line on stderr naming what failed "
	    "and exits 2, without a file: getaddrinfo's error (gai_strerror), "
	    "a refused connect (strerror), an https URL (no TLS here: do not "
	    "connect), a reply that does not start with \"HTTP/1.\".",
	.run = check_get_errors,
    },
    {
	.id = "get-memory",
	.title = "get gives back memory and sockets at each redirect",
	.points = 2,
	.timeout_ms = GET_LONG_MS,
	.flags = SL_SANITIZE | SL_LEAKS,
	.programs = "get",
	.hint = "Each connection must give back what it took: freeaddrinfo the "
		"list once connected (or not), free what you allocate for a "
		"response, close the socket before following a redirect.",
	.run = check_get_memory,
    },
    {
	.id = "get-usage",
	.title = "get rejects bad arguments with a usage line and status 1",
	.points = 3,
	.timeout_ms = GET_MS,
	.programs = "get",
	.hint =
	    "Require exactly URL and FILE, and a URL url_parse accepts; "
	    "otherwise print \"usage: get URL FILE\" on stderr and return 1.",
	.run = check_get_usage,
    },
};

static const struct sl_lab lab09 = {
    .number = "09",
    .name = "http-get",
    .title = "URLs and downloading a page: a URL parser and an HTTP/1.1 client",
    .files = {"get.c", "url.c"},
    .given = {"url.h"},
    .programs =
	{
	    {.name = "get", .sources = {"get.c", "url.c"}},
	    {.name = "url-cases",
	     .sources = {"url.c"},
	     .support = {"url_cases.c"},
	     .libs = "-lcmocka"},
	},
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab09);
