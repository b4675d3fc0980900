/* discover.c - lab 05: ask who is there, and list everyone who answers.
 *
 * usage: discover ADDRESS PORT [TIMEOUT_MS]
 *
 * Broadcasts the question QUESTION ("DISCOVER") once to ADDRESS and PORT,
 * then collects answers for TIMEOUT_MS milliseconds (default 1000, from 1
 * to 60000) after sending it. Each responder answers with its name, sent
 * straight back to the port the question came from; each answer is
 * printed as one line,
 *
 *	answer from 127.0.0.1:9000: alpha\n
 *
 * in the order they arrive. When the time is up it says how many came on
 * stderr and exits 0, even when none came.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bcast.h"

/* Milliseconds on a clock that never jumps (unlike the time of day). */
static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Prints every answer that arrives on fd before deadline (on now_ms's
 * clock). Returns how many, or -1 with *failed_call set. */
static int collect_answers(int fd, long long deadline, const char **failed_call)
{
	static char line[SENDER_TEXT_SIZE + 16 + MAX_DATAGRAM + 1];
	static char buf[MAX_DATAGRAM];
	int answers = 0;

	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		long long left = deadline - now_ms();
		struct sockaddr_in from;	   /* who answered */
		socklen_t from_len = sizeof(from); /* reset every time */
		char sender[SENDER_TEXT_SIZE];
		size_t used;
		ssize_t n;
		int ready;

		if (left <= 0)
			return answers; /* time is up */
		/* Wait for an answer, but never past the deadline: poll
		 * returns 0 when the time runs out with nothing to read. */
		ready = poll(&pfd, 1, (int)left);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0) {
			*failed_call = "poll";
			return -1;
		}
		if (ready == 0)
			return answers;

		/* One answer: exactly n bytes, the responder's name. */
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &from_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*failed_call = "recvfrom";
			return -1;
		}
		format_sender(&from, sender, sizeof(sender));
		used = (size_t)snprintf(line, sizeof(line),
					"answer from %s: ", sender);
		memcpy(line + used, buf, (size_t)n);
		used += (size_t)n;
		line[used++] = '\n';
		if (writen(STDOUT_FILENO, line, used) < 0) {
			*failed_call = "write";
			return -1;
		}
		/* Not done: every responder answers, keep listening. */
		answers++;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in to;	 /* where the question goes */
	const char *failed_call; /* set by collect_answers */
	long timeout_ms = 1000;	 /* how long answers may take */
	long long deadline;	 /* when we stop listening */
	int on = 1;		 /* for setsockopt: turn the option on */
	int rc, fd, answers;

	if (argc < 3 || argc > 4 || parse_number(argv[2], 1, 65535) < 0 ||
	    (argc == 4 && (timeout_ms = parse_number(argv[3], 1, 60000)) < 0)) {
		fprintf(stderr, "usage: discover ADDRESS PORT [TIMEOUT_MS]\n");
		return EXIT_USAGE;
	}
	rc = resolve_ipv4(argv[1], argv[2], &to);
	if (rc != 0) {
		fprintf(stderr, "discover: %s: %s\n", argv[1],
			gai_strerror(rc));
		return EXIT_RUNTIME;
	}

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("discover: socket");
		return EXIT_RUNTIME;
	}
	/* The question is a broadcast: the same SO_BROADCAST as in
	 * broadcast.c, or sendto fails with EACCES. */
	if (setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof(on)) < 0) {
		perror("discover: setsockopt SO_BROADCAST");
		close(fd);
		return EXIT_RUNTIME;
	}
	/* The kernel binds the socket to a free port at this sendto; the
	 * answers come back to that port, on this same socket. */
	if (sendto(fd, QUESTION, strlen(QUESTION), 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0) {
		fprintf(stderr, "discover: sendto %s port %s: %s\n", argv[1],
			argv[2], strerror(errno));
		close(fd);
		return EXIT_RUNTIME;
	}
	deadline = now_ms() + timeout_ms;

	answers = collect_answers(fd, deadline, &failed_call);
	close(fd);
	if (answers < 0) {
		fprintf(stderr, "discover: %s: %s\n", failed_call,
			strerror(errno));
		return EXIT_RUNTIME;
	}
	fprintf(stderr, "discover: %d answer%s\n", answers,
		answers == 1 ? "" : "s");
	return EXIT_OK;
}
