#!/usr/bin/env bash
# capture.sh SOCKLAB - proves `socklab grade --pcap DIR` with tshark:
#   - each check of the reference runs of labs 02 (TCP) and 03 (UDP) has a
#     capture that tshark reads, holding exactly the exchange its transcript
#     shows: as many completed TCP handshakes as connections, as many UDP
#     datagrams as datagrams sent and received, the same bytes of payload
#     (so no packet is missing or seen twice);
#   - lab 05's limited broadcast, which leaves through the sandbox's veth
#     pair, is in its check's capture;
#   - a failing check of lab 02 (a known mutant) names its capture on its
#     rerun line, and the file holds the handshake, the greeting and the
#     close;
#   - a degraded run (no network namespace) writes no capture and says why.
set -u
socklab=$(realpath "${1:-bin/socklab}")
passed=0
failed=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
lab_dir() { basename "$(ls -d reference/"$1"-* | head -n 1)"; }

for tool in tshark python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "FAIL $tool is missing: scripts/install-deps.sh test installs it"
		exit 1
	fi
done
# tshark says it runs as root on stderr; nothing here needs its privileges
tshark() { command tshark "$@" 2>/dev/null; }

# grade LAB NAME ARGS... - grades into $scratch/NAME (captures in NAME-captures/)
grade() {
	local lab=$1 name=$2
	shift 2
	timeout 600 "$socklab" grade "$lab" -j 2 --pcap "$scratch/$name-captures" \
		--json "$scratch/$name.json" "$@" >"$scratch/$name.txt" 2>&1
}

# compare LAB NAME - each check's capture against its transcript
compare() {
	local lab=$1 name=$2
	python3 - "$scratch/$name.json" "$scratch/$name-captures" "$(lab_dir "$lab")" <<'EOF'
import json, re, subprocess, sys

results, folder, lab = sys.argv[1:4]

def packets(path):
    """Each packet of path: its protocols, TCP SYN and ACK flags, TCP
    payload length, UDP length (tshark fields, "" where absent)."""
    fields = ["frame.protocols", "tcp.flags.syn", "tcp.flags.ack", "tcp.len", "udp.length"]
    args = ["tshark", "-r", path, "-T", "fields"]
    for f in fields:
        args += ["-e", f]
    run = subprocess.run(args, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"tshark -r {path}: exit {run.returncode}")
    return [dict(zip(fields, line.split("\t"))) for line in run.stdout.splitlines()]

def flag(value):
    return value in ("1", "True")

status = 0
for check in json.load(open(results))["checks"]:
    if check["id"] == "build":
        continue
    path = f"{folder}/{lab}-{check['id']}.pcap"
    t = check["transcript"]
    connections = len(re.findall(r"note (connected to |accepted a connection)", t))
    datagrams = len(re.findall(r" (sent|recv) \d+ bytes", t))
    sizes = sum(int(n) for n in re.findall(r" (?:sent|recv) (\d+) bytes", t))
    try:
        frames = packets(path)
    except (SystemExit, FileNotFoundError) as e:
        print(f"FAIL {lab} {check['id']}: {e}")
        status = 1
        continue
    # an ICMP error quotes the packet it is about: that is not traffic
    frames = [p for p in frames if "icmp" not in p["frame.protocols"].split(":")]
    handshakes = sum(flag(p["tcp.flags.syn"]) and flag(p["tcp.flags.ack"]) for p in frames)
    tcp_bytes = sum(int(p["tcp.len"] or 0) for p in frames)
    udp = [p for p in frames
           if "udp" in p["frame.protocols"].split(":") and "dns" not in p["frame.protocols"].split(":")]
    udp_bytes = sum(int(p["udp.length"]) - 8 for p in udp)
    if lab.startswith("02"):
        seen = (handshakes, tcp_bytes)
        want = (connections, sizes)
        what = "TCP handshakes, payload bytes"
    else:
        seen = (len(udp), udp_bytes)
        want = (datagrams, sizes)
        what = "UDP datagrams, payload bytes"
    if seen == want:
        print(f"ok   {lab} {check['id']}: {what} {seen[0]}, {seen[1]} as in the transcript")
    else:
        print(f"FAIL {lab} {check['id']}: {what} {seen} in the capture, {want} in the transcript")
        status = 1
sys.exit(status)
EOF
}

