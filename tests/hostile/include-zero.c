/* A server whose source makes the compiler read without end: the build
 * fails with a message, within the compile deadline, and grading goes on.
 * Lab: 02-tcp-hello
 * Replaces: server.c
 * Expect: did not compile
 */
#include "/dev/zero"
