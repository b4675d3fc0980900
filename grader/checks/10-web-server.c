/* 10-web-server.c - lab 10: a static HTTP/1.0 server for a folder.
 *
 * "web PORT site" serves the folder site/ that each check writes into the
 * program's working folder (text, binary and one file of each type), with
 * secret.txt next to it, above the folder, where no request may reach.
 * The checks play HTTP clients with the harness's client peer: whole
 * requests, requests cut in pieces or sent slowly, malformed ones, heads
 * at the 8 KiB limit and past it, climbs out of the folder, clients that
 * leave before their answer, fifty clients at once and hundreds in a row
 * under a small descriptor limit. Answers: 200 with the file, 400, 403,
 * 404, 501; see the lab's http.h. Every rule of the handout and the check
 * that exercises it: grader/checks/rules/10-web-server.md. The rubric is
 * the table at the end of this file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../harness/hx_http.h"
#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS 1500 /* the server starts listening */
#define IO_MS	 1500 /* a response arrives, a client connects */
#define STOP_MS	 1000 /* the server exits after SIGTERM or SIGINT */
#define EXIT_MS	 1500 /* the server exits after bad arguments */

/* Deadlines of whole checks. */
#define CHECK_MS      8000  /* most checks */
#define BUILD_MS      60000 /* the build */
#define LONG_CHECK_MS 20000 /* hundreds of requests */

/* Descriptor limits (RLIMIT_NOFILE) of the server: a leak of one per
 * request runs into EMFILE within a check. */
#define FEW_FILES  32  /* every check but many-clients */
#define MANY_FILES 256 /* 50 connections and their files at once */

#define SITE	       "site" /* the folder served, in the cwd */
#define SECRET	       "TOP SECRET: nothing above the folder is served\n"
#define HEAD_MAX       8192	 /* the lab's limit on a request head */
#define RESPONSE_CAP   (1 << 20) /* more than any response here */
#define MANY_CLIENTS   50	 /* connections open at once */
#define LEAK_ROUNDS    40	 /* rounds of every kind of request */
#define MEMORY_ROUNDS  6	 /* the same, under LeakSanitizer */
#define LOGO_BYTES     100000	 /* the binary file's size */
#define EARLY_ATTEMPTS 3	 /* tries when a reset destroyed an answer */
#define LONG_FIELD     3000	 /* a method or path past struct request */

#define INDEX_HTML                                                             \
	"<html><head><title>lab 10</title></head>\n"                           \
	"<body><h1>It works</h1></body></html>\n"
#define SUB_HTML      "<p>the index of a sub-folder</p>\n"
#define DOTS_TEXT     "two dots inside a name are not a climb\n"
#define PRIVATE_TEXT  "no one may read this\n"
#define ZEBRA_TEXT    "a name with a Z, for the hex digits a and A\n"
#define QUESTION_TEXT "a '?' in a name, sent as %3F\n"
#define PLUS_TEXT     "a '+' in a name is a '+'\n"

#include "support/10-web-server-site.c"
#include "support/10-web-server-requests.c"
#include "support/10-web-server-load.c"

