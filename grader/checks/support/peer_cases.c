/* peer_cases.c - lab 13: format_peer's tests, one group at a time.
 *
 * usage: peer-cases GROUP
 *
 * Linked with the student's sockets.c. GROUP is inet (AF_INET and
 * AF_INET6 addresses, IPv4-mapped ones among them) or unix (paths,
 * abstract names, unnamed sockets). Each case builds an address as
 * getpeername would give it, in a buffer of exactly its own size, and
 * calls format_peer with an output buffer of exactly the size asked for,
 * both from malloc: a byte read or written past either is a heap
 * overflow that AddressSanitizer (or Valgrind) reports.
 *
 * Prints "ok NAME" for a case that passed, "case failed: NAME: reason"
 * for one that did not, and last "cases: N run, F failed".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "dual.h"

#define LONG_IPV6 "fd13:1313:1313:1313:1313:1313:1313:1313" /* 39 bytes */

static int run_count;	 /* cases run */
static int failed_count; /* cases failed */

/* Prints text with its invisible bytes escaped, between quotes. */
static void print_quoted(const char *text, size_t len)
{
	putchar('"');
	for (size_t i = 0; i < len; i++) {
		unsigned char b = (unsigned char)text[i];

		if (b == '"' || b == '\\')
			printf("\\%c", b);
		else if (b >= 32 && b < 127)
			putchar(b);
		else
			printf("\\x%02x", b);
	}
	putchar('"');
}

/* 1 when format_peer's answer (got, and out of size bytes) is want, or
 * -1 when want is NULL. */
static int answered(const char *want, int got, const char *out, size_t size)
{
	if (!want)
		return got == -1;
	return got == (int)strlen(want) && (size_t)got < size &&
	       memcmp(out, want, (size_t)got + 1) == 0;
}

/* Calls format_peer on a copy of addr (in a block of exactly block
 * bytes, told len) with an output block of size bytes; want is the text
 * expected, or NULL when -1 is. */
static void expect_told(const char *name, const void *addr, size_t block,
			socklen_t len, size_t size, const char *want)
{
	void *copy = malloc(block);
	char *out = malloc(size);
	int got;

	run_count++;
	if (!copy || !out) {
		printf("case failed: %s: out of memory in the test driver\n",
		       name);
		failed_count++;
		goto out_free;
	}
	memcpy(copy, addr, block);
	memset(out, '#', size);
	got = format_peer(copy, len, out, size);
	if (answered(want, got, out, size)) {
		printf("ok %s\n", name);
		goto out_free;
	}
	failed_count++;
	printf("case failed: %s: expected ", name);
	if (want) {
		print_quoted(want, strlen(want));
		printf(" (returns %zu)", strlen(want));
	} else {
		printf("-1 (the text and its '\\0' need more than %zu bytes)",
		       size);
	}
	if (got < 0 || (size_t)got >= size) {
		printf(", got %d\n", got);
	} else {
		printf(", got ");
		print_quoted(out, strnlen(out, size));
		printf(" (returns %d)\n", got);
	}
out_free:
	free(copy);
	free(out);
}

/* The usual case: the block is the len bytes getpeername filled. */
static void expect(const char *name, const void *addr, socklen_t len,
		   size_t size, const char *want)
{
	expect_told(name, addr, len, len, size, want);
}

static struct sockaddr_in ipv4(const char *text, int port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, text, &a.sin_addr);
	return a;
}

static struct sockaddr_in6 ipv6(const char *text, int port)
{
	struct sockaddr_in6 a;

	memset(&a, 0, sizeof(a));
	a.sin6_family = AF_INET6;
	a.sin6_port = htons((uint16_t)port);
	inet_pton(AF_INET6, text, &a.sin6_addr);
	return a;
}

/* "IPv6 TEXT port N" with TEXT as this machine's inet_ntop writes it. */
static const char *ipv6_text(const struct sockaddr_in6 *a, char *out,
			     size_t size)
{
	char text[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof(text));
	snprintf(out, size, "IPv6 %s port %u", text,
		 (unsigned)ntohs(a->sin6_port));
	return out;
}

