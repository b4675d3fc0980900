/* bcast.h - what the four programs of lab 05 share.
 *
 * Exit statuses, the discovery question, and small helpers: parse_number
 * reads a whole number from the command line, writen writes every byte of
 * a buffer, resolve_ipv4 turns ADDRESS and PORT into a struct sockaddr_in,
 * open_shared_port binds a UDP socket that several programs may bind at
 * once, format_sender writes "ADDRESS:PORT", and install_stop_handlers
 * makes SIGINT and SIGTERM set stop_requested. Only stop_requested keeps
 * state.
 */
#ifndef BCAST_H
#define BCAST_H

#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

/* Exit statuses, the same in every lab. */
#define EXIT_OK	     0 /* the program did its job */
#define EXIT_USAGE   1 /* wrong arguments: a "usage:" line was printed */
#define EXIT_RUNTIME 2 /* a call failed or a host is unknown: reported */

/* The question discover broadcasts: these 8 bytes, no '\0', no newline. */
#define QUESTION "DISCOVER"

/* The largest UDP payload over IPv4 (65535 - 20 - 8). */
#define MAX_DATAGRAM 65507

/* Room for "255.255.255.255:65535" and its '\0'. */
#define SENDER_TEXT_SIZE 24

/* Set to 1 by the handlers install_stop_handlers puts in place. */
extern volatile sig_atomic_t stop_requested;

/* Returns the number written in text, a whole number from min to max
 * with nothing before or after it, or -1 when it is not one. */
long parse_number(const char *text, long min, long max);

/* Writes all n bytes of buf to fd, retrying short writes and EINTR;
 * returns n, or -1 with errno set. */
ssize_t writen(int fd, const void *buf, size_t n);

/* Fills *addr with the IPv4 address of host (a name or a dotted address,
 * such as 255.255.255.255, which Python calls '<broadcast>') and port.
 * Returns 0, or getaddrinfo's error code for gai_strerror. */
int resolve_ipv4(const char *host, const char *port, struct sockaddr_in *addr);

/* Returns a UDP socket bound to every local IPv4 address on port, with
 * SO_REUSEADDR so other listeners may bind the same port; or -1 with
 * errno set and *failed_call naming the call that failed. */
int open_shared_port(int port, const char **failed_call);

/* Writes "ADDRESS:PORT" of from into out (SENDER_TEXT_SIZE bytes). */
void format_sender(const struct sockaddr_in *from, char *out, size_t size);

/* Makes SIGINT and SIGTERM set stop_requested, without SA_RESTART so a
 * blocked recvfrom fails with EINTR. Returns 0, or -1 with errno set. */
int install_stop_handlers(void);

#endif
