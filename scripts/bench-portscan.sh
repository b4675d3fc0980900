#!/usr/bin/env bash
# bench-portscan.sh [ROUNDS] - times the lab 08 reference scanner against
# nmap's connect scan (-sT), both over every TCP port of 127.0.0.1, ROUNDS
# times each (default 5), and prints the median of each and their ratio.
# Loopback only. Run from the top folder, after make.
set -eu
rounds=${1:-5}
socklab=bin/socklab
[ -x "$socklab" ] || { echo "bench-portscan.sh: build $socklab first (make)" >&2; exit 2; }
scripts/install-deps.sh bench

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$socklab" build 08 --dir reference --out "$scratch/build" >/dev/null

# seconds NAME COMMAND... - wall time of one run, in seconds; output kept
seconds() {
	local name=$1 start end
	shift
	start=$(date +%s%N)
	"$@" >"$scratch/$name.out" 2>&1 || {
		echo "bench-portscan.sh: $name failed:" >&2
		tail -n 5 "$scratch/$name.out" >&2
		exit 2
	}
	end=$(date +%s%N)
	awk -v ns=$((end - start)) 'BEGIN { printf "%.3f\n", ns / 1e9 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >"$scratch/scan.times"
: >"$scratch/nmap.times"
for i in $(seq "$rounds"); do
	# alternate, so neither always runs on a warm machine
	seconds scan "$scratch/build/bin/scan" 127.0.0.1 1 65535 >>"$scratch/scan.times"
	seconds nmap nmap -sT -p- 127.0.0.1 >>"$scratch/nmap.times"
done

scan_median=$(median <"$scratch/scan.times")
nmap_median=$(median <"$scratch/nmap.times")
echo "full-range connect scan of 127.0.0.1, $rounds rounds each"
printf '  reference scan   median %s s   (%s)\n' "$scan_median" "$(tr '\n' ' ' <"$scratch/scan.times")"
printf '  nmap -sT -p-     median %s s   (%s)\n' "$nmap_median" "$(tr '\n' ' ' <"$scratch/nmap.times")"
awk -v s="$scan_median" -v n="$nmap_median" \
	'BEGIN { printf "  ratio nmap / reference: %.2f\n", (s > 0) ? n / s : 0 }'
echo "  open ports, reference: $(grep -c '^open ' "$scratch/scan.out" || true);" \
	"nmap: $(grep -c '/tcp *open' "$scratch/nmap.out" || true)"
