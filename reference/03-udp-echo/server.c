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

/* Set to 1 by the signal handler; the receive loop stops when it sees it.
 * volatile: the compiler must read it again on every test, because it
 * changes behind the loop's back. sig_atomic_t: read and written in one
 * go, so the loop never sees half a value. */
static volatile sig_atomic_t stop_requested = 0;

static void on_stop_signal(int sig)
{
	(void)sig;
	/* A handler may call very few functions safely: set the flag, and
	 * let the main loop do the rest. */
	stop_requested = 1;
}

/* Catches SIGINT and SIGTERM. Returns 0, or -1 with errno set. */
static int install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: after the handler, a blocked recvfrom must fail
	 * with EINTR instead of waiting on, so the loop sees the flag. */
	sa.sa_flags = 0;
	if (sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0)
		return -1;
	return 0;
}

/* Returns a UDP socket bound to every local IPv4 address on port, or -1
 * with *failed_call naming the call that failed. */
static int open_socket(int port, const char **failed_call)
{
	struct sockaddr_in addr; /* our address: any IPv4 address, port */
	int fd;

	/* Python: s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM) */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		*failed_call = "socket";
		return -1;
	}

	/* Python: s.bind(('', port)). No listen, no accept: a UDP socket
	 * receives datagrams as soon as it is bound. */
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_ANY);
	addr.sin_port = htons((unsigned short)port);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		*failed_call = "bind";
		close(fd);
		return -1;
	}
	return fd;
}

/* Receives one datagram and sends it back to its sender. Returns 0, or -1
 * when recvfrom was interrupted by a signal (the caller tests its flag).
 * Any other failure is logged and the server goes on. */
static int echo_one(int fd)
{
	/* Static: 64 KB is a lot for the stack, and one buffer is enough. */
	static char buf[MAX_DATAGRAM];
	struct sockaddr_in client;	       /* who sent this datagram */
	socklen_t client_len = sizeof(client); /* reset before every call */
	char address[INET_ADDRSTRLEN]; /* the client's address as text */
	ssize_t n;

	/* Python: data, addr = s.recvfrom(65507). One call, one datagram,
	 * whole: n is its length, and 0 is an empty datagram, not the end
	 * of anything (UDP has no connection to end). */
	n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&client,
		     &client_len);
	if (n < 0) {
		if (errno == EINTR)
			return -1;
		perror("server: recvfrom");
		return 0;
	}

	/* Python: s.sendto(data, addr). Exactly the n bytes received, to
	 * exactly the address they came from. */
	inet_ntop(AF_INET, &client.sin_addr, address, sizeof(address));
	if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&client,
		   client_len) < 0) {
		fprintf(stderr, "server: sendto %s port %u: %s\n", address,
			(unsigned)ntohs(client.sin_port), strerror(errno));
		return 0;
	}
	fprintf(stderr, "server: echoed %zd bytes to %s port %u\n", n, address,
		(unsigned)ntohs(client.sin_port));
	return 0;
}

int main(int argc, char **argv)
{
	const char *failed_call; /* set by open_socket */
	long port;		 /* the port to receive on */
	int fd;			 /* the server's one socket */

	/* Exactly one argument, and it must be a port number. */
	if (argc != 2 || (port = parse_number(argv[1], 1, 65535)) < 0) {
		fprintf(stderr,
			"usage: server PORT (a number from 1 to 65535)\n");
		return EXIT_USAGE;
	}

	if (install_signal_handlers() < 0) {
		perror("server: sigaction");
		return EXIT_RUNTIME;
	}
	fd = open_socket((int)port, &failed_call);
	if (fd < 0) {
		fprintf(stderr, "server: %s: %s\n", failed_call,
			strerror(errno));
		return EXIT_RUNTIME;
	}
	fprintf(stderr, "server: echoing on UDP port %ld\n", port);

	/* One datagram at a time, until a signal sets stop_requested. (A
	 * signal that lands just after the test and before recvfrom blocks
	 * is only seen after the next datagram; lab 12 closes that gap.) */
	while (!stop_requested)
		echo_one(fd);

	fprintf(stderr, "server: stopping\n");
	close(fd);
	return EXIT_OK;
}
