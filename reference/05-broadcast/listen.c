/* listen.c - lab 05: hear broadcasts on a port and say who sent them.
 *
 * usage: listen PORT [COUNT]
 *
 * Binds every local IPv4 address on PORT (with SO_REUSEADDR, so several
 * listeners can share the port: each hears every broadcast) and prints
 * each datagram it receives as one line,
 *
 *	from 127.0.0.1:40000: hello, everyone\n
 *
 * the sender's address and port, then exactly the datagram's bytes. After
 * COUNT datagrams (1 to 1000) it exits 0; without COUNT it runs until
 * SIGINT or SIGTERM and then exits 0. Problems go to stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bcast.h"

/* Receives one datagram on fd and prints its line. Returns 1 when a line
 * was printed, 0 when recvfrom was interrupted by a signal, or -1 with
 * *failed_call set. */
static int hear_one(int fd, const char **failed_call)
{
	/* Static: a datagram can be 64 KB, a lot for the stack. One more
	 * byte than the largest datagram for the '\n'. */
	static char line[SENDER_TEXT_SIZE + 8 + MAX_DATAGRAM + 1];
	static char buf[MAX_DATAGRAM];
	struct sockaddr_in from;	   /* who sent this datagram */
	socklen_t from_len = sizeof(from); /* reset before every call */
	char sender[SENDER_TEXT_SIZE];	   /* "127.0.0.1:40000" */
	size_t used;
	ssize_t n;

	/* Python: data, addr = s.recvfrom(65507). One call, one datagram:
	 * n is its length. The bytes are not a C string: there is no '\0'
	 * after them, and bytes of an earlier, longer datagram may follow
	 * them in buf. Use n, never strlen. */
	n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		     &from_len);
	if (n < 0 && errno == EINTR)
		return 0;
	if (n < 0) {
		*failed_call = "recvfrom";
		return -1;
	}

	/* "from ADDRESS:PORT: " then the n bytes, then "\n", all in one
	 * write so the line goes out at once, whole. */
	format_sender(&from, sender, sizeof(sender));
	used = (size_t)snprintf(line, sizeof(line), "from %s: ", sender);
	memcpy(line + used, buf, (size_t)n);
	used += (size_t)n;
	line[used++] = '\n';
	if (writen(STDOUT_FILENO, line, used) < 0) {
		*failed_call = "write";
		return -1;
	}
	return 1;
}

int main(int argc, char **argv)
{
	const char *failed_call; /* set by open_shared_port and hear_one */
	long port;		 /* the port to listen on */
	long count = 0;		 /* datagrams to hear; 0: until a signal */
	long heard = 0;		 /* datagrams heard so far */
	int fd;

	if (argc < 2 || argc > 3 ||
	    (port = parse_number(argv[1], 1, 65535)) < 0 ||
	    (argc == 3 && (count = parse_number(argv[2], 1, 1000)) < 0)) {
		fprintf(stderr, "usage: listen PORT [COUNT]\n");
		return EXIT_USAGE;
	}
	if (install_stop_handlers() < 0) {
		perror("listen: sigaction");
		return EXIT_RUNTIME;
	}
	fd = open_shared_port((int)port, &failed_call);
	if (fd < 0) {
		fprintf(stderr, "listen: %s port %ld: %s\n", failed_call, port,
			strerror(errno));
		return EXIT_RUNTIME;
	}
	fprintf(stderr, "listen: listening on UDP port %ld\n", port);

	/* Until COUNT datagrams were heard, or a signal asks us to stop. */
	while (!stop_requested && (count == 0 || heard < count)) {
		int rc = hear_one(fd, &failed_call);

		if (rc < 0) {
			fprintf(stderr, "listen: %s: %s\n", failed_call,
				strerror(errno));
			close(fd);
			return EXIT_RUNTIME;
		}
		heard += rc;
	}

	close(fd);
	return EXIT_OK;
}
