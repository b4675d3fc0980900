#!/usr/bin/env bash
# build.sh SOCKLAB LAB OUTDIR - the two files Autolab takes for an
# autograded assessment of one lab, in OUTDIR/NN-name/:
#   autograde.tar       socklab's sources (scripts/grader-sources.sh) and
#                       the script that grades a handin in the VM
#   autograde-Makefile  Autolab copies it into the VM as Makefile next to
#                       autograde.tar and the student's handin.tar and
#                       runs make; its last line is the scores line
# and problems.txt: the names and maximum scores of the problems the
# assessment must define in Autolab (one per check, hidden ones marked).
set -eu
socklab=$(realpath "$1")
lab=$2
out=$3
cd "$(dirname "$0")/../.."
name=$("$socklab" list | awk -v lab="$lab" '
	$1 ~ "^0*" lab "-" || $1 == lab || substr($1, 4) == lab { print $1; exit }')
if [ -z "$name" ]; then
	echo "autolab: no lab \"$lab\"; socklab list shows them" >&2
	exit 2
fi
number=${name%%-*}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# The problems are the checks, hidden ones included: their ids and
# points, from grading an empty folder (every check fails at once).
mkdir "$stage/empty"
"$socklab" grade "$name" --dir "$stage/empty" --hidden --format tsv -j 1 \
	2>/dev/null | awk -F'\t' '$1 != "total" { print $1 "\t" $4 }' >"$stage/problems"
if [ ! -s "$stage/problems" ] || grep -qv '^[a-z0-9][a-z0-9-]*	[0-9][0-9]*$' "$stage/problems"; then
	echo "autolab: could not list the checks of $name" >&2
	exit 1
fi
public=$("$socklab" rubric "$name" | sed -n 's/^| `\([^`]*\)` .*/\1/p')
zero=$(awk -F'\t' '{ printf "%s\"%s\": 0", (NR > 1 ? ", " : ""), $1 }' "$stage/problems")

mkdir "$stage/socklab"
scripts/grader-sources.sh "$stage/socklab" "$name"
mkdir -p "$stage/socklab/scripts/autolab"
cp scripts/autolab/grade.sh "$stage/socklab/scripts/autolab/"

dest=$out/$name
mkdir -p "$dest"
tar -cf "$dest/autograde.tar" -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner socklab
cat >"$dest/autograde-Makefile" <<MAKEFILE
# Autolab's autograder for socklab lab $name. Autolab copies this file
# as Makefile into an empty folder of the grading VM, next to
# autograde.tar and the student's submission, renamed to the assessment's
# handin filename (HANDIN), and runs make; the last line of the output is
# the scores line. When grading cannot even start, every problem scores 0
# and the output says why.
HANDIN = handin.tar

all:
	@tar -xf autograde.tar && socklab/scripts/autolab/grade.sh $number \$(HANDIN) || \\
	  echo '{"scores": {$zero}}'

clean:
	rm -rf socklab
MAKEFILE
{
	printf 'Autolab problems of %s (name, max score):\n' "$name"
	while IFS=$'\t' read -r id points; do
		if printf '%s\n' "$public" | grep -qx -- "$id"; then
			printf '%s\t%s\n' "$id" "$points"
		else
			printf '%s\t%s\thidden: on top of the public 100\n' "$id" "$points"
		fi
	done <"$stage/problems"
} >"$dest/problems.txt"
echo "Autolab autograder for $name in $dest/:"
echo "  autograde.tar, autograde-Makefile (the handin file: handin.tar)"
cat "$dest/problems.txt"
