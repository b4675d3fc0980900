#!/usr/bin/env bash
# An autograder's container: root, no namespaces for the sandboxes, so
# each check's programs run behind a uid barrier, as a uid of their own,
# and share the machine's /tmp with the grader; fixtures are installed in
# place (SOCKLAB_CONTAINER=1, as the Gradescope and Autolab packages set).
# The test runs in a mount namespace of its own with a fresh /tmp, so the
# folders it plants there are nobody else's.
# Safe outcome: a fixtures' folder a program made first, with a journal
# of its choosing, is never used: nothing is written, copied or removed
# where the journal says, and a fixture check fails naming the folder; a
# chain of processes that left its session dies with its check.
if [ -z "${SOCKLAB_BARRIER_TMP:-}" ]; then
	if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
		echo "SKIP hostile uid barrier: needs root and a mount namespace"
		exit 0
	fi
	# the fresh /tmp hides the old one: the project and the grader, when
	# they live there, are bound back where they were
	hold=$(mktemp -d /var/tmp/socklab-barrier.XXXXXX) || exit 1
	here=$(cd "$(dirname "$0")/../.." && pwd)
	unshare -m --propagation private env SOCKLAB_BARRIER_TMP="$hold" \
		bash -c 'hold=$SOCKLAB_BARRIER_TMP
		mount --bind /tmp "$hold" &&
			mount -t tmpfs -o mode=1777 tmpfs /tmp || exit 1
		for keep in "$1" "$(dirname "$SOCKLAB")"; do
			case $keep in
			/tmp/*)
				mkdir -p "$keep" &&
					mount --bind "$hold/${keep#/tmp/}" "$keep" ||
					exit 1
				;;
			esac
		done
		exec bash "$0"' "$0" "$here"
	status=$?
	rmdir "$hold"
	exit "$status"
fi
source "$(dirname "$0")/lib.sh"
export SOCKLAB_NO_NAMESPACES=1 SOCKLAB_CONTAINER=1

# the instructor's files, root's alone; the program says what it did in
# a folder every user may write, where a copy would be readable by all
instructor=$scratch/instructor
drop=$scratch/drop
secret=$(marker)
mkdir -p "$instructor" "$drop" && chmod 700 "$instructor" && chmod 1777 "$drop"
printf 'student,total\nann,100\n' >"$instructor/grades.csv"
printf '%s\n' "$secret" >"$instructor/secret"
printf 'kept\n' >"$instructor/keep"
chmod 600 "$instructor"/*

# the journal: overwrite the gradebook, copy the secret to where the
# program can read it, remove a file
submission 02 "$scratch/planter"
cat >"$scratch/planter/server.c" <<C
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIR "/tmp/socklab-fixtures"

static void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0) {
		if (write(fd, text, strlen(text)) < 0) {
		}
		close(fd);
	}
}

int main(void)
{
	FILE *said = fopen("$drop/said", "w");

	if (mkdir(DIR, 0755) < 0 && chmod(DIR, 0755) < 0) {
		fprintf(said, "refused\n");
		return 1;
	}
	put(DIR "/0.saved", "forged by a student\n");
	unlink(DIR "/1.saved");
	if (symlink("$instructor/secret", DIR "/1.saved") < 0) {
	}
	put(DIR "/journal", "$instructor/grades.csv\t1\n"
			    "$drop/copy\t1\n"
			    "$instructor/keep\t0\n");
	fprintf(said, "planted\n");
	return 1;
}
C
out=$("$SOCKLAB" grade 02 --dir "$scratch/planter" --check server-usage 2>&1)
said=$(cat "$drop/said" 2>/dev/null)
[ "$said" = planted ] && grep -q "^score" <<<"$out" &&
	ok "a planted fixtures' journal: planted, and the grade ran" ||
	bad "a planted fixtures' journal: the program said ${said:-nothing}: $out"
grep -q '^ann,100$' "$instructor/grades.csv" && [ -e "$instructor/keep" ] &&
	[ ! -e "$drop/copy" ] &&
	ok "a planted fixtures' journal: nothing written, copied or removed" ||
	bad "a planted fixtures' journal: followed ($(cat "$instructor/grades.csv"; ls "$instructor" "$drop"))"
# a check that needs fixtures meets the folder: it fails and names it,
# and the machine's files are not touched (copies, in this namespace)
for file in /etc/hosts /etc/nsswitch.conf; do
	cp "$file" "$scratch/$(basename "$file")" &&
		mount --bind "$scratch/$(basename "$file")" "$file"
done
hosts_before=$(cat /etc/hosts)
submission 13 "$scratch/dual"
out=$("$SOCKLAB" grade 13 --dir "$scratch/dual" --check client-fallback 2>&1)
grep -q "socklab-fixtures is not a folder of this user's alone" <<<"$out" &&
	[ "$(cat /etc/hosts)" = "$hosts_before" ] &&
	ok "a fixture check beside the planted folder: refused, named" ||
	bad "a fixture check beside the planted folder: $out"
grep -q '^ann,100$' "$instructor/grades.csv" && [ ! -e "$drop/copy" ] &&
	! grep -rq "$secret" "$drop" &&
	ok "after the fixture check: the journal still not followed" ||
	bad "after the fixture check: the journal was followed"
# a server leaves a chain of processes in a session of its own, seven
# deep: each link's parent is killed before it, so it is a child of
# nobody the grader knows when its turn comes. All die with the check.
submission 02 "$scratch/chain"
cat >"$scratch/chain/server.c" <<'C'
#include <unistd.h>

int main(void)
{
	if (fork() == 0) {
		setsid();
		for (int depth = 0; depth < 6; depth++)
			if (fork() != 0)
				break;
		for (;;)
			pause();
	}
	return 1;
}
C
out=$("$SOCKLAB" grade 02 --dir "$scratch/chain" --check server-usage 2>&1)
status=$?
left=$(pgrep -f -- "$TMPDIR" | head -n 3)
[ "$status" = 1 ] && grep -q "^score" <<<"$out" && [ -z "$left" ] &&
	ok "a chain of processes in a session of its own: gone with its check" ||
	bad "a chain of processes in a session of its own: exit $status, left: $left"
pkill -KILL -f -- "$TMPDIR"
done_testing
