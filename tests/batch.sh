#!/usr/bin/env bash
# batch.sh SOCKLAB - proves `socklab batch` on a generated class of labs 01
# and 02: references score 100, stubs 0, each mutant fails exactly its
# "Fails:" checks, every hostile or broken submission is reported by name
# while the rest of the class is graded, nothing is left running, scores
# match `socklab grade`; what hostile programs print and file names reach
# no report live (no terminal escape, no live Markdown link or HTML, no
# spreadsheet formula, valid JSON that keeps UTF-8); then the export
# formats (tests/exports/) and the student release (nothing of reference/
# in it; a clone builds and grades).
#
# batch.sh --bench SOCKLAB - submissions graded per minute at -j1 and -j2.
set -u
mode=test
if [ "${1:-}" = --bench ]; then
	mode=bench
	shift
fi
socklab=$(realpath "$1")
here=$(pwd)
passed=0
failed=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/tmp"

ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
lab_dir() { basename "$(ls -d reference/"$1"-* | head -n 1)"; }

# expect ID KIND ARG - what the class's student ID must get
expect() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$class.expect"; }

# add_mutants LAB - one student per mutant: a patched reference folder
add_mutants() {
	local lab=$1 name
	for mutant in tests/mutants/"$lab"/*.patch; do
		[ -e "$mutant" ] || continue
		name=mut-$(basename "$mutant" .patch)
		mkdir -p "$class/$name"
		cp reference/"$lab"/* "$class/$name"/
		patch -s -d "$class/$name" -p1 <"$mutant" >/dev/null ||
			{ bad "$lab $name: patch does not apply"; rm -rf "${class:?}/$name"; continue; }
		expect "$name" mutant "$(sed -n 's/^Fails: *//p' "$mutant" | tr ' ' '\n' | grep . | sort | tr '\n' ' ')|$(sed -n 's/^Also: *//p' "$mutant")"
	done
}

