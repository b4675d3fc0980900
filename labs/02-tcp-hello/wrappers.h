/* wrappers.h - the small socket library of lab 02.
 *
 * Two layers, as in Stevens' UNIX Network Programming:
 *   - lowercase helpers (parse_port, writen) return -1 on an error and
 *     leave the decision to the caller;
 *   - Capitalised wrappers (Socket, Bind, Listen, Accept, Connect) call the
 *     system call of the same name and, if it fails, print the call and the
 *     reason on stderr ("bind: Address already in use") and exit with
 *     status 2. Use them where a failure leaves nothing sensible to do.
 * Nothing here keeps state: every function works on its arguments only.
 */
#ifndef WRAPPERS_H
#define WRAPPERS_H

#include <sys/socket.h>
#include <sys/types.h>

/* Exit statuses, the same in every lab. */
#define EXIT_OK	     0 /* the program did its job */
#define EXIT_USAGE   1 /* wrong arguments: a "usage:" line was printed */
#define EXIT_RUNTIME 2 /* a call failed or a host is unknown: reported */

/* Prints "call: <strerror(errno)>" on stderr and exits with EXIT_RUNTIME. */
void err_sys(const char *call);

/* Returns the port written in text (a whole number 1..65535), or -1. */
int parse_port(const char *text);

/* Writes all n bytes of buf to fd, retrying short writes and EINTR;
 * returns n, or -1 with errno set. */
ssize_t writen(int fd, const void *buf, size_t n);

/* socket(), or err_sys("socket"). Returns the new socket. */
int Socket(int family, int type, int protocol);

/* bind(), or err_sys("bind"). */
void Bind(int fd, const struct sockaddr *addr, socklen_t len);

/* listen(), or err_sys("listen"). */
void Listen(int fd, int backlog);

/* accept(), retrying ECONNABORTED; returns -1 with errno EINTR when a
 * signal interrupted it (so the caller can look at its stop flag), and
 * err_sys("accept") on any other error. Returns the connected socket. */
int Accept(int fd, struct sockaddr *addr, socklen_t *len);

/* connect(), or err_sys("connect"): for a program with one address to try. */
void Connect(int fd, const struct sockaddr *addr, socklen_t len);

#endif
