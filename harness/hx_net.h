/* hx_net.h - peers: the harness's side of every connection.
 *
 * The check itself plays the peer (or several, one after another), or runs
 * peers in threads when they must act at once. Every byte sent and received
 * goes into the check's transcript. Every call has a deadline.
 */
#ifndef HX_NET_H
#define HX_NET_H

#include <stddef.h>
#include <sys/socket.h>

#include "hx_check.h"
#include "hx_proc.h"

enum hx_proto { HX_TCP, HX_UDP };

/* How a peer cuts what it sends. */
enum hx_split {
	HX_WHOLE, /* one send */
	HX_BYTES, /* one byte per send */
	HX_RANDOM /* random pieces of 1..max_piece bytes, from the seed */
};

struct hx_plan {
	enum hx_split split; /* how to cut the data */
	int max_piece;	     /* largest piece for HX_RANDOM (default 7) */
	int delay_ms;	     /* pause between pieces, 0 for none */
};

struct hx_conn {
	int fd;			      /* the socket, -1 when closed */
	int id;			      /* connection number in the transcript */
	int eof;		      /* 1 once the other side closed */
	int reset;		      /* 1 if the other side reset */
	struct hx_buf in;	      /* bytes received and not yet consumed */
	struct sockaddr_storage peer; /* last sender (UDP) */
	socklen_t peer_len;	      /* size of peer */
};

/* Waits until a socket of proto is bound (UDP) or listening (TCP) on port
 * in this network namespace, polling with backoff. Fails at once if
 * server exits first, naming how it ended. */
int hx_wait_ready(struct hx_check *c, struct hx_proc *server,
		  enum hx_proto proto, int port, int timeout_ms);

/* Starts a server program with args and waits for it to be ready. */
struct hx_proc *hx_start_server(struct hx_check *c, const char *program,
				const char *const *args, enum hx_proto proto,
				int port, int timeout_ms);

/* The labs' convention: starts "program PORT more_args..." labelled label
 * (NULL: the program's name) and waits until it is ready on port. */
struct hx_proc *hx_start_server_on(struct hx_check *c, const char *label,
				   const char *program, enum hx_proto proto,
				   int port, const char *const *more_args,
				   int timeout_ms);

/* Starts "program PORT more_args..." twice, stopping it once with SIGTERM
 * and once with SIGINT while it waits: each must exit with status 0. */
int hx_expect_server_stops(struct hx_check *c, const char *program,
			   enum hx_proto proto, int port,
			   const char *const *more_args, int timeout_ms);

/* TCP client peer: connects to host:port (numeric address). */
int hx_tcp_connect(struct hx_check *c, struct hx_conn *conn, const char *host,
		   int port, int timeout_ms);
/* TCP server peer: a listening socket on host:port, and accepting on it. */
int hx_tcp_listen(struct hx_check *c, struct hx_conn *listener,
		  const char *host, int port);
int hx_tcp_accept(struct hx_check *c, struct hx_conn *listener,
		  struct hx_conn *conn, int timeout_ms);

/* Sends len bytes cut by plan (NULL: whole). A reset by the other side is
 * reported as a failure. */
int hx_send(struct hx_check *c, struct hx_conn *conn, const void *data,
	    size_t len, const struct hx_plan *plan);
int hx_send_str(struct hx_check *c, struct hx_conn *conn, const char *text,
		const struct hx_plan *plan);

/* Receives into conn->in until it holds delim; returns the length up to
 * and including delim, or -1 (timeout, EOF first). */
long hx_recv_until(struct hx_check *c, struct hx_conn *conn, const char *delim,
		   int timeout_ms);
/* Receives until the other side closes or max bytes; 0 or -1. */
int hx_recv_all(struct hx_check *c, struct hx_conn *conn, size_t max,
		int timeout_ms);
/* Receives whatever arrives within timeout_ms, without failing. */
void hx_recv_for(struct hx_check *c, struct hx_conn *conn, int timeout_ms);
/* Removes n bytes from the front of conn->in. */
void hx_consume(struct hx_conn *conn, size_t n);

/* Half-close (FIN, keep reading), abortive close (RST), plain close. */
int hx_shutdown_write(struct hx_check *c, struct hx_conn *conn);
void hx_reset(struct hx_check *c, struct hx_conn *conn);
void hx_close(struct hx_check *c, struct hx_conn *conn);

/* UDP peer: a socket bound to host:port (port 0: any). */
int hx_udp_open(struct hx_check *c, struct hx_conn *conn, const char *host,
		int port);
int hx_udp_send(struct hx_check *c, struct hx_conn *conn, const char *host,
		int port, const void *data, size_t len);
/* Receives one datagram into conn->in (replacing it); sender in peer.
 * Returns its length, or -1 on timeout. */
long hx_udp_recv(struct hx_check *c, struct hx_conn *conn, int timeout_ms);

/* Like hx_udp_recv, but a timeout is an answer, not a failure: returns
 * the datagram's length, or -1 when none came within timeout_ms. */
long hx_udp_try_recv(struct hx_check *c, struct hx_conn *conn, int timeout_ms);
/* Sends a datagram back to the sender of the last one received. */
int hx_udp_reply(struct hx_check *c, struct hx_conn *conn, const void *data,
		 size_t len);

/* Waits until fd is readable (data, a connection to accept, EOF) while
 * watching program: 1 readable; 0 timeout (not a failure); -1 when the
 * program ended first (a failure saying how it ended and what it did not
 * do: "without connecting to 127.0.0.1 port 9000"). */
int hx_wait_readable(struct hx_check *c, int fd, struct hx_proc *program,
		     const char *what, int timeout_ms);

#endif
