/* client.c - lab 03: send one datagram and print the reply.
 *
 * usage: client HOST PORT MESSAGE [TIMEOUT_MS [RETRIES]]
 *
 * Sends MESSAGE (its bytes, without a terminating NUL) in one datagram to
 * HOST port PORT and waits up to TIMEOUT_MS milliseconds (default 1000)
 * for the reply. UDP makes no promise that a datagram arrives, so when
 * nothing comes back in time it sends MESSAGE again, up to RETRIES more
 * times (default 2). The reply is the first datagram that comes from the
 * server's address and port; datagrams from anywhere else are ignored.
 * The client prints the reply's bytes on stdout, exactly, then "\n", and
 * exits 0. When every try timed out it says so on stderr and exits 3; an
 * unknown host exits 2.
 *
 * You may add static helper functions, for instance
 *	static int same_sender(const struct sockaddr_storage *a,
 *			       const struct sockaddr_storage *b);
 *	static ssize_t receive_reply(int fd,
 *				     const struct sockaddr_storage *server,
 *				     char *buf, size_t size);
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "udp.h"

int main(int argc, char **argv)
{
	/* TODO, step by step (the handout explains each call):
	 *
	 * 1. Arguments: 3 to 5 of them. HOST must not be empty, PORT is
	 *    parse_number(argv[2], 1, 65535), TIMEOUT_MS (default 1000)
	 *    parse_number(argv[4], 1, 60000), RETRIES (default 2)
	 *    parse_number(argv[5], 0, 100). Otherwise print "usage: client
	 *    HOST PORT MESSAGE [TIMEOUT_MS [RETRIES]]" on stderr and return
	 *    EXIT_USAGE.
	 *
	 * 2. Resolve: hints zeroed with memset, ai_family = AF_UNSPEC,
	 *    ai_socktype = SOCK_DGRAM; rc = getaddrinfo(host, port, &hints,
	 *    &results). If rc != 0, print "client: HOST: " and
	 *    gai_strerror(rc) on stderr and return EXIT_RUNTIME. Copy the
	 *    first result's ai_addr (ai_addrlen bytes) into a struct
	 *    sockaddr_storage server, create the socket with its ai_family,
	 *    ai_socktype and ai_protocol, then freeaddrinfo(results).
	 *
	 * 3. Timeout: a struct timeval with tv_sec = timeout_ms / 1000 and
	 *    tv_usec = (timeout_ms % 1000) * 1000 (below 1000000, or
	 *    setsockopt fails with EINVAL); setsockopt(fd, SOL_SOCKET,
	 *    SO_RCVTIMEO, &tv, sizeof tv), and check what it returns. The
	 *    socket is made once: every try is sent from it.
	 *
	 * 4. Tries: for (try = 0; try <= retries; try++):
	 *    - sendto(fd, message, strlen(message), 0, server, its length);
	 *    - recvfrom(fd, buf, sizeof buf, 0, &from, &from_len) into a
	 *      static char buf[MAX_DATAGRAM], from_len = sizeof from first;
	 *      n < 0 with errno EAGAIN or EWOULDBLOCK: this try timed out,
	 *      print "client: no reply within N ms" on stderr and go to the
	 *      next try; EINTR: recvfrom again; other errors: report with
	 *      perror and return EXIT_RUNTIME;
	 *    - if from is not the server (compare family, address and port),
	 *      ignore the datagram and recvfrom again;
	 *    - else writen(STDOUT_FILENO, buf, n), then writen "\n", close
	 *      the socket and return EXIT_OK.
	 *
	 * 5. Every try timed out: print "client: no reply from HOST port PORT
	 *    after N tries" on stderr, close the socket and return
	 *    EXIT_NO_REPLY. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
