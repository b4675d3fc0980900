#!/usr/bin/env bash
# A server that takes what it can: /dev/shm and /tmp filled to the last
# byte, tens of thousands of files, and 1.5 GiB of memory.
# Safe outcome: each is stopped by the sandbox's own budget, and named in
# the feedback ("disk limit of /dev/shm", "memory limit of the check");
# the machine's /dev/shm and /tmp hold nothing of it afterwards.
source "$(dirname "$0")/lib.sh"

tag=$(marker)
dir=$scratch/hog
submission 02 "$dir"
sed "s/@TAG@/$tag/g" >"$dir/server.c" <<'C'
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* writes path until the disk under it is full */
static void fill(const char *path)
{
	static char block[1 << 20];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	memset(block, 'x', sizeof(block));
	while (fd >= 0 && write(fd, block, sizeof(block)) > 0)
		;
}

int main(void)
{
	char path[64];

	/* past the file-size limit a write fails instead */
	signal(SIGXFSZ, SIG_IGN);
	fill("/dev/shm/@TAG@");
	fill("/tmp/@TAG@");
	for (int i = 0; i < 50000; i++) {
		snprintf(path, sizeof(path), "/tmp/@TAG@-%d", i);
		if (close(open(path, O_WRONLY | O_CREAT, 0644)) < 0)
			break;
	}
	/* more memory than the budget, in a child: it is the one killed */
	if (fork() == 0) {
		size_t size = 1536u << 20;
		char *memory = malloc(size);

		if (memory)
			memset(memory, 1, size);
		_exit(0);
	}
	while (wait(NULL) > 0)
		;
	return 1;
}
C
shm_before=$(df --output=used /dev/shm 2>/dev/null | tail -n 1)
# time enough, on a loaded machine, for all of it before the check ends
out=$(SOCKLAB_TIMEOUT_SCALE=4 "$SOCKLAB" grade 02 --dir "$dir" --check greeting 2>&1)
grep -q "disk limit of /dev/shm reached" <<<"$out" &&
	ok "fill /dev/shm: stopped at the sandbox's size, named" ||
	bad "fill /dev/shm: not named: $(head -c 600 <<<"$out")"
grep -q "disk limit of /tmp reached" <<<"$out" &&
	ok "fill /tmp: stopped at the sandbox's size, named" ||
	bad "fill /tmp: not named"
if grep -q memory /proc/self/cgroup && [ "$(id -u)" = 0 ]; then
	grep -q "memory limit of the check reached" <<<"$out" &&
		ok "1.5 GiB: stopped by the check's memory budget, named" ||
		bad "1.5 GiB: not named"
else
	echo "SKIP hostile 1.5 GiB: no control group for memory here"
fi
left=$(ls /tmp /dev/shm 2>/dev/null | grep -c -- "$tag")
[ "$left" = 0 ] && ok "nothing of it in the machine's /tmp or /dev/shm" ||
	bad "$left files of it in the machine's /tmp or /dev/shm"
shm_after=$(df --output=used /dev/shm 2>/dev/null | tail -n 1)
[ "${shm_after:-0}" -le $((${shm_before:-0} + 1024)) ] &&
	ok "the machine's /dev/shm is as it was" ||
	bad "the machine's /dev/shm grew from $shm_before to $shm_after KiB"
done_testing
