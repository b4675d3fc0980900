/* 03-udp-echo.c - lab 03: datagrams.
 *
 * The server sends every datagram back to its sender, byte for byte; the
 * client sends one datagram, waits for the reply with a timeout, tries
 * again a given number of times, and prints the reply followed by "\n".
 * Server checks play clients with harness UDP sockets on loopback; client
 * checks play the server (support/03-udp-echo-peers.c): silent, late,
 * answering a later try, from IPv6, or after strays from elsewhere.
 *
 * UDP has no pieces: a datagram arrives whole or not at all. The lab's
 * "input in pieces" checks therefore send several datagrams: the server
 * must echo each on its own (burst), and the client must take the first
 * datagram from the server as the whole reply (client-pieces). Timeouts
 * of 1000 ms and more are run too (client-long-timeout, client-defaults):
 * a struct timeval whose tv_usec overflows shows only there. The rules of
 * the handout and the check that exercises each are listed in
 * rules/03-udp-echo.md. The rubric is the table at the end of this file.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../sl_lab.h"

#define LARGEST_DATAGRAM  65507 /* 65535 - 20 (IPv4 header) - 8 (UDP) */
#define BURST		  5	/* datagrams sent back to back */
#define TWO_CLIENT_ROUNDS 3	/* rounds of the two interleaved clients */
#define HIGHEST_PORT	  65535 /* PORT's limit, accepted */

/* The client's arguments in client checks, and how its timeouts are set. */
#define MESSAGE		"hello, server"
#define CLIENT_TIMEOUT	"500" /* one try's timeout when a reply comes */
#define SILENT_TIMEOUT	300   /* one try's timeout when none comes */
#define SILENT_RETRIES	2     /* retries asked for in the retries check */
#define LONG_TIMEOUT	1200  /* a timeout of more than a second */
#define DEFAULT_TIMEOUT 1000  /* TIMEOUT_MS when it is left out */
#define DEFAULT_RETRIES 2     /* RETRIES when it is left out */
#define UNKNOWN_HOST	"no-such-host.invalid" /* RFC 6761: never resolves */

#include "support/03-udp-echo-peers.c"

/* A datagram of len bytes made of numbered lines, so a cut shows where it
 * happened; no NUL byte, which is the binary checks' business. */
static void fill_lines(char *data, size_t len, const char *what)
{
	size_t used = 0;

	for (int line = 1; used < len; line++) {
		char text[64];
		int n = snprintf(text, sizeof(text), "%05d %s\n", line, what);
		size_t take = len - used < (size_t)n ? len - used : (size_t)n;

		memcpy(data + used, text, take);
		used += take;
	}
}

#include "support/03-udp-echo-server.c"
#include "support/03-udp-echo-client.c"

/* Deadlines of whole checks (scaled like all deadlines). */
#define CHECK_MS      8000  /* most checks */
#define LONG_CHECK_MS 15000 /* usage: many runs of each program */
#define BUILD_MS      60000 /* the build */

