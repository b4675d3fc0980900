/* evloop.c - lab 12: an echo server in one thread, with an event loop.
 *
 * usage: evloop PORT
 *
 * Echoes every line a client sends (see evloop.h), to any number of
 * clients at once, in one thread: every socket non-blocking, one poll
 * for all of them, and for each ready socket what can be done without
 * waiting (conn.c). On SIGINT or SIGTERM it closes every connection,
 * frees everything, prints the totals and exits 0.
 *
 * You may add static helper functions (parse_number, set_nonblocking,
 * open_listener, accept_clients, serve_client, run_loop), a struct for
 * what the loop owns, and two static variables: the stop flag and the
 * stop pipe's write end, for the signal handler.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "evloop.h"

int main(int argc, char **argv)
{
	/* TODO, step by step (the handout explains each call):
	 *
	 * 1. Arguments: exactly one, digits only, PORT 1 to 65535.
	 *    Otherwise print "usage: evloop PORT" on stderr and return
	 *    EXIT_USAGE.
	 *
	 * 2. The stop pipe (pipe; its write end O_NONBLOCK), then
	 *    sigaction for SIGINT and SIGTERM: a handler that sets the
	 *    stop flag and writes one byte into the pipe (saving and
	 *    restoring errno); SIG_IGN for SIGPIPE.
	 *
	 * 3. Listen: socket, SO_REUSEADDR, bind to INADDR_ANY and PORT,
	 *    listen with a backlog of 128, O_NONBLOCK (fcntl). A failure:
	 *    "evloop: CALL: reason" on stderr, return EXIT_RUNTIME.
	 *
	 * 4. The loop, until the stop flag is set: fill an array of
	 *    struct pollfd: the pipe (POLLIN), the listening socket
	 *    (POLLIN, or 0 while accept is paused), and one entry per
	 *    client with conn_events(c). poll(..., -1): no timeout.
	 *    - the pipe readable: leave the loop.
	 *    - a client with POLLIN, POLLHUP or POLLERR: conn_read (or
	 *      conn_write once eof is set); with POLLOUT: conn_write. A
	 *      result other than CONN_KEEP: add its lines to the totals
	 *      (and count a CONN_DROP), conn_close, take it out of the
	 *      array, accept again if it was paused.
	 *    - the listening socket readable: accept until EAGAIN; make
	 *      each new socket O_NONBLOCK and give it a struct conn
	 *      (conn_init), growing the arrays (realloc) when full.
	 *      EMFILE or ENFILE: pause accept until a client leaves.
	 *
	 * 5. Stop: conn_close every client, free everything, close the
	 *    listening socket and the pipe, print "evloop: served C
	 *    clients, L lines, D dropped" on stderr, return EXIT_OK. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