# add_common LAB - references as a folder, a zip of its folder and a
# tar.gz of its files; the stubs, once under an id that ends like the
# name of ref-folder's Gradescope export; a student with two archives; an
# empty one
add_common() {
	local lab=$1
	mkdir -p "$class/ref-folder" "$class/stub" "$class/empty" "$scratch/z"
	cp reference/"$lab"/* "$class/ref-folder"/
	cp labs/"$lab"/* "$class/stub"/
	cp -r "$class/stub" "$class/ref-folder.gradescope"
	(cd reference && zip -qr "$class/ref-zip.zip" "$lab")
	tar -czf "$class/ref-tgz.tar.gz" -C reference/"$lab" .
	cp "$class/ref-zip.zip" "$class/dup.zip"
	cp "$class/ref-tgz.tar.gz" "$class/dup.tar.gz"
	# ids that name the batch's own folders: their archives unpack
	# beside the others, never into the build cache
	cp "$class/ref-tgz.tar.gz" "$class/builds.tar.gz"
	cp "$class/ref-tgz.tar.gz" "$class/students.tar.gz"
	expect builds total 100
	expect students total 100
	expect ref-folder total 100
	expect ref-zip total 100
	expect ref-tgz total 100
	expect stub total 0
	expect ref-folder.gradescope total 0
	expect dup refused "two submissions"
	expect empty refused "none of the lab's files"
}

# add_hostile LAB - programs that hang, crash, flood, fork, detach
add_hostile() {
	local lab=$1 name file want
	for hostile in tests/hostile/*.c; do
		[ -e "$hostile" ] || continue
		[ "$(sed -n 's/^ \* Lab: *//p' "$hostile")" = "$lab" ] || continue
		name=hostile-$(basename "$hostile" .c)
		file=$(sed -n 's/^ \* Replaces: *//p' "$hostile")
		want=$(sed -n 's/^ \* Expect: *//p' "$hostile")
		mkdir -p "$class/$name"
		cp reference/"$lab"/* "$class/$name"/
		cp "$hostile" "$class/$name/$file"
		expect "$name" hostile "$want"
	done
}

# add_broken LAB - archives and names the batch must refuse, by name
add_broken() {
	local lab=$1 file
	file=$(cd reference/"$lab" && ls | head -n 1)
	printf 'not an archive at all' >"$class/corrupt.tar.gz"
	head -c 3000 "$class/ref-zip.zip" >"$class/truncated.zip"
	head -c $((24 << 20)) /dev/zero >"$scratch/z/zeros"
	(cd "$scratch/z" && zip -q "$class/bomb.zip" zeros)
	tar -czf "$class/gzbomb.tar.gz" -C "$scratch/z" zeros
	mkdir -p "$class/odd name" "$class/-dash" "$class/+plus" "$class/@at"
	cp reference/"$lab"/* "$class/odd name"/
	printf 'a class folder holds folders and archives only\n' >"$class/notes.txt"
	mkdir -p "$scratch/many"
	for i in $(seq 1 205); do : >"$scratch/many/f$i.c"; done
	tar -czf "$class/toomany.tar.gz" -C "$scratch/many" .
	expect corrupt refused "corrupt"
	expect truncated refused "corrupt"
	expect bomb refused "zip bomb"
	expect gzbomb refused "zip bomb"
	expect "odd?name" refused "odd name"
	expect "-dash" refused "odd name"
	expect "+plus" refused "odd name"
	expect "@at" refused "odd name"
	expect notes.txt refused "not a folder"
	expect toomany refused "more than 200 files"
	if ! have python3; then
		echo "SKIP hand-made hostile archive entries: no python3 here"
		return
	fi
	python3 - "$class" "reference/$lab/$file" "$file" <<'PY'
import io, os, struct, sys, tarfile, zipfile
out, src, name = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(src, "rb").read()
with tarfile.open(out + "/ref-txz.tar.xz", "w:xz") as t:
    t.add(os.path.dirname(src), arcname=".")
# a zip whose headers claim 100 bytes for 30 MiB of zeros: the sizes in
# its local header and its central directory patched after writing
big = 30 << 20
with zipfile.ZipFile(out + "/lying.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr(name, data)
    z.writestr("zeros", bytes(big))
lying = bytearray(open(out + "/lying.zip", "rb").read())
for sig, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
    i = lying.find(sig)
    while i >= 0:
        if struct.unpack_from("<I", lying, i + at)[0] == big:
            struct.pack_into("<I", lying, i + at, 100)
        i = lying.find(sig, i + 4)
open(out + "/lying.zip", "wb").write(lying)
def tar(path, entries):
    with tarfile.open(path, "w:gz") as t:
        for info in entries:
            t.addfile(info, io.BytesIO(data) if info.isfile() else None)
def entry(n, kind=tarfile.REGTYPE, link=""):
    i = tarfile.TarInfo(n); i.type = kind; i.linkname = link
    i.size = len(data) if kind == tarfile.REGTYPE else 0
    return i
tar(out + "/traversal.tar.gz", [entry(name), entry("../../evil-" + name)])
tar(out + "/absolute.tar.gz", [entry("/tmp/evil-" + name)])
tar(out + "/symlink.tar.gz", [entry(name, tarfile.SYMTYPE, "/etc/passwd")])
tar(out + "/hardlink.tar.gz", [entry(name, tarfile.LNKTYPE, "/etc/passwd")])
tar(out + "/ctrlname.tar.gz", [entry("evil\nname.c")])
with zipfile.ZipFile(out + "/zipslip.zip", "w") as z:
    z.writestr(name, data)
    z.writestr("../../evil-" + name, data)
with zipfile.ZipFile(out + "/ziplink.zip", "w") as z:
    i = zipfile.ZipInfo(name); i.create_system = 3
    i.external_attr = 0o120777 << 16
    z.writestr(i, "/etc/passwd")
PY
	expect traversal refused "leaves the archive"
	expect absolute refused "absolute path"
	expect symlink refused "symbolic link"
	expect hardlink refused "hard link"
	expect ctrlname refused "odd file name"
	expect zipslip refused "leaves the archive"
	expect ziplink refused "symbolic link"
	expect ref-txz total 100
	expect lying refused "zip bomb"
}

# add_names LAB - file names a student's folder may hold, shown in its
# feedback: terminal escapes and a line break in the hostile server's
# folder; a folder of more files than its feedback names
add_names() {
	local lab=$1 dir=$class/hostile-escapes
	if [ -d "$dir" ]; then
		: >"$dir/"$'\e]0;owned\a\e[2J.c'
		: >"$dir/"$'notes\nscore 100 of 100.c'
		: >"$dir/[x](http:evil.example) <script>.c"
	fi
	mkdir -p "$class/many-files"
	cp reference/"$lab"/* "$class/many-files"/
	for i in $(seq 1 30); do : >"$class/many-files/extra-$i.c"; done
	expect many-files feedback "and 10 more"
}

# ID's cell in the gradebook: a ' before what a spreadsheet takes for a
# formula (ids hold no commas)
cell() { case $1 in [-=+@]*) printf "'%s" "$1" ;; *) printf '%s' "$1" ;; esac; }
# ID's gradebook row, and its last field, the problem
row() { awk -F, -v id="$(cell "$1")" '$1 == id { print; exit }' "$out/gradebook.csv"; }
problem() { row "$1" | cut -d, -f"$ncols"- | sed 's/^"//; s/"$//; s/""/"/g'; }

# failing public checks of ID, from its feedback file
# the checks a student failed, hidden ones included (a mutant's "Fails:"
# line names them too)
failing() {
	awk '$1 ~ /^(fail|timeout|crash|error)$/ { print $3 }' "$out/$1.txt" |
		sort | tr '\n' ' '
}

# leftovers: processes still running a program built under the batch's tmp
# (the folder reaches awk through the environment, so awk never matches itself)
leftovers() { ps -eo stat=,args= | DIR="$scratch/tmp" awk 'index($0, ENVIRON["DIR"]) && $1 !~ /^Z/' | head -n 3; }

run_batch() {
	local lab=$1 dirname=$2
	class=$scratch/class-$lab
	out=$scratch/grades-$lab
	: >"$class.expect"
	mkdir -p "$class"
	add_common "$dirname"
	add_mutants "$dirname"
	if [ "$lab" = 02 ]; then
		add_hostile "$dirname"
		add_names "$dirname"
		add_broken "$dirname"
	fi
	start=$(date +%s%N)
	TMPDIR=$scratch/tmp timeout 600 "$socklab" batch "$lab" "$class" --out "$out" \
		-j 2 --format gradescope 2>"$out.log"
	status=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	students=$(wc -l <"$class.expect")
	if [ "$status" = 0 ] && [ -s "$out/gradebook.csv" ] && [ -s "$out/summary.md" ]; then
		ok "$lab batch of $students submissions ran in $ms ms"
	else
		bad "$lab batch: exit $status"
		tail -n 20 "$out.log"
		return
	fi
	if [ "$lab" = 02 ]; then
		# wrappers.c is linked into three programs and compiled once
		shown=$(grep -c "unused variable 'tries'" "$out/mut-unused-variable.txt")
		[ "$shown" = 1 ] &&
			ok "02 a warning in a file three programs link is shown once" ||
			bad "02 a warning in a file three programs link is shown $shown times"
	fi
	ncols=$(head -n 1 "$out/gradebook.csv" | tr ',' '\n' | wc -l)
	while IFS=$'\t' read -r id kind want; do
		total=$(row "$id" | cut -d, -f2)
		case $kind in
		total)
			[ "$total" = "$want" ] && ok "$lab $id: $total" ||
				bad "$lab $id: $total, expected $want, failing: $(failing "$id")" ;;
		mutant)
			# "Fails: ...|Also: ...": the Also checks may fail too
			also=${want#*|}
			want=${want%%|*}
			got=$(for c in $(failing "$id"); do case " $also " in *" $c "*) ;; *) echo "$c" ;; esac; done | sort | tr '\n' ' ')
			if [ -n "$total" ] && [ "$total" -lt 100 ] && [ "$got" = "$want" ]; then
				ok "$lab $id: $total, caught by: $got"
			else
				bad "$lab $id: $total, expected to fail [$want], failed [$got]"
			fi ;;
		hostile)
			if [ -n "$total" ] && [ "$total" -lt 100 ] && grep -qF -- "$want" "$out/$id.txt"; then
				ok "$lab $id: $total, reported as \"$want\""
			else
				bad "$lab $id: $total, \"$want\" not in its feedback"
			fi ;;
		feedback)
			grep -qF -- "$want" "$out/$id.txt" &&
				ok "$lab $id: $total, its feedback says \"$want\"" ||
				bad "$lab $id: \"$want\" not in its feedback: $(grep ignored "$out/$id.txt")" ;;
		refused)
			why=$(problem "$id")
			if [ "$total" = 0 ] && grep -qF -- "$want" <<<"$why" &&
				grep -qF -- "\`$id\`" "$out/summary.md"; then
				ok "$lab $id: refused by name: $why"
			else
				bad "$lab $id: total '$total', expected \"$want\", got \"$why\""
			fi ;;
		esac
	done <"$class.expect"
	rows=$(($(wc -l <"$out/gradebook.csv") - 1))
	# dup.zip and dup.tar.gz are two rows of one student
	[ "$rows" = $((students + 1)) ] && ok "$lab gradebook: $rows rows, one per submission" ||
		bad "$lab gradebook: $rows rows for $((students + 1)) submissions"
	grep -q '^## Score distribution' "$out/summary.md" &&
		grep -q 'most common failure' "$out/summary.md" &&
		ok "$lab summary.md: distribution and most common failures" ||
		bad "$lab summary.md lacks its sections"
	left=$(leftovers)
	[ -z "$left" ] && ok "$lab nothing left running" || bad "$lab still running: $left"
	[ -z "$(ls "$scratch/tmp")" ] && ok "$lab temporary folders removed" ||
		bad "$lab left in the temporary folder: $(ls "$scratch/tmp")"
	[ -z "$(find "$scratch" /tmp -maxdepth 2 -name 'evil*' 2>/dev/null)" ] &&
		ok "$lab no archive entry escaped its folder" || bad "$lab an archive entry escaped"
	# the same score as `socklab grade` with the same seed
	one=$(sed -n 's/\tmutant\t.*//p' "$class.expect" | head -n 1)
	if [ -n "$one" ]; then
		alone=$("$socklab" grade "$lab" --dir "$class/$one" --hidden --format tsv |
			awk -F'\t' '$1 == "total" { print $3 }')
		[ "$alone" = "$(row "$one" | cut -d, -f2)" ] &&
			ok "$lab $one: batch and grade agree ($alone)" ||
			bad "$lab $one: batch $(row "$one" | cut -d, -f2), grade $alone"
	fi
	if have python3; then
		python3 -c 'import json,sys; [json.load(open(f)) for f in sys.argv[1:]]' \
			"$out"/*.json "$out"/gradescope/*.json &&
			ok "$lab per-student JSON and Gradescope files parse" ||
			bad "$lab some per-student JSON does not parse"
	fi
	# a folder per export: no id names another student's file
	if grep -q '"schema": "socklab-results/1"' "$out/ref-folder.gradescope.json" &&
		grep -q '"tests": \[' "$out/gradescope/ref-folder.json" &&
		[ "$(ls "$out/gradescope" | wc -l)" = "$(ls "$out"/*.json | wc -l)" ]; then
		ok "$lab exports in gradescope/, one per graded student; ref-folder.gradescope has its own results"
	else
		bad "$lab exports: $(ls "$out/gradescope" | wc -l) in gradescope/ for $(ls "$out"/*.json | wc -l) results"
	fi
}

# report_check ASPECT DIR... - python3 checks of every report file in DIR:
# "controls": no byte a terminal acts on (ESC, BEL, CR);
# "markdown": in each .md, nothing outside code spans is a link, an image,
#   HTML or the hostile program's address, and table rows keep their cells;
# "json": every .json parses, the hostile server's results keep the UTF-8
#   of its compiler warning, and so does its Gradescope export;
# "xml": every .xml parses; "csv": no gradebook cell starts a formula.
# Prints what it checked, or what is wrong.
report_check() {
	python3 - "$@" <<'PY'
import glob, json, os, re, sys
import xml.etree.ElementTree as ET

aspect, dirs = sys.argv[1], sys.argv[2:]
files = sorted(f for d in dirs for f in glob.glob(d + "/**", recursive=True)
               if os.path.isfile(f))
def of(ext):
    return [f for f in files if f.endswith(ext)]
def outside_code_spans(md):
    """md without its code spans: what a Markdown reader acts on"""
    out, i = [], 0
    while i < len(md):
        fence = re.match(r"`+", md[i:])
        if not fence:
            out.append(md[i])
            i += 1
            continue
        n = len(fence.group())
        close = next((m for m in re.finditer(r"`+", md[i + n:])
                      if len(m.group()) == n), None)
        if close is None:
            out.append(md[i:i + n])
            i += n
        else:
            i += n + close.end()
    return "".join(out)
wrong = []
if aspect == "controls":
    for f in files:
        data = open(f, "rb").read()
        for byte in (0x1b, 0x07, 0x0d):
            if byte in data:
                wrong.append("%s holds byte 0x%02x" % (f, byte))
    checked = "%d report files" % len(files)
elif aspect == "markdown":
    for f in of(".md"):
        text = open(f, encoding="utf-8").read()
        live = outside_code_spans(text)
        for needle in ("](", "<a", "<script", "<img", "evil.example"):
            if needle in live:
                wrong.append("%s: %r outside code spans" % (f, needle))
        cells = None
        for line in text.split("\n"):
            if not line.startswith("|"):
                cells = None
                continue
            count = len(re.findall(r"(?<!\\)\|", line))
            if cells is not None and count != cells:
                wrong.append("%s: a table row of %d cells: %s" % (f, count, line))
            cells = cells or count
    checked = "%d Markdown files" % len(of(".md"))
elif aspect == "json":
    for f in of(".json"):
        try:
            r = json.load(open(f, encoding="utf-8"))
        except ValueError as e:
            wrong.append("%s: %s" % (f, e))
            continue
        if os.path.basename(f) != "hostile-escapes.json":
            continue
        texts = [c["actual"] for c in r.get("checks", []) if c["id"] == "build"]
        texts += [t["output"] for t in r.get("tests", [])[:1]]
        if not texts or not all("socklab caf" in t and "\u2713" in t for t in texts):
            wrong.append("%s lost the compiler's UTF-8: %r" % (f, texts))
    checked = "%d JSON files" % len(of(".json"))
elif aspect == "xml":
    for f in of(".xml"):
        try:
            ET.parse(f)
        except ET.ParseError as e:
            wrong.append("%s: %s" % (f, e))
    checked = "%d XML files" % len(of(".xml"))
elif aspect == "csv":
    for f in of(".csv"):
        for line in open(f, encoding="utf-8").read().split("\n")[1:]:
            if line[:1] in ("=", "+", "-", "@", "\t", "\r"):
                wrong.append("%s: a formula: %s" % (f, line))
    checked = "%d gradebooks" % len(of(".csv"))
if wrong:
    sys.exit("\n".join(wrong[:10]))
print(checked)
PY
}

# hostile_reports - the hostile server's folder graded alone, once per
# export format; then every report of that and of lab 02's class checked
hostile_reports() {
	local escapes=$scratch/class-escapes dirs=$scratch/grades-02 format why
	if ! have python3; then
		echo "SKIP reports of hostile text: no python3 here"
		return
	fi
	mkdir -p "$escapes"
	cp -r "$scratch/class-02/hostile-escapes" "$escapes"/
	for format in github junit autolab; do
		TMPDIR=$scratch/tmp timeout 300 "$socklab" batch 02 "$escapes" \
			--out "$scratch/escapes-$format" -j 1 --format "$format" \
			2>"$scratch/escapes-$format.log" ||
			bad "hostile-escapes batch --format $format: exit $?"
		dirs="$dirs $scratch/escapes-$format"
	done
	# a program's text never makes a check's message (no stderr is read
	# as a sanitizer's report): the Markdown views, which show messages,
	# hold none of it
	if grep -qF 'evil.example' "$scratch/escapes-github/summary.md" \
		"$scratch/escapes-github/github/hostile-escapes.md"; then
		bad "hostile-escapes: a program's text became a check's message"
	else
		ok "hostile-escapes: no program text in the messages of summary.md or the GitHub export"
	fi
	# the hostile text reached each kind of report that shows program
	# output (else nothing is proven)
	if grep -qF 'score 100/100' "$scratch/escapes-junit/junit/hostile-escapes.xml" &&
		grep -qF '\x1b]0;owned\x07\x1b[2J.c' "$scratch/grades-02/hostile-escapes.txt" &&
		grep -qF 'notes\nscore 100 of 100.c' "$scratch/grades-02/hostile-escapes.txt"; then
		ok "hostile-escapes: its output and file names are in every report, escaped"
	else
		bad "hostile-escapes: its text is missing from some report"
	fi
	for aspect in controls markdown json xml csv; do
		# shellcheck disable=SC2086 # one folder a word
		if why=$(report_check "$aspect" $dirs 2>&1); then
			ok "hostile text, $aspect: $why safe"
		else
			bad "hostile text, $aspect: $why"
		fi
	done
}

bench_class() {
	local lab=$1 dirname=$2
	class=$scratch/bench-$lab
	: >"$class.expect"
	mkdir -p "$class"
	add_common "$dirname"
	add_mutants "$dirname"
	rm -rf "$class"/dup.* "$class/empty" "$class/ref-folder.gradescope"
}

if [ "$mode" = bench ]; then
	total=0
	for lab in 01 02; do
		bench_class "$lab" "$(lab_dir "$lab")"
		total=$((total + $(ls "$class" | wc -l)))
	done
	for jobs in 1 2; do
		start=$(date +%s%N)
		for lab in 01 02; do
			"$socklab" batch "$lab" "$scratch/bench-$lab" --out "$scratch/out" -j "$jobs" 2>/dev/null
		done
		ms[$jobs]=$((($(date +%s%N) - start) / 1000000))
		echo "batch -j$jobs: $total submissions in ${ms[$jobs]} ms: $((total * 60000 / ${ms[$jobs]})) per minute"
	done
	awk -v a="${ms[1]}" -v b="${ms[2]}" 'BEGIN { printf "batch -j2 / -j1 throughput: %.2f\n", a / b }'
	exit 0
fi

# regrades - who is graded again, alone, at the end. Beside a classmate
# whose server spins until its deadline, a student who failed by timeouts
# is; beside classmates that only wait out deadlines, or that a sanitizer
# stopped, nobody is, where control groups tell what each check used;
# without them, every timeout is suspect and the student is graded again.
regrades() {
	local dirname quiet=$scratch/quiet busy=$scratch/busy m
	dirname=$(lab_dir 02)
	for m in no-htons server-atoi greeting-never-freed nul-past-buffer; do
		mkdir -p "$quiet/$m"
		cp reference/"$dirname"/* "$quiet/$m"/
		patch -s -d "$quiet/$m" -p1 <tests/mutants/"$dirname"/$m.patch >/dev/null
	done
	mkdir -p "$busy/spinner" "$scratch/pair"
	cp -r "$quiet/no-htons" "$busy/"
	cp -r "$quiet/no-htons" "$quiet/server-atoi" "$scratch/pair/"
	cp reference/"$dirname"/* "$busy/spinner"/
	cp tests/hostile/hang.c "$busy/spinner/server.c"
	"$socklab" batch 02 "$busy" --out "$scratch/busy-out" -j 2 2>"$scratch/busy.log"
	if grep -q "no-htons .*(again, alone)" "$scratch/busy.log"; then
		ok "regrade: timeouts beside a spinning server are graded again, alone"
	else
		bad "regrade: no-htons beside a spinning server was not graded again"
	fi
	# two students start at once at -j 2: they overlap
	SOCKLAB_NO_CGROUPS=1 "$socklab" batch 02 "$scratch/pair" --out "$scratch/pair-out" \
		-j 2 2>"$scratch/pair.log"
	if grep -q "(again, alone)" "$scratch/pair.log"; then
		ok "regrade: without control groups, timeouts beside timeouts are graded again"
	else
		bad "regrade: without control groups, nobody was graded again"
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP regrade: control groups need root here; the quiet class is not measured"
		return
	fi
	"$socklab" batch 02 "$quiet" --out "$scratch/quiet-out" -j 2 2>"$scratch/quiet.log"
	if grep -q "(again, alone)" "$scratch/quiet.log"; then
		bad "regrade: classmates that only waited or that a sanitizer stopped sent someone to be graded again:"
		grep "(again, alone)" "$scratch/quiet.log"
	else
		ok "regrade: nobody graded again beside deadlines waited out and sanitizer reports"
	fi
}

# cores_kept - -j 1 where the batch may use several CPUs: it keeps to one
# of them, and so does every worker it starts; shard 2 of 2 keeps to
# another than shard 1; the class's references still score 100
cores_kept() {
	local shard pid worker deadline mine theirs want cpus
	cpus=$(awk '/^Cpus_allowed_list/ { print $2 }' /proc/self/status)
	if [ "$(nproc)" -lt 2 ] || ! [[ $cpus =~ ^([0-9]+)-([0-9]+)$ ]]; then
		echo "SKIP -j 1 keeps to one CPU: this machine lets us use CPUs '$cpus' only"
		return
	fi
	for shard in 1 2; do
		want=$((BASH_REMATCH[1] + shard - 1))
		theirs="" deadline=$((SECONDS + 60))
		"$socklab" batch 01 "$scratch/class-01" --out "$scratch/kept-$shard" -j 1 \
			--shard "$shard/2" 2>/dev/null &
		pid=$!
		# the batch chooses its CPUs before it starts anything; a child
		# may end before it is read: the next one is
		while [ -z "$theirs" ] && [ $SECONDS -lt $deadline ] && kill -0 "$pid" 2>/dev/null; do
			for worker in $(pgrep -P "$pid"); do
				theirs=$(awk '/^Cpus_allowed_list/ { print $2 }' "/proc/$worker/status" 2>/dev/null)
				[ -z "$theirs" ] || break
			done
			[ -n "$theirs" ] || sleep 0.01
		done
		mine=$(awk '/^Cpus_allowed_list/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
		wait "$pid"
		[ "$mine" = "$want" ] && [ "$theirs" = "$want" ] &&
			ok "-j 1 --shard $shard/2 keeps the batch and its workers to CPU $want" ||
			bad "-j 1 --shard $shard/2: the batch may run on CPUs '$mine', a worker on '$theirs', not $want alone"
	done
	[ "$(awk -F, '$1 == "ref-folder" { print $2 }' "$scratch"/kept-*/gradebook.csv)" = 100 ] &&
		ok "-j 1 on one CPU: the reference scores 100" ||
		bad "-j 1 on one CPU: the reference scores $(awk -F, '$1 == "ref-folder" { print $2 }' "$scratch"/kept-*/gradebook.csv)"
}

