/* server.c - lab 03: a UDP echo server.
 *
 * usage: server PORT
 *
 * Every datagram that arrives on PORT is sent straight back to the address
 * and port it came from, byte for byte: the same length, the same bytes,
 * NUL bytes and empty datagrams included. That echo is the "reply from
 * server". There are no connections: each datagram is a message of its
 * own, and the next one may come from another client. The server listens
 * on IPv4 only (an AF_INET socket bound to INADDR_ANY), logs to stderr,
 * never to stdout, and runs until SIGINT or SIGTERM, then exits with
 * status 0.
 *
 * You may add static helper functions, for instance
 *	static int open_socket(int port);
 *	static int echo_one(int fd);
 * and one static variable, the stop flag.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "udp.h"

int main(int argc, char **argv)
{
	/* TODO, step by step (the handout explains each call):
	 *
	 * 1. Arguments: unless argc == 2 and parse_number(argv[1], 1, 65535)
	 *    returns a port, print "usage: server PORT" on stderr and return
	 *    EXIT_USAGE, before any socket call.
	 *
	 * 2. Signals: declare, outside main,
	 *	static volatile sig_atomic_t stop_requested = 0;
	 *    and a handler "static void on_stop_signal(int sig)" that only
	 *    sets it to 1. Install it for SIGINT and SIGTERM with sigaction,
	 *    sa_flags = 0 (no SA_RESTART: recvfrom must fail with EINTR so
	 *    the loop sees the flag).
	 *
	 * 3. Socket: fd = socket(AF_INET, SOCK_DGRAM, 0); fill a struct
	 *    sockaddr_in, zeroed with memset, with AF_INET, htonl(INADDR_ANY)
	 *    and htons(port); bind. On a failure print "server: bind: " and
	 *    strerror(errno) on stderr and return EXIT_RUNTIME. No listen,
	 *    no accept: a bound UDP socket receives at once. Log "server:
	 *    echoing on UDP port N" on stderr.
	 *
	 * 4. Loop while stop_requested is 0:
	 *    - len = sizeof client (again before every call), then
	 *      n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&client,
	 *      &len), with a static char buf[MAX_DATAGRAM];
	 *    - n < 0 with errno EINTR: continue, so the loop test sees the
	 *      flag; another n < 0: log it with perror and continue;
	 *    - n == 0 is an empty datagram: echo it like any other;
	 *    - sendto(fd, buf, n, 0, (struct sockaddr *)&client, len): the
	 *      n bytes received, to the address they came from; if it fails,
	 *      log it and go on (never exit because of one client).
	 *
	 * 5. After the loop: log "server: stopping", close(fd) and return
	 *    EXIT_OK. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
