/* A server that tries to reach the harness that grades it (PID 1 of its
 * sandbox): kill it, trace it, write its memory, use its descriptors. The
 * grade must not change; the server says which attempts were blocked.
 * Lab: 02-tcp-hello
 * Replaces: server.c
 * Expect: tamper: all blocked
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <unistd.h>

int main(void)
{
	int reached = 0;
	int fd;

	if (kill(1, SIGKILL) == 0 && kill(1, 0) != 0)
		reached |= 1;
	if (ptrace(PTRACE_ATTACH, 1, NULL, NULL) == 0)
		reached |= 2;
	fd = open("/proc/1/mem", O_WRONLY);
	if (fd >= 0) {
		reached |= 4;
		close(fd);
	}
	for (int n = 0; n < 16; n++) {
		char path[32];

		snprintf(path, sizeof(path), "/proc/1/fd/%d", n);
		fd = open(path, O_WRONLY);
		if (fd >= 0) {
			reached |= 8;
			close(fd);
		}
	}
	if (reached)
		fprintf(stderr, "tamper: reached the harness (%d)\n", reached);
	else
		fprintf(stderr, "tamper: all blocked\n");
	return 0;
}
