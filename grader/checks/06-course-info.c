/* 06-course-info.c - lab 06: a request/response protocol over TCP.
 *
 * The server answers one line per request line: a course name, in any
 * case, gives
 *	"CourseName:Python,Duration:1Year,Fee=4000\n",
 * any other name "this course is not available\n", an empty line
 * "error: empty request\n" and a line over 256 bytes
 * "error: request too long\n" (the rest of that line is dropped and the
 * connection goes on). The lecture's requests are "python", "java" and
 * "c". Several requests may share a connection; the server serves clients
 * one after another. Server checks play clients on loopback; client checks
 * play the server. The rubric is the table at the end of this file;
 * grader/checks/rules/06-course-info.md lists every rule of the handout
 * beside the check that exercises it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../harness/hx_footprint.h"
#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS   1500 /* a server starts listening */
#define IO_MS	   1000 /* a reply arrives, a client connects or exits */
#define STOP_MS	   1000 /* a server exits after SIGTERM or SIGINT */
#define EXIT_MS	   1500 /* a program exits after bad arguments */
#define RESOLVE_MS 3000 /* the client gives up on a name that cannot exist */

#define REQUEST_MAX  256 /* the longest request, bytes before its "\n" */
#define COURSES_MAX  32	 /* courses a table file may hold */
#define FIELD_MAX    64	 /* a field is shorter than this */
#define LAST_CLIENT  20	 /* clients in a row: 1 to 20 */
#define FIRST_COUNT  8	 /* clients before the first descriptor count */
#define RUDE_CLIENTS 3	 /* idle clients, clients that leave early */
/* RLIMIT_NOFILE of the programs: a descriptor leaked per client runs out
 * within 20 clients. */
#define FILES_MAX    16
#define TABLE_NAME   "courses.txt" /* the table file, in the server's cwd */
#define MISSING_NAME "no-such-table.txt"
#define UNKNOWN_HOST "no-such-host.invalid" /* RFC 6761: never resolves */

#define PYTHON	      "CourseName:Python,Duration:1Year,Fee=4000\n"
#define JAVA	      "CourseName:Java,Duration:2Year,Fee=2000\n"
#define C_LANGUAGE    "CourseName:C,Duration:2Months,Fee=1000\n"
#define NOT_AVAILABLE "this course is not available\n"
#define EMPTY	      "error: empty request\n"
#define TOO_LONG      "error: request too long\n"

#include "support/06-course-info-exchanges.c"
#include "support/06-course-info-limits.c"
#include "support/06-course-info-table-file.c"
#include "support/06-course-info-client.c"

static void check_server_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"abc", NULL},
	    {"0", NULL},
	    {"65536", NULL},
	    {"+8080", NULL},
	    {" 8080", NULL},
	    {"4294967297", NULL},
	    {"8080", TABLE_NAME, "extra", NULL},
	};
	static const char *const lowest[] = {"1", NULL};
	static const char *const highest[] = {"65535", NULL};

	if (hx_expect_usage(c, "server", cases, SL_COUNT(cases), EXIT_MS) < 0)
		return;
	hx_expect_port_accepted(c, "server", lowest, "1", EXIT_MS, STOP_MS);
	/* Port 65535 is free only inside the check's own network. */
	if (hx_ok(c) && c->isolated)
		hx_expect_port_accepted(c, "server", highest, "65535", EXIT_MS,
					STOP_MS);
}

static void check_client_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"127.0.0.1", NULL},
	    {"127.0.0.1", "8080", NULL},
	    {"127.0.0.1", "abc", "python", NULL},
	    {"127.0.0.1", "65536", "python", NULL},
	    {"127.0.0.1", "+80", "python", NULL},
	};
	/* Nothing listens on these ports: a refusal, not a usage error. */
	static const char *const lowest[] = {"127.0.0.1", "1", "python", NULL};
	static const char *const highest[] = {"127.0.0.1", "65535", "python",
					      NULL};

	if (hx_expect_usage(c, "client", cases, SL_COUNT(cases), EXIT_MS) < 0)
		return;
	hx_expect_port_accepted(c, "client", lowest, "1", EXIT_MS, STOP_MS);
	if (hx_ok(c) && c->isolated)
		hx_expect_port_accepted(c, "client", highest, "65535", EXIT_MS,
					STOP_MS);
}

