#!/usr/bin/env bash
# A client that answers a few bytes with megabytes: it reads the server's
# reply, then prints 960 KiB of bytes that are not text on stdout, where the
# check compares the reply, and as much on stderr, which the report
# shows: just under the most the harness keeps of a program's output.
# Each byte that is not UTF-8 takes six in JSON ("\ufffd").
# Safe outcome: the check fails as usual; its actual value is cut, the
# report says so, and the results stay small (a 24 MB file read through a
# link once made 100 MB of JSON).
source "$(dirname "$0")/lib.sh"

dir=$scratch/bloat
submission 02 "$dir"
cat >"$dir/client.c" <<'C'
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void flood(int fd)
{
	static char block[1 << 16];

	memset(block, 0xff, sizeof(block));
	for (int i = 0; i < 15; i++)
		if (write(fd, block, sizeof(block)) < 0)
			return;
}

int main(int argc, char **argv)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai;
	char buf[4096];
	int fd;

	if (argc != 3 || getaddrinfo(argv[1], argv[2], &hints, &ai) != 0)
		return 1;
	fd = socket(ai->ai_family, ai->ai_socktype, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) < 0)
		return 1;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	flood(1);
	flood(2);
	return 0;
}
C
"$SOCKLAB" grade 02 --dir "$dir" --check client-pieces \
	--json "$scratch/bloat.json" >"$scratch/bloat.txt" 2>&1
size=$(stat -c %s "$scratch/bloat.json" 2>/dev/null || echo 0)
grep -q "^  fail" "$scratch/bloat.txt" && [ "$size" -gt 0 ] &&
	[ "$size" -lt $((2 << 20)) ] &&
	grep -q 'bytes cut]' "$scratch/bloat.json" &&
	grep -q "actual value was" "$scratch/bloat.txt" &&
	ok "megabytes of output: cut, said so, results of $size bytes" ||
	bad "megabytes of output: results of $size bytes: $(head -c 600 "$scratch/bloat.txt")"
done_testing
