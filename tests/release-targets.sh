#!/usr/bin/env bash
# release-targets.sh [SOCKLAB] - the student release's Makefile offers
# only what works there: writes a release into a scratch folder, then
#   - make help lists no instructors' target (they need reference/ or
#     scripts the release leaves out);
#   - every target make help lists runs there without a missing command
#     or script (no Error 127), LAB=02 where it takes a lab; make test is
#     left to tests/batch.sh, which runs it in a clone of the release;
#   - make memcheck LAB=02 checks labs/ (there is no reference/) and
#     says so;
#   - an instructors' target says it is not part of the repository and
#     fails, instead of Error 127 or doing nothing.
# SOCKLAB is unused (the release builds its own); it is accepted so that
# every test script is run the same way.
set -u
passed=0
failed=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$(dirname "$0")/.." || exit 2

ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }

# a missing command, script or rule: what the release must never show
missing() { grep -E 'Error 127|command not found|No rule to make target' "$1"; }

release=$scratch/release
if ! scripts/student-release.sh "$release" >"$scratch/release.log" 2>&1; then
	bad "student release failed"
	tail -n 10 "$scratch/release.log"
	exit 1
fi
cd "$release" || exit 2
make -s help >"$scratch/help" 2>&1 || bad "make help fails in the release"

instructors="coverage bench mutate gradescope autolab student-release meta batch-test hostile interop"
listed=""
for target in $instructors; do
	grep -q "^make $target\b" "$scratch/help" && listed="$listed $target"
done
[ -z "$listed" ] && ok "make help lists no instructors' target" ||
	bad "make help lists instructors' targets:$listed"

# each line "make [TARGET] [KEY=value] [optional]...  what it does"
while IFS= read -r line; do
	words=$(printf '%s\n' "${line%%  *}" | tr ' ' '\n' | grep -v '^\[' | tail -n +2)
	target=$(printf '%s\n' "$words" | grep -v '=' | head -n 1)
	[ "$target" = test ] && continue
	args=$(printf '%s\n' "$words" | grep '=' | tr '\n' ' ')
	case " $args " in *" LAB="*) ;; *) [ "$target" = grade ] && args="$args LAB=02" ;; esac
	shown=$(printf 'make %s %s' "$target" "$args" | tr -s ' ' | sed 's/ $//')
	log=$scratch/make-${target:-default}.log
	# shellcheck disable=SC2086
	timeout 600 make $target $args </dev/null >"$log" 2>&1
	status=$?
	if [ "$status" = 127 ] || [ "$status" = 124 ] || missing "$log" >/dev/null; then
		bad "$shown: exit $status"
		missing "$log" || tail -n 5 "$log"
	else
		ok "$shown runs in the release (exit $status)"
	fi
done < <(grep '^make' "$scratch/help")

# memcheck (run above, as make help lists it): the student's labs/, named
if grep -q '^memcheck: lab 02 from labs/' "$scratch/make-memcheck.log" &&
	grep -q 'submission labs' "$scratch/make-memcheck.log"; then
	ok "make memcheck LAB=02 checks labs/ and says so"
else
	bad "make memcheck LAB=02 does not check labs/"
	tail -n 5 "$scratch/make-memcheck.log"
fi

make gradescope LAB=02 </dev/null >"$scratch/gradescope.log" 2>&1
status=$?
if [ "$status" != 0 ] && [ "$status" != 127 ] &&
	grep -q 'for instructors; not part of this repository' "$scratch/gradescope.log"; then
	ok "make gradescope says it is for instructors (exit $status)"
else
	bad "make gradescope in the release: exit $status"
	tail -n 5 "$scratch/gradescope.log"
fi

echo
echo "release-targets: $passed passed, $failed failed"
[ "$failed" = 0 ]
