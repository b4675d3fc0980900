/* hx_net.c - the harness's peers: readiness, TCP and UDP with fault plans. */
#define _GNU_SOURCE
#include "hx_net.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hx_time.h"

/* 1 if a /proc/net table lists a socket on port (listening, for TCP). */
static int hx_table_has_port(const char *table, int port, int need_listen)
{
	char line[512];
	FILE *f = fopen(table, "re");
	int found = 0;

	if (!f)
		return 0;
	if (!fgets(line, sizeof(line), f)) /* column titles */
		goto out_close;
	while (!found && fgets(line, sizeof(line), f)) {
		char local[128];
		unsigned state;
		char *colon;

		if (sscanf(line, " %*d: %127s %*s %x", local, &state) != 2)
			continue;
		colon = strrchr(local, ':');
		if (!colon || (int)strtol(colon + 1, NULL, 16) != port)
			continue;
		found = !need_listen || state == 0x0A; /* TCP_LISTEN */
	}
out_close:
	fclose(f);
	return found;
}

/* Appends the ports a table lists for sockets with an inode in inodes. */
static void hx_table_ports_of(const char *table, const unsigned long *inodes,
			      int ninodes, int need_listen, struct hx_buf *out)
{
	char line[512];
	FILE *f = fopen(table, "re");

	if (!f)
		return;
	if (!fgets(line, sizeof(line), f))
		goto out_close;
	while (fgets(line, sizeof(line), f)) {
		char local[128];
		unsigned state;
		unsigned long inode;
		char *colon;

		if (sscanf(line, " %*d: %127s %*s %x %*s %*s %*s %*s %*s %lu",
			   local, &state, &inode) != 3 ||
		    (need_listen && state != 0x0A))
			continue;
		colon = strrchr(local, ':');
		for (int i = 0; colon && i < ninodes; i++)
			if (inodes[i] == inode)
				hx_buf_addf(out, "%s%ld", out->len ? ", " : "",
					    strtol(colon + 1, NULL, 16));
	}
out_close:
	fclose(f);
}

/* The ports program is bound (UDP) or listening (TCP) on, as text. */
static void hx_ports_of(struct hx_proc *program, enum hx_proto proto,
			struct hx_buf *out)
{
	unsigned long inodes[64];
	char path[64], target[64];
	struct dirent *e;
	int n = 0;
	DIR *fds;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)program->pid);
	fds = opendir(path);
	if (!fds)
		return;
	while ((e = readdir(fds)) && n < 64) {
		char link[330];
		ssize_t len;

		snprintf(link, sizeof(link), "%s/%s", path, e->d_name);
		len = readlink(link, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (sscanf(target, "socket:[%lu]", &inodes[n]) == 1)
			n++;
	}
	closedir(fds);
	if (proto == HX_TCP) {
		hx_table_ports_of("/proc/net/tcp", inodes, n, 1, out);
		hx_table_ports_of("/proc/net/tcp6", inodes, n, 1, out);
	} else {
		hx_table_ports_of("/proc/net/udp", inodes, n, 0, out);
		hx_table_ports_of("/proc/net/udp6", inodes, n, 0, out);
	}
}

static int hx_port_ready(enum hx_proto proto, int port)
{
	if (proto == HX_TCP)
		return hx_table_has_port("/proc/net/tcp", port, 1) ||
		       hx_table_has_port("/proc/net/tcp6", port, 1);
	return hx_table_has_port("/proc/net/udp", port, 0) ||
	       hx_table_has_port("/proc/net/udp6", port, 0);
}

int hx_wait_ready(struct hx_check *c, struct hx_proc *server,
		  enum hx_proto proto, int port, int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);
	const char *what = proto == HX_TCP ? "listen for TCP" : "bind UDP";
	int attempt = 0;

	for (;;) {
		if (hx_port_ready(proto, port)) {
			hx_recordf(c, 0, "%s is ready on port %d",
				   server->label, port);
			return 0;
		}
		if (!hx_proc_running(server)) {
			struct hx_buf how;

			hx_proc_pump(server, 0);
			hx_buf_init(&how);
			hx_proc_describe_end(server, &how);
			hx_fail(
			    c,
			    WIFSIGNALED(server->wait_status) ? HX_CRASH
							     : HX_FAIL,
			    "%s ended (%s) before it began to %s on port %d",
			    server->label, how.data, what, port);
			hx_buf_free(&how);
			return -1;
		}
		if (hx_remaining_ms(deadline) == 0) {
			struct hx_buf ports;

			/* where it listens instead says much: a port in the
			 * wrong byte order, say */
			hx_buf_init(&ports);
			hx_ports_of(server, proto, &ports);
			if (ports.len)
				hx_note(c, "%s is %s on port %s instead",
					server->label,
					proto == HX_TCP ? "listening" : "bound",
					ports.data);
			hx_buf_free(&ports);
			return hx_fail(c, HX_TIMEOUT,
				       "%s did not %s on port %d within %.1f s",
				       server->label, what, port,
				       timeout_ms / 1000.0);
		}
		hx_proc_pump(server, 0);
		hx_backoff(&attempt, deadline);
	}
}

