/* sl_lock.h - the machine to oneself, where a sandbox cannot give a check
 * its own.
 *
 * A sealed sandbox has its own network and /etc. Without namespaces (a
 * uid barrier, or none), every check shares the machine's: a port scan
 * would see the ports of the checks beside it, and a fixture in /etc
 * would change what they resolve. Such checks take the machine's lock
 * exclusively; every other check takes it shared. The lock is one file,
 * so it holds across the workers of a batch, the labs of a course and
 * other socklab runs of the same user. A waiting exclusive check keeps
 * new shared ones from starting (a turnstile), so it is not starved.
 */
#ifndef SL_LOCK_H
#define SL_LOCK_H

#include <stddef.h>

/* Tries to take the lock without waiting: a descriptor that holds it
 * (sl_lock_release gives it back), -1 while others hold it the other way,
 * or -2 when the lock cannot be used at all (err says why). A waiting
 * exclusive taker holds the turnstile in *turnstile (initially -1) until
 * it gets the lock. */
int sl_lock_try(int exclusive, int *turnstile, char *err, size_t errlen);

/* Gives back a lock (and a turnstile still held); -1 is ignored. */
void sl_lock_release(int fd, int *turnstile);

#endif
