/* chat.c - lab 07: what the chat programs and the room share: ports,
 * writen, the line reader, connecting, listening, and the one-to-one chat
 * loop.
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

/* Connections the kernel may complete and queue while we are busy. */
#define BACKLOG 16

int parse_port(const char *text)
{
	char *end;  /* strtol leaves here the first byte it did not use */
	long value; /* the number read */

	/* strtol would skip spaces and accept a sign: ask for a digit first. */
	if (!isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	value = strtol(text, &end, 10);
	if (errno != 0 || *end != '\0' || value < 1 || value > 65535)
		return -1;
	return (int)value;
}

ssize_t writen(int fd, const void *buf, size_t n)
{
	const char *next = buf; /* first byte not written yet */
	size_t left = n;	/* bytes still to write */

	/* Python's sendall: write may take fewer bytes than asked. */
	while (left > 0) {
		ssize_t written = write(fd, next, left);

		if (written < 0 && errno == EINTR)
			continue;
		if (written < 0)
			return -1;
		next += written;
		left -= (size_t)written;
	}
	return (ssize_t)n;
}

void line_reader_init(struct line_reader *r)
{
	r->skipping = 0;
	r->len = 0;
}

ssize_t line_reader_fill(struct line_reader *r, int fd)
{
	/* Python: data = conn.recv(...). read works on sockets and on the
	 * keyboard alike. Read only into the free part of the buffer. */
	ssize_t n = read(fd, r->buf + r->len, sizeof(r->buf) - r->len);

	if (n > 0)
		r->len += (size_t)n;
	return n;
}

/* Removes the first used bytes from the front of r->buf. */
static void drop_front(struct line_reader *r, size_t used)
{
	memmove(r->buf, r->buf + used, r->len - used);
	r->len -= used;
}

enum line_status line_reader_next(struct line_reader *r, char *line,
				  size_t size)
{
	for (;;) {
		char *newline = memchr(r->buf, '\n', r->len);
		size_t line_len;

		if (r->skipping) {
			/* Drop the rest of an overlong line, its "\n" too. */
			if (!newline) {
				r->len = 0;
				return LINE_NONE;
			}
			drop_front(r, (size_t)(newline - r->buf) + 1);
			r->skipping = 0;
			continue;
		}
		if (!newline) {
			if (r->len < sizeof(r->buf))
				return LINE_NONE; /* wait for more bytes */
			/* MESSAGE_MAX + 1 bytes and still no "\n". */
			r->len = 0;
			r->skipping = 1;
			return LINE_TOO_LONG;
		}
		line_len = (size_t)(newline - r->buf);
		if (line_len > 0 && r->buf[line_len - 1] == '\r')
			line_len--; /* "hello\r\n" is the line "hello" */
		if (line_len >= size)
			line_len = size - 1; /* cannot happen: size > MAX */
		memcpy(line, r->buf, line_len);
		line[line_len] = '\0';
		/* Keep what came after the "\n": the start of the next line. */
		drop_front(r, (size_t)(newline - r->buf) + 1);
		return LINE_OK;
	}
}

/* Tries each address in the list; returns the first socket that connects,
 * or -1 with errno from the last failure. */
static int connect_first(const struct addrinfo *list)
{
	const struct addrinfo *ai;
	int last_errno = ECONNREFUSED; /* reported if every try failed */

	for (ai = list; ai != NULL; ai = ai->ai_next) {
		/* Python: s = socket.socket(family, SOCK_STREAM) */
		int fd =
		    socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);

		if (fd < 0) {
			last_errno = errno;
			continue;
		}
		/* Python: s.connect((host, port)) */
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			return fd;
		last_errno = errno;
		close(fd);
	}
	errno = last_errno;
	return -1;
}

int connect_to(const char *host, const char *port, char *error,
	       size_t error_size)
{
	struct addrinfo hints;	  /* what kind of addresses we want */
	struct addrinfo *results; /* what getaddrinfo found */
	int rc, fd;

	/* AF_UNSPEC: IPv4 or IPv6, whatever the host has. */
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, port, &hints, &results);
	if (rc != 0) {
		snprintf(error, error_size, "%s: %s", host, gai_strerror(rc));
		return -1;
	}
	fd = connect_first(results);
	freeaddrinfo(results); /* done with the list, whatever happened */
	if (fd < 0)
		snprintf(error, error_size, "connect to %s port %s: %s", host,
			 port, strerror(errno));
	return fd;
}

int open_listener(int port, char *error, size_t error_size)
{
	struct sockaddr_in addr; /* any IPv4 address, our port */
	int one = 1;		 /* "on", for setsockopt */
	const char *call;	 /* the call that failed */
	int fd;

	/* Python: s = socket.socket(socket.AF_INET, socket.SOCK_STREAM) */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		snprintf(error, error_size, "socket: %s", strerror(errno));
		return -1;
	}
	/* A restarted server can bind while old connections linger. */
	call = "setsockopt";
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		goto out_close;
	/* Python: s.bind(('', port)) */
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_ANY);
	addr.sin_port = htons((unsigned short)port);
	call = "bind";
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		goto out_close;
	/* Python: s.listen(BACKLOG) */
	call = "listen";
	if (listen(fd, BACKLOG) < 0)
		goto out_close;
	return fd;