struct hx_proc *hx_start_server(struct hx_check *c, const char *program,
				const char *const *args, enum hx_proto proto,
				int port, int timeout_ms)
{
	struct hx_proc *p = hx_start(c, program, args);

	if (!p)
		return NULL;
	if (hx_wait_ready(c, p, proto, port, timeout_ms) < 0)
		return NULL;
	return p;
}

struct hx_proc *hx_start_server_on(struct hx_check *c, const char *label,
				   const char *program, enum hx_proto proto,
				   int port, const char *const *more_args,
				   int timeout_ms)
{
	const char *args[16];
	char port_arg[16];
	struct hx_proc *p;
	int n = 0;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	args[n++] = port_arg;
	while (more_args && more_args[n - 1] && n < 15) {
		args[n] = more_args[n - 1];
		n++;
	}
	args[n] = NULL;
	p = hx_start_labelled(c, label ? label : program, program, args);
	if (!p || hx_wait_ready(c, p, proto, port, timeout_ms) < 0)
		return NULL;
	return p;
}

int hx_expect_server_stops(struct hx_check *c, const char *program,
			   enum hx_proto proto, int port,
			   const char *const *more_args, int timeout_ms)
{
	static const int signals[] = {SIGTERM, SIGINT};

	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
		char label[64];
		struct hx_proc *server;

		snprintf(label, sizeof(label), "%s (for %s)", program,
			 hx_signal_name(signals[i]));
		server = hx_start_server_on(c, label, program, proto, port,
					    more_args, timeout_ms);
		if (!server ||
		    hx_proc_signal_exit(c, server, signals[i], timeout_ms) < 0)
			return -1;
	}
	return 0;
}

static void hx_conn_init(struct hx_check *c, struct hx_conn *conn, int fd)
{
	memset(conn, 0, sizeof(*conn));
	conn->fd = fd;
	conn->id = __atomic_fetch_add(&c->next_conn, 1, __ATOMIC_SEQ_CST);
	hx_buf_init(&conn->in);
}

/* Fills addr from a numeric IPv4 or IPv6 host. */
static int hx_address(const char *host, int port, struct sockaddr_storage *addr,
		      socklen_t *len)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)addr;

	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		*len = sizeof(*v4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*v6);
		return 0;
	}
	return -1;
}

/* A non-blocking socket of type for host:port, its address in addr, set
 * up as conn; the socket, or -1 after recording why. */
/* The harness cannot bind host:port (err): a machine without IPv6, or
 * without ::1 (a container), skips the check with that reason; anything
 * else is the harness's error. -1. */
static int hx_cannot_bind(struct hx_check *c, const char *host, int port,
			  int err)
{
	if (strchr(host, ':') && (err == EADDRNOTAVAIL || err == EAFNOSUPPORT))
		return hx_skip(c,
			       "this machine has no IPv6 address %s to "
			       "listen on (%s)",
			       host, strerror(err));
	return hx_fail(c, HX_ERROR,
		       "harness could not listen on %s port %d: %s", host, port,
		       strerror(err));
}

static int hx_open_socket(struct hx_check *c, struct hx_conn *conn,
			  const char *host, int port, int type,
			  struct sockaddr_storage *addr, socklen_t *len)
{
	int fd;

	conn->fd = -1;
	if (hx_address(host, port, addr, len) < 0)
		return hx_fail(c, HX_ERROR, "bad peer address %s", host);
	fd = socket(addr->ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 && errno == EAFNOSUPPORT)
		return hx_cannot_bind(c, host, port, errno);
	if (fd < 0)
		return hx_fail(c, HX_ERROR, "socket: %s", strerror(errno));
	hx_conn_init(c, conn, fd);
	return fd;
}

/* Waits for fd to be ready for events; 1 ready, 0 timeout, -1 error. */
static int hx_wait_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = events};
		int n = poll(&pfd, 1, hx_remaining_ms(deadline));

		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 ? -1 : n;
	}
}

