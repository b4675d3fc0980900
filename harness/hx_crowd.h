/* hx_crowd.h - many connections to one echo server, held open at once.
 *
 * The load generator (hx_load.h) measures a rate with a few busy
 * clients; a crowd measures how many clients a server holds: thousands
 * of connections, opened a batch at a time, each of which must stay
 * connected and keep being served. Everything is done from the calling
 * thread with non-blocking sockets and poll, so a crowd of ten thousand
 * costs ten thousand descriptors and no thread.
 *
 * Each connection has a number, 0 to count - 1, and says so in every
 * line it sends ("crowd 17 round 2\n"): an echo that comes back to the
 * wrong connection, or mixed with another's, shows. Nothing is recorded
 * in a transcript (thousands of lines would bury it); the caller records
 * a summary. Every wait has a deadline; the library never prints and
 * never exits.
 */
#ifndef HX_CROWD_H
#define HX_CROWD_H

#include <stddef.h>

#define HX_CROWD_LINE 48 /* longest line a crowd sends, "\n" included */

struct hx_crowd {
	char host[64];	 /* numeric IPv4 address of the server */
	int port;	 /* its port */
	int *fds;	 /* the connections, -1 once closed */
	int count;	 /* connections opened (fds in use) */
	int slots;	 /* fds allocated */
	char error[256]; /* the first failure of the last call, "" if none */
};

/* An empty crowd for host:port (a numeric IPv4 address). */
void hx_crowd_init(struct hx_crowd *cr, const char *host, int port);

/* Opens n more connections, batch at a time: each batch connects, sends
 * each new connection its first line and waits for every echo before
 * the next batch starts, so the server's backlog never overflows and
 * every connection is known to be served. 0, or -1 with cr->error naming
 * the first connection that failed and how (the ones opened stay open,
 * counted in cr->count). */
int hx_crowd_grow(struct hx_crowd *cr, int n, int batch, int timeout_ms);

/* Every open connection sends its own line of round at once, and every
 * echo must come back exact within timeout_ms (the whole round). 0, or
 * -1 with cr->error naming the first connection that failed. */
int hx_crowd_echo(struct hx_crowd *cr, int round, int timeout_ms);

/* Closes every connection and frees the crowd. */
void hx_crowd_close(struct hx_crowd *cr);

/* Raises this process's soft RLIMIT_NOFILE to at least want, within its
 * hard limit. 0, or -1 with a message saying what the hard limit is. */
int hx_raise_files(int want, char *err, size_t errlen);

#endif
