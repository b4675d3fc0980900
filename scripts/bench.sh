#!/usr/bin/env bash
# bench.sh [ROUNDS] - how fast socklab grades, each figure next to a
# baseline measured in the same run (absolute times vary from machine to
# machine; ratios carry over):
#   1. the course: `socklab grade all --dir reference` (wall and CPU time,
#      the median of ROUNDS runs, default 3), every program compiled
#      (cold), against the labs graded one after another, each with one
#      check per core at a time; and the course again with its builds
#      kept from a run before (warm: `make grade` once nothing changed);
#   2. each lab's time in the course run, and the per-check medians next
#      to the floor (an empty sandbox starting one process), with the CPU
#      time each check's processes used (what a check costs the others);
#   3. batch: the bench class (labs 01 and 02, references and mutants)
#      graded at -j1 and -j2 (the batch keeps to that many cores), in
#      submissions x lab per minute;
#   4. the reference port scanner against nmap -sT, and the benchmarks of
#      the labs that have one (scripts/bench-NN-*.sh).
# Run from the top folder, after make.
set -u
rounds=${1:-3}
socklab=bin/socklab
[ -x "$socklab" ] || { echo "bench.sh: build $socklab first (make)" >&2; exit 2; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
labs=$(cd reference && ls -d [0-9][0-9]-* | tr '\n' ' ')
cores=$(nproc)

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# timed NAME COMMAND... - runs COMMAND; appends "wall cpu" (seconds) to
# $scratch/NAME.times, CPU being user + system of it and its children
timed() {
	local name=$1 start end before after
	shift
	before=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
	start=$(date +%s%N)
	"$@" >"$scratch/$name.out" 2>&1
	end=$(date +%s%N)
	# the children's CPU, once waited for, is in this shell's cutime/cstime
	after=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
	awk -v ns=$((end - start)) -v ticks=$((after - before)) \
		-v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.2f %.2f\n", ns / 1e9, ticks / hz }' \
		>>"$scratch/$name.times"
}

sequential() {
	for lab in $labs; do
		"$socklab" grade "$lab" --dir reference -j "$cores" || return 1
	done
}

echo "socklab bench: $cores cores, $rounds rounds, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "1. the course, every reference graded"
# the warm runs' builds, kept by a run before them
"$socklab" grade all --dir reference --build-cache "$scratch/builds" >/dev/null 2>&1
for _ in $(seq "$rounds"); do
	# alternate, so that none always runs on a warm machine
	timed course "$socklab" grade all --dir reference
	timed sequential sequential
	timed warm "$socklab" grade all --dir reference --build-cache "$scratch/builds"
done
course_wall=$(cut -d' ' -f1 "$scratch/course.times" | median)
course_cpu=$(cut -d' ' -f2 "$scratch/course.times" | median)
seq_wall=$(cut -d' ' -f1 "$scratch/sequential.times" | median)
seq_cpu=$(cut -d' ' -f2 "$scratch/sequential.times" | median)
warm_wall=$(cut -d' ' -f1 "$scratch/warm.times" | median)
warm_cpu=$(cut -d' ' -f2 "$scratch/warm.times" | median)
printf '   grade all (labs at once)   %6.1f s wall  %6.1f s CPU  (%s)\n' \
	"$course_wall" "$course_cpu" "$(cut -d' ' -f1 "$scratch/course.times" | tr '\n' ' ')"
printf '   the same, builds kept      %6.1f s wall  %6.1f s CPU  (%s)\n' \
	"$warm_wall" "$warm_cpu" "$(cut -d' ' -f1 "$scratch/warm.times" | tr '\n' ' ')"
printf '   one lab after another      %6.1f s wall  %6.1f s CPU  (%s)\n' \
	"$seq_wall" "$seq_cpu" "$(cut -d' ' -f1 "$scratch/sequential.times" | tr '\n' ' ')"
awk -v a="$course_wall" -v b="$seq_wall" -v c="$course_cpu" -v n="$cores" \
	'BEGIN { printf "   ratio %.2f of the sequential time; CPU busy %.0f%% of the %d cores\n", a / b, 100 * c / (a * n), n }'
awk -v a="$warm_wall" -v b="$course_wall" \
	'BEGIN { printf "   builds kept: ratio %.2f of the cold course\n", a / b }'
grep -A 40 "^course:" "$scratch/course.out" | sed 's/^/   /'

echo
echo "2. per check, next to the floor, and the CPU time it used"
"$socklab" bench --rounds "$rounds" | sed 's/^/   /'

echo
echo "3. batch (the bench class: labs 01 and 02, references and mutants)"
tests/batch.sh --bench "$socklab" | sed 's/^/   /'

echo
echo "4. the labs' own benchmarks"
for script in scripts/bench-portscan.sh scripts/bench-[0-9][0-9]-*.sh; do
	[ -x "$script" ] || continue
	echo "   $script"
	"$script" | sed 's/^/     /'
done
