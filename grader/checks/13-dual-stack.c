/* 13-dual-stack.c - lab 13: IPv4, IPv6 and UNIX sockets.
 *
 * "server PORT PATH" greets each client with one line that names it,
 *	"Thank you for connecting, IPv4 127.0.0.1 port 40312\n"
 * ("IPv6 ::1 port N", "unix PATH", "unix @NAME", "unix (unnamed)"), on
 * one AF_INET6 socket with IPV6_V6ONLY off for TCP and on a UNIX stream
 * socket at PATH; "client HOST PORT" and "client -U PATH" print what a
 * server sends. format_peer, the function that names a peer, is graded
 * on its own through a driver linked with sockets.c
 * (support/peer_cases.c); the programs from the outside: server checks
 * play clients of every family from chosen source addresses (an extra
 * IPv6 address on loopback, a system default that makes sockets
 * IPv6-only, both in the sandbox's own network namespace), plant stale
 * socket files, files that are not sockets and live servers at PATH,
 * and look at the socket file's mode; client checks play the server, on
 * names whose first addresses refuse (fixture entries of /etc/hosts)
 * under a small descriptor limit.
 *
 * Machines without IPv6: a kernel with none skips every server check
 * (the server needs an AF_INET6 socket); without ::1 (IPv6 switched off,
 * as in many containers) the checks that need an IPv6 client or server
 * are skipped, and the others run over IPv4 and UNIX sockets. A skipped
 * check never passes. The rubric is the table at the end of this file.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../harness/hx_inet.h"
#include "../../harness/hx_unix.h"
#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS   1500	 /* a server starts listening on both sockets */
#define IO_MS	   1500	 /* a greeting arrives, a client connects or exits */
#define STOP_MS	   1000	 /* a server exits after SIGTERM or SIGINT */
#define EXIT_MS	   1500	 /* a program exits after bad arguments */
#define RESOLVE_MS 3000	 /* the client gives up on a name that cannot exist */
#define CASES_MS   10000 /* the format_peer driver runs one group */
#define SLICE_MS   20	 /* a wait on one listener, between looks at others */

#define SOCKET	     "lab13.sock" /* the PATH server checks give */
#define GREETING     "Thank you for connecting, "
#define OTHER_IPV4   "127.45.6.7" /* a loopback address, not 127.0.0.1 */
#define LONG_IPV6    "fd13:1313:1313:1313:1313:1313:1313:1313" /* 39 */
#define UNKNOWN_HOST "no-such-host.invalid" /* RFC 6761: never resolves */
#define REPLY_CAP    4096		    /* more than any greeting */
#define NAME_CAP     160    /* a peer's name, a greeting's text */
#define LONG_REPLY   100000 /* bytes of the client's long reply */

/* Relative paths at sun_path's limit (107 bytes) and past it. */
#define X10	 "xxxxxxxxxx"
#define X90	 X10 X10 X10 X10 X10 X10 X10 X10 X10
#define NAME_107 "long-" X90 "xxxxxxx.sock"
#define NAME_108 "long-" X90 "xxxxxxxx.sock"
#define NAME_200 NAME_108 X90 "xx"
_Static_assert(sizeof(NAME_107) == 108, "NAME_107 has 107 bytes");
_Static_assert(sizeof(NAME_108) == 109, "NAME_108 has 108 bytes");

#define FD_LEAK_FILES  16 /* RLIMIT_NOFILE of the fd-leak check */
#define FD_LEAK_VISITS 30 /* clients of the fd-leak check, six kinds */
#define MANY_FILES     10 /* RLIMIT_NOFILE of the client-many check */
#define SOCKETS_SEEN   16 /* sockets of the server counted, at most */

/* The fixture names: their first addresses refuse, the last answers
 * (getaddrinfo sorts them; the checks ask it for the order). */
