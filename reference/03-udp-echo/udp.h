/* udp.h - what the echo server and client of lab 03 share.
 *
 * Exit statuses, the size of the largest datagram, and two helpers:
 * parse_number reads a whole number from the command line, writen writes
 * every byte of a buffer. Nothing here keeps state.
 */
#ifndef UDP_H
#define UDP_H

#include <stddef.h>
#include <sys/types.h>

/* Exit statuses. 0, 1 and 2 are the same in every lab. */
#define EXIT_OK	      0 /* the program did its job */
#define EXIT_USAGE    1 /* wrong arguments: a "usage:" line was printed */
#define EXIT_RUNTIME  2 /* a call failed or a host is unknown: reported */
#define EXIT_NO_REPLY 3 /* client: every try timed out without a reply */

/* The largest UDP payload over IPv4: 65535 bytes in an IP packet, minus
 * 20 for the IP header and 8 for the UDP header. */
#define MAX_DATAGRAM 65507

/* Returns the number written in text, a whole number from min to max
 * with nothing before or after it, or -1 when it is not one. */
long parse_number(const char *text, long min, long max);

/* Writes all n bytes of buf to fd, retrying short writes and EINTR;
 * returns n, or -1 with errno set. */
ssize_t writen(int fd, const void *buf, size_t n);

#endif