static void inet_cases(void)
{
	struct sockaddr_in v4 = ipv4("127.0.0.1", 40312);
	struct sockaddr_in v4b = ipv4("10.20.30.40", 1);
	struct sockaddr_in6 mapped = ipv6("::ffff:127.0.0.1", 65535);
	struct sockaddr_in6 mapped_b = ipv6("::ffff:192.0.2.33", 513);
	struct sockaddr_in6 loop = ipv6("::1", 9);
	struct sockaddr_in6 wide = ipv6(LONG_IPV6, 40312);
	struct sockaddr_in6 translated = ipv6("::ffff:0:127.0.0.1", 80);
	struct sockaddr_in6 compat = ipv6("::127.0.0.1", 80);
	struct sockaddr_in6 scoped = ipv6("fe80::1", 22);
	struct sockaddr other;
	char want[PEER_TEXT_MAX];

	expect("AF_INET 127.0.0.1 port 40312", &v4, sizeof(v4), PEER_TEXT_MAX,
	       "IPv4 127.0.0.1 port 40312");
	expect("AF_INET 10.20.30.40 port 1", &v4b, sizeof(v4b), PEER_TEXT_MAX,
	       "IPv4 10.20.30.40 port 1");
	expect("AF_INET6 ::ffff:127.0.0.1 port 65535 (IPv4-mapped)", &mapped,
	       sizeof(mapped), PEER_TEXT_MAX, "IPv4 127.0.0.1 port 65535");
	expect("AF_INET6 ::ffff:192.0.2.33 port 513 (IPv4-mapped)", &mapped_b,
	       sizeof(mapped_b), PEER_TEXT_MAX, "IPv4 192.0.2.33 port 513");
	expect("AF_INET6 ::1 port 9", &loop, sizeof(loop), PEER_TEXT_MAX,
	       "IPv6 ::1 port 9");
	expect("AF_INET6 " LONG_IPV6 " port 40312 (39 characters)", &wide,
	       sizeof(wide), PEER_TEXT_MAX, "IPv6 " LONG_IPV6 " port 40312");
	expect("AF_INET6 fe80::1 port 22", &scoped, sizeof(scoped),
	       PEER_TEXT_MAX, "IPv6 fe80::1 port 22");
	/* Not mapped, though their text looks alike: ::ffff:0:0/96 is
	 * another prefix, and ::a.b.c.d the old "compatible" form. */
	expect("AF_INET6 ::ffff:0:127.0.0.1 port 80 (not IPv4-mapped)",
	       &translated, sizeof(translated), PEER_TEXT_MAX,
	       ipv6_text(&translated, want, sizeof(want)));
	expect("AF_INET6 ::127.0.0.1 port 80 (not IPv4-mapped)", &compat,
	       sizeof(compat), PEER_TEXT_MAX,
	       ipv6_text(&compat, want, sizeof(want)));
	/* The output's size: the text and its '\0' fit exactly, or not. */
	expect("AF_INET 127.0.0.1 port 40312 into 26 bytes (exactly)", &v4,
	       sizeof(v4), 26, "IPv4 127.0.0.1 port 40312");
	expect("AF_INET 127.0.0.1 port 40312 into 25 bytes (one short)", &v4,
	       sizeof(v4), 25, NULL);
	expect("AF_INET6 ::ffff:127.0.0.1 port 65535 into 26 bytes (exactly)",
	       &mapped, sizeof(mapped), 26, "IPv4 127.0.0.1 port 65535");
	expect("AF_INET6 ::ffff:127.0.0.1 port 65535 into 25 bytes (one short)",
	       &mapped, sizeof(mapped), 25, NULL);
	expect("AF_INET6 " LONG_IPV6 " port 40312 into 56 bytes (exactly)",
	       &wide, sizeof(wide), 56, "IPv6 " LONG_IPV6 " port 40312");
	expect("AF_INET6 " LONG_IPV6 " port 40312 into 55 bytes (one short)",
	       &wide, sizeof(wide), 55, NULL);
	expect("AF_INET6 ::1 port 9 into 1 byte", &loop, sizeof(loop), 1, NULL);
	memset(&other, 0, sizeof(other));
	other.sa_family = AF_UNSPEC;
	expect("AF_UNSPEC (no family)", &other, sizeof(other), PEER_TEXT_MAX,
	       NULL);
}

