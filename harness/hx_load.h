/* hx_load.h - a load generator for the concurrency labs, and a plain echo
 * server to compare with.
 *
 * The load is a number of client threads, each connecting again and
 * again, for a fixed time: on each connection it sends lines one at a
 * time, waits for each to come back whole and exact, and closes after a
 * number of lines; or, in request mode, it sends one request and reads
 * the answer until the server closes (HTTP/1.0). Between lines and after
 * each close it pauses (a client's think time): a server then meets each
 * new connection with its workers idle, and how fast it hands one to a
 * worker shows. What it measures is how many answers came back in that
 * time. A throughput is only ever compared with another measured in the
 * same run, on the same machine, under the same load: the ratio means
 * something, the rate alone does not.
 *
 * The echo server is the simplest thing that serves the load: a thread
 * per connection, sending back whatever arrives. It is the yardstick
 * ("a plain loopback echo") a student's server is measured against.
 *
 * Neither records a transcript (thousands of lines would bury it); the
 * caller records a summary. Every wait has a deadline; the library never
 * prints and never exits.
 */
#ifndef HX_LOAD_H
#define HX_LOAD_H

#include <pthread.h>
#include <stdint.h>

#define HX_LOAD_MAX_CLIENTS 64	 /* client threads of one run */
#define HX_LOAD_MAX_LINE    4096 /* longest line of the echo load */

struct hx_load_plan {
	const char *host;	  /* numeric IPv4 address of the server */
	int port;		  /* its port */
	int clients;		  /* client threads at once, 1 to 64 */
	int lines_per_connection; /* lines sent on a connection before it
				     closes (echo mode) */
	int line_bytes;		  /* bytes of a line, "\n" included, 16 to
				     HX_LOAD_MAX_LINE (echo mode) */
	int pause_us;		  /* think time after each answer but a
				     connection's last, and after each
				     close: then no connection waits for
				     a worker that could be taking it */
	int duration_ms;	  /* how long the load runs (unscaled: the
				     test is about time) */
	int timeout_ms;		  /* longest wait for a connect or an
				     answer (scaled) */
	const char *request;	  /* NULL: echo mode; else sent once per
				     connection, and the answer read until
				     the server closes */
};

struct hx_load_result {
	long answers;	    /* lines echoed exactly, or requests answered */
	long connections;   /* connections that did all they were meant to */
	long failures;	    /* connections that failed: refused, reset,
			       closed early, a wrong answer, a timeout */
	int64_t elapsed_ms; /* from the start of the first client to the
			       end of the last */
	char error[256];    /* the first failure, "" if none */
};

/* Runs the plan; fills result. Returns 0 when the load ran (failures or
 * not: they are counted), -1 when it could not start (bad plan, no
 * threads), with result->error saying why. */
int hx_load_run(const struct hx_load_plan *plan, struct hx_load_result *result);

/* Answers per second, 0 when nothing ran. */
double hx_load_rate(const struct hx_load_result *result);

/* The plain echo server: a listening socket and its accept thread. */
struct hx_echo_server {
	int listen_fd;	      /* -1 when not running */
	int port;	      /* the port it listens on */
	int stop_pipe[2];     /* readable once it must stop */
	pthread_t acceptor;   /* accepts, and starts a thread per client */
	pthread_mutex_t lock; /* guards active */
	pthread_cond_t idle;  /* signalled when active drops to 0 */
	int active;	      /* connection threads running */
};

/* Starts the echo server on host:port (port 0: a free one, written back
 * in s->port). Returns 0, or -1 with a message naming the call. */
int hx_echo_start(struct hx_echo_server *s, const char *host, int port,
		  char *err, size_t errlen);

/* Stops it: no more accepts, every connection closed, every thread
 * ended. */
void hx_echo_stop(struct hx_echo_server *s);

#endif
