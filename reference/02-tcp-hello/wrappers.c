/* wrappers.c - helpers and Stevens-style wrappers shared by server and client.
 *
 * Each Capitalised wrapper is the system call plus one test: on failure it
 * names the call and the reason, then exits with EXIT_RUNTIME. The
 * lowercase helpers return -1 instead, so the caller may carry on.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wrappers.h"

void err_sys(const char *call)
{
	/* perror prints "call: " and the text of errno, e.g.
	 * "bind: Address already in use". */
	perror(call);
	exit(EXIT_RUNTIME);
}

int parse_port(const char *text)
{
	char *end;  /* strtol leaves here the first byte it did not use */
	long value; /* the number read */

	/* strtol would skip spaces and accept a sign: ask for a digit first. */
	if (!isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	value = strtol(text, &end, 10);
	/* The whole text must be the number, and the number a real port. */
	if (errno != 0 || *end != '\0' || value < 1 || value > 65535)
		return -1;
	return (int)value;
}

ssize_t writen(int fd, const void *buf, size_t n)
{
	const char *next = buf; /* first byte not written yet */
	size_t left = n;	/* bytes still to write */

	/* write may take fewer bytes than asked (a "short write"), for
	 * instance when the socket's send buffer is nearly full: loop until
	 * every byte has gone. Python's sendall does the same. */
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

int Socket(int family, int type, int protocol)
{
	int fd = socket(family, type, protocol);

	if (fd < 0)
		err_sys("socket");
	return fd;
}

void Bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	if (bind(fd, addr, len) < 0)
		err_sys("bind");
}

void Listen(int fd, int backlog)
{
	if (listen(fd, backlog) < 0)
		err_sys("listen");
}

int Accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	int connfd;

	for (;;) {
		connfd = accept(fd, addr, len);
		if (connfd >= 0)
			return connfd;
		/* The client gave up between its connect and our accept:
		 * nothing is wrong with us, wait for the next one. */
		if (errno == ECONNABORTED || errno == EPROTO)
			continue;
		/* A signal handler ran: let the caller look at its flag. */
		if (errno == EINTR)
			return -1;
		err_sys("accept");
	}
}

void Connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	if (connect(fd, addr, len) < 0)
		err_sys("connect");
}
