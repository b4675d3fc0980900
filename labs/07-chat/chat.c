/* chat.c - lab 07: what the chat programs and the room share: ports,
 * writen, the line reader, connecting, listening, and the one-to-one chat
 * loop.
 *
 * Write each function as chat.h describes it. None of them prints on
 * stdout or exits: they return a status, put a message in the caller's
 * error buffer, and the caller decides. You may add static helper
 * functions (from_peer and from_keyboard, one per input of the chat loop,
 * are good ones).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "chat.h"

int parse_port(const char *text)
{
	/* TODO: as in lab 06: -1 unless text[0] is a digit; then strtol
	 * with errno = 0; -1 if errno is set, *end is not '\0' or the value
	 * is not in 1..65535; else the value. */
	(void)text;
	return -1;
}

ssize_t writen(int fd, const void *buf, size_t n)
{
	/* TODO: as in lab 02: loop on write(fd, next, left) until no byte
	 * is left; retry on EINTR, return -1 on any other error; return n. */
	(void)fd;
	(void)buf;
	(void)n;
	return -1;
}

void line_reader_init(struct line_reader *r)
{
	/* TODO: nothing buffered (len 0), not skipping. */
	(void)r;
}

ssize_t line_reader_fill(struct line_reader *r, int fd)
{
	/* TODO: one read(fd, r->buf + r->len, sizeof r->buf - r->len);
	 * if it returned n > 0, add n to r->len. Return what read returned.
	 * read, not recv: the keyboard (fd 0) is not a socket. */
	(void)r;
	(void)fd;
	return 0;
}

enum line_status line_reader_next(struct line_reader *r, char *line,
				  size_t size)
{
	/* TODO: loop, without ever reading:
	 *
	 * 1. If r->skipping: find '\n' in r->buf (memchr over r->len bytes).
	 *    Found: drop the bytes up to and including it (memmove the rest
	 *    to the front, lower len), skipping = 0, loop. Not found: drop
	 *    everything (len = 0) and return LINE_NONE.
	 *
	 * 2. If r->buf holds a '\n': the line is the bytes before it, minus
	 *    one '\r' just before the '\n'. Copy it into line with a '\0';
	 *    memmove the bytes after the '\n' to the front and lower len.
	 *    Return LINE_OK.
	 *
	 * 3. No '\n' and the buffer is full (len == sizeof r->buf): len = 0,
	 *    skipping = 1, return LINE_TOO_LONG.
	 *
	 * 4. Otherwise return LINE_NONE: the caller fills the reader. */
	(void)r;
	(void)line;
	(void)size;
	return LINE_NONE;
}

int connect_to(const char *host, const char *port, char *error,
	       size_t error_size)
{
	/* TODO: as lab 06's client: getaddrinfo(host, port) with hints
	 * AF_UNSPEC and SOCK_STREAM; on failure write "HOST: " and
	 * gai_strerror into error and return -1. Try socket and connect on
	 * each address until one connects; freeaddrinfo. If none did, write
	 * "connect to HOST port PORT: " and strerror(errno), return -1. */
	snprintf(error, error_size, "%s port %s: not written yet", host, port);
	return -1;
}

int open_listener(int port, char *error, size_t error_size)
{
	/* TODO: as lab 06's server: socket(AF_INET, SOCK_STREAM, 0),
	 * setsockopt SO_REUSEADDR, bind to htonl(INADDR_ANY) and
	 * htons(port), listen(fd, 16). On a failure write "CALL: " and
	 * strerror(errno) into error, close the socket, return -1. */
	snprintf(error, error_size, "port %d: not written yet", port);
	return -1;
}

int chat_session(int sockfd, volatile sig_atomic_t *stop, char *error,
		 size_t error_size)
{
	/* TODO: two line readers, one for the keyboard and one for the
	 * socket (static: 64 KiB each), and a line buffer of MESSAGE_MAX + 2
	 * bytes. While *stop is 0:
	 *
	 * 1. poll two struct pollfd, {STDIN_FILENO, POLLIN} and
	 *    {sockfd, POLLIN}, with no timeout (-1). EINTR: continue (the
	 *    loop tests *stop). Another error: message "poll: ...", -1.
	 *
	 * 2. The socket has revents: line_reader_fill once. 0: the peer
	 *    closed, return 0. Then every whole line (line_reader_next until
	 *    LINE_NONE): "exit" ends the chat (return 0); another line is
	 *    printed as printf("peer: %s\n", line), then fflush(stdout);
	 *    LINE_TOO_LONG: a note on stderr.
	 *
	 * 3. stdin has revents: line_reader_fill once. 0: the keyboard is
	 *    closed: send "exit\n" and return 0. Then every whole line: send
	 *    it and its "\n" with writen; if it was "exit", return 0.
	 *
	 * Never call fgets or scanf here: stdio reads ahead, and poll does
	 * not see what it keeps. */
	(void)sockfd;
	(void)stop;
	snprintf(error, error_size, "chat_session: not written yet");
	return -1;
}
