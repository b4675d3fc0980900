#!/usr/bin/env bash
# autolab.sh SOCKLAB - proves the Autolab autograder of lab 02 the way
# Autolab runs it: builds autograde.tar and autograde-Makefile, then for
# each handin an empty folder holding autograde.tar, autograde-Makefile as
# Makefile and the handin as handin.tar, where `make` runs (socklab is
# built there from autograde.tar). The last line of the output must be
# the scores line: valid JSON, one key per check of the lab (hidden ones
# included), the reference at every check's maximum (100 public points),
# the stubs at 0; a handin without the lab's files scores 0 and says why.
set -u
socklab=$(realpath "${1:-bin/socklab}")
passed=0
failed=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$(dirname "$0")/.." || exit 2
root=$(pwd)

ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }

if ! scripts/autolab/build.sh "$socklab" 02 "$scratch/package" >"$scratch/build.log" 2>&1; then
	bad "make autolab LAB=02 failed"
	tail -n 10 "$scratch/build.log"
	exit 1
fi
package=$scratch/package/02-tcp-hello
for f in autograde.tar autograde-Makefile problems.txt; do
	[ -s "$package/$f" ] || bad "the package has no $f"
done
# every check of the lab, hidden ones too, with its points
mkdir "$scratch/empty"
"$socklab" grade 02 --dir "$scratch/empty" --hidden --format tsv -j 1 2>/dev/null |
	awk -F'\t' '$1 != "total" { print $1 "\t" $4 }' >"$scratch/checks"
public=$("$socklab" rubric 02 | sed -n 's/^| `\([^`]*\)` .*/\1/p' | tr '\n' ' ')

# autolab NAME HANDIN-MAKER... - a fresh grading folder NAME whose
# handin.tar the command writes (in that folder); runs make there as
# Autolab does, with nothing of the caller's make in the environment
autolab() {
	local name=$1 dir=$scratch/$1
	shift
	mkdir -p "$dir"
	cp "$package/autograde.tar" "$dir/"
	cp "$package/autograde-Makefile" "$dir/Makefile"
	(cd "$dir" && "$@") || { bad "$name: could not write the handin"; return 1; }
	(cd "$dir" && timeout 900 env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make </dev/null >output 2>&1)
	echo "$?" >"$dir/status"
}

# verdict NAME WANT - WANT is max (every check at its maximum) or zero
verdict() {
	local name=$1 want=$2 dir=$scratch/$1 why
	if [ "$(cat "$dir/status")" != 0 ]; then
		bad "$name: make exited $(cat "$dir/status") (Autolab would show an error)"
		tail -n 5 "$dir/output"
		return
	fi
	why=$(tail -n 1 "$dir/output" | python3 -c '
import json, sys
want, checks_file, public = sys.argv[1], sys.argv[2], sys.argv[3].split()
checks = dict(line.rstrip("\n").split("\t") for line in open(checks_file))
try:
    line = json.loads(sys.stdin.read())
except ValueError as e:
    sys.exit("the last line is not JSON: %s" % e)
scores = line.get("scores") if isinstance(line, dict) else None
if not isinstance(scores, dict) or list(line) != ["scores"]:
    sys.exit("the last line is not {\"scores\": {...}}")
if set(scores) != set(checks):
    sys.exit("keys %s, not the checks %s" % (sorted(scores), sorted(checks)))
for check, points in scores.items():
    expected = int(checks[check]) if want == "max" else 0
    if points != expected:
        sys.exit("%s scored %r, expected %d" % (check, points, expected))
total = sum(scores[c] for c in public)
if total != (100 if want == "max" else 0):
    sys.exit("public total %d" % total)
print("public total %d" % total)
' "$want" "$scratch/checks" "$public" 2>&1)
	if [ $? = 0 ]; then
		ok "$name: the last line is the scores line, $why"
	else
		bad "$name: $why"
		tail -n 3 "$dir/output"
	fi
}

# the reference, inside a folder of a repository, as a student's whole
# work folder would be packed (the lab's files three folders down)
reference() {
	mkdir -p mywork/labs
	cp -R "$root/reference/02-tcp-hello" mywork/labs/
	tar -cf handin.tar mywork
}
autolab reference reference && verdict reference max
grep -q '^score 100/100' "$scratch/reference/output" &&
	ok "reference: the report shows 100/100 above the scores line" ||
	bad "reference: no 'score 100/100' in the report"

# the stubs, as a gzipped tar of the lab's folder: Autolab renames any
# upload to handin.tar, and socklab reads the archive by its content
stubs() { tar -czf handin.tar -C "$root/labs" 02-tcp-hello; }
autolab stubs stubs && verdict stubs zero

# an archive without the lab's files: zeros, and the reason in the output
nothing() {
	mkdir other && echo 'int main(void) { return 0; }' >other/main.c
	tar -cf handin.tar other
}
autolab nothing nothing && verdict nothing zero
grep -q "none of the lab's files" "$scratch/nothing/output" &&
	ok "nothing: the output says the lab's files were not found" ||
	bad "nothing: the output does not say why it scored 0"

echo
echo "autolab: $passed passed, $failed failed"
[ "$failed" = 0 ]
