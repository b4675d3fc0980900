/* server.c - lab 06: answers course requests, one line per request.
 *
 * usage: server PORT [TABLE_FILE]
 *
 * Each request is a course name on a line of its own; the reply is one
 * line (see course.h). A client may send as many requests as it likes on
 * one connection; the server answers them in order until the client
 * closes, then serves the next client: one client at a time. The courses
 * are the lecture's three, or those of TABLE_FILE (lines
 * "Name,Duration,Fee"). Logs go to stderr. The server runs until SIGINT
 * or SIGTERM, then exits with status 0.
 *
 * You may add static helper functions (open_listener, serve_client) and
 * one static variable, the stop flag.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "course.h"

int main(int argc, char **argv)
{
	/* TODO, step by step (the handout explains each call):
	 *
	 * 1. Arguments: unless argc is 2 or 3 and parse_port(argv[1])
	 *    returns a port, print "usage: server PORT [TABLE_FILE]" on
	 *    stderr and return EXIT_USAGE.
	 *
	 * 2. Table: with argv[2], table_load into a struct course_table; if
	 *    it fails, print "server: " and its message on stderr and return
	 *    EXIT_RUNTIME. Without it, table_builtin.
	 *
	 * 3. Signals: a static volatile sig_atomic_t stop flag, and a
	 *    handler for SIGINT and SIGTERM that only sets it, installed
	 *    with sigaction and sa_flags = 0 (no SA_RESTART: accept and recv
	 *    must fail with EINTR). SIG_IGN for SIGPIPE.
	 *
	 * 4. Listening socket: socket(AF_INET, SOCK_STREAM, 0), setsockopt
	 *    SO_REUSEADDR, bind to htonl(INADDR_ANY) and htons(port),
	 *    listen(fd, 16). A failure: print "server: CALL: " and
	 *    strerror(errno), return EXIT_RUNTIME.
	 *
	 * 5. While the flag is 0: connfd = accept(listenfd, NULL, NULL);
	 *    on EINTR, ECONNABORTED or EPROTO continue; serve the client;
	 *    close(connfd), however serving it ended (a descriptor leaked
	 *    per client soon makes accept fail with EMFILE).
	 *
	 * 6. Serving a client: line_reader_init(&reader, connfd), then
	 *    while the flag is 0, got = read_line(&reader, request, sizeof
	 *    request) with char request[REQUEST_MAX + 1]:
	 *    - LINE_ERROR with errno EINTR: continue (the loop tests the flag);
	 *    - LINE_ERROR otherwise (the client reset): log it, stop serving
	 *      this client;
	 *    - LINE_EOF: the client is done, stop serving it;
	 *    - LINE_TOO_LONG: the reply is REPLY_TOO_LONG and "\n";
	 *    - LINE_OK: the reply is course_reply(table, request, ...);
	 *    writen the reply; if that fails, log it and stop serving this
	 *    client. Never exit because of one client. Every log line goes
	 *    to stderr, never to stdout.
	 *
	 * 7. After the loop: close(listenfd), return EXIT_OK. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