/* Sends sig once the server waits in a blocking call (what it was doing
 * goes in the notes); requires exit status 0. */
static int expect_clean_stop(struct hx_check *c, struct hx_proc *server,
			     int sig, const char *while_doing)
{
	if (hx_proc_signal_exit(c, server, sig, STOP_MS) == 0)
		return 0;
	hx_note(c, "%s was sent %s %s", server->label, hx_signal_name(sig),
		while_doing);
	return -1;
}

static void check_stop_signal(struct hx_check *c)
{
	int port = hx_port(c, 0);
	struct hx_proc *server;
	struct hx_conn conn;

	/* SIGTERM while it waits for a client. */
	server = start_server(c, "server (for SIGTERM)", port, NULL);
	if (!server || expect_clean_stop(c, server, SIGTERM,
					 "while it waited in accept") < 0)
		return;

	/* SIGINT while a client that has had its reply stays silent. */
	server = start_server(c, "server (for SIGINT)", port, NULL);
	if (!server || hx_tcp_connect(c, &conn, "127.0.0.1", port, IO_MS) < 0)
		return;
	if (expect_reply_text(c, &conn, "c\n", NULL, C_LANGUAGE) == 0)
		expect_clean_stop(c, server, SIGINT,
				  "while a client was connected");
	hx_close(c, &conn);
}

/* Deadlines of whole checks (scaled like all deadlines). */
#define CHECK_MS      8000  /* most checks */
#define LONG_CHECK_MS 15000 /* many clients, table files, errors, usage */
#define BUILD_MS      60000 /* the build */

