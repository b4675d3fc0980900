#!/usr/bin/env bash
# handouts.sh SOCKLAB OUTDIR  - refresh each handout's rubric from its check
#                               table, then write HTML handouts to OUTDIR.
# handouts.sh --check SOCKLAB - fail if a handout's rubric is out of date.
set -eu
check=0
if [ "${1:-}" = --check ]; then
	check=1
	shift
fi
socklab=$1
out=${2:-bin/handouts}
status=0

for handout in handouts/[0-9][0-9]-*.md; do
	lab=$(basename "$handout" .md)
	rubric=$("$socklab" rubric "$lab")
	# the rubric goes through the environment: awk -v would expand escapes
	fresh=$(RUBRIC="$rubric" awk '
		/<!-- rubric:begin -->/ { print; print ENVIRON["RUBRIC"]; skip = 1; next }
		/<!-- rubric:end -->/ { skip = 0 }
		!skip { print }' "$handout")
	if ! grep -q '<!-- rubric:begin -->' "$handout"; then
		echo "$handout: no <!-- rubric:begin --> marker" >&2
		status=1
	elif [ "$check" = 1 ]; then
		if [ "$fresh" != "$(cat "$handout")" ]; then
			echo "$handout: rubric differs from 'socklab rubric $lab'; run make handouts" >&2
			status=1
		fi
	elif [ "$fresh" != "$(cat "$handout")" ]; then
		printf '%s\n' "$fresh" >"$handout"
		echo "refreshed the rubric of $handout"
	fi
done
[ "$check" = 1 ] && exit "$status"

scripts/install-deps.sh handouts
mkdir -p "$out"
# GitHub-flavoured Markdown, as the handouts are written and read on
# GitHub: pandoc's own Markdown reads "\n" in text as TeX and drops it,
# and curls quotes. The handout's first heading is its one title; it
# names the page (pagetitle) without a second title block above it.
for handout in handouts/[0-9][0-9]-*.md; do
	title=$(sed -n 's/^# //p' "$handout" | head -n 1)
	pandoc --from gfm --to html5 --standalone \
		--metadata pagetitle="${title:-$(basename "$handout" .md)}" \
		-o "$out/$(basename "$handout" .md).html" "$handout"
done
echo "HTML handouts in $out/"
exit "$status"