static const char fixture_hosts[] =
    "127.0.0.1\tlocalhost\n"
    "::1\t\tlocalhost ip6-localhost ip6-loopback\n"
    "::1\t\tlab13-far\n"
    "127.0.0.2\tlab13-far\n"
    "127.0.0.1\tlab13-far\n"
    "::1\t\tlab13-many\n"
    "127.0.0.1\tlab13-many\n"
    "127.0.0.2\tlab13-many\n"
    "127.0.0.3\tlab13-many\n"
    "127.0.0.4\tlab13-many\n"
    "127.0.0.5\tlab13-many\n"
    "127.0.0.6\tlab13-many\n"
    "127.0.0.7\tlab13-many\n"
    "127.0.0.8\tlab13-many\n"
    "127.0.0.9\tlab13-many\n"
    "127.0.0.10\tlab13-many\n"
    "127.0.0.11\tlab13-many\n"
    "127.0.0.12\tlab13-many\n";

/* Files only: no DNS server is asked, whatever the machine's setup. */
static const char fixture_nsswitch[] = "passwd: files\ngroup: files\n"
				       "hosts: files\nservices: files\n";

#include "support/13-dual-stack-server.c"
#include "support/13-dual-stack-families.c"
#include "support/13-dual-stack-client.c"

/* Deadlines of whole checks (scaled like all deadlines). */
#define CHECK_MS	8000  /* most checks */
#define LONG_CHECK_MS	15000 /* both listeners, leaks, errors, usage */
#define DRIVER_CHECK_MS 20000 /* format_peer through its driver */
#define BUILD_MS	60000 /* the build */

