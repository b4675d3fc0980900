/* pool.c - lab 11: an echo server with a fixed pool of worker threads.
 *
 * usage: pool PORT WORKERS QUEUE
 *
 * Echoes every line a client sends (see pool.h). The main thread accepts
 * and puts each connection in a queue of QUEUE slots; WORKERS threads,
 * all started before the first accept, take connections out and serve
 * each until its client leaves. Nothing is created per client. On
 * SIGINT or SIGTERM every thread wakes up, the workers are joined, what
 * is left is closed and freed, the totals are printed, and it exits 0.
 *
 * You may add static helper functions (parse_number, open_listener,
 * wait_for, send_all, serve_client, worker_main, start_workers,
 * accept_loop), a struct for what the threads share, and two static
 * variables: the stop flag and the stop pipe's write end, for the
 * signal handler.
 */
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pool.h"

int main(int argc, char **argv)
{
	/* TODO, step by step (the handout explains each call):
	 *
	 * 1. Arguments: exactly three, each digits only: PORT 1 to 65535,
	 *    WORKERS 1 to WORKERS_MAX, QUEUE 1 to QUEUE_MAX. Otherwise
	 *    print "usage: pool PORT WORKERS QUEUE" on stderr and return
	 *    EXIT_USAGE.
	 *
	 * 2. The stop pipe (pipe), then sigaction for SIGINT and SIGTERM:
	 *    a handler that sets the stop flag and writes one byte into
	 *    the pipe (saving and restoring errno); SIG_IGN for SIGPIPE.
	 *
	 * 3. Listen: socket, SO_REUSEADDR, bind to INADDR_ANY and PORT,
	 *    listen with a backlog of 128. A failure: "pool: CALL: reason"
	 *    on stderr, return EXIT_RUNTIME.
	 *
	 * 4. queue_init, then WORKERS threads with pthread_create, SIGINT
	 *    and SIGTERM blocked around it (pthread_sigmask). A worker:
	 *    while queue_take gives a connection, serve it (below), close
	 *    it, add to the totals with their mutex held.
	 *
	 * 5. Serving a client: poll the socket and the pipe (no timeout);
	 *    recv into the free part of a buffer of ECHO_LINE_MAX bytes;
	 *    send back each whole line (up to its "\n") in one piece,
	 *    polling for POLLOUT and the pipe; a full buffer with no "\n":
	 *    TOO_LONG_REPLY once, then drop bytes up to the "\n". Stop on
	 *    EOF, an error, or the pipe.
	 *
	 * 6. Until the stop flag is set: poll the listening socket and
	 *    the pipe; accept; queue_put (close the fd if it returns -1).
	 *
	 * 7. Stop: queue_stop, pthread_join every worker, queue_destroy,
	 *    close the listening socket and the pipe, print "pool: served
	 *    C clients, L lines" on stderr, return EXIT_OK. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
