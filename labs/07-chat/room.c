/* room.c - lab 07, part two: a chat room for many clients, a thread per
 * client.
 *
 * usage: room PORT
 *
 * The protocol, one line each way (see chat.h for lines):
 *   - the first line a client sends is its nick: 1 to NICK_MAX letters,
 *     digits, '-' or '_', not in use by another member. A bad nick gets
 *     "* error: bad nick", a nick in use "* error: nick in use", and the
 *     connection is closed.
 *   - a good nick gets "* welcome NICK", and every other member
 *     "* NICK joined".
 *   - each later line TEXT goes to every OTHER member as "NICK: TEXT",
 *     in the order sent; never back to the sender. Empty lines are
 *     ignored. A line over MESSAGE_MAX bytes is dropped, and its sender
 *     gets "* error: line too long".
 *   - when a member closes, resets or is dropped, every other member
 *     gets "* NICK left".
 * A member that does not read never stalls the others: what it is sent
 * waits in its own outbox, written by its own writer thread. When more
 * than OUTBOX_MAX bytes wait there, the member is dropped (its connection
 * is shut down). Logs go to stderr. On SIGINT or SIGTERM the room closes
 * every connection, waits for its threads, and exits with status 0.
 *
 * You may add static functions, the structures below, and static
 * variables for the room (its list, its mutex) and the stop flag.
 */
#define _GNU_SOURCE /* ppoll */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "chat.h"

#define NICK_MAX   32	     /* bytes of a nick */
#define OUTBOX_MAX (1 << 20) /* unsent bytes a member may have: 1 MiB */

int main(int argc, char **argv)
{
	/* TODO, step by step (the handout has a picture of the threads):
	 *
	 * 1. Arguments: unless argc is 2 and parse_port(argv[1]) accepts
	 *    the port, print "usage: room PORT" on stderr, return EXIT_USAGE.
	 *
	 * 2. Signals: a stop flag set by SIGINT and SIGTERM (sigaction,
	 *    sa_flags = 0), SIG_IGN for SIGPIPE. Then block SIGINT and
	 *    SIGTERM with pthread_sigmask, keeping the old mask: every
	 *    thread started later inherits the block, so only main gets
	 *    the signals, in ppoll(&pfd, 1, NULL, &old_mask).
	 *
	 * 3. listenfd = open_listener(port, ...).
	 *
	 * 4. While the flag is 0: ppoll on listenfd (EINTR: continue),
	 *    accept, and for each client a struct member (calloc: it holds
	 *    its fd, nick, line reader, line and message buffers, outbox,
	 *    a mutex and a condition variable), added to the room's list
	 *    with the room's mutex held, and a detached reader thread.
	 *
	 * 5. The reader thread: read the nick (check it; refuse a bad one or
	 *    one in use), then with the room's mutex: "* welcome NICK" to it,
	 *    "* NICK joined" to the others. Start its writer thread. Then for
	 *    each line, with the room's mutex held, append "NICK: TEXT\n" to
	 *    every other member's outbox. At the end: off the list,
	 *    "* NICK left" to the others, shutdown, stop and join the writer,
	 *    close, free.
	 *
	 * 6. The writer thread: wait on its condition variable until the
	 *    outbox has bytes or the member is closing; take the bytes, and
	 *    writen them with no lock held.
	 *
	 * 7. On stop: shutdown every member's socket, wait until every
	 *    reader thread has ended, close listenfd, return EXIT_OK. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
