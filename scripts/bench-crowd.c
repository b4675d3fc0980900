/* bench-crowd.c - the harness's crowd as a command, for
 * scripts/bench-12-event-loop.sh: how many clients an echo server holds
 * at once, each one served.
 *
 *   bench-crowd PORT MAX STEP
 *	connects clients to 127.0.0.1:PORT, STEP at a time (each served
 *	before the next batch), up to MAX; after every STEP clients, all
 *	of them send a line at once and must all get it back.
 *
 * Prints one line: "held N ms T" (N clients connected and served at
 * once when it stopped, T milliseconds it took), and the first failure,
 * if any, on stderr.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "../harness/hx_crowd.h"
#include "../harness/hx_time.h"

#define BATCH	    50	  /* connected, then served, at a time */
#define TIMEOUT_MS  20000 /* one batch, or one round of echoes */
#define SPARE_FILES 64	  /* descriptors beyond the crowd's */

int main(int argc, char **argv)
{
	struct hx_crowd crowd;
	char err[256];
	int port, max, step, held = 0, round = 1;
	int64_t start;

	if (argc != 4 || (port = atoi(argv[1])) <= 0 ||
	    (max = atoi(argv[2])) <= 0 || (step = atoi(argv[3])) <= 0) {
		fprintf(stderr, "usage: bench-crowd PORT MAX STEP\n");
		return 1;
	}
	if (hx_raise_files(max + SPARE_FILES, err, sizeof(err)) < 0)
		fprintf(stderr, "bench-crowd: %s\n", err);
	hx_crowd_init(&crowd, "127.0.0.1", port);
	start = hx_now_ms();
	while (held < max) {
		int n = max - held < step ? max - held : step;

		if (hx_crowd_grow(&crowd, n, BATCH, TIMEOUT_MS) < 0 ||
		    hx_crowd_echo(&crowd, ++round, TIMEOUT_MS) < 0) {
			fprintf(stderr, "bench-crowd: after %d clients: %s\n",
				held, crowd.error);
			break;
		}
		held = crowd.count;
	}
	printf("held %d ms %lld\n", held, (long long)(hx_now_ms() - start));
	hx_crowd_close(&crowd);
	return 0;
}