for lab in 01 02; do
	run_batch "$lab" "$(lab_dir "$lab")"
done
cores_kept
regrades
hostile_reports
"$socklab" batch 02 "$scratch/no-such-class" --out "$scratch/none" 2>/dev/null
[ $? = 2 ] && ok "a missing class folder: exit 2" || bad "a missing class folder: not exit 2"

if tests/exports/check.sh "$socklab" 02 >"$scratch/exports.log"; then
	ok "$(tail -n 1 "$scratch/exports.log")"
else
	bad "export formats:"
	grep -v '^ok' "$scratch/exports.log"
fi

# the student release: nothing of reference/ or the hidden checks in it
release=$scratch/release
if scripts/student-release.sh "$release" >"$scratch/release.log" 2>&1; then
	ok "student release written"
	leaks=""
	for f in reference/*/*; do
		twin=labs/${f#reference/}
		cmp -s "$f" "$twin" 2>/dev/null && continue # the same in labs/: no secret
		sum=$(cksum <"$f")
		while IFS= read -r g; do
			[ "$(cksum <"$g")" = "$sum" ] && leaks="$leaks ${g#"$release"/}"
		done < <(find "$release" -type f -size "$(stat -c %s "$f")c")
	done
	for f in grader/checks/hidden/*.c tests/mutants/*/*.patch; do
		[ -e "$f" ] || continue
		sum=$(cksum <"$f")
		while IFS= read -r g; do
			[ "$(cksum <"$g")" = "$sum" ] && leaks="$leaks ${g#"$release"/}"
		done < <(find "$release" -type f -size "$(stat -c %s "$f")c")
	done
	for d in reference tests/mutants grader/checks/hidden tests/hostile; do
		[ -e "$release/$d" ] && leaks="$leaks $d/"
	done
	[ -z "$leaks" ] && ok "release holds nothing of reference/, mutants or hidden checks" ||
		bad "release leaks:$leaks"
	clone=$scratch/clone
	if (cd "$release" && git init -q && git add -A &&
		git -c user.name=socklab -c user.email=socklab@invalid commit -qm release) &&
		git clone -q "$release" "$clone" &&
		(cd "$clone" && make -s bin/socklab >/dev/null 2>&1); then
		(cd "$clone" && timeout 120 make -s grade LAB=01 >"$scratch/clone-grade.log" 2>&1)
		gs=$?
		# make fails (status 2) because the stubs fail their checks
		if [ "$gs" = 2 ] && grep -q '^score 0/100' "$scratch/clone-grade.log"; then
			ok "a clone of the release builds and grades (stubs: 0/100)"
		else
			bad "a clone of the release: make grade exit $gs"
			tail -n 5 "$scratch/clone-grade.log"
		fi
		if (cd "$clone" && timeout 300 make -s test </dev/null >"$scratch/clone-test.log" 2>&1); then
			ok "make test passes in a clone of the release"
		else
			bad "make test fails in a clone of the release"
			tail -n 15 "$scratch/clone-test.log"
		fi
	else
		bad "a clone of the release does not build"
	fi
else
	bad "student release failed"
	tail -n 10 "$scratch/release.log"
fi
cd "$here" || exit 1

echo
echo "batch: $passed passed, $failed failed"
[ "$failed" = 0 ]
