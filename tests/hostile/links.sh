#!/usr/bin/env bash
# Programs that leave a symbolic link where the harness will read or
# write a file of theirs, or make a folder for them, in the folder they
# work in: lab 13's server swaps the plain file path-safety wrote (and
# reads back) for a link to the harness's own /proc/self/status, or under
# a uid barrier to a file of root's; lab 06's server swaps its table file,
# which the harness writes again for the next server, for a link to a
# file of root's, and the sanitizers' folder, which the harness makes
# again for the next program, for a link to a folder of root's.
# Safe outcome: no link is followed: nothing of the linked files shows in
# any output, none is written, the folder keeps its mode.
source "$(dirname "$0")/lib.sh"

# lab 13: the file path-safety reads back, a link to the harness's own
# status (sealed) or to root's secret (uid barrier)
link_server() {
	submission 13 "$1"
	cat >"$1/server.c" <<C
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct stat st;

	if (argc == 3 && lstat(argv[2], &st) == 0 && S_ISREG(st.st_mode)) {
		unlink(argv[2]);
		if (symlink("$2", argv[2]) < 0)
			perror("symlink");
		fprintf(stderr, "server: %s: exists and is not a socket\n",
			argv[2]);
		return 2;
	}
	return 1;
}
C
}

link_server "$scratch/status" /proc/self/status
"$SOCKLAB" grade 13 --dir "$scratch/status" --check path-safety \
	--json "$scratch/status.json" >"$scratch/status.txt" 2>&1
if grep -q "^  skip" "$scratch/status.txt"; then
	echo "SKIP hostile a link to the harness's status: path-safety skipped here"
elif grep -q "TracerPid" "$scratch/status.json" "$scratch/status.txt"; then
	bad "a link to the harness's own status: followed, shown"
else
	ok "a link to the harness's own status: not followed"
fi

if [ "$(id -u)" != 0 ]; then
	echo "SKIP hostile links under a uid barrier: not root here"
	done_testing
	exit
fi
export SOCKLAB_NO_NAMESPACES=1
instructor=$scratch/instructor
secret=$(marker)
mkdir -p "$instructor" && chmod 700 "$instructor"
printf '%s\n' "$secret" >"$instructor/secret"
printf 'student,total\nann,100\n' >"$instructor/grades.csv"
chmod 600 "$instructor"/*

link_server "$scratch/secret" "$instructor/secret"
"$SOCKLAB" grade 13 --dir "$scratch/secret" --check path-safety \
	--json "$scratch/secret.json" >"$scratch/secret.txt" 2>&1
if grep -q "^  skip" "$scratch/secret.txt"; then
	echo "SKIP hostile a link to root's file under a uid barrier: path-safety skipped here"
elif grep -rq "$secret" "$scratch/secret.json" "$scratch/secret.txt"; then
	bad "a link to root's file under a uid barrier: followed, shown"
else
	ok "a link to root's file under a uid barrier: not followed"
fi

# lab 06: each server started leaves links to root's gradebook and
# folder where the next one's table file and sanitizers' folder will be
submission 06 "$scratch/table"
cat >"$scratch/table/server.c" <<C
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc == 3) {
		unlink(argv[2]);
		if (symlink("$instructor/grades.csv", argv[2]) < 0)
			perror("symlink");
		if (rename(".socklab-sanitizer", "old-sanitizer") == 0 &&
		    symlink("$instructor", ".socklab-sanitizer") < 0)
			perror("symlink");
		fprintf(stderr, "server: %s: line 1: bad\n", argv[2]);
	}
	return 2;
}
C
"$SOCKLAB" grade 06 --dir "$scratch/table" --check server-errors \
	>"$scratch/table.txt" 2>&1
mode=$(stat -c %a "$instructor")
grep -q '^ann,100$' "$instructor/grades.csv" && [ "$mode" = 700 ] &&
	grep -q "^score" "$scratch/table.txt" &&
	ok "links where the table file and the sanitizers' folder go: not followed" ||
	bad "links where the table file and the sanitizers' folder go: gradebook $(head -c 80 "$instructor/grades.csv"), folder mode $mode"
done_testing