out_close:
	snprintf(error, error_size, "%s: %s", call, strerror(errno));
	close(fd);
	return -1;
}

/* Sends text and its "\n" on sockfd. line has room for the "\n" (its
 * size is MESSAGE_MAX + 2). Returns 0 or -1. */
static int send_line(int sockfd, char *line)
{
	size_t len = strlen(line);

	line[len] = '\n'; /* one write for the line and its end */
	return writen(sockfd, line, len + 1) < 0 ? -1 : 0;
}

/* What handling one input found. */
enum chat_next {
	CHAT_GO_ON, /* keep chatting */
	CHAT_DONE,  /* the chat is over, normally */
	CHAT_FAILED /* a call failed: the message is in error */
};

/* The socket is readable: reads once, prints every whole line received. */
static enum chat_next from_peer(int sockfd, struct line_reader *r, char *line,
				size_t size, char *error, size_t error_size)
{
	enum line_status got;
	ssize_t n = line_reader_fill(r, sockfd);

	if (n == 0)
		return CHAT_DONE; /* the peer closed: the chat is over */
	if (n < 0 && errno == EINTR)
		return CHAT_GO_ON;
	if (n < 0) {
		snprintf(error, error_size, "recv: %s", strerror(errno));
		return CHAT_FAILED;
	}
	while ((got = line_reader_next(r, line, size)) != LINE_NONE) {
		if (got == LINE_TOO_LONG) {
			fprintf(stderr, "* a line over %d bytes was dropped\n",
				MESSAGE_MAX);
			continue;
		}
		if (strcmp(line, EXIT_LINE) == 0)
			return CHAT_DONE; /* the peer said goodbye */
		/* Python: print("peer:", data). stdout may be a pipe, which
		 * stdio buffers: flush, or the line waits in our memory. */
		printf("peer: %s\n", line);
		fflush(stdout);
	}
	return CHAT_GO_ON;
}

/* The keyboard is readable: reads once, sends every whole line typed. */
static enum chat_next from_keyboard(int sockfd, struct line_reader *r,
				    char *line, size_t size, char *error,
				    size_t error_size)
{
	enum line_status got;
	ssize_t n = line_reader_fill(r, STDIN_FILENO);

	if (n < 0 && errno == EINTR)
		return CHAT_GO_ON;
	if (n < 0) {
		snprintf(error, error_size, "read: %s", strerror(errno));
		return CHAT_FAILED;
	}
	if (n == 0) {
		/* The keyboard is closed (Ctrl-D): as if "exit" was typed. */
		strcpy(line, EXIT_LINE);
		send_line(sockfd, line); /* the peer may be gone: no matter */
		return CHAT_DONE;
	}
	while ((got = line_reader_next(r, line, size)) != LINE_NONE) {
		int leaving;

		if (got == LINE_TOO_LONG) {
			fprintf(stderr, "* a line over %d bytes was not sent\n",
				MESSAGE_MAX);
			continue;
		}
		leaving = strcmp(line, EXIT_LINE) == 0;
		/* Python: s.sendall((text + "\n").encode()) */
		if (send_line(sockfd, line) < 0 && !leaving) {
			snprintf(error, error_size, "send: %s",
				 strerror(errno));
			return CHAT_FAILED;
		}
		if (leaving)
			return CHAT_DONE; /* the peer sees "exit", then EOF */
	}
	return CHAT_GO_ON;
}

int chat_session(int sockfd, volatile sig_atomic_t *stop, char *error,
		 size_t error_size)
{
	/* Two readers, one per input: each keeps its own unfinished line.
	 * static: 3 x 64 KiB is a lot for the stack, and this function is
	 * called once, by one thread. */
	static struct line_reader keyboard, network;
	static char line[MESSAGE_MAX + 2]; /* one line, room for its "\n" */
	enum chat_next next = CHAT_GO_ON;

	line_reader_init(&keyboard);
	line_reader_init(&network);
	while (next == CHAT_GO_ON && !*stop) {
		/* Python: select.select([sys.stdin, s], [], []). Wait for
		 * either input, never for one while the other has data. */
		struct pollfd fds[2] = {
		    {.fd = STDIN_FILENO, .events = POLLIN},
		    {.fd = sockfd, .events = POLLIN},
		};

		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue; /* a signal: the loop test decides */
			snprintf(error, error_size, "poll: %s",
				 strerror(errno));
			return -1;
		}
		/* POLLHUP and POLLERR too: the read then says what happened. */
		if (fds[1].revents)
			next = from_peer(sockfd, &network, line, sizeof(line),
					 error, error_size);
		if (next == CHAT_GO_ON && fds[0].revents)
			next = from_keyboard(sockfd, &keyboard, line,
					     sizeof(line), error, error_size);
	}
	return next == CHAT_FAILED ? -1 : 0;
}
