/* hx_check.c - verdicts, expectations, seeded randomness, transcripts. */
#define _GNU_SOURCE
#include "hx_check.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hx_time.h"

/* Peers may run in threads; the transcript is shared. */
static pthread_mutex_t record_lock = PTHREAD_MUTEX_INITIALIZER;

const char *hx_status_name(enum hx_status status)
{
	static const char *const names[] = {"pass",  "fail",  "timeout",
					    "crash", "error", "skipped"};

	if ((unsigned)status < sizeof(names) / sizeof(names[0]))
		return names[status];
	return "unknown";
}

const char *hx_cause_name(enum hx_cause cause)
{
	static const char *const names[] = {
	    "",	       "late-output", "descriptors", "leak",
	    "sigpipe", "crash",	      "sanitizer"};

	if ((unsigned)cause < sizeof(names) / sizeof(names[0]))
		return names[cause];
	return "";
}

const char *hx_cause_hint(enum hx_cause cause)
{
	switch (cause) {
	case HX_CAUSE_LATE_OUTPUT:
		return "stdout is a pipe here, not a terminal, so the C "
		       "library "
		       "keeps what you print in its buffer until it is full or "
		       "the program ends: call fflush(stdout) after each line "
		       "that must be seen at once (or setvbuf(stdout, NULL, "
		       "_IOLBF, 0) at the start).";
	case HX_CAUSE_DESCRIPTORS:
		return "every socket (and file) you open takes a descriptor "
		       "until you close it: close each connection on every "
		       "path, errors and early returns included; a process "
		       "that "
		       "runs out gets EMFILE (\"Too many open files\") from "
		       "accept, socket and open.";
	case HX_CAUSE_LEAK:
		return "memory allocated at the line named was never freed: "
		       "free what you allocate for a request or a client once "
		       "you are done with it, on every path (errors and early "
		       "returns too); memory that grows with each request runs "
		       "a server out in the end.";
	case HX_CAUSE_SIGPIPE:
		return "writing to a connection the peer has closed raises "
		       "SIGPIPE, which ends the process: ignore it once at the "
		       "start (signal(SIGPIPE, SIG_IGN), or send with "
		       "MSG_NOSIGNAL), then treat EPIPE and ECONNRESET from "
		       "write as the end of that one connection.";
	case HX_CAUSE_CRASH:
		return "the program crashed: run the same check with the "
		       "sanitizers (gcc -fsanitize=address,undefined -g) or "
		       "under gdb to see the line; look for a buffer written "
		       "past its end, a missing '\\0', a NULL pointer or "
		       "memory "
		       "used after free.";
	case HX_CAUSE_SANITIZER:
		return "the sanitizer's report names the line where memory was "
		       "misused and, below it, where that memory came from: "
		       "fix "
		       "the first report first, the others often follow from "
		       "it.";
	case HX_CAUSE_NONE:
		break;
	}
	return "";
}

void hx_set_cause(struct hx_check *c, enum hx_cause cause, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&record_lock);
	if (cause > c->cause) {
		c->cause = cause;
		hx_buf_clear(&c->cause_text);
		va_start(ap, fmt);
		hx_buf_vaddf(&c->cause_text, fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&record_lock);
}

void hx_check_init(struct hx_check *c, const char *id, uint64_t seed)
{
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->seed = seed;
	c->rng_state = seed ? seed : 0x9e3779b97f4a7c15ULL;
	c->isolated = 0;
	c->bin_dir = ".";
	c->work_dir = ".";
	c->started_ms = hx_now_ms();
	c->next_conn = 1;
	c->port_base = 9000;
	c->status = HX_PASS;
	c->diff_at = -1;
	hx_buf_init(&c->message);
	hx_buf_init(&c->expected);
	hx_buf_init(&c->actual);
	hx_buf_init(&c->notes);
	hx_buf_init(&c->memcheck);
	hx_buf_init(&c->cause_text);
}

static int hx_vfail(struct hx_check *c, enum hx_status status, const char *fmt,
		    va_list ap)
{
	pthread_mutex_lock(&record_lock);
	if (c->status == HX_PASS) {
		c->status = status;
		hx_buf_clear(&c->message);
		hx_buf_vaddf(&c->message, fmt, ap);
	}
	pthread_mutex_unlock(&record_lock);
	return -1;
}

int hx_fail(struct hx_check *c, enum hx_status status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hx_vfail(c, status, fmt, ap);
	va_end(ap);
	return -1;
}

