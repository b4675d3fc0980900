/* responder.c - lab 05: answer every discovery question with a name.
 *
 * usage: responder PORT NAME
 *
 * Binds every local IPv4 address on PORT (with SO_REUSEADDR, so several
 * responders can share the port: a broadcast question reaches each of
 * them) and waits for datagrams. To each one that is exactly QUESTION
 * ("DISCOVER") it answers with NAME (its bytes, no '\0', no newline),
 * sent directly to the address and port the question came from: a
 * unicast reply to the asker, not a broadcast. Other datagrams are
 * logged and ignored. Logs go to stderr; it runs until SIGINT or SIGTERM,
 * then exits 0.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bcast.h"

/* Receives one datagram on fd and answers it if it is the question.
 * Returns 0, or -1 when recvfrom was interrupted by a signal. Any other
 * failure is logged and the responder goes on. */
static int answer_one(int fd, const char *name)
{
	static char buf[MAX_DATAGRAM];
	struct sockaddr_in asker;	     /* who sent this datagram */
	socklen_t asker_len = sizeof(asker); /* reset before every call */
	char sender[SENDER_TEXT_SIZE];	     /* "127.0.0.1:40000" */
	ssize_t n;

	n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&asker,
		     &asker_len);
	if (n < 0) {
		if (errno == EINTR)
			return -1;
		perror("responder: recvfrom");
		return 0;
	}
	format_sender(&asker, sender, sizeof(sender));

	/* The question is these exact bytes: compare n bytes, not strings. */
	if ((size_t)n != strlen(QUESTION) ||
	    memcmp(buf, QUESTION, (size_t)n) != 0) {
		fprintf(stderr, "responder: ignored %zd bytes from %s\n", n,
			sender);
		return 0;
	}

	/* Python: s.sendto(name, addr). addr is what recvfrom filled in:
	 * the asker's own address and port, so only the asker gets it. */
	if (sendto(fd, name, strlen(name), 0, (struct sockaddr *)&asker,
		   asker_len) < 0) {
		fprintf(stderr, "responder: sendto %s: %s\n", sender,
			strerror(errno));
		return 0;
	}
	fprintf(stderr, "responder: answered %s\n", sender);
	return 0;
}

int main(int argc, char **argv)
{
	const char *failed_call; /* set by open_shared_port */
	long port;		 /* the port to answer on */
	int fd;

	if (argc != 3 || (port = parse_number(argv[1], 1, 65535)) < 0 ||
	    argv[2][0] == '\0') {
		fprintf(stderr, "usage: responder PORT NAME\n");
		return EXIT_USAGE;
	}
	if (install_stop_handlers() < 0) {
		perror("responder: sigaction");
		return EXIT_RUNTIME;
	}
	fd = open_shared_port((int)port, &failed_call);
	if (fd < 0) {
		fprintf(stderr, "responder: %s port %ld: %s\n", failed_call,
			port, strerror(errno));
		return EXIT_RUNTIME;
	}
	fprintf(stderr, "responder: %s answers on UDP port %ld\n", argv[2],
		port);

	/* One datagram at a time, until a signal sets stop_requested. */
	while (!stop_requested)
		answer_one(fd, argv[2]);

	close(fd);
	return EXIT_OK;
}
