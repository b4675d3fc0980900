/* wrappers.c - helpers and Stevens-style wrappers shared by server and client.
 *
 * Write each function as wrappers.h describes it. A Capitalised wrapper is
 * the system call plus one test: on failure it calls err_sys with the
 * call's name. The lowercase helpers return -1 instead and never exit.
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
	/* TODO: print "call: <reason>" on stderr with perror(call), then
	 * exit(EXIT_RUNTIME). */
	(void)call;
}

int parse_port(const char *text)
{
	/* TODO: return -1 unless text[0] is a digit (isdigit, with the byte
	 * cast to unsigned char). Set errno = 0, read the number with
	 * strtol(text, &end, 10), and return -1 if errno is set, if *end is
	 * not '\0' (something followed the number) or if the value is not in
	 * 1..65535 (compare the long: stored in an int first, 4294967297
	 * would become 1). Otherwise return the value as an int. */
	(void)text;
	return -1;
}

ssize_t writen(int fd, const void *buf, size_t n)
{
	/* TODO: keep a pointer to the next byte to write and a count of the
	 * bytes left (n). While bytes are left: call write(fd, next, left);
	 * if it returns -1 with errno EINTR, try again; with any other errno
	 * return -1; else move the pointer on by what was written and take
	 * it off the count (write may write fewer bytes than asked). At the
	 * end return n. */
	(void)fd;
	(void)buf;
	(void)n;
	return -1;
}

int Socket(int family, int type, int protocol)
{
	/* TODO: fd = socket(family, type, protocol); if it is negative,
	 * err_sys("socket"). Return fd. */
	(void)family;
	(void)type;
	(void)protocol;
	return -1;
}

void Bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	/* TODO: if bind(fd, addr, len) is negative, err_sys("bind"). */
	(void)fd;
	(void)addr;
	(void)len;
}

void Listen(int fd, int backlog)
{
	/* TODO: if listen(fd, backlog) is negative, err_sys("listen"). */
	(void)fd;
	(void)backlog;
}

int Accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	/* TODO: in a loop, connfd = accept(fd, addr, len):
	 * - connfd >= 0: return it;
	 * - errno ECONNABORTED or EPROTO (the client gave up before we
	 *   accepted): accept again;
	 * - errno EINTR (a signal handler ran): return -1, so the server's
	 *   loop can look at its stop flag;
	 * - anything else: err_sys("accept"). */
	(void)fd;
	(void)addr;
	(void)len;
	return -1;
}

void Connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	/* TODO: if connect(fd, addr, len) is negative, err_sys("connect"). */
	(void)fd;
	(void)addr;
	(void)len;
}
