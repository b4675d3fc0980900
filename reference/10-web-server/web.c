/* web.c - lab 10: a static HTTP/1.0 server for one folder.
 *
 * usage: web PORT FOLDER
 *
 * Serves the files under FOLDER: GET /a/b.html answers with FOLDER/a/b.html,
 * its Content-Type and its Content-Length, then closes the connection
 * (HTTP/1.0). Errors are answered as http.h says (400, 403, 404, 501),
 * with a short text body. Each client is served by a thread of its own,
 * so a slow client never holds up the others. One line per request goes
 * to stderr. The server runs until SIGINT or SIGTERM, then exits 0.
 *
 * Python: http.server.ThreadingHTTPServer with SimpleHTTPRequestHandler
 * does the same job; here every step is ours.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "http.h"

/* Connections the kernel may complete and queue while we are busy: many
 * clients may connect at once. */
#define BACKLOG 128
#define COPY_CHUNK 16384 /* bytes of a file read and sent at a time */
#define LINGER_SECONDS 2 /* wait for the client's close after an error */
#define LINGER_READS   64 /* and read at most 64 x 4 KiB meanwhile */

/* Set to 1 by the signal handler; the accept loop tests it. */
static volatile sig_atomic_t stop_requested = 0;

/* The folder served, set once in main before any thread starts. */
static const char *site_folder;

/* What a client's thread needs; malloc'd by main, freed by the thread. */
struct client {
	int fd;			 /* the connected socket */
	char address[INET_ADDRSTRLEN]; /* the client's address, for the log */
};

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Catches SIGINT and SIGTERM, ignores SIGPIPE. Returns 0 or -1. */
static int install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocked accept fails with EINTR. */
	sa.sa_flags = 0;
	if (sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0)
		return -1;
	/* A reply to a client that has gone must not kill the server. */
	sa.sa_handler = SIG_IGN;
	return sigaction(SIGPIPE, &sa, NULL);
}

/* Returns a socket listening on every IPv4 address on port, or -1 with
 * *failed_call naming the call that failed. */
static int open_listener(int port, const char **failed_call)
{
	struct sockaddr_in addr; /* any IPv4 address, our port */
	int one = 1;		 /* "on", for setsockopt */
	int fd, saved_errno;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		*failed_call = "socket";
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
		*failed_call = "setsockopt";
		goto out_close;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_ANY);
	addr.sin_port = htons((unsigned short)port);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		*failed_call = "bind";
		goto out_close;
	}
	if (listen(fd, BACKLOG) < 0) {
		*failed_call = "listen";
		goto out_close;
	}
	return fd;

out_close:
	saved_errno = errno; /* close must not change the reason */
	close(fd);
	errno = saved_errno;
	return -1;
}

/* Receives until buf (HEAD_MAX + 1 bytes) holds a whole head. Returns
 * its length, 0 if the client closed or failed first, -1 if HEAD_MAX
 * bytes came without the empty line. The head ends with a '\0'. */
static ssize_t read_head(int fd, char *buf)
{
	size_t len = 0;	   /* bytes received so far */
	size_t head_len;   /* length of the head, once it is all here */

	for (;;) {
		ssize_t n;

		buf[len] = '\0';
		head_len = head_length(buf, len);
		if (head_len > 0)
			return (ssize_t)head_len;
		if (len == HEAD_MAX)
			return -1;
		/* One recv is not one request: a head may come a byte at a
		 * time. Never ask for more than the free space. */
		n = recv(fd, buf + len, HEAD_MAX - len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		len += (size_t)n;
	}
}

/* Writes the head of a response into buf (size bytes, enough for any
 * head here); returns its length. */
static int format_head(char *buf, size_t size, int status, const char *type,
		       long long length)
{
	return snprintf(buf, size,
			"HTTP/1.0 %d %s\r\n"
			"Content-Type: %s\r\n"
			"Content-Length: %lld\r\n"
			"Connection: close\r\n"
			"\r\n",
			status, status_reason(status), type, length);
}

/* Sends the head of a response; returns 0 or -1. */
static int send_head(int fd, int status, const char *type, long long length)
{
	char head[256];
	int n = format_head(head, sizeof(head), status, type, length);

	return writen(fd, head, (size_t)n) < 0 ? -1 : 0;
}

/* Answers with an error status and a one-line text body. Head and body
 * go in one write: the client gets the whole answer at once, even if
 * the connection ends right after it. */
static void send_error(int fd, int status)
{
	char body[64], answer[256 + sizeof(body)];
	int body_len = snprintf(body, sizeof(body), "%d %s\n", status,
				status_reason(status));
	int head_len = format_head(answer, sizeof(answer) - sizeof(body),
				   status, "text/plain", body_len);

	memcpy(answer + head_len, body, (size_t)body_len);
	writen(fd, answer, (size_t)(head_len + body_len));
}

/* Ends a connection after an error answer. The server may have answered
 * before reading all the client sent (a head over HEAD_MAX, a body after
 * the head), and closing a socket with bytes unread makes the kernel
 * reset the connection: a reset may destroy the answer at the client
 * before it is read. So: half-close (the answer goes out, then the end
 * of the stream), read and drop what the client still sends until it
 * closes, a few seconds at most, then close. */
static void close_after_error(int fd)
{
	struct timeval wait = {.tv_sec = LINGER_SECONDS, .tv_usec = 0};
	char drop[4096]; /* what the client still sends, unread */
	int reads = 0;

	shutdown(fd, SHUT_WR);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof(wait));
	while (reads++ < LINGER_READS && recv(fd, drop, sizeof(drop), 0) > 0)
		;
	close(fd);
}

