#!/usr/bin/env bash
# A machine without sealed sandboxes (no user namespaces): submissions
# would run with the grader's own rights.
# Safe outcome: grading other people's code (batch, an export format) is
# refused unless the instructor says --unconfined, and then every report
# says DEGRADED and the grades are right; a student grading their own
# work may, with the warning; a daemon that escapes is stopped all the
# same; behind a uid barrier no other uid reads a build's sources.
source "$(dirname "$0")/lib.sh"
export SOCKLAB_NO_NAMESPACES=1

submission 02 "$scratch/class/ann"
out=$("$SOCKLAB" batch 02 "$scratch/class" --out "$scratch/grades" 2>&1)
status=$?
[ "$status" = 2 ] && grep -q -- "--unconfined" <<<"$out" &&
	[ ! -e "$scratch/grades/gradebook.csv" ] &&
	ok "batch without sandboxes: refused, --unconfined named" ||
	bad "batch without sandboxes: exit $status: $out"
out=$("$SOCKLAB" grade 02 --dir "$scratch/class/ann" --format gradescope 2>&1)
status=$?
[ "$status" = 2 ] && grep -q -- "--unconfined" <<<"$out" &&
	ok "export without sandboxes: refused" ||
	bad "export without sandboxes: exit $status"
"$SOCKLAB" batch 02 "$scratch/class" --out "$scratch/grades" --unconfined \
	>"$scratch/batch.log" 2>&1
# (as root, behind a uid barrier: each student's compiler and programs
# run as a uid of their own, and must still reach their build)
ann=$(column "$scratch/grades/gradebook.csv" ann total)
grep -q DEGRADED "$scratch/batch.log" && grep -q DEGRADED "$scratch/grades/ann.txt" &&
	[ "$ann" = 100 ] &&
	ok "batch --unconfined: runs, says DEGRADED, grades the reference 100" ||
	bad "batch --unconfined: DEGRADED not said, or the reference got ${ann:-nothing}"
out=$("$SOCKLAB" grade 02 --dir "$scratch/class/ann" 2>&1)
grep -q DEGRADED <<<"$out" &&
	ok "a student's own grade without sandboxes: runs, says DEGRADED" ||
	bad "a student's own grade without sandboxes: no DEGRADED"
# a daemon escapes the process group a degraded sandbox has: it is
# found among the grader's children and stopped, and the report comes
submission 02 "$scratch/daemon"
cat >"$scratch/daemon/server.c" <<'C'
#include <unistd.h>

int main(void)
{
	if (fork() == 0) {
		setsid();
		for (;;)
			pause();
	}
	return 0;
}
C
out=$("$SOCKLAB" grade 02 --dir "$scratch/daemon" 2>&1)
status=$?
left=$(pgrep -f -- "$TMPDIR" | head -n 3)
[ "$status" = 1 ] && grep -q "^score" <<<"$out" && [ -z "$left" ] &&
	ok "a daemon without sandboxes: stopped, the report is there" ||
	bad "a daemon without sandboxes: exit $status, left: $left"
# the machine's lock (a check that needs the network to itself waits
# for it): a program that takes it would stall every grading of this
# user. Its folder is the grader's alone; the program says what it got
# in a folder every user may write.
drop=$scratch/drop
mkdir -p "$drop" && chmod 1777 "$drop"
submission 02 "$scratch/locker"
cat >"$scratch/locker/server.c" <<C
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int main(void)
{
	char dir[64], path[512];
	FILE *out = fopen("$drop/said", "w");
	DIR *d;
	struct dirent *e;

	snprintf(dir, sizeof(dir), "/tmp/socklab-locks-%d", $(id -u));
	d = opendir(dir);
	if (!d) {
		fprintf(out, "refused: %s\n", strerror(errno));
		return 0;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			int fd;

			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			fd = open(path, O_RDONLY);
			if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
				fprintf(out, "held %s\n", path);
		}
	fprintf(out, "listed\n");
	return 0;
}
C
"$SOCKLAB" grade 02 --dir "$scratch/locker" --check stop-signal >/dev/null 2>&1
said=$(cat "$drop/said" 2>/dev/null)
grep -q "^refused" <<<"$said" &&
	ok "the machine's lock: out of a student program's reach ($said)" ||
	bad "the machine's lock: the program said: ${said:-nothing}"
# behind a uid barrier a compiler's command line (in the machine's /proc)
# names its build folder: another uid that goes there reads none of the
# sources the compiler read
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	"$SOCKLAB" grade 02 --dir "$scratch/class/ann" --check build --keep \
		>/dev/null 2>&1
	kept=$(ls -d "$TMPDIR"/socklab.* 2>/dev/null | head -n 1)
	if [ ! -f "$kept/src/server.c" ]; then
		bad "a build's sources behind a uid barrier: no kept build in $TMPDIR"
	elif setpriv --reuid 54321 --regid 54321 --clear-groups \
		cat "$kept/src/server.c" >/dev/null 2>&1; then
		bad "a build's sources behind a uid barrier: another uid reads them"
	else
		ok "a build's sources behind a uid barrier: no other uid reads them"
	fi
	rm -rf "$kept"
else
	echo "SKIP hostile a build's sources behind a uid barrier: needs root and setpriv"
fi
done_testing