int hx_tcp_connect(struct hx_check *c, struct hx_conn *conn, const char *host,
		   int port, int timeout_ms)
{
	struct sockaddr_storage addr;
	socklen_t len;
	int64_t deadline = hx_deadline(timeout_ms);
	int fd, err = 0;
	socklen_t errlen = sizeof(err);

	fd = hx_open_socket(c, conn, host, port, SOCK_STREAM, &addr, &len);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&addr, len) < 0 &&
	    errno != EINPROGRESS) {
		err = errno;
		goto out_fail;
	}
	if (hx_wait_fd(fd, POLLOUT, deadline) <= 0) {
		hx_close(c, conn);
		return hx_fail(c, HX_TIMEOUT,
			       "connecting to %s port %d took more than %.1f s",
			       host, port, timeout_ms / 1000.0);
	}
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen);
	if (err)
		goto out_fail;
	hx_recordf(c, conn->id, "connected to %s port %d", host, port);
	return 0;

out_fail:
	hx_close(c, conn);
	return hx_fail(c, HX_FAIL, "connect to %s port %d: %s", host, port,
		       strerror(err));
}

int hx_tcp_listen(struct hx_check *c, struct hx_conn *listener,
		  const char *host, int port)
{
	struct sockaddr_storage addr;
	socklen_t len;
	int one = 1;
	int fd;

	fd = hx_open_socket(c, listener, host, port, SOCK_STREAM, &addr, &len);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
		int err = errno;

		hx_close(c, listener);
		return hx_fail(c, HX_ERROR,
			       "harness: setsockopt SO_REUSEADDR: %s",
			       strerror(err));
	}
	if (bind(fd, (struct sockaddr *)&addr, len) < 0 || listen(fd, 64) < 0) {
		int err = errno;

		hx_close(c, listener);
		return hx_cannot_bind(c, host, port, err);
	}
	hx_recordf(c, listener->id, "listening on %s port %d", host, port);
	return 0;
}

int hx_tcp_accept(struct hx_check *c, struct hx_conn *listener,
		  struct hx_conn *conn, int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);
	int fd;

	conn->fd = -1;
	for (;;) {
		fd = accept4(listener->fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0)
			break;
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			return hx_fail(c, HX_ERROR, "accept: %s",
				       strerror(errno));
		if (hx_wait_fd(listener->fd, POLLIN, deadline) == 0)
			return hx_fail(c, HX_TIMEOUT,
				       "no connection came within %.1f s",
				       timeout_ms / 1000.0);
	}
	hx_conn_init(c, conn, fd);
	hx_recordf(c, conn->id, "accepted a connection");
	return 0;
}

/* Sends one piece completely, under the deadline. */
static int hx_send_piece(struct hx_check *c, struct hx_conn *conn,
			 const char *data, size_t len, int64_t deadline)
{
	while (len > 0) {
		ssize_t n = send(conn->fd, data, len, MSG_NOSIGNAL);

		if (n > 0) {
			hx_record(c, conn->id, '>', data, (size_t)n);
			data += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			if (hx_wait_fd(conn->fd, POLLOUT, deadline) == 0)
				return hx_fail(c, HX_TIMEOUT,
					       "the program stopped reading: "
					       "%zu bytes could not be sent",
					       len);
			continue;
		}
		hx_recordf(c, conn->id, "send failed: %s", strerror(errno));
		return hx_fail(c, HX_FAIL,
			       "the connection was closed while the harness "
			       "was still sending (%s)",
			       strerror(errno));
	}
	return 0;
}

int hx_send(struct hx_check *c, struct hx_conn *conn, const void *data,
	    size_t len, const struct hx_plan *plan)
{
	static const struct hx_plan whole = {.split = HX_WHOLE};
	int64_t deadline = hx_deadline(10000);
	const char *bytes = data;
	int nodelay = 1;

	if (!plan)
		plan = &whole;
	/* pieces go out as pieces only without Nagle's delay */
	if (plan->split != HX_WHOLE &&
	    setsockopt(conn->fd, IPPROTO_TCP, TCP_NODELAY, &nodelay,
		       sizeof(nodelay)) < 0)
		return hx_fail(c, HX_ERROR, "peer: setsockopt TCP_NODELAY: %s",
			       strerror(errno));
	while (len > 0) {
		size_t piece = len;

		if (plan->split == HX_BYTES)
			piece = 1;
		else if (plan->split == HX_RANDOM)
			piece = (size_t)hx_random_between(
			    c, 1, plan->max_piece > 0 ? plan->max_piece : 7);
		if (piece > len)
			piece = len;
		if (hx_send_piece(c, conn, bytes, piece, deadline) < 0)
			return -1;
		bytes += piece;
		len -= piece;
		if (len > 0 && plan->delay_ms > 0)
			hx_pause(plan->delay_ms);
	}
	return 0;
}