/* An AF_UNIX address whose sun_path starts with name (n bytes, no '\0'
 * added) and is filled up with 'X' after it; len as given. */
static void unix_case(const char *title, const char *name, size_t n,
		      socklen_t len, size_t size, const char *want)
{
	struct sockaddr_un a;

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memset(a.sun_path, 'X', sizeof(a.sun_path));
	memcpy(a.sun_path, name, n);
	expect(title, &a, len, size, want);
}

static void unix_cases(void)
{
	size_t family = offsetof(struct sockaddr_un, sun_path);
	char path107[108], path108[109], want[PEER_TEXT_MAX];
	struct sockaddr_un whole;

	memset(path107, 'p', sizeof(path107));
	memcpy(path107, "/work/", 6);
	path107[107] = '\0';
	memset(path108, 'q', sizeof(path108));
	path108[108] = '\0';

	unix_case("unnamed (len is the family's 2 bytes)", "", 0,
		  (socklen_t)family, PEER_TEXT_MAX, "unix (unnamed)");
	unix_case("path client.sock with its '\\0'", "client.sock", 12,
		  (socklen_t)(family + 12), PEER_TEXT_MAX, "unix client.sock");
	unix_case("path client.sock, len without a '\\0', 'X' after it",
		  "client.sock", 11, (socklen_t)(family + 11), PEER_TEXT_MAX,
		  "unix client.sock");
	unix_case("path a.sock, len the whole sockaddr_un", "a.sock", 7,
		  (socklen_t)sizeof(struct sockaddr_un), PEER_TEXT_MAX,
		  "unix a.sock");
	snprintf(want, sizeof(want), "unix %s", path107);
	unix_case("path of 107 bytes and its '\\0'", path107, 108,
		  (socklen_t)(family + 108), PEER_TEXT_MAX, want);
	unix_case("path of 107 bytes into 113 bytes (exactly)", path107, 108,
		  (socklen_t)(family + 108), 113, want);
	unix_case("path of 107 bytes into 112 bytes (one short)", path107, 108,
		  (socklen_t)(family + 108), 112, NULL);
	snprintf(want, sizeof(want), "unix %s", path108);
	unix_case("path of 108 bytes, no '\\0' (len 110)", path108, 108,
		  (socklen_t)(family + 108), PEER_TEXT_MAX, want);
	/* the kernel counts a '\0' that is not there: told 111 bytes,
	 * while sockaddr_un holds 110 */
	memset(&whole, 0, sizeof(whole));
	whole.sun_family = AF_UNIX;
	memcpy(whole.sun_path, path108, sizeof(whole.sun_path));
	expect_told("path of 108 bytes, no '\\0', len 111 as the kernel says",
		    &whole, sizeof(whole), (socklen_t)(sizeof(whole) + 1),
		    PEER_TEXT_MAX, want);
	unix_case("abstract @lab13-abstract", "\0lab13-abstract", 15,
		  (socklen_t)(family + 15), PEER_TEXT_MAX,
		  "unix @lab13-abstract");
	unix_case("abstract @a", "\0a", 2, (socklen_t)(family + 2),
		  PEER_TEXT_MAX, "unix @a");
	unix_case("unnamed into 15 bytes (exactly)", "", 0, (socklen_t)family,
		  15, "unix (unnamed)");
	unix_case("unnamed into 14 bytes (one short)", "", 0, (socklen_t)family,
		  14, NULL);
}

int main(int argc, char **argv)
{
	char token[64] = "";

	/* First, before any of the student's code runs: the harness's
	 * token for this run, which only the last line carries. */
	if (!fgets(token, sizeof(token), stdin))
		token[0] = '\0';
	token[strcspn(token, "\n")] = '\0';
	if (argc != 2 ||
	    (strcmp(argv[1], "inet") != 0 && strcmp(argv[1], "unix") != 0)) {
		fprintf(stderr, "usage: peer-cases inet|unix\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(argv[1], "inet") == 0)
		inet_cases();
	else
		unix_cases();
	printf("cases: %d run, %d failed, token %s\n", run_count, failed_count,
	       token);
	return failed_count ? 1 : 0;
}
