#!/usr/bin/env bash
# A submission that tries to poison the builds `make grade` keeps
# (--build-cache): its server and its client, at run time, plant a file
# in the cache folder, truncate every executable kept there and make an
# entry of their own, sealed and under a uid barrier. Then entries that a
# run which died left half written or half removed.
# Safe outcome: the cache holds only what socklab wrote (every file kept
# as it was; new entries only of the builds it made), an honest
# submission graded from it again scores what it scored cold, and a half
# entry is built again, never taken; a build stopped at its deadline is
# not kept (another run may have the time it lacked).
source "$(dirname "$0")/lib.sh"

honest=$scratch/honest
submission 02 "$honest"

# poisoner DIR CACHE - lab 02 whose programs attack CACHE before they
# do their work
poisoner() {
	submission 02 "$1"
	for program in server client; do
		sed -i 's/^int main(int argc, char \*\*argv)$/static int real_main(int argc, char **argv)/' \
			"$1/$program.c"
		sed "s|@CACHE@|$2|" >>"$1/$program.c" <<'C'

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

static int reached(int fd)
{
	if (fd < 0)
		return 0;
	if (write(fd, "poison", 6) < 0)
		perror("write");
	close(fd);
	return 1;
}

int main(int argc, char **argv)
{
	const char *cache = "@CACHE@";
	char path[512];
	struct dirent *e;
	DIR *dir = opendir(cache);
	int got = 0;

	snprintf(path, sizeof(path), "%s/planted", cache);
	got += reached(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	snprintf(path, sizeof(path), "%s/%064d", cache, 0);
	if (mkdir(path, 0755) == 0) {
		got++;
		snprintf(path, sizeof(path), "%s/%064d/built", cache, 0);
		got += reached(open(path, O_WRONLY | O_CREAT, 0644));
	}
	while (dir && (e = readdir(dir))) {
		snprintf(path, sizeof(path), "%s/%s/exe", cache, e->d_name);
		got += reached(open(path, O_WRONLY | O_TRUNC));
	}
	if (dir)
		closedir(dir);
	if (got)
		fprintf(stderr, "poison: reached the cache %d times\n", got);
	return real_main(argc, argv);
}
C
	done
}

# snapshot CACHE - every file under CACHE with its checksum
snapshot() {
	(cd "$1" && find . -type f -exec sha256sum {} + | LC_ALL=C sort)
}

# attack MODE - the honest submission fills a cache, the poisoner is
# graded with it, the honest one again
attack() {
	local mode=$1 cache=$scratch/cache-$1 before after new cold warm
	cold=$(total 02 "$honest" --build-cache "$cache")
	snapshot "$cache" >"$scratch/$mode.before"
	poisoner "$scratch/poison-$mode" "$cache"
	total 02 "$scratch/poison-$mode" --build-cache "$cache" >/dev/null
	snapshot "$cache" >"$scratch/$mode.after"
	warm=$(total 02 "$honest" --build-cache "$cache")
	# what was there is there unchanged; anything new is an entry of
	# built, log and maybe exe that socklab made
	new=$(LC_ALL=C comm -13 "$scratch/$mode.before" "$scratch/$mode.after" |
		awk '{ print $2 }' |
		grep -Ev '^\./[0-9a-f]{64}/(built|log|exe)$')
	if [ -n "$(LC_ALL=C comm -23 "$scratch/$mode.before" "$scratch/$mode.after")" ]; then
		bad "$mode: a kept build was changed by a submission's program"
	elif [ -n "$new" ] || [ -e "$cache/planted" ] ||
		[ -e "$cache/$(printf '%064d' 0)" ]; then
		bad "$mode: a submission's program wrote in the build cache: $new"
	elif [ -z "$cold" ] || [ "$warm" != "$cold" ]; then
		bad "$mode: the honest submission scored $cold cold, $warm from the cache"
	else
		ok "$mode: the build cache is out of a submission's reach ($warm again)"
	fi
}

attack sealed

# entries that lost files: one its executable, one its "built"
cache=$scratch/cache-half
total 02 "$honest" --build-cache "$cache" >/dev/null
entries=$(ls "$cache")
rm -f "$cache/$(echo "$entries" | sed -n 1p)/exe"
rm -f "$cache/$(echo "$entries" | sed -n 2p)/built"
again=$(total 02 "$honest" --build-cache "$cache")
missing=$(for entry in "$cache"/*/; do
	[ -f "$entry/built" ] || echo "$entry"
done)
if [ "$again" != "$(total 02 "$honest")" ]; then
	bad "half entries: the honest submission scored $again from them"
elif [ -n "$missing" ]; then
	bad "half entries: still half after a run: $missing"
else
	ok "half entries: built again, never taken ($again)"
fi

# a compiler stopped at the build's deadline: its build is not kept
bomb=$scratch/bomb
submission 02 "$bomb"
include_bomb "$bomb/server.c"
SOCKLAB_BUILD_TIMEOUT_MS=3000 "$SOCKLAB" grade 02 --dir "$bomb" \
	--check build --build-cache "$scratch/cache-bomb" >"$scratch/bomb.txt" 2>&1
if ! grep -q "did not finish" "$scratch/bomb.txt"; then
	bad "a stopped build: the bomb was not stopped ($(head -c 300 "$scratch/bomb.txt"))"
elif grep -rqs "did not finish" "$scratch/cache-bomb"; then
	bad "a stopped build was kept in the cache"
else
	ok "a stopped build is not kept in the cache"
fi

if [ "$(id -u)" != 0 ]; then
	echo "SKIP hostile the build cache under a uid barrier: not root here"
	done_testing
	exit
fi
SOCKLAB_NO_NAMESPACES=1 attack barrier
done_testing
