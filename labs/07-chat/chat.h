/* chat.h - lab 07: what the chat programs and the room share.
 *
 * Every message is a line: text and "\n" (a "\r" just before the "\n" is
 * dropped). A line holds at most MESSAGE_MAX bytes before its "\n"; a
 * longer one is dropped whole and reported.
 *
 * One-to-one chat (chat-server, chat-client): each line typed is sent as
 * it is; each line received is printed as "peer: TEXT". The line "exit"
 * (typed, or received) and the end of the keyboard or of the connection
 * end the chat on both sides, with status 0.
 *
 * Chat room (room): see room.c for the protocol.
 *
 * Nothing here keeps hidden state: a line reader is a structure the caller
 * owns and passes in, so each thread can have its own.
 */
#ifndef CHAT_H
#define CHAT_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

/* Exit statuses, the same in every lab. */
#define EXIT_OK	     0 /* the program did its job */
#define EXIT_USAGE   1 /* wrong arguments: a "usage:" line was printed */
#define EXIT_RUNTIME 2 /* a call failed: reported on stderr */

/* The longest message: bytes of a line before its "\n" (64 KiB). */
#define MESSAGE_MAX 65536

/* The line that ends a one-to-one chat, typed or received. */
#define EXIT_LINE "exit"

/* What line_reader_next found. */
enum line_status {
	LINE_NONE = 0,	  /* no whole line yet: fill the reader again */
	LINE_OK = 1,	  /* a whole line is in the caller's buffer */
	LINE_TOO_LONG = 2 /* over MESSAGE_MAX bytes: it is dropped, and the
			     rest of it, up to its "\n", will be too */
};

/* Cuts the bytes read from one file descriptor into lines, whatever
 * pieces they arrive in. Bytes after a line stay here for the next call. */
struct line_reader {
	int skipping;		   /* 1 while dropping an overlong line */
	size_t len;		   /* bytes waiting in buf */
	char buf[MESSAGE_MAX + 1]; /* read, not yet returned as a line */
};

/* Returns the port written in text (a whole number 1..65535), or -1. */
int parse_port(const char *text);

/* Writes all n bytes of buf to fd, retrying short writes and EINTR;
 * returns n, or -1 with errno set. Python's sendall. */
ssize_t writen(int fd, const void *buf, size_t n);

/* Empties r. */
void line_reader_init(struct line_reader *r);

/* One read from fd into the free part of r: returns the bytes read, 0 at
 * the end of the input, -1 with errno set (EINTR too). Blocks only when
 * fd has nothing to read. */
ssize_t line_reader_fill(struct line_reader *r, int fd);

/* Takes the next whole line out of r into line (size > MESSAGE_MAX),
 * without its "\n" and "\r", as a C string. Never reads. */
enum line_status line_reader_next(struct line_reader *r, char *line,
				  size_t size);

/* Resolves host (a name, an IPv4 or an IPv6 literal) with getaddrinfo and
 * connects to the first address that answers on port. Returns the socket,
 * or -1 with a message naming the host or the call in error. */
int connect_to(const char *host, const char *port, char *error,
	       size_t error_size);

/* Returns a TCP socket listening on every IPv4 address on port, with
 * SO_REUSEADDR, or -1 with a message naming the call in error. */
int open_listener(int port, char *error, size_t error_size);

/* The one-to-one chat on a connected socket: reads the keyboard (stdin)
 * and the socket at once with poll, sends each typed line, prints each
 * received line as "peer: TEXT". Returns 0 when the chat ended ("exit"
 * typed or received, the keyboard or the connection closed, or *stop set
 * by a signal), -1 with a message in error when a call failed. */
int chat_session(int sockfd, volatile sig_atomic_t *stop, char *error,
		 size_t error_size);

#endif
