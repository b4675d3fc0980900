#!/usr/bin/env bash
# Test drivers (labs 02, 09, 11, 12, 13) link the student's file into a
# program of the grader's and judge it from inside the same process. A
# submission that does no work tries to make the driver say every case
# passed: by printing the driver's last line from a constructor (with
# the token the harness hands the driver, read first), by replacing the
# C library's memcmp and printf the driver judges with, and by ending a
# driver from the student's own function with a forged line. Two more
# hide what the build and memory checks count: a #pragma that silences a
# warning, and a sanitizer hook that turns the leak checker off.
# Safe outcome: each scores what the stubs score, and the build check
# names what was refused.
source "$(dirname "$0")/lib.sh"

stub=$(total 11 "$here/labs")

# stub LAB DIR - DIR holds LAB's stubs, the given files with them
stub() {
	mkdir -p "$2"
	cp "$here"/labs/"$1"-*/* "$2"/
}

# refused LAB DIR WORDS - the build check's message names WORDS
refused() {
	"$SOCKLAB" grade "$1" --dir "$2" --check build 2>&1 | tr -s ' \n' ' ' |
		grep -q "$3"
}

dir=$scratch/ctor
stub 11 "$dir"
cat >>"$dir/queue.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <unistd.h>
__attribute__((constructor)) static void forge(void)
{
	char token[64] = "";

	if (fgets(token, sizeof(token), stdin))
		token[strcspn(token, "\n")] = '\0';
	printf("cases: 5 run, 0 failed, token %s\n", token);
	fflush(stdout);
	_exit(0);
}
C
got=$(total 11 "$dir")
[ "$got" = "$stub" ] && refused 11 "$dir" "constructor" &&
	ok "constructor forging the driver's line: $got, as the stubs" ||
	bad "constructor forging the driver's line: $got, the stubs $stub"

dir=$scratch/interpose
stub 11 "$dir"
cat >>"$dir/queue.c" <<'C'
#include <stddef.h>
int memcmp(const void *a, const void *b, size_t n)
{
	(void)a;
	(void)b;
	(void)n;
	return 0;
}
int strcmp(const char *a, const char *b)
{
	(void)a;
	(void)b;
	return 0;
}
C
got=$(total 11 "$dir")
[ "$got" = "$stub" ] && refused 11 "$dir" "define memcmp, strcmp" &&
	ok "memcmp and strcmp replaced in the driver: $got, as the stubs" ||
	bad "memcmp and strcmp replaced in the driver: $got, the stubs $stub"

# a function the driver calls that prints a forged line and leaves: it
# cannot know this run's token
dir=$scratch/early-exit
stub 11 "$dir"
cat >>"$dir/queue.c" <<'C'
#include <stdio.h>
#include <unistd.h>
__attribute__((unused)) static void leave(void)
{
	printf("cases: 5 run, 0 failed, token 00000000000000000000000000000000\n");
	fflush(stdout);
	_exit(0);
}
C
python3 - "$dir/queue.c" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
# every function of the stub leaves with the forged line first
s = re.sub(r'(\nint queue_\w+\([^)]*\)\n\{\n)', r'\1\tleave_now();\n', s)
s = s.replace('#include "pool.h"', '#include "pool.h"\nstatic void leave_now(void);', 1)
s += '\nstatic void leave_now(void)\n{\n\tleave();\n}\n'
open(p, 'w').write(s)
PY
got=$(total 11 "$dir")
calls=$(grep -c 'leave_now();' "$dir/queue.c")
[ "$got" = "$stub" ] && [ "$calls" -ge 3 ] &&
	ok "a forged line without the token: $got, as the stubs" ||
	bad "a forged line without the token: $got, the stubs $stub"

# lab 02: a warning silenced by a pragma; a leak hidden by a hook
dir=$scratch/pragma
submission 02 "$dir"
sed -i '1i #pragma GCC diagnostic ignored "-Wunused-variable"' "$dir/server.c"
refused 02 "$dir" "#pragma" &&
	ok "a #pragma in server.c: refused by name" ||
	bad "a #pragma in server.c was not refused"

dir=$scratch/lsan-hook
submission 02 "$dir"
printf 'int __lsan_is_turned_off(void)\n{\n\treturn 1;\n}\n' >>"$dir/client.c"
refused 02 "$dir" "sanitizers" &&
	ok "a leak checker hook in client.c: refused by name" ||
	bad "a leak checker hook in client.c was not refused"

done_testing
