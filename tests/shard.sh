#!/usr/bin/env bash
# shard.sh SOCKLAB - a class split into shards graded as parallel
# processes, then merged, gives what one batch of the whole class gives:
# the same gradebook, the same summary, the same per-student files; and
# merge refuses a student found in two shards and shards of another lab.
set -u
socklab=$(realpath "$1")
passed=0
failed=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }

class=$scratch/class
mkdir -p "$class/empty"
for student in ann bob cat dan eve fay gil; do
	cp -r reference/02-tcp-hello "$class/$student"
done
cp -r labs/02-tcp-hello "$class/stub"
cp -r reference/02-tcp-hello "$class/mut"
patch -s -d "$class/mut" -p1 <tests/mutants/02-tcp-hello/no-htons.patch
(cd reference && zip -qr "$class/zed.zip" 02-tcp-hello)

"$socklab" batch 02 "$class" --out "$scratch/whole" -j 2 --format github \
	2>"$scratch/whole.log"
for k in 1 2 3; do
	"$socklab" batch 02 "$class" --out "$scratch/shard$k" --shard "$k/3" -j 1 \
		--format github 2>"$scratch/shard$k.log" &
done
wait
"$socklab" merge --out "$scratch/merged" "$scratch/shard1" "$scratch/shard2" \
	"$scratch/shard3" 2>"$scratch/merge.log"

rows() { tail -n +2 "$1" | wc -l; }
total=0
for k in 1 2 3; do total=$((total + $(rows "$scratch/shard$k/gradebook.csv"))); done
[ "$total" = "$(rows "$scratch/whole/gradebook.csv")" ] &&
	[ "$(rows "$scratch/shard1/gradebook.csv")" -lt "$total" ] &&
	ok "shard: 3 shards hold the class once between them ($total students)" ||
	bad "shard: the shards hold $total rows, the class $(rows "$scratch/whole/gradebook.csv")"
for file in gradebook.csv summary.md; do
	cmp -s "$scratch/whole/$file" "$scratch/merged/$file" &&
		ok "merge: $file equals the one batch's" ||
		bad "merge: $file differs: $(diff "$scratch/whole/$file" "$scratch/merged/$file" | head -n 5)"
done
listing() { (cd "$1" && find . -type f ! -name students.tsv | sort); }
[ "$(listing "$scratch/whole")" = "$(listing "$scratch/merged")" ] &&
	ok "merge: the same per-student files as the one batch" ||
	bad "merge: per-student files differ"
# a shard is stable whatever else the class holds
mkdir -p "$scratch/smaller"
cp -r "$class/ann" "$class/bob" "$scratch/smaller/"
"$socklab" batch 02 "$scratch/smaller" --out "$scratch/small1" --shard 1/3 \
	2>/dev/null
for id in ann bob; do
	in_big=$(grep -c "^$id," "$scratch/shard1/gradebook.csv")
	in_small=$(grep -c "^$id," "$scratch/small1/gradebook.csv")
	[ "$in_big" = "$in_small" ] || bad "shard: $id moved between shards"
done
ok "shard: a student's shard does not depend on the rest of the class"

if "$socklab" merge --out "$scratch/twice" "$scratch/shard1" "$scratch/shard1" \
	2>"$scratch/twice.log"; then
	bad "merge: a student in two shards was accepted"
else
	grep -q "in two shards" "$scratch/twice.log" &&
		ok "merge: a student in two shards is refused" ||
		bad "merge: $(cat "$scratch/twice.log")"
fi
mkdir -p "$scratch/lab01"
cp -r reference/01-lookup "$scratch/lab01/ann"
"$socklab" batch 01 "$scratch/lab01" --out "$scratch/other" 2>/dev/null
if "$socklab" merge --out "$scratch/mixed" "$scratch/shard1" "$scratch/other" \
	2>"$scratch/mixed.log"; then
	bad "merge: shards of two labs were accepted"
else
	grep -q "not of lab" "$scratch/mixed.log" &&
		ok "merge: shards of another lab are refused" ||
		bad "merge: $(cat "$scratch/mixed.log")"
fi
"$socklab" batch 02 "$class" --out "$scratch/bad" --shard 4/3 2>"$scratch/bad.log"
[ $? = 2 ] && ok "shard: 4/3 is refused" || bad "shard: 4/3 was accepted"

echo
echo "shard: $passed passed, $failed failed"
[ "$failed" = 0 ]