int hx_fail_values(struct hx_check *c, enum hx_status status,
		   const void *expected, size_t expected_len,
		   const void *actual, size_t actual_len, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&record_lock);
	if (c->status == HX_PASS) {
		hx_buf_clear(&c->expected);
		hx_buf_clear(&c->actual);
		if (expected)
			hx_buf_add(&c->expected, expected, expected_len);
		if (actual)
			hx_buf_add(&c->actual, actual, actual_len);
	}
	pthread_mutex_unlock(&record_lock);
	va_start(ap, fmt);
	hx_vfail(c, status, fmt, ap);
	va_end(ap);
	return -1;
}

void hx_fail_show(struct hx_check *c, const void *expected, size_t expected_len,
		  const void *actual, size_t actual_len)
{
	pthread_mutex_lock(&record_lock);
	if (c->status != HX_PASS && expected) {
		hx_buf_clear(&c->expected);
		hx_buf_add(&c->expected, expected, expected_len);
	}
	if (c->status != HX_PASS && actual) {
		hx_buf_clear(&c->actual);
		hx_buf_add(&c->actual, actual, actual_len);
	}
	pthread_mutex_unlock(&record_lock);
}

void hx_fail_reword(struct hx_check *c, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&record_lock);
	if (c->status != HX_PASS) {
		hx_buf_clear(&c->message);
		va_start(ap, fmt);
		hx_buf_vaddf(&c->message, fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&record_lock);
}

void hx_fail_over(struct hx_check *c, enum hx_status status, const char *fmt,
		  ...)
{
	va_list ap;

	pthread_mutex_lock(&record_lock);
	if (c->status != HX_PASS && c->status != status) {
		hx_buf_addf(&c->notes, "(first seen as: %s)\n",
			    c->message.data ? c->message.data : "");
	}
	c->status = status;
	hx_buf_clear(&c->message);
	va_start(ap, fmt);
	hx_buf_vaddf(&c->message, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&record_lock);
}

int hx_skip(struct hx_check *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hx_vfail(c, HX_SKIPPED, fmt, ap);
	va_end(ap);
	return -1;
}

void hx_note(struct hx_check *c, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&record_lock);
	va_start(ap, fmt);
	hx_buf_vaddf(&c->notes, fmt, ap);
	va_end(ap);
	hx_buf_add(&c->notes, "\n", 1);
	pthread_mutex_unlock(&record_lock);
}

int hx_ok(const struct hx_check *c)
{
	return c->status == HX_PASS;
}

int hx_expect_bytes(struct hx_check *c, const char *what, const void *expected,
		    size_t expected_len, const void *actual, size_t actual_len)
{
	long at =
	    hx_first_difference(expected, expected_len, actual, actual_len);

	if (at < 0)
		return 0;
	if (!hx_ok(c))
		return -1;
	c->diff_at = at;
	if (actual_len == 0)
		return hx_fail_values(
		    c, HX_FAIL, expected, expected_len, actual, actual_len,
		    "%s: expected %zu bytes, got nothing", what, expected_len);
	if ((size_t)at == actual_len)
		return hx_fail_values(c, HX_FAIL, expected, expected_len,
				      actual, actual_len,
				      "%s: ends too early, after %zu of %zu "
				      "bytes",
				      what, actual_len, expected_len);
	if ((size_t)at == expected_len)
		return hx_fail_values(
		    c, HX_FAIL, expected, expected_len, actual, actual_len,
		    "%s: %zu unexpected bytes after the "
		    "expected %zu",
		    what, actual_len - expected_len, expected_len);
	return hx_fail_values(c, HX_FAIL, expected, expected_len, actual,
			      actual_len, "%s: differs from byte %ld on", what,
			      at);
}

int hx_expect_str(struct hx_check *c, const char *what, const char *expected,
		  const char *actual)
{
	if (!actual)
		actual = "";
	return hx_expect_bytes(c, what, expected, strlen(expected), actual,
			       strlen(actual));
}

int hx_expect_contains(struct hx_check *c, const char *what, const char *needle,
		       const char *haystack)
{
	if (!haystack)
		haystack = "";
	if (strstr(haystack, needle))
		return 0;
	struct hx_buf want;
	int rc;

	if (!hx_ok(c))
		return -1;
	hx_buf_init(&want);
	hx_buf_addf(&want, "text containing \"%s\"", needle);
	rc = hx_fail_values(c, HX_FAIL, want.data, want.len, haystack,
			    strlen(haystack), "%s: does not contain \"%s\"",
			    what, needle);
	hx_buf_free(&want);
	return rc;
}

int hx_expect_int(struct hx_check *c, const char *what, long expected,
		  long actual)
{
	if (expected == actual)
		return 0;
	char want[32], got[32];

	if (!hx_ok(c))
		return -1;
	snprintf(want, sizeof(want), "%ld", expected);
	snprintf(got, sizeof(got), "%ld", actual);
	return hx_fail_values(c, HX_FAIL, want, strlen(want), got, strlen(got),
			      "%s: expected %ld, got %ld", what, expected,
			      actual);
}

