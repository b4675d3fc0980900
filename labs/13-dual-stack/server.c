/* server.c - lab 13: greet clients of every family, one at a time.
 *
 * usage: server PORT PATH
 *
 * It listens on two sockets at once: TCP port PORT for IPv4 and IPv6
 * clients (listen_dual) and the UNIX stream socket at PATH
 * (listen_unix). Each client gets one line that names it, then the
 * connection is closed:
 *
 *	Thank you for connecting, IPv4 127.0.0.1 port 40312
 *	Thank you for connecting, IPv6 ::1 port 40312
 *	Thank you for connecting, unix (unnamed)
 *
 * It logs to stderr, never to stdout, and runs until SIGINT or SIGTERM;
 * then it closes both sockets, removes PATH and exits with status 0.
 *
 * You may add static helper functions and one static variable, the stop
 * flag.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dual.h"

int main(int argc, char **argv)
{
	/* TODO, step by step (the handout explains each call):
	 *
	 * 1. Arguments: unless argc == 3, parse_port(argv[1]) gives a port
	 *    and argv[2] is 1 to SOCKET_PATH_MAX bytes long, print "usage:
	 *    server PORT PATH" on stderr and return EXIT_USAGE.
	 *
	 * 2. Signals, as in lab 02: a handler for SIGINT and SIGTERM
	 *    (sigaction, sa_flags 0) that only sets
	 *	static volatile sig_atomic_t stop_requested;
	 *    and SIG_IGN for SIGPIPE.
	 *
	 * 3. char err[ERR_MAX]; tcp = listen_dual(port, err, sizeof(err));
	 *    local = listen_unix(path, err, sizeof(err)). If either fails,
	 *    print "server: " and err on stderr, close what is open and
	 *    return EXIT_RUNTIME. Log "server: listening on port N and on
	 *    PATH".
	 *
	 * 4. While stop_requested is 0: poll a struct pollfd[2] holding both
	 *    sockets with events POLLIN, timeout -1. poll failing with EINTR:
	 *    continue (the loop test sees the flag). For each socket whose
	 *    revents has POLLIN: connfd = accept(it, NULL, NULL); if that
	 *    fails, log it unless errno is EINTR or ECONNABORTED, and go on;
	 *    else greet the client and close(connfd).
	 *
	 *    The greeting: getpeername(connfd, ...) into a struct
	 *    sockaddr_storage (room for any family) with len =
	 *    sizeof(storage); format_peer(..., len, name, sizeof(name)) with
	 *    char name[PEER_TEXT_MAX]; then "Thank you for connecting, " name
	 *    "\n", sent with writen. If getpeername, format_peer or writen
	 *    fails, log it and go on with the next client.
	 *
	 * 5. After the loop: close both sockets, unlink(path), log "server:
	 *    stopping" and return EXIT_OK. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
