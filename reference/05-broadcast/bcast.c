/* bcast.c - the helpers of bcast.h, shared by the four programs. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bcast.h"

volatile sig_atomic_t stop_requested = 0;

long parse_number(const char *text, long min, long max)
{
	char *end;  /* strtol leaves here the first byte it did not use */
	long value; /* the number read */

	/* strtol would skip spaces and accept a sign: ask for a digit first. */
	if (!isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	value = strtol(text, &end, 10);
	/* The whole text must be the number, and the number in range. */
	if (errno != 0 || *end != '\0' || value < min || value > max)
		return -1;
	return value;
}

ssize_t writen(int fd, const void *buf, size_t n)
{
	const char *next = buf; /* first byte not written yet */
	size_t left = n;	/* bytes still to write */

	/* write may take fewer bytes than asked: loop until all are out. */
	while (left > 0) {
		ssize_t written = write(fd, next, left);

		if (written < 0 && errno == EINTR)
			continue; /* a signal came before any byte: again */
		if (written < 0)
			return -1; /* a real error, errno says which */
		next += written;
		left -= (size_t)written;
	}
	return (ssize_t)n;
}

int resolve_ipv4(const char *host, const char *port, struct sockaddr_in *addr)
{
	struct addrinfo hints;	  /* what kind of address we want */
	struct addrinfo *results; /* what getaddrinfo found */
	int rc;

	/* Broadcast exists in IPv4 only (IPv6 has multicast instead), so
	 * ask for AF_INET addresses, for a datagram socket. */
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_DGRAM;
	rc = getaddrinfo(host, port, &hints, &results);
	if (rc != 0)
		return rc;
	/* The first address will do: a broadcast address has only one. */
	memcpy(addr, results->ai_addr, sizeof(*addr));
	freeaddrinfo(results);
	return 0;
}

int open_shared_port(int port, const char **failed_call)
{
	struct sockaddr_in addr; /* our address: any IPv4 address, port */
	int on = 1;		 /* for setsockopt: turn the option on */
	int saved_errno;	 /* what to report, kept across close */
	int fd;

	/* Python: s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM) */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		*failed_call = "socket";
		return -1;
	}

	/* Python: s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1). For UDP it
	 * lets several sockets that all set it bind the same port; each of
	 * them gets its own copy of every broadcast datagram. Without it the
	 * second listener's bind fails with EADDRINUSE. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0) {
		*failed_call = "setsockopt SO_REUSEADDR";
		goto out_close;
	}

	/* Python: s.bind(('', port)). INADDR_ANY: a socket bound to one
	 * address (say 127.0.0.1) never receives broadcast datagrams, which
	 * are addressed to the broadcast address, not to it. */
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_ANY);
	addr.sin_port = htons((unsigned short)port);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		*failed_call = "bind";
		goto out_close;
	}
	return fd;

out_close:
	saved_errno = errno;
	close(fd);
	errno = saved_errno;
	return -1;
}

void format_sender(const struct sockaddr_in *from, char *out, size_t size)
{
	char address[INET_ADDRSTRLEN]; /* "127.0.0.1" */

	/* The address from binary to text, the port back to host order. */
	inet_ntop(AF_INET, &from->sin_addr, address, sizeof(address));
	snprintf(out, size, "%s:%u", address, (unsigned)ntohs(from->sin_port));
}

static void on_stop_signal(int sig)
{
	(void)sig;
	/* A handler may call very few functions safely: set the flag. */
	stop_requested = 1;
}

int install_stop_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocked recvfrom must fail with EINTR, so the
	 * loop gets to see the flag. */
	sa.sa_flags = 0;
	if (sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0)
		return -1;
	return 0;
}