static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "server, client and the format_peer tests build without "
		 "warnings",
	.points = 5,
	.timeout_ms = BUILD_MS,
	.programs = "server client peer-cases",
	.hint = "Read the compiler's messages from the first one down; fix "
		"every warning too (an unused variable, a missing return, a "
		"signed and unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "format-inet",
	.title = "format_peer: IPv4, IPv6, IPv4-mapped as IPv4, sizes to the "
		 "byte",
	.points = 4,
	.timeout_ms = DRIVER_CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "peer-cases",
	.hint = "AF_INET6 with IN6_IS_ADDR_V4MAPPED: inet_ntop(AF_INET, "
		"&sin6_addr.s6_addr[12]) and \"IPv4\"; never test the text. "
		"A char[INET6_ADDRSTRLEN] for inet_ntop(AF_INET6). ntohs the "
		"port. snprintf returning size or more: return -1.",
	.run = check_format_inet,
    },
    {
	.id = "format-unix",
	.title = "format_peer: paths, abstract and unnamed, never past "
		 "sun_path",
	.points = 4,
	.timeout_ms = DRIVER_CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "peer-cases",
	.hint = "n = len - offsetof(struct sockaddr_un, sun_path), at most "
		"sizeof(sun_path). n == 0: \"unix (unnamed)\"; sun_path[0] == "
		"'\\0': \"unix @\" and n - 1 bytes; else \"unix %.*s\" with "
		"strnlen(sun_path, n): sun_path may have no '\\0'.",
	.run = check_format_unix,
    },
    {
	.id = "ipv4",
	.title = "IPv4 clients are greeted by their address, as IPv4",
	.points = 7,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "One AF_INET6 socket bound to in6addr_any with IPV6_V6ONLY 0 "
		"accepts IPv4 clients as ::ffff:a.b.c.d; greet them with "
		"\"Thank you for connecting, IPv4 A.B.C.D port P\\n\" from "
		"getpeername on the connected socket into a sockaddr_storage.",
	.run = check_ipv4,
    },
    {
	.id = "ipv6",
	.title = "IPv6 clients are greeted by their address (::1)",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "Bind the AF_INET6 socket to in6addr_any (not ::1 and not "
		"INADDR_ANY on AF_INET); getpeername into a sockaddr_storage "
		"(a sockaddr_in is too small for IPv6); \"IPv6 ::1 port P\".",
	.run = check_ipv6,
    },
    {
	.id = "ipv6-long",
	.title = "a client from a 39-character IPv6 address is named in full",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.flags = SL_NAMESPACE,
	.programs = "server",
	.hint = "inet_ntop(AF_INET6) needs INET6_ADDRSTRLEN (46) bytes, and "
		"the greeting's buffer room for the longest name "
		"(PEER_TEXT_MAX) and the text around it.",
	.run = check_ipv6_long,
    },
    {
	.id = "one-socket",
	.title = "IPv4 and IPv6 share one TCP socket: AF_INET6, IPV6_V6ONLY "
		 "off",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "listen_dual makes exactly one TCP socket: AF_INET6, "
		"SO_REUSEADDR, IPV6_V6ONLY set to 0, bound to in6addr_any. No "
		"second AF_INET socket: the AF_INET6 one takes IPv4 clients.",
	.run = check_one_socket,
    },
    {
	.id = "v6only-off",
	.title = "IPv4 is served where sockets are IPv6-only by default",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.flags = SL_NAMESPACE,
	.programs = "server",
	.hint = "The default of IPV6_V6ONLY is the sysctl "
		"net.ipv6.bindv6only, on (1) on some systems: set the option "
		"to 0 yourself with setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, "
		"&off, sizeof(off)) before bind.",
	.run = check_v6only_off,
    },
    {
	.id = "unix",
	.title = "UNIX clients are greeted: unnamed, by path, abstract, 107 "
		 "bytes",
	.points = 7,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "Greet \"unix (unnamed)\", \"unix PATH\" or \"unix @NAME\" "
		"from getpeername's address and len into a sockaddr_storage "
		"(format_peer); the line buffer must hold \"Thank you for "
		"connecting, \", PEER_TEXT_MAX bytes and \"\\n\".",
	.run = check_unix,
    },
    {
	.id = "unix-mode",
	.title = "the socket file has mode 0600 whatever the umask",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "bind creates the file with 0777 minus the umask: old = "
		"umask(0177) before bind and umask(old) after gives 0600 "
		"(or chmod(path, 0600) after bind, before listen).",
	.run = check_unix_mode,
    },
    {
	.id = "stale-socket",
	.title = "a stale socket file from an earlier run is replaced",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "Before bind: lstat(path); a socket file there that refuses "
		"a connect (ECONNREFUSED: nobody listens, a run killed before "
		"its unlink left it) is stale: unlink it, then bind. Close the "
		"socket that tried it, whatever connect answered.",
	.run = check_stale_socket,
    },
    {
	.id = "path-safety",
	.title = "a plain file or a live server's socket at PATH is left "
		 "alone: status 2",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "Remove only a stale socket: a file that is not a socket "
		"(S_ISSOCK false) and a socket whose connect succeeds (a "
		"server listens there) are errors: \"server: PATH ...\" on "
		"stderr, status 2, nothing removed.",
	.run = check_path_safety,
    },
    {
	.id = "both-listeners",
	.title = "TCP and UNIX clients in any order: poll waits on both",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "server",
	.hint = "Never block in accept on one socket while a client waits on "
		"the other: poll a struct pollfd[2] with POLLIN on both, then "
		"accept on each whose revents has POLLIN.",
	.run = check_both_listeners,
    },
    {
	.id = "restart",
	.title = "the server restarts at once on the same port",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "Set SO_REUSEADDR on the AF_INET6 socket before bind: "
		"without it, bind fails with \"Address already in use\" while "
		"the last run's connections are in TIME_WAIT.",
	.run = check_restart,
    },
    {
	.id = "stop-signal",
	.title = "SIGTERM or SIGINT: exit 0 promptly, socket file removed",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "sigaction with sa_flags 0 for SIGINT and SIGTERM: poll fails "
		"with EINTR and the loop sees the flag; then close both "
		"sockets, unlink(PATH) and return 0.",
	.run = check_stop_signal,
    },
    {
	.id = "leave-early",
	.title = "clients gone before their greeting do not stop the server",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint = "Ignore SIGPIPE (sigaction with SIG_IGN); when getpeername "
		"(ENOTCONN) or writen (EPIPE, ECONNRESET) fails, log it, close "
		"that connection and go on with the next client.",
	.run = check_leave_early,
    },
    {
	.id = "fd-leak",
	.title = "30 clients of every kind leave no descriptor open",
	.points = 3,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "server",
	.hint = "Close the connected socket on every path: after the "
		"greeting, and when getpeername, format_peer or writen "
		"failed.",
	.run = check_fd_leak,
	.max_files = FD_LEAK_FILES,
    },
    {
	.id = "server-usage",
	.title = "bad arguments: usage and status 1; bad PATH or port in use: "
		 "2",
	.points = 3,
	.timeout_ms = LONG_CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "server",
	.hint = "Exactly two arguments: PORT (digits only, 1 to 65535) and "
		"PATH of 1 to SOCKET_PATH_MAX (107) bytes; else \"usage: "
		"server PORT PATH\", status 1. A failed bind: \"server: bind "
		"...\" naming PATH or the port, status 2.",
	.run = check_server_usage,
    },
    {
	.id = "client-ipv4",
	.title = "client prints a reply byte by byte, and 100 KB with NUL "
		 "bytes",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "client",
	.hint = "recv in a loop until it returns 0, writing each piece to "
		"stdout with writen, exactly the n bytes received: no string "
		"functions (the reply may hold '\\0'), no buf[n] = '\\0'. "
		"Nothing on stderr when all goes well.",
	.run = check_client_ipv4,
    },
    {
	.id = "client-ipv6",
	.title = "client connects to an IPv6 literal (::1)",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "client",
	.hint = "getaddrinfo with ai_family AF_UNSPEC, and each socket of the "
		"address's own family (ai_family), never AF_INET.",
	.run = check_client_ipv6,
    },
    {
	.id = "client-unix",
	.title = "client -U PATH connects to a UNIX socket, up to 107 bytes",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "client",
	.hint = "connect_unix: a struct sockaddr_un with AF_UNIX and PATH "
		"copied with its '\\0' (strlen at most SOCKET_PATH_MAX), "
		"socket(AF_UNIX, SOCK_STREAM, 0), connect.",
	.run = check_client_unix,
    },
    {
	.id = "client-fallback",
	.title = "client tries every address: localhost and a name whose "
		 "first refuse",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.flags = SL_FIXTURES,
	.programs = "client",
	.hint = "Loop over the whole getaddrinfo list, in its order (never "
		"IPv4 first): for each address a new socket(ai_family, "
		"ai_socktype, ai_protocol) and connect; on failure close it "
		"and go on; stop at the first that connects.",
	.run = check_client_fallback,
    },
    {
	.id = "client-many",
	.title = "client closes each failed socket: 12 refused addresses, 10 "
		 "descriptors",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.flags = SL_FIXTURES,
	.programs = "client",
	.hint = "close(fd) after each connect that failed before you try the "
		"next address: otherwise every refused address keeps a "
		"descriptor and socket fails with EMFILE.",
	.run = check_client_many,
	.max_files = MANY_FILES,
    },
    {
	.id = "client-errors",
	.title = "refused, unknown host, missing or stale PATH: status 2",
	.points = 3,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "client",
	.hint = "Print \"client: \" and the message connect_host or "
		"connect_unix wrote (the call, the host or PATH, and "
		"strerror(errno) or gai_strerror(rc)) on stderr; return 2.",
	.run = check_client_errors,
    },
    {
	.id = "client-usage",
	.title = "client rejects bad arguments: usage line, status 1",
	.points = 2,
	.timeout_ms = LONG_CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "client",
	.hint = "\"HOST PORT\" (PORT digits only, 1 to 65535) or \"-U PATH\" "
		"(PATH of 1 to 107 bytes), nothing else; otherwise print "
		"\"usage: client HOST PORT | client -U PATH\" and return 1.",
	.run = check_client_usage,
    },
};

static const struct sl_lab lab13 = {
    .number = "13",
    .name = "dual-stack",
    .title = "IPv6 and UNIX sockets: one server for every family, a client "
	     "that tries every address",
    .files = {"sockets.c", "server.c", "client.c"},
    .given = {"dual.h"},
    .programs =
	{
	    {.name = "server", .sources = {"server.c", "sockets.c"}},
	    {.name = "client", .sources = {"client.c", "sockets.c"}},
	    {.name = "peer-cases",
	     .sources = {"sockets.c"},
	     .support = {"peer_cases.c"}},
	},
    .max_files = 32,
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab13);