static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "server and client build without warnings",
	.points = 10,
	.timeout_ms = BUILD_MS,
	.programs = "server client",
	.hint = "Read the compiler's messages from the first one down; fix "
		"every warning too (an unused variable, a missing return, a "
		"signed and unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "courses",
	.title = "The lecture's requests python, java and c get their exact "
		 "course lines",
	.points = 8,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "Reply with exactly "
		"\"CourseName:NAME,Duration:DURATION,Fee=FEE\\n\" (a colon "
		"after CourseName and Duration, an equals sign after Fee, no "
		"spaces) from the built-in table: Python 1Year 4000, Java "
		"2Year 2000, C 2Months 1000. The lecture asks for \"python\": "
		"compare names with strcasecmp, so case does not matter, and "
		"spell the name in the reply as the table does.",
	.run = check_courses,
    },
    {
	.id = "any-case",
	.title = "A course name in any case (Python, JAVA) is that course",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint =
	    "Compare the request with each name with strcasecmp (from "
	    "<strings.h>), which ignores the case of letters: \"Python\", "
	    "\"python\" and \"pYtHoN\" are one course. The reply spells the "
	    "name as the table does.",
	.run = check_any_case,
    },
    {
	.id = "unknown",
	.title = "Any other name gets \"this course is not available\"",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "Compare the whole request with each whole name (strcasecmp, "
		"not strncasecmp over the request's length): \"py\", "
		"\"pythonista\", \"java \" and \" c\" are not courses. When no "
		"name matches, reply \"this course is not available\\n\".",
	.run = check_unknown,
    },
    {
	.id = "crlf",
	.title = "A request ending in CR LF is the same request",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "Clients such as telnet end lines with \"\\r\\n\". After "
		"cutting the line at its \"\\n\", drop one \"\\r\" left at its "
		"end before looking the name up.",
	.run = check_crlf,
    },
    {
	.id = "bytes",
	.title = "A request that arrives byte by byte is answered once",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "One recv is not one request: TCP may deliver \"python\\n\" "
		"one byte at a time, the \"\\r\" of \"\\r\\n\" apart from its "
		"\"\\n\". Keep the bytes received in a buffer and answer only "
		"when it holds a \"\\n\" (read_line in course.c).",
	.run = check_bytes,
    },
    {
	.id = "random",
	.title = "Eight requests split at random get eight replies in order",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "A piece of input may end in the middle of a request and the "
		"next piece finish it and start another: keep what follows a "
		"\"\\n\" in the reader's buffer (memmove it to the front) for "
		"the next call.",
	.run = check_random,
    },
    {
	.id = "pipelined",
	.title = "Requests in one segment get a reply each; an unfinished "
		 "one at close gets none",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "One recv may return \"python\\njava\\n\": answer every "
		"complete line in the buffer, and keep serving the connection "
		"until recv returns 0, not just its first request. Bytes "
		"after the last \"\\n\" when recv returns 0 are no request: "
		"close without a reply to them.",
	.run = check_pipelined,
    },
    {
	.id = "empty-line",
	.title = "An empty line gets \"error: empty request\"",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "An empty line is a request too (the line \"\", after the "
		"\"\\r\" is dropped): reply \"error: empty request\\n\" and go "
		"on. Tell it apart from the end of the connection: read_line "
		"returns LINE_EOF only when recv returns 0.",
	.run = check_empty_line,
    },
    {
	.id = "at-limit",
	.title = "Lines of 255 and 256 bytes are requests; 257 bytes (a \\r "
		 "counts) is too long",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "server",
	.hint = "The reader's buffer holds REQUEST_MAX + 1 = 257 bytes, all "
		"of them for the request (keep no room for a '\\0' there: the "
		"line is copied out): a 256-byte line and its \"\\n\" fit, "
		"so it is an ordinary request, even when the \"\\n\" comes "
		"later; 257 bytes without a \"\\n\" is too long. A \"\\r\" "
		"before the \"\\n\" counts. Test for a full buffer (len == "
		"sizeof buf) only after looking for the \"\\n\".",
	.run = check_at_limit,
    },
    {
	.id = "overlong",
	.title = "A line over 256 bytes gets an error at once; the server "
		 "goes on",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "server",
	.hint = "Never recv more than the free part of the buffer "
		"(sizeof buf - len). When the buffer is full and holds no "
		"\"\\n\", reply \"error: request too long\\n\" at once, then "
		"drop every byte up to and including the next \"\\n\" and "
		"memmove what follows it (the next request) to the front "
		"before reading requests again.",
	.run = check_overlong,
    },
    {
	.id = "many-clients",
	.title = "The server answers 20 clients in a row and keeps no "
		 "descriptor or memory of them",
	.points = 5,
	.timeout_ms = LONG_CHECK_MS,
	.flags = SL_SANITIZE | SL_LEAKS,
	.programs = "server",
	.hint = "After a client closes (recv returns 0), close its socket "
		"and go back to accept: do not exit or close the listening "
		"socket after the first client. Free whatever you allocate for "
		"a client or a request before the next one.",
	.run = check_many_clients,
    },
    {
	.id = "reset-client",
	.title = "The server survives clients that reset or leave before "
		 "their reply",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "recv fails with ECONNRESET when a client resets, and a "
		"write to a client that has gone fails with EPIPE: log it, "
		"stop serving that client, close its socket (on these paths "
		"too) and accept the next. Never exit because of one client; "
		"ignore SIGPIPE so a reply to a vanished client cannot kill "
		"you.",
	.run = check_reset_client,
    },
    {
	.id = "idle-client",
	.title = "The server survives clients that send nothing and close",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "A client may connect and close without a request: recv "
		"returns 0 at once. That is the end of this client, not an "
		"error and not an empty request: close the connection and "
		"accept the next.",
	.run = check_idle_client,
    },
    {
	.id = "server-stdout",
	.title = "The server writes nothing on stdout: its log goes to stderr",
	.points = 2,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "Write every log line with fprintf(stderr, ...) or perror, "
		"never printf or puts: stdout is not the server's to use.",
	.run = check_server_stdout,
    },
    {
	.id = "table-file",
	.title = "The table comes from a file when one is given, up to its "
		 "limits",
	.points = 5,
	.timeout_ms = LONG_CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "server",
	.hint =
	    "With a second argument, read the file with fopen and fgets "
	    "into the table instead of the built-in courses: one "
	    "\"Name,Duration,Fee\" per line, \"\\r\\n\" or \"\\n\" or none at "
	    "the very end, blank lines skipped, spaces kept as they are. "
	    "Up to 32 courses, fields up to 63 bytes: size the line buffer "
	    "and the reply buffer for the longest, and search the table "
	    "only up to its count. fclose the file once it is read.",
	.run = check_table_file,
    },
    {
	.id = "server-errors",
	.title = "A bad table file or a busy port: a message naming it, "
		 "exit status 2",
	.points = 5,
	.timeout_ms = LONG_CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "server",
	.hint = "Before listening, check each line: three fields, none "
		"empty, each under 64 bytes, exactly two commas; at most 32 "
		"courses, at least one. Report \"server: FILE line N: expected "
		"Name,Duration,Fee\" (N counts every line, blank ones too), "
		"\"server: FILE: \" and strerror(errno) when fopen fails, "
		"\"server: bind: \" and strerror(errno) when bind fails, and "
		"exit 2.",
	.run = check_server_errors,
    },
    {
	.id = "client-replies",
	.title = "The client prints each reply, however the server cuts it, "
		 "and frees what it allocated",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE | SL_LEAKS,
	.programs = "client",
	.hint = "Send each course as typed with its \"\\n\", then read one "
		"whole reply line with read_line (it may take several recv "
		"calls) and print it with its \"\\n\" before the next course. "
		"Close and exit 0 after the last. Call freeaddrinfo once you "
		"are done with the list getaddrinfo gave you.",
	.run = check_client_replies,
    },
    {
	.id = "client-localhost",
	.title = "The client tries the next address when the first refuses "
		 "(localhost: ::1, then 127.0.0.1)",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "client",
	.hint = "getaddrinfo may give several addresses (localhost is ::1 "
		"and 127.0.0.1): try each in order, a socket of its own family "
		"then connect; when connect fails, close that socket and go "
		"on to the next address; stop at the first that connects.",
	.run = check_client_localhost,
    },
    {
	.id = "client-errors",
	.title = "The client reports an unknown host, a refusal and a server "
		 "that closes early: exit status 2",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "client",
	.hint = "getaddrinfo failing: print the host and gai_strerror(rc). "
		"Every connect failing: print \"connect\", the host, the port "
		"and strerror(errno). read_line returning LINE_EOF before a "
		"reply: the server closed, say so. Each is exit status 2, the "
		"replies printed before it left as they are.",
	.run = check_client_errors,
    },
    {
	.id = "server-usage",
	.title = "The server rejects bad arguments with a usage line and "
		 "status 1",
	.points = 3,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "server",
	.hint = "Accept one or two arguments and check the port with "
		"parse_port: digits only (no sign, no space), 1 to 65535 "
		"(both included), compared as the long strtol returns; "
		"otherwise print \"usage: server PORT [TABLE_FILE]\" on stderr "
		"and return 1 before any socket call.",
	.run = check_server_usage,
    },
    {
	.id = "client-usage",
	.title = "The client rejects bad arguments with a usage line and "
		 "status 1",
	.points = 2,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "client",
	.hint = "Require HOST, PORT and at least one COURSE (argc >= 4) and "
		"check the port with parse_port; otherwise print \"usage: "
		"client HOST PORT COURSE...\" on stderr and return 1.",
	.run = check_client_usage,
    },
    {
	.id = "stop-signal",
	.title = "The server exits 0 promptly on SIGTERM and SIGINT",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "Install the handler with sigaction and sa_flags 0 (no "
		"SA_RESTART), so a blocked accept or recv fails with EINTR; "
		"then test the stop flag in both loops, close the sockets and "
		"return 0 from main.",
	.run = check_stop_signal,
    },
};

static const struct sl_lab lab06 = {
    .number = "06",
    .name = "course-info",
    .title = "A request/response protocol: course information over TCP",
    .files = {"server.c", "client.c", "course.c"},
    .given = {"course.h"},
    .programs =
	{
	    {.name = "server", .sources = {"server.c", "course.c"}},
	    {.name = "client", .sources = {"client.c", "course.c"}},
	},
    .max_files = FILES_MAX,
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab06);
