/* server.c - lab 02: a TCP server that greets each client, then hangs up.
 *
 * usage: server PORT
 *
 * For every client it sends exactly one line,
 *
 *	Thank you for connecting, 127.0.0.1 port 40312\n
 *
 * naming the client's address and port as getpeername reports them, closes
 * the connection and waits for the next client. It listens on IPv4 only:
 * an AF_INET socket bound to INADDR_ANY. It logs to stderr, never to
 * stdout, and runs until SIGINT or SIGTERM, then exits with status 0.
 *
 * Use the wrappers of wrappers.h (Socket, Bind, Listen, Accept, writen,
 * parse_port, err_sys). You may add static helper functions and one
 * static variable, the stop flag.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wrappers.h"

int main(int argc, char **argv)
{
	/* TODO, step by step (the handout explains each call):
	 *
	 * 1. Arguments: unless argc == 2 and parse_port(argv[1]) returns a
	 *    port, print "usage: server PORT" on stderr and return
	 *    EXIT_USAGE, before any socket call.
	 *
	 * 2. Signals: declare, outside main,
	 *	static volatile sig_atomic_t stop_requested = 0;
	 *    and a handler "static void on_stop_signal(int sig)" that only
	 *    sets it to 1. Install the handler for SIGINT and SIGTERM with
	 *    sigaction, sa_flags = 0 (no SA_RESTART: accept must fail with
	 *    EINTR so the loop sees the flag). Install SIG_IGN for SIGPIPE,
	 *    so a write to a client that reset cannot kill the server.
	 *
	 * 3. Listening socket: listenfd = Socket(AF_INET, SOCK_STREAM, 0);
	 *    setsockopt SO_REUSEADDR to 1 (err_sys on failure); fill a
	 *    struct sockaddr_in, zeroed with memset, with AF_INET,
	 *    htonl(INADDR_ANY) and htons(port); Bind; Listen with a backlog
	 *    of 16. Then log "server: listening on port N" on stderr.
	 *
	 * 4. Loop while stop_requested is 0:
	 *    - connfd = Accept(listenfd, NULL, NULL); if it is -1 (EINTR),
	 *      continue, so the loop test sees the flag;
	 *    - getpeername(connfd, ...) into a struct sockaddr_in; if it
	 *      fails (the client already reset), log it with perror, close
	 *      connfd and continue;
	 *    - inet_ntop(AF_INET, ...) the address, ntohs the port, and
	 *      snprintf the line "Thank you for connecting, %s port %u\n";
	 *    - writen it to connfd; if that fails, log the error and go on
	 *      (never exit because of one client);
	 *    - close(connfd), on every path: a descriptor leaked per client
	 *      soon makes accept fail with EMFILE.
	 *    Every log line goes to stderr (fprintf(stderr, ...), perror),
	 *    never to stdout.
	 *
	 * 5. After the loop: log "server: stopping", close(listenfd) and
	 *    return EXIT_OK. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