# the reference runs: every check's capture matches its transcript
for lab in 02 03; do
	if ! grade "$lab" "ref-$lab" --dir reference; then
		bad "lab $lab reference: socklab grade exit $? ($(tail -n 1 "$scratch/ref-$lab.txt"))"
		continue
	fi
	count=$(find "$scratch/ref-$lab-captures" -name '*.pcap' | wc -l)
	checks=$(python3 -c 'import json,sys; print(sum(c["id"] != "build" for c in json.load(open(sys.argv[1]))["checks"]))' \
		"$scratch/ref-$lab.json")
	[ "$count" = "$checks" ] && ok "lab $lab: a capture per check ($count)" ||
		bad "lab $lab: $count captures for $checks checks"
	while IFS= read -r line; do
		case $line in
		ok*) passed=$((passed + 1)); echo "$line" ;;
		*) failed=$((failed + 1)); echo "$line" ;;
		esac
	done < <(compare "$lab" "ref-$lab")
done

# lab 02's greeting: what a student opens, and how big it is
greeting=$scratch/ref-02-captures/$(lab_dir 02)-greeting.pcap
if [ -f "$greeting" ]; then
	echo "     the greeting's capture: $(stat -c %s "$greeting") bytes," \
		"$(tshark -r "$greeting" | wc -l) packets"
fi

# lab 05: a broadcast to 255.255.255.255 leaves through the veth pair
if grade 05 ref-05 --dir reference --check limited-broadcast; then
	file=$scratch/ref-05-captures/$(lab_dir 05)-limited-broadcast.pcap
	n=$(tshark -r "$file" -Y 'ip.dst == 255.255.255.255 && udp' | wc -l)
	[ "$n" -ge 1 ] && ok "lab 05 limited-broadcast: $n datagram(s) to 255.255.255.255 captured" ||
		bad "lab 05 limited-broadcast: no datagram to 255.255.255.255 in $file"
else
	bad "lab 05 limited-broadcast: socklab grade exit $?"
fi

# a failing check: the rerun line names the capture, which holds the
# handshake, the greeting and the close
sub=$scratch/mutant
mkdir -p "$sub/$(lab_dir 02)"
cp reference/"$(lab_dir 02)"/* "$sub/$(lab_dir 02)"/
patch -s -d "$sub/$(lab_dir 02)" -p1 <tests/mutants/02-tcp-hello/getsockname-greeting.patch
grade 02 mutant --dir "$sub" --check greeting
file=$scratch/mutant-captures/$(lab_dir 02)-greeting.pcap
if grep -q "PCAP=$scratch/mutant-captures" "$scratch/mutant.txt" &&
	grep -A 1 'capture:' "$scratch/mutant.txt" | tr -d '\n' | tr -s ' ' |
	grep -qF "$(lab_dir 02)-greeting.pcap"; then
	ok "a failing check's rerun line names its capture"
else
	bad "the failing greeting's report does not name its capture:"
	sed 's/^/     /' "$scratch/mutant.txt"
fi
syn=$(tshark -r "$file" -Y 'tcp.flags.syn == 1' | wc -l)
hello=$(tshark -r "$file" -Y 'tcp contains "Thank you for connecting"' | wc -l)
fin=$(tshark -r "$file" -Y 'tcp.flags.fin == 1' | wc -l)
[ "$syn" = 2 ] && [ "$hello" = 1 ] && [ "$fin" = 2 ] &&
	ok "the failing greeting's capture: handshake, greeting, both FINs" ||
	bad "the failing greeting's capture: $syn SYNs, $hello greetings, $fin FINs (want 2, 1, 2)"

# degraded: no capture of the machine's traffic, and the page says why
SOCKLAB_NO_NAMESPACES=1 timeout 300 "$socklab" grade 02 --dir reference \
	--check greeting --pcap "$scratch/degraded-captures" \
	--html "$scratch/degraded.html" >"$scratch/degraded.txt" 2>&1
if [ -z "$(ls -A "$scratch/degraded-captures" 2>/dev/null)" ] &&
	grep -q 'no capture: the sandbox has no network namespace' \
		"$scratch/degraded.html/$(lab_dir 02).html"; then
	ok "degraded: no capture, and the report says why"
else
	bad "degraded: a capture was written, or the report does not say why not"
fi

echo "capture: $passed passed, $failed failed"
[ "$failed" = 0 ]