uint64_t hx_random(struct hx_check *c)
{
	uint64_t x = c->rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	c->rng_state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

long hx_random_between(struct hx_check *c, long low, long high)
{
	if (high <= low)
		return low;
	return low + (long)(hx_random(c) % (uint64_t)(high - low + 1));
}

int hx_free_port(void)
{
	struct sockaddr_in addr = {.sin_family = AF_INET};
	socklen_t len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int port = -1;

	if (fd < 0)
		return -1;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&addr, &len) == 0)
		port = ntohs(addr.sin_port);
	close(fd);
	return port;
}

int hx_port(struct hx_check *c, int n)
{
	static int chosen[16];

	if (c->isolated || n < 0 || n >= 16)
		return c->port_base + n;
	if (!chosen[n])
		chosen[n] = hx_free_port();
	return chosen[n];
}

void hx_record(struct hx_check *c, int conn, char dir, const void *data,
	       size_t len)
{
	struct hx_event *e;

	pthread_mutex_lock(&record_lock);
	if (c->nevents == c->capevents) {
		int cap = c->capevents ? c->capevents * 2 : 64;
		struct hx_event *grown =
		    realloc(c->events, (size_t)cap * sizeof(*grown));

		if (!grown)
			goto out_unlock;
		c->events = grown;
		c->capevents = cap;
	}
	e = &c->events[c->nevents++];
	e->at_ms = hx_now_ms() - c->started_ms;
	e->conn = conn;
	e->dir = dir;
	hx_buf_init(&e->bytes);
	hx_buf_add(&e->bytes, data, len);
out_unlock:
	pthread_mutex_unlock(&record_lock);
}

void hx_recordf(struct hx_check *c, int conn, const char *fmt, ...)
{
	struct hx_buf text;
	va_list ap;

	hx_buf_init(&text);
	va_start(ap, fmt);
	hx_buf_vaddf(&text, fmt, ap);
	va_end(ap);
	hx_record(c, conn, '*', text.data ? text.data : "", text.len);
	hx_buf_free(&text);
}

int hx_transcript_render(const struct hx_check *c, struct hx_buf *out)
{
	for (int i = 0; i < c->nevents; i++) {
		const struct hx_event *e = &c->events[i];
		const char *who = e->dir == '>'	  ? "sent"
				  : e->dir == '<' ? "recv"
						  : "note";

		hx_buf_addf(out, "%6.3f ", (double)e->at_ms / 1000.0);
		if (e->conn)
			hx_buf_addf(out, "conn %d ", e->conn);
		if (e->dir == '*') {
			hx_buf_addf(out, "%s %s\n", who,
				    e->bytes.data ? e->bytes.data : "");
			continue;
		}
		hx_buf_addf(out, "%s %zu bytes \"", who, e->bytes.len);
		hx_escape_cut(out, e->bytes.data, e->bytes.len, 240);
		hx_buf_add(out, "\"\n", 2);
	}
	return 0;
}

void hx_quiet_begin(struct hx_check *quiet, const struct hx_check *c)
{
	hx_check_init(quiet, c->id, c->seed);
	quiet->port_base = c->port_base;
	quiet->isolated = c->isolated;
	quiet->started_ms = c->started_ms;
	quiet->bin_dir = c->bin_dir;
	quiet->work_dir = c->work_dir;
	quiet->next_conn = c->next_conn;
	quiet->verbose = c->verbose;
}

void hx_quiet_end(struct hx_check *c, struct hx_check *quiet)
{
	for (int i = 0; i < quiet->nevents; i++) {
		const struct hx_event *e = &quiet->events[i];

		hx_record(c, e->conn, e->dir,
			  e->bytes.data ? e->bytes.data : "", e->bytes.len);
		c->events[c->nevents - 1].at_ms = e->at_ms;
	}
	/* its processes end with c's */
	for (int i = 0; i < quiet->nprocs && c->nprocs < HX_MAX_PROCS; i++)
		c->procs[c->nprocs++] = quiet->procs[i];
	quiet->nprocs = 0;
	c->next_conn = quiet->next_conn;
	hx_check_free_verdict(quiet);
}

void hx_check_free_verdict(struct hx_check *c)
{
	for (int i = 0; i < c->nevents; i++)
		hx_buf_free(&c->events[i].bytes);
	free(c->events);
	c->events = NULL;
	c->nevents = c->capevents = 0;
	hx_buf_free(&c->message);
	hx_buf_free(&c->expected);
	hx_buf_free(&c->actual);
	hx_buf_free(&c->notes);
	hx_buf_free(&c->memcheck);
	hx_buf_free(&c->cause_text);
}