int hx_send_str(struct hx_check *c, struct hx_conn *conn, const char *text,
		const struct hx_plan *plan)
{
	return hx_send(c, conn, text, strlen(text), plan);
}

/* One read into conn->in: 1 data, 0 EOF or reset, -1 nothing yet. */
static int hx_read_some(struct hx_check *c, struct hx_conn *conn)
{
	char chunk[65536];
	ssize_t n;

	do
		n = recv(conn->fd, chunk, sizeof(chunk), 0);
	while (n < 0 && errno == EINTR);
	if (n > 0) {
		hx_record(c, conn->id, '<', chunk, (size_t)n);
		hx_buf_add(&conn->in, chunk, (size_t)n);
		return 1;
	}
	if (n == 0) {
		conn->eof = 1;
		hx_recordf(c, conn->id, "the program closed the connection");
		return 0;
	}
	if (errno == EAGAIN)
		return -1;
	conn->eof = 1;
	conn->reset = errno == ECONNRESET;
	hx_recordf(c, conn->id, "recv: %s", strerror(errno));
	return 0;
}

static const char *hx_memfind(const struct hx_buf *b, const char *needle)
{
	if (!b->data)
		return NULL;
	return memmem(b->data, b->len, needle, strlen(needle));
}

long hx_recv_until(struct hx_check *c, struct hx_conn *conn, const char *delim,
		   int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);
	const char *hit;

	while (!(hit = hx_memfind(&conn->in, delim))) {
		int r;

		if (conn->eof)
			goto out_missing;
		r = hx_read_some(c, conn);
		if (r == 0)
			goto out_missing;
		if (r < 0 && hx_wait_fd(conn->fd, POLLIN, deadline) == 0)
			return hx_fail_values(
			    c, HX_TIMEOUT, NULL, 0, conn->in.data, conn->in.len,
			    "waited %.1f s for data ending "
			    "in \"%s\" and got %zu bytes "
			    "without it",
			    timeout_ms / 1000.0,
			    delim[0] == '\n' ? "\\n" : delim, conn->in.len);
	}
	return (long)(hit - conn->in.data) + (long)strlen(delim);

out_missing:
	return hx_fail_values(
	    c, HX_FAIL, NULL, 0, conn->in.data, conn->in.len,
	    "the connection %s after %zu bytes, before a line "
	    "ending in \"%s\"",
	    conn->reset ? "was reset" : "was closed", conn->in.len,
	    delim[0] == '\n' ? "\\n" : delim);
}

int hx_recv_all(struct hx_check *c, struct hx_conn *conn, size_t max,
		int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);

	while (!conn->eof && conn->in.len < max) {
		if (hx_read_some(c, conn) < 0 &&
		    hx_wait_fd(conn->fd, POLLIN, deadline) == 0)
			return hx_fail(c, HX_TIMEOUT,
				       "the program kept the connection open "
				       "for more than %.1f s (received %zu "
				       "bytes)",
				       timeout_ms / 1000.0, conn->in.len);
	}
	return 0;
}

void hx_recv_for(struct hx_check *c, struct hx_conn *conn, int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);

	while (!conn->eof) {
		if (hx_read_some(c, conn) < 0 &&
		    hx_wait_fd(conn->fd, POLLIN, deadline) == 0)
			return;
	}
}

void hx_consume(struct hx_conn *conn, size_t n)
{
	if (n >= conn->in.len) {
		hx_buf_clear(&conn->in);
		return;
	}
	memmove(conn->in.data, conn->in.data + n, conn->in.len - n);
	conn->in.len -= n;
	conn->in.data[conn->in.len] = '\0';
}

int hx_shutdown_write(struct hx_check *c, struct hx_conn *conn)
{
	hx_recordf(c, conn->id, "half-close (shutdown SHUT_WR)");
	if (shutdown(conn->fd, SHUT_WR) < 0)
		return hx_fail(c, HX_FAIL, "shutdown: %s", strerror(errno));
	return 0;
}

