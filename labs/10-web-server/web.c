/* web.c - lab 10: a static HTTP/1.0 server for one folder.
 *
 * usage: web PORT FOLDER
 *
 * Serves the files under FOLDER: GET /a/b.html answers with FOLDER/a/b.html,
 * its Content-Type and its Content-Length, then closes the connection
 * (HTTP/1.0). Errors are answered as http.h says (400, 403, 404, 501),
 * with a short text body. Each client is served by a thread of its own,
 * so a slow client never holds up the others. One line per request goes
 * to stderr. The server runs until SIGINT or SIGTERM, then exits 0.
 *
 * Python: http.server.ThreadingHTTPServer with SimpleHTTPRequestHandler
 * does the same job; here every step is ours.
 *
 * You may add static helper functions (open_listener, read_head,
 * send_head, send_error, serve_file, serve_client, accept_loop) and two
 * static variables: the stop flag and the folder served.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"

int main(int argc, char **argv)
{
	/* TODO, step by step (the handout explains each call):
	 *
	 * 1. Arguments: unless argc == 3 and parse_port(argv[1]) accepts
	 *    the port, print "usage: web PORT FOLDER" on stderr and return
	 *    EXIT_USAGE. If stat(argv[2]) fails or it is not a folder
	 *    (S_ISDIR), print "web: FOLDER: reason" and return EXIT_RUNTIME.
	 *
	 * 2. Signals: sigaction for SIGINT and SIGTERM with sa_flags 0 (no
	 *    SA_RESTART) and a handler that only sets the stop flag;
	 *    SIG_IGN for SIGPIPE.
	 *
	 * 3. Listen: socket, SO_REUSEADDR, bind to INADDR_ANY and the port,
	 *    listen with a backlog of 128 (many clients connect at once).
	 *
	 * 4. Until the stop flag is set: accept (EINTR: test the flag);
	 *    malloc a small struct holding the new socket (never pass the
	 *    address of a local variable: the next accept overwrites it);
	 *    block SIGINT and SIGTERM with pthread_sigmask, pthread_create
	 *    a detached thread, restore the mask.
	 *
	 * 5. The thread: receive into a HEAD_MAX + 1 buffer, never more than
	 *    its free part, until head_length finds the end of the head
	 *    (HEAD_MAX bytes without it: 400; the client closing first: no
	 *    answer). parse_request; an error status gets send_error. Else
	 *    open FOLDER + path (+ "index.html" after a final '/'): ENOENT
	 *    or ENOTDIR 404, EACCES 403; fstat, not a regular file 404;
	 *    else the head "HTTP/1.0 200 OK\r\nContent-Type: ...\r\n"
	 *    "Content-Length: SIZE\r\nConnection: close\r\n\r\n" and the
	 *    file with read and writen. Log "web: ADDRESS METHOD PATH
	 *    STATUS" on stderr; close the file (a folder too) and the
	 *    socket on every path; free the struct. After an error answer,
	 *    the handout's "After an error answer" says how to close
	 *    without losing the answer.
	 *
	 * 6. After the loop: close the listening socket, return EXIT_OK. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