static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "server and client build without warnings",
	.points = 10,
	.timeout_ms = BUILD_MS,
	.programs = "server client",
	.hint =
	    "Read the compiler's messages from the first one down; fix every "
	    "warning too (an unused variable, a missing return, a signed and "
	    "unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "echo",
	.title =
	    "The server echoes a datagram byte for byte, from its own port, to "
	    "its sender",
	.points = 7,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint =
	    "Bind one AF_INET, SOCK_DGRAM socket to the port; then n = "
	    "recvfrom(fd, buf, sizeof buf, 0, &client, &len) and sendto(fd, "
	    "buf, n, 0, &client, len) on that same socket: a reply from any "
	    "other socket comes from another port, and clients ignore it.",
	.run = check_echo,
    },
    {
	.id = "two-clients",
	.title = "Two clients sending in turn each get their own replies",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint =
	    "Reply to the address recvfrom filled in for this datagram, and "
	    "set len = sizeof client before every recvfrom. Do not connect() "
	    "the server's socket: a connected UDP socket takes datagrams from "
	    "one address only.",
	.run = check_two_clients,
    },
    {
	.id = "empty",
	.title = "The server echoes an empty datagram as an empty datagram",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "recvfrom returning 0 is an empty datagram, not the end of a "
		"connection (UDP has none): send 0 bytes back with sendto, and "
		"only treat n < 0 as an error.",
	.run = check_empty,
    },
    {
	.id = "largest",
	.title = "The server echoes the largest datagram, 65507 bytes, whole",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "server",
	.hint =
	    "recvfrom cuts a datagram longer than the buffer without a word: "
	    "give it a buffer of MAX_DATAGRAM (65507) bytes, static or global "
	    "rather than on the stack. A datagram needs no '\\0': buf[n] = "
	    "'\\0' on a full buffer writes past its end.",
	.run = check_largest,
    },
    {
	.id = "binary",
	.title = "The server echoes binary bytes, NUL included",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint =
	    "A datagram is bytes, not a string: send back the n that recvfrom "
	    "returned, never strlen(buf), which stops at the first NUL byte.",
	.run = check_binary,
    },
    {
	.id = "burst",
	.title =
	    "Five datagrams sent back to back come back one by one, in order",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint =
	    "Each datagram is a message of its own: echo exactly the n bytes "
	    "of this recvfrom (not strlen of a buffer that still holds bytes "
	    "of a longer, earlier datagram).",
	.run = check_burst,
    },
    {
	.id = "stop-signal",
	.title = "The server exits 0 promptly on SIGTERM and SIGINT",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint =
	    "Install a handler for SIGTERM and SIGINT with sigaction and "
	    "sa_flags 0 (no SA_RESTART) that only sets a volatile sig_atomic_t "
	    "flag; when recvfrom fails with EINTR, test the flag, leave the "
	    "loop, close the socket and return 0 from main.",
	.run = check_stop_signal,
    },
    {
	.id = "server-stdout",
	.title = "The server prints nothing on stdout: its log goes to stderr",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE | SL_LEAKS,
	.programs = "server",
	.hint =
	    "A server's stdout may be a terminal nobody reads, or nothing at "
	    "all: write every log line with fprintf(stderr, ...) or perror, "
	    "never printf or puts.",
	.run = check_server_stdout,
    },
    {
	.id = "server-busy-port",
	.title =
	    "The server reports a port already taken (bind fails) and exits 2",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint =
	    "Test what bind returns: when it is negative, print the call and "
	    "strerror(errno) on stderr (\"server: bind: Address already in "
	    "use\") and return 2. An unbound socket never receives anything.",
	.run = check_server_busy_port,
    },
    {
	.id = "server-usage",
	.title = "The server rejects bad arguments with a usage line and "
		 "status 1, and takes port 65535",
	.points = 3,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "server",
	.hint =
	    "Require exactly one argument and check it with parse_number(text, "
	    "1, 65535), which takes digits only (no sign, no space); otherwise "
	    "print \"usage: server PORT\" on stderr and return 1 before any "
	    "socket call. atoi cannot tell \"abc\" from \"0\".",
	.run = check_server_usage,
    },
    {
	.id = "client-reply",
	.title =
	    "The client sends MESSAGE as one datagram and prints the reply",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "client",
	.hint =
	    "Resolve HOST with getaddrinfo (SOCK_DGRAM), send strlen(MESSAGE) "
	    "bytes with sendto (no NUL, no newline), take the reply with "
	    "recvfrom and write exactly its n bytes to stdout, then \"\\n\"; "
	    "print the reply, not your own message.",
	.run = check_client_reply,
    },
    {
	.id = "client-binary",
	.title = "The client prints a reply holding NUL bytes whole",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "client",
	.hint = "Print the reply with writen(STDOUT_FILENO, buf, n) or fwrite: "
		"printf(\"%s\") and puts stop at the first NUL byte.",
	.run = check_client_binary,
    },
    {
	.id = "client-empty",
	.title =
	    "An empty MESSAGE is sent, and an empty reply prints an empty line",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "client",
	.hint =
	    "An empty MESSAGE is valid: sendto 0 bytes. recvfrom returning 0 "
	    "from the server is an empty reply, not an error or the end of "
	    "anything: print its 0 bytes and \"\\n\", and exit 0. Only n < 0 "
	    "is a failure (and writen of 0 bytes returns 0).",
	.run = check_client_empty,
    },
    {
	.id = "client-largest",
	.title = "The client prints a reply of 65507 bytes whole",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "client",
	.hint =
	    "recvfrom cuts a datagram longer than the buffer without a word: "
	    "the client's reply buffer must hold MAX_DATAGRAM (65507) bytes "
	    "too, static rather than on the stack. A reply needs no '\\0': "
	    "buf[n] = '\\0' on a full buffer writes past its end.",
	.run = check_client_largest,
    },
    {
	.id = "client-pieces",
	.title = "The client takes one datagram as the whole reply and stops",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "client",
	.hint =
	    "UDP keeps message boundaries: one recvfrom returns one whole "
	    "datagram, and that is the reply. Print it and exit 0; do not keep "
	    "reading for more as you would on a TCP stream.",
	.run = check_client_pieces,
    },
    {
	.id = "client-stray",
	.title =
	    "The client ignores datagrams from other senders and prints the "
	    "real reply",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "client",
	.hint =
	    "Anyone can send to your port. Compare the address recvfrom fills "
	    "in with the server's (family, address and port); skip any other "
	    "datagram and recvfrom again. Print only the n bytes of the reply.",
	.run = check_client_stray,
    },
    {
	.id = "client-late-reply",
	.title =
	    "A reply that comes after its try timed out is still the reply",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "client",
	.hint =
	    "Create the socket once, before the first try, and send every try "
	    "from it: a reply to an earlier try comes from the server and is "
	    "the reply, and it only reaches the socket (the port) that try was "
	    "sent from. Stop at the first reply.",
	.run = check_client_late_reply,
    },
    {
	.id = "client-ipv6",
	.title = "The client talks to a server at an IPv6 address (::1)",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "client",
	.hint =
	    "Create the socket with the family getaddrinfo returned "
	    "(socket(res->ai_family, ...), AF_UNSPEC in the hints), keep the "
	    "server's address in a struct sockaddr_storage, and compare "
	    "senders of the family AF_INET6 with sockaddr_in6 (sin6_addr, "
	    "sin6_port).",
	.run = check_client_ipv6,
    },
    {
	.id = "client-timeout",
	.title = "The client gives up with status 3 when the server is silent",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "client",
	.hint =
	    "Set a receive timeout with setsockopt(fd, SOL_SOCKET, "
	    "SO_RCVTIMEO, &tv, sizeof tv), Python's settimeout: recvfrom then "
	    "fails with EAGAIN or EWOULDBLOCK. After the last try print "
	    "\"client: no reply from HOST port PORT after N tries\" on stderr "
	    "and return 3.",
	.run = check_client_timeout,
    },
    {
	.id = "client-retries",
	.title =
	    "The client sends MESSAGE 1 + RETRIES times when no reply comes",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.flags = SL_WAITS,
	.programs = "client",
	.hint =
	    "RETRIES counts the tries after the first: loop for (try = 0; try "
	    "<= retries; try++), send, wait one timeout, and send again only "
	    "when that wait timed out.",
	.run = check_client_retries,
    },
    {
	.id = "client-long-timeout",
	.title = "A TIMEOUT_MS of 1200 waits 1.2 s: a second and 200000 "
		 "microseconds",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.flags = SL_WAITS,
	.programs = "client",
	.hint =
	    "tv_usec must stay below 1000000 (setsockopt fails with EINVAL "
	    "otherwise): tv.tv_sec = ms / 1000 and tv.tv_usec = (ms % 1000) * "
	    "1000. Check what setsockopt returns.",
	.run = check_client_long_timeout,
    },
    {
	.id = "client-defaults",
	.title = "TIMEOUT_MS and RETRIES left out: 1000 ms and 2 retries",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.flags = SL_WAITS,
	.programs = "client",
	.hint =
	    "With 3 arguments TIMEOUT_MS is 1000 and RETRIES 2; with 4, "
	    "RETRIES is 2. Read argv[4] only when argc > 4 and argv[5] only "
	    "when argc > 5, and set the defaults before.",
	.run = check_client_defaults,
    },
    {
	.id = "client-usage",
	.title =
	    "The client rejects bad arguments with a usage line and status 1, "
	    "and takes every value in range",
	.points = 3,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "client",
	.hint =
	    "Require 3 to 5 arguments, a non-empty HOST, a PORT from 1 to "
	    "65535, a TIMEOUT_MS from 1 to 60000 and RETRIES from 0 to 100 "
	    "(parse_number: digits only), before getaddrinfo; otherwise print "
	    "\"usage: client HOST PORT MESSAGE [TIMEOUT_MS [RETRIES]]\" on "
	    "stderr and return 1.",
	.run = check_client_usage,
    },
    {
	.id = "client-unknown-host",
	.title = "The client reports an unknown host and exits 2",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "client",
	.hint =
	    "When getaddrinfo returns non-zero, print the host and "
	    "gai_strerror(rc) (getaddrinfo does not set errno), e.g. \"client: "
	    "no-such-host.invalid: Name or service not known\", and return 2.",
	.run = check_client_unknown_host,
    },
};

static const struct sl_lab lab03 = {
    .number = "03",
    .name = "udp-echo",
    .title =
	"Datagrams: a UDP echo server, and a client with a timeout and retries",
    .files = {"server.c", "client.c", "udp.c"},
    .given = {"udp.h"},
    .programs =
	{
	    {.name = "server", .sources = {"server.c", "udp.c"}},
	    {.name = "client", .sources = {"client.c", "udp.c"}},
	},
    .max_files = 32,
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab03);