/* Sends the file for path (decoded, no ".."), or a 404 or 403. Returns
 * the status sent. */
static int serve_file(int fd, const char *path)
{
	char full[TARGET_MAX + 4096]; /* the file's name on disk */
	char chunk[COPY_CHUNK];	      /* a piece of the file */
	struct stat st;
	int file;
	ssize_t n;

	/* "/" and "/docs/" mean the folder's index.html. */
	snprintf(full, sizeof(full), "%s%s%s", site_folder, path,
		 path[strlen(path) - 1] == '/' ? "index.html" : "");
	file = open(full, O_RDONLY);
	if (file < 0) {
		int status = errno == EACCES ? 403 : 404;

		send_error(fd, status);
		return status;
	}
	/* A folder opens too, but is not a file to send. */
	if (fstat(file, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(file);
		send_error(fd, 404);
		return 404;
	}
	if (send_head(fd, 200, content_type(full), (long long)st.st_size) < 0)
		goto out_close;
	/* Bytes, not text: read and writen exactly what read gave. */
	while ((n = read(file, chunk, sizeof(chunk))) > 0 ||
	       (n < 0 && errno == EINTR))
		if (n > 0 && writen(fd, chunk, (size_t)n) < 0)
			break; /* the client went away */
out_close:
	close(file);
	return 200;
}

/* A client's thread: one request, one response, close. */
static void *serve_client(void *arg)
{
	struct client *client = arg;
	char head[HEAD_MAX + 1]; /* the request head, '\0' after it */
	struct request req;	 /* what it asks for */
	ssize_t head_len = read_head(client->fd, head);
	int status;

	if (head_len == 0) {
		close(client->fd); /* closed before a whole request */
		goto out_free;
	}
	if (head_len < 0) {
		req.method[0] = '\0';
		strcpy(req.path, "(head too long)");
		status = 400;
	} else {
		parse_request(head, &req);
		status = req.status;
	}
	if (status != 0)
		send_error(client->fd, status);
	else
		status = serve_file(client->fd, req.path);
	fprintf(stderr, "web: %s %s %s %d\n", client->address, req.method,
		req.path, status);
	if (status == 200)
		close(client->fd);
	else
		close_after_error(client->fd);
out_free:
	free(client);
	return NULL;
}

/* Accepts clients until a stop signal; a detached thread for each. */
static void accept_loop(int listenfd)
{
	pthread_attr_t attr; /* every thread detached: nobody joins them */
	sigset_t stop_signals, old_mask;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);

	while (!stop_requested) {
		struct sockaddr_in addr; /* the client's address */
		socklen_t addr_len = sizeof(addr);
		struct client *client;
		pthread_t thread;
		int fd, rc;

		fd = accept(listenfd, (struct sockaddr *)&addr, &addr_len);
		if (fd < 0) {
			/* EINTR: test the flag. Others: this client only. */
			if (errno != EINTR)
				perror("web: accept");
			continue;
		}
		/* Each thread gets its own copy: never the address of a
		 * variable the next accept overwrites. */
		client = malloc(sizeof(*client));
		if (!client) {
			close(fd);
			continue;
		}
		client->fd = fd;
		inet_ntop(AF_INET, &addr.sin_addr, client->address,
			  sizeof(client->address));
		/* A new thread inherits the signal mask: with the stop
		 * signals blocked, only this thread ever takes them, so
		 * they always interrupt accept. */
		pthread_sigmask(SIG_BLOCK, &stop_signals, &old_mask);
		rc = pthread_create(&thread, &attr, serve_client, client);
		pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
		if (rc != 0) {
			fprintf(stderr, "web: pthread_create: %s\n",
				strerror(rc));
			close(fd);
			free(client);
		}
	}
	pthread_attr_destroy(&attr);
}

int main(int argc, char **argv)
{
	const char *failed_call = "";
	struct stat st;
	int port, listenfd;

	if (argc != 3 || (port = parse_port(argv[1])) < 0) {
		fprintf(stderr, "usage: web PORT FOLDER "
				"(PORT from 1 to 65535)\n");
		return EXIT_USAGE;
	}
	if (stat(argv[2], &st) < 0) {
		fprintf(stderr, "web: %s: %s\n", argv[2], strerror(errno));
		return EXIT_RUNTIME;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "web: %s: not a folder\n", argv[2]);
		return EXIT_RUNTIME;
	}
	site_folder = argv[2];
	if (install_signal_handlers() < 0) {
		perror("web: sigaction");
		return EXIT_RUNTIME;
	}
	listenfd = open_listener(port, &failed_call);
	if (listenfd < 0) {
		fprintf(stderr, "web: %s: %s\n", failed_call, strerror(errno));
		return EXIT_RUNTIME;
	}
	fprintf(stderr, "web: serving %s on port %d\n", site_folder, port);
	accept_loop(listenfd);
	fprintf(stderr, "web: stopping\n");
	close(listenfd);
	return EXIT_OK;
}
