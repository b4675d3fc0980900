/* bcast.c - the helpers of bcast.h, shared by the four programs.
 *
 * Write each function as bcast.h describes it. None of them exits or
 * prints: they return -1 (or an error code) and let the caller report.
 */
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
	/* TODO: return -1 unless text[0] is a digit (isdigit, with the byte
	 * cast to unsigned char). Set errno = 0, read the number with
	 * strtol(text, &end, 10), and return -1 if errno is set, if *end is
	 * not '\0' or if the value is not in min..max. Else return it. */
	(void)text;
	(void)min;
	(void)max;
	return -1;
}

ssize_t writen(int fd, const void *buf, size_t n)
{
	/* TODO: while bytes are left, write(fd, next, left); retry on EINTR,
	 * return -1 on any other error, else move on by what was written.
	 * At the end return n. */
	(void)fd;
	(void)buf;
	(void)n;
	return -1;
}

int resolve_ipv4(const char *host, const char *port, struct sockaddr_in *addr)
{
	/* TODO: a struct addrinfo hints zeroed with memset, ai_family =
	 * AF_INET (broadcast is IPv4 only) and ai_socktype = SOCK_DGRAM;
	 * rc = getaddrinfo(host, port, &hints, &results); if rc != 0 return
	 * it. Copy the first result's ai_addr into *addr (sizeof *addr
	 * bytes), freeaddrinfo(results), return 0. */
	(void)host;
	(void)port;
	(void)addr;
	return EAI_FAIL;
}

int open_shared_port(int port, const char **failed_call)
{
	/* TODO:
	 * 1. fd = socket(AF_INET, SOCK_DGRAM, 0); on failure set
	 *    *failed_call = "socket" and return -1.
	 * 2. int on = 1; setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on,
	 *    sizeof on), so several listeners can bind the same port.
	 * 3. A struct sockaddr_in zeroed with memset: AF_INET,
	 *    htonl(INADDR_ANY), htons(port); bind. INADDR_ANY, not
	 *    127.0.0.1: a socket bound to one address gets no broadcasts.
	 * On a failure in 2 or 3: set *failed_call ("setsockopt
	 * SO_REUSEADDR" or "bind"), close fd keeping errno (save it first),
	 * return -1. Else return fd. */
	(void)port;
	*failed_call = "socket";
	errno = ENOSYS;
	return -1;
}

void format_sender(const struct sockaddr_in *from, char *out, size_t size)
{
	/* TODO: inet_ntop(AF_INET, &from->sin_addr, address, sizeof address)
	 * with a char address[INET_ADDRSTRLEN], then snprintf(out, size,
	 * "%s:%u", address, ntohs(from->sin_port)). */
	(void)from;
	snprintf(out, size, "?");
}

int install_stop_handlers(void)
{
	/* TODO: a static handler "static void on_stop_signal(int sig)" that
	 * only sets stop_requested = 1; install it for SIGINT and SIGTERM
	 * with sigaction, sa_flags = 0 (no SA_RESTART, so a blocked
	 * recvfrom fails with EINTR). Return -1 if sigaction fails, else 0. */
	return 0;
}
