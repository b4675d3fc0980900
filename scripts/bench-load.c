/* bench-load.c - the harness's load generator and plain echo server as a
 * command, for scripts/bench-11-thread-pool.sh.
 *
 *   bench-load echo PORT
 *	serves the plain echo until SIGTERM or SIGINT
 *   bench-load lines PORT CLIENTS LINES BYTES PAUSE_US MS
 *	the echo load against 127.0.0.1:PORT for MS milliseconds
 *   bench-load request PORT CLIENTS PAUSE_US MS REQUEST
 *	the request load (one request, the answer to EOF, per connection)
 *
 * A load prints one line: "answers N connections N failures N ms N
 * rate R" (answers per second), and the first failure on stderr.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness/hx_load.h"

static volatile sig_atomic_t stop_requested = 0;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int serve_echo(int port)
{
	struct hx_echo_server s;
	struct sigaction sa;
	char err[256];
	sigset_t none;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (hx_echo_start(&s, "127.0.0.1", port, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench-load: %s\n", err);
		return 2;
	}
	sigemptyset(&none);
	while (!stop_requested)
		sigsuspend(&none);
	hx_echo_stop(&s);
	return 0;
}

static int run_load(const struct hx_load_plan *plan)
{
	struct hx_load_result r;

	if (hx_load_run(plan, &r) < 0) {
		fprintf(stderr, "bench-load: %s\n", r.error);
		return 2;
	}
	printf("answers %ld connections %ld failures %ld ms %lld rate %.0f\n",
	       r.answers, r.connections, r.failures, (long long)r.elapsed_ms,
	       hx_load_rate(&r));
	if (r.error[0])
		fprintf(stderr, "bench-load: first failure: %s\n", r.error);
	return 0;
}

int main(int argc, char **argv)
{
	struct hx_load_plan plan = {.host = "127.0.0.1", .timeout_ms = 5000};

	signal(SIGPIPE, SIG_IGN);
	if (argc == 3 && strcmp(argv[1], "echo") == 0)
		return serve_echo(atoi(argv[2]));
	if (argc == 8 && strcmp(argv[1], "lines") == 0) {
		plan.port = atoi(argv[2]);
		plan.clients = atoi(argv[3]);
		plan.lines_per_connection = atoi(argv[4]);
		plan.line_bytes = atoi(argv[5]);
		plan.pause_us = atoi(argv[6]);
		plan.duration_ms = atoi(argv[7]);
		return run_load(&plan);
	}
	if (argc == 7 && strcmp(argv[1], "request") == 0) {
		plan.port = atoi(argv[2]);
		plan.clients = atoi(argv[3]);
		plan.pause_us = atoi(argv[4]);
		plan.duration_ms = atoi(argv[5]);
		plan.request = argv[6];
		return run_load(&plan);
	}
	fprintf(stderr, "usage: bench-load echo PORT\n"
			"       bench-load lines PORT CLIENTS LINES BYTES "
			"PAUSE_US MS\n"
			"       bench-load request PORT CLIENTS PAUSE_US MS "
			"REQUEST\n");
	return 1;
}
