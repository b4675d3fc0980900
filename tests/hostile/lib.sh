# lib.sh - what every hostile test shares; sourced, never run.
#
# A hostile test plays a student who wants points without the work, or
# wants what is not theirs, and asserts the safe outcome: the score a
# stub gets, nothing of anyone else's in any output, nothing left
# running or written. Each test is one file, tests/hostile/NAME.sh, run
# by tests/hostile.sh with SOCKLAB set to the grader to attack.
set -u
: "${SOCKLAB:?SOCKLAB must name the grader}"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
scratch=$(mktemp -d)
# the grader's own temporary folders go here, so a test sees what is left
export TMPDIR=$scratch/tmp
mkdir -p "$TMPDIR"
chmod 755 "$scratch"
passed=0
failed=0
trap 'rm -rf "$scratch"' EXIT

ok() { passed=$((passed + 1)); printf 'ok   hostile %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf 'FAIL hostile %s\n' "$*"; }
done_testing() {
	[ "$failed" = 0 ]
}

# submission LAB DIR - DIR holds a copy of LAB's reference
submission() {
	mkdir -p "$2"
	cp "$here"/reference/"$1"-*/* "$2"/
}

# marker - a string that exists nowhere but where a test puts it
marker() { printf 'SECRET-%s-%s' "$$" "$RANDOM$RANDOM"; }

# total LAB DIR [ARGS] - "earned/possible" of a grade
total() {
	local lab=$1 dir=$2
	shift 2
	"$SOCKLAB" grade "$lab" --dir "$dir" --format tsv "$@" 2>/dev/null |
		awk -F'\t' '$1 == "total" { print $3 "/" $4 }'
}

# sandbox_processes PID - processes still in a control group of a sandbox
# of the socklab run PID (its groups are named socklab-PID-...)
sandbox_processes() {
	grep -l "socklab-$1-" /proc/[0-9]*/cgroup 2>/dev/null | head -n 3
}

# column GRADEBOOK ID NAME - the value of column NAME in student ID's row
column() {
	awk -F, -v id="$2" -v name="$3" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) col = i }
		NR > 1 && $1 == id { print $col }' "$1"
}

# include_bomb FILE - makes the C file FILE include itself twice per level,
# 40 levels deep: it would compile for ever (its own code is compiled at
# the top level only). The lab's headers are given, so the bomb is in a
# file the student writes.
include_bomb() {
	{
		printf '#if __INCLUDE_LEVEL__ < 40\n#include __FILE__\n#include __FILE__\n#endif\n#if __INCLUDE_LEVEL__ == 0\n'
		cat "$1"
		printf '#endif\n'
	} >"$1.bomb"
	mv "$1.bomb" "$1"
}
