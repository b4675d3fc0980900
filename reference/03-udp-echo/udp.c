/* udp.c - the helpers of udp.h, shared by server and client. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "udp.h"

long parse_number(const char *text, long min, long max)
{
	char *end;  /* strtol leaves here the first byte it did not use */
	long value; /* the number read */

	/* strtol would skip spaces and accept a sign: ask for a digit first. */
	if (!isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	value = strtol(text, &end, 10);
	/* The whole text must be the number, and the number in range. */
	if (errno != 0 || *end != '\0' || value < min || value > max)
		return -1;
	return value;
}

ssize_t writen(int fd, const void *buf, size_t n)
{
	const char *next = buf; /* first byte not written yet */
	size_t left = n;	/* bytes still to write */

	/* write may take fewer bytes than asked: loop until all are out. */
	while (left > 0) {
		ssize_t written = write(fd, next, left);

		if (written < 0 && errno == EINTR)
			continue; /* a signal came before any byte: again */
		if (written < 0)
			return -1; /* a real error, errno says which */
		next += written;
		left -= (size_t)written;
	}
	return (ssize_t)n;
}