void hx_reset(struct hx_check *c, struct hx_conn *conn)
{
	struct linger hard = {1, 0};

	if (conn->fd < 0)
		return;
	hx_recordf(c, conn->id, "reset (SO_LINGER 0, close)");
	/* without it close sends FIN, and the check would test a close */
	if (setsockopt(conn->fd, SOL_SOCKET, SO_LINGER, &hard, sizeof(hard)) <
	    0)
		hx_fail(c, HX_ERROR, "peer: setsockopt SO_LINGER: %s",
			strerror(errno));
	close(conn->fd);
	conn->fd = -1;
	hx_buf_free(&conn->in);
}

void hx_close(struct hx_check *c, struct hx_conn *conn)
{
	if (conn->fd < 0)
		return;
	(void)c;
	close(conn->fd);
	conn->fd = -1;
	hx_buf_free(&conn->in);
}

int hx_udp_open(struct hx_check *c, struct hx_conn *conn, const char *host,
		int port)
{
	struct sockaddr_storage addr;
	socklen_t len;
	int fd;

	fd = hx_open_socket(c, conn, host, port, SOCK_DGRAM, &addr, &len);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&addr, len) < 0) {
		int err = errno;

		hx_close(c, conn);
		return hx_cannot_bind(c, host, port, err);
	}
	return 0;
}

int hx_udp_send(struct hx_check *c, struct hx_conn *conn, const char *host,
		int port, const void *data, size_t len)
{
	struct sockaddr_storage addr;
	socklen_t alen;

	if (hx_address(host, port, &addr, &alen) < 0)
		return hx_fail(c, HX_ERROR, "bad peer address %s", host);
	if (sendto(conn->fd, data, len, 0, (struct sockaddr *)&addr, alen) < 0)
		return hx_fail(c, HX_ERROR, "sendto %s port %d: %s", host, port,
			       strerror(errno));
	hx_record(c, conn->id, '>', data, len);
	return 0;
}

long hx_udp_try_recv(struct hx_check *c, struct hx_conn *conn, int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);

	if (hx_wait_fd(conn->fd, POLLIN, deadline) <= 0)
		return -1;
	return hx_udp_recv(c, conn, 0);
}

int hx_udp_reply(struct hx_check *c, struct hx_conn *conn, const void *data,
		 size_t len)
{
	if (sendto(conn->fd, data, len, 0, (struct sockaddr *)&conn->peer,
		   conn->peer_len) < 0)
		return hx_fail(c, HX_ERROR, "sendto (reply): %s",
			       strerror(errno));
	hx_record(c, conn->id, '>', data, len);
	return 0;
}

int hx_wait_readable(struct hx_check *c, int fd, struct hx_proc *program,
		     const char *what, int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);
	int pidfd =
	    program ? (int)syscall(SYS_pidfd_open, program->pid, 0) : -1;
	int rc = 0;

	for (;;) {
		struct pollfd pfd[2] = {
		    {.fd = fd, .events = POLLIN},
		    {.fd = pidfd, .events = POLLIN},
		};
		int left = hx_remaining_ms(deadline);
		int n;

		if (program && pidfd < 0 && left > 10)
			left = 10; /* no pidfd: look at the program often */
		n = poll(pfd, 2, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0 && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			rc = 1;
			break;
		}
		if (program && !hx_proc_running(program)) {
			struct hx_buf how;

			hx_proc_pump(program, 0);
			hx_buf_init(&how);
			hx_proc_describe_end(program, &how);
			rc = hx_fail(
			    c,
			    WIFSIGNALED(program->wait_status) ? HX_CRASH
							      : HX_FAIL,
			    "%s ended (%s) %s", program->label, how.data, what);
			hx_buf_free(&how);
			break;
		}
		if (hx_remaining_ms(deadline) == 0)
			break;
	}
	if (pidfd >= 0)
		close(pidfd);
	return rc;
}

long hx_udp_recv(struct hx_check *c, struct hx_conn *conn, int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);
	char datagram[65536];

	for (;;) {
		ssize_t n;

		conn->peer_len = sizeof(conn->peer);
		n = recvfrom(conn->fd, datagram, sizeof(datagram), 0,
			     (struct sockaddr *)&conn->peer, &conn->peer_len);
		if (n >= 0) {
			hx_buf_clear(&conn->in);
			hx_buf_add(&conn->in, datagram, (size_t)n);
			hx_record(c, conn->id, '<', datagram, (size_t)n);
			return n;
		}
		if (errno != EAGAIN && errno != EINTR)
			return hx_fail(c, HX_ERROR, "recvfrom: %s",
				       strerror(errno));
		if (hx_wait_fd(conn->fd, POLLIN, deadline) == 0)
			return hx_fail(c, HX_TIMEOUT,
				       "no datagram came within %.1f s",
				       timeout_ms / 1000.0);
	}
}