/* The rubric: 100 points. */
static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "web builds without warnings",
	.points = 6,
	.timeout_ms = BUILD_MS,
	.programs = "web",
	.hint =
	    "Read the compiler's messages from the first one down; fix every "
	    "warning too (an unused variable, a missing return, a signed and "
	    "unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "text",
	.title =
	    "text files and folder indexes come back exact; stdout stays empty",
	.points = 9,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "Answer \"HTTP/1.0 200 OK\\r\\n\" (exactly), Content-Type, "
	    "Content-Length (the file's size from fstat) and an empty line, "
	    "then the file's bytes. Drop a \"?query\" first, then %-decode "
	    "the rest (%65 is 'e', %2F is '/', %3F is a '?' of the name; '+' "
	    "stays '+'); a target ending in \"/\" means that folder's "
	    "index.html. Log on stderr: stdout stays empty.",
	.run = check_text,
    },
    {
	.id = "binary",
	.title = "binary files (100 KB with NUL bytes) come back exact",
	.points = 8,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "web",
	.hint =
	    "Copy the file with read and writen, exactly the n bytes read "
	    "gave: never strlen, fgets or fputs on file contents (they stop "
	    "at a NUL byte). Content-Length is st_size.",
	.run = check_binary,
    },
    {
	.id = "types",
	.title = "Content-Type follows the file's extension, in any case",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "content_type: .html and .htm text/html, .txt text/plain, .png "
	    "image/png, .jpg and .jpeg image/jpeg, compared in any case "
	    "(strcasecmp); anything else, no extension included, "
	    "application/octet-stream. The extension is what follows the last "
	    "'.' after the last '/' (strrchr): \"photo.v2.png\" has \".png\", "
	    "\"notes.txt.bak\" has \".bak\", \"pages.html/README\" has none.",
	.run = check_types,
    },
    {
	.id = "not-found",
	.title = "missing files and folders get 404, an unreadable file 403",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "When open fails with ENOENT or ENOTDIR, or fstat says the path "
	    "is not a regular file (a folder without its \"/\"), answer 404; "
	    "when open fails with EACCES, 403. Each with its status line "
	    "(\"HTTP/1.0 404 Not Found\"), a short text body and its "
	    "Content-Length.",
	.run = check_not_found,
    },
    {
	.id = "malformed",
	.title =
	    "malformed requests get 400, other methods 501, the server goes on",
	.points = 8,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "web",
	.hint =
	    "The request line is exactly three words split by single spaces: "
	    "METHOD, a target starting with '/', and HTTP/1.0 or HTTP/1.1 in "
	    "capitals. Anything else, a bad %-escape (two hex digits must "
	    "follow '%') or %00 is 400. A well-formed request whose method is "
	    "not exactly \"GET\" (HEAD, POST, get) is 501. Never assume "
	    "strtok or strchr found something: test for NULL. A method "
	    "longer than method[] holds is 400 or 501, never copied past it. "
	    "Every error's status line is \"HTTP/1.0 400 Bad Request\" and "
	    "the like.",
	.run = check_malformed,
    },
    {
	.id = "pieces",
	.title = "requests in pieces, byte by byte, with LF or CR LF",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "One recv is not one request: keep receiving into the free part "
	    "of the buffer until it holds the empty line that ends the head, "
	    "\"\\r\\n\\r\\n\", \"\\n\\n\" or a mix such as \"\\n\\r\\n\" "
	    "(head_length).",
	.run = check_pieces,
    },
    {
	.id = "overlong",
	.title = "a head of 8192 bytes is served, one byte more gets 400",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "web",
	.hint =
	    "Receive at most HEAD_MAX - len bytes at a time, into buf + len; "
	    "a head of HEAD_MAX bytes, empty line included, is a request. "
	    "When HEAD_MAX bytes came without the empty line, answer 400 at "
	    "once (wait for nothing more) and close. Keep room for the '\\0' "
	    "after the head. A decoded path longer than path[] holds is 400 "
	    "or 404: stop decoding at TARGET_MAX - 1 bytes.",
	.run = check_overlong,
    },
    {
	.id = "traversal",
	.title =
	    "nothing above the folder is served: a \"..\" segment gets 403",
	.points = 9,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "Decode %-escapes first (\"%2e%2e\" is \"..\"), then refuse with "
	    "403 a path with a segment that is exactly \"..\" (between two "
	    "'/', or at the end); \"v1..2.txt\" and \"..notes.txt\" are names "
	    "like any other. Join the decoded path to the folder: a target is "
	    "never a path on disk of its own.",
	.run = check_traversal,
    },
    {
	.id = "slow-client",
	.title = "a slow client does not hold up a fast one",
	.points = 7,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "Serve each client in a thread of its own: accept, malloc the "
	    "client's data, pthread_create a detached thread that reads the "
	    "request, answers and closes; main goes straight back to accept.",
	.run = check_slow_client,
    },
    {
	.id = "many-clients",
	.title = "50 clients at once all get their files",
	.points = 7,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "listen with a backlog of 128. Give each thread its own copy of "
	    "the connected socket (malloc'd, freed by the thread): the "
	    "address of a variable the next accept overwrites is shared by "
	    "two threads.",
	.run = check_many_clients,
	.max_files = MANY_FILES,
    },
    {
	.id = "fd-leak",
	.title = "hundreds of requests of every kind leave no descriptor open",
	.points = 6,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "web",
	.hint = "Every path through a thread closes what it opened: the file "
		"(also when it is a folder, or the client went away) and the "
		"connection (also after an error answer, and when the client "
		"closed or reset before its head was whole).",
	.run = check_fd_leak,
    },
    {
	.id = "leave-early",
	.title =
	    "a client that leaves before its answer does not stop the server",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "A client may close before its answer is written: writen then "
	    "fails with EPIPE. Ignore SIGPIPE once in main (sigaction with "
	    "SIG_IGN), stop writing to that client, close its socket and let "
	    "the server go on.",
	.run = check_leave_early,
    },
    {
	.id = "memory",
	.title =
	    "every request's memory is freed (LeakSanitizer after SIGTERM)",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.flags = SL_SANITIZE | SL_LEAKS,
	.programs = "web",
	.hint =
	    "What main mallocs for a client (its struct client) the client's "
	    "thread frees on every path: after a file, after an error answer, "
	    "and when the client left before its head was whole.",
	.run = check_memory,
    },
    {
	.id = "usage",
	.title =
	    "bad arguments: usage line and status 1; bad folder or busy port 2",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "Require PORT (parse_port: digits only, 1 to 65535) and FOLDER, "
	    "nothing more, else print \"usage: web PORT FOLDER\" on stderr "
	    "and return 1. A FOLDER that stat cannot find or that is not a "
	    "folder: \"web: FOLDER: reason\" and return 2; a failed bind: "
	    "\"web: bind: reason\" and return 2.",
	.run = check_usage,
    },
    {
	.id = "stop-signal",
	.title = "SIGTERM and SIGINT stop the server (exit 0), clients or not",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "sigaction without SA_RESTART so accept fails with EINTR; block "
	    "SIGINT and SIGTERM (pthread_sigmask) around pthread_create so "
	    "client threads never take them; leave the loop, close, return 0.",
	.run = check_stop_signal,
    },
};

static const struct sl_lab lab10 = {
    .number = "10",
    .name = "web-server",
    .title = "Serving files: a static HTTP/1.0 server with a thread per client",
    .files = {"web.c", "http.c"},
    .given = {"http.h"},
    .programs = {{.name = "web", .sources = {"web.c", "http.c"}}},
    .max_files = FEW_FILES,
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab10);
