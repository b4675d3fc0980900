#!/usr/bin/env bash
# meta.sh SOCKLAB LAB... - proves the grader on each lab:
#   the reference scores full marks (REFERENCE_RUNS times, default 3);
#   the stubs score zero, fail every check, and finish within 30 s;
#   each mutant fails exactly the checks its "Fails:" line names (hidden
#   checks included: the meta tests grade as the course does), and may
#   fail those of an "Also:" line too (a race or a deadline its mistake
#   shows on some runs only, said in the Why: line);
#   every check is caught by at least one mutant;
#   each hostile submission is reported by name and leaves nothing running;
#   every handout's rubric is the one its check table prints.
# A check that passes in more than half its deadline gets a "note" line:
# not a failure, but a grade a loaded machine may flip.
set -u
socklab=$1
shift
runs=${REFERENCE_RUNS:-3}
passed=0
failed=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }

# grade LAB DIR - tab-separated results on stdout
grade() { "$socklab" grade "$1" --dir "$2" --hidden --format tsv 2>&1; }
failing() { awk -F'\t' '$1 != "total" && $2 != "pass" { print $1 }' | sort | tr '\n' ' '; }
total() { awk -F'\t' '$1 == "total" { print $3 "/" $4 }'; }
# close_calls - the checks that passed in more than half their deadline:
# on a loaded machine they may not, so the grade of such a submission is a
# coin toss (printed, for whoever tunes a check or a mutant)
close_calls() { awk -F'\t' '$2 == "pass" && $6 > 0 && $5 * 2 > $6 { printf "%s (%d of %d ms) ", $1, $5, $6 }'; }
# note_close WHAT RESULT - a note line when RESULT has close calls
note_close() {
	local close
	close=$(close_calls <<<"$2")
	[ -z "$close" ] || printf 'note %s passed near a deadline: %s\n' "$1" "$close"
}
# without "ALSO" "LIST" - the ids of LIST not in ALSO, sorted, a space after each
without() { for id in $2; do case " $1 " in *" $id "*) ;; *) echo "$id" ;; esac; done | sort | tr '\n' ' '; }

# processes still running a program built under folder $1
leftovers() { pgrep -af -- "$1" | head -n 3; }

for lab in "$@"; do
	for i in $(seq "$runs"); do
		result=$(grade "$lab" reference)
		score=$(total <<<"$result")
		note_close "$lab reference run $i" "$result"
		if [ "${score%/*}" = "${score#*/}" ] && [ -n "$score" ]; then
			ok "$lab reference run $i: $score"
		else
			bad "$lab reference run $i: $score, failing: $(failing <<<"$result")"
		fi
	done

	start=$(date +%s%N)
	result=$(grade "$lab" labs)
	ms=$((($(date +%s%N) - start) / 1000000))
	score=$(total <<<"$result")
	passing=$(awk -F'\t' '$1 != "total" && $2 == "pass" { print $1 }' <<<"$result" | tr '\n' ' ')
	if [ "${score%/*}" = 0 ] && [ -z "$passing" ] && [ "$ms" -lt 30000 ]; then
		ok "$lab stubs: $score in $ms ms"
	else
		bad "$lab stubs: $score in $ms ms, passing: $passing"
	fi

	caught=""
	for mutant in tests/mutants/"$lab"/*.patch; do
		[ -e "$mutant" ] || continue
		name=$(basename "$mutant" .patch)
		dir="$scratch/$lab-$name"
		mkdir -p "$dir"
		cp reference/"$lab"/* "$dir"/
		if ! patch -s -d "$dir" -p1 <"$mutant" >/dev/null; then
			bad "$lab mutant $name: patch does not apply"
			continue
		fi
		want=$(sed -n 's/^Fails: *//p' "$mutant" | tr ' ' '\n' | grep . | sort | tr '\n' ' ')
		also=$(sed -n 's/^Also: *//p' "$mutant")
		result=$(grade "$lab" "$dir")
		got=$(failing <<<"$result")
		note_close "$lab mutant $name" "$result"
		caught="$caught $(without "$also" "$got")"
		if [ -n "$want" ] && [ "$want" = "$(without "$also" "$got")" ]; then
			ok "$lab mutant $name caught by: $got"
		else
			bad "$lab mutant $name: expected to fail [$want], failed [$got]"
		fi
	done
	for id in $("$socklab" grade "$lab" --dir reference --hidden --format tsv | awk -F'\t' '$1 != "total" { print $1 }'); do
		case " $caught " in
		*" $id "*) ;;
		*) bad "$lab check $id is not caught by any mutant" ;;
		esac
	done
done

# hostile submissions: each replaces one file of a reference
for hostile in tests/hostile/*.c; do
	[ -e "$hostile" ] || continue
	name=$(basename "$hostile" .c)
	lab=$(sed -n 's/^ \* Lab: *//p' "$hostile")
	file=$(sed -n 's/^ \* Replaces: *//p' "$hostile")
	expect=$(sed -n 's/^ \* Expect: *//p' "$hostile")
	case " $* " in *" $lab "*) ;; *) continue ;; esac
	dir="$scratch/hostile-$name"
	mkdir -p "$dir"
	cp reference/"$lab"/* "$dir"/
	cp "$hostile" "$dir/$file"
	mkdir -p "$dir.tmp"
	start=$(date +%s%N)
	out=$(TMPDIR="$dir.tmp" timeout 120 "$socklab" grade "$lab" --dir "$dir" 2>&1)
	status=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	left=$(leftovers "$dir.tmp")
	if [ "$status" = 1 ] && grep -qF -- "$expect" <<<"$out" && [ -z "$left" ]; then
		ok "$lab hostile $name: reported as \"$expect\" in $ms ms, nothing left running"
	else
		bad "$lab hostile $name: exit $status, \"$expect\" $(grep -qF -- "$expect" <<<"$out" && echo found || echo 'not found'), left: ${left:-none}"
		printf '%s\n' "$out" | tail -n 20
	fi
done

# every handout's rubric is the one its check table prints
if scripts/handouts.sh --check "$socklab" 2>"$scratch/handouts.err"; then
	ok "every handout's rubric matches its check table"
else
	bad "handouts: $(cat "$scratch/handouts.err")"
fi

echo
echo "meta: $passed passed, $failed failed"
[ "$failed" = 0 ]
