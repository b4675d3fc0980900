#!/usr/bin/env bash
# html-report.sh SOCKLAB - opens the HTML report in headless Chromium:
#   - the pages of lab 02 graded three ways (the reference; a known mutant
#     that fails the greeting; a hostile server whose stderr is terminal
#     escapes, a Markdown link, a tag and a script) each hold every check
#     id of the lab, log nothing to the console, load nothing, and run
#     nothing;
#   - the failing page draws the exchange, marks the first difference and
#     names the check's capture; its screenshot is kept as
#     bin/artefacts/report-02.png;
#   - `--format html` prints the page, and `socklab batch --format html`
#     writes one per student.
# The browser runs with a fresh profile and no network of its own to
# speak of (no background or component traffic); a canary page that logs
# an error proves the console is read at all.
set -u
socklab=$(realpath "${1:-bin/socklab}")
artefacts=bin/artefacts
passed=0
failed=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
lab_dir() { basename "$(ls -d reference/"$1"-* | head -n 1)"; }

if ! command -v chromium >/dev/null 2>&1; then
	echo "FAIL chromium is missing: scripts/install-deps.sh test installs it"
	exit 1
fi

# browse PAGE NAME ARGS... - opens PAGE with a fresh profile; its log goes
# to $scratch/NAME.log, the rest of its output to $scratch/NAME.out
browse() {
	local page=$1 name=$2
	shift 2
	rm -rf "$scratch/profile"
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--no-first-run --user-data-dir="$scratch/profile" \
		--enable-logging=stderr --v=0 "$@" "file://$page" \
		>"$scratch/$name.out" 2>"$scratch/$name.log"
}

# console NAME - the console messages in a browser log
console() { grep 'CONSOLE' "$scratch/$1.log"; }

# the canary: a console error must show in the log
printf '<!DOCTYPE html><title>canary</title><script>console.error("socklab-canary")</script>\n' \
	>"$scratch/canary.html"
browse "$scratch/canary.html" canary --dump-dom
if console canary | grep -q socklab-canary; then
	ok "the browser's console is read (a canary's error shows)"
else
	bad "the canary's console error is not in the browser's log; console checks would prove nothing"
fi

lab=$(lab_dir 02)
ids=$("$socklab" rubric 02 | awk -F'|' 'NR > 2 { gsub(/[ `]/, "", $2); print $2 }')

# the three submissions
mkdir -p "$scratch/mutant/$lab" "$scratch/hostile/$lab"
cp reference/"$lab"/* "$scratch/mutant/$lab"/
patch -s -d "$scratch/mutant/$lab" -p1 <tests/mutants/02-tcp-hello/getsockname-greeting.patch
cp reference/"$lab"/* "$scratch/hostile/$lab"/
cp tests/hostile/escapes.c "$scratch/hostile/$lab/server.c"

for who in reference mutant hostile; do
	dir=reference
	[ "$who" = reference ] || dir=$scratch/$who
	timeout 600 "$socklab" grade 02 --dir "$dir" -j 2 \
		--html "$scratch/$who-html" --pcap "$scratch/$who-captures" \
		>"$scratch/$who.txt" 2>&1
	page=$scratch/$who-html/$lab.html
	if [ ! -s "$page" ]; then
		bad "$who: no page ($(tail -n 1 "$scratch/$who.txt"))"
		continue
	fi
	browse "$page" "$who" --dump-dom
	dom=$scratch/$who.out
	missing=""
	for id in $ids; do
		grep -q "id=\"check-$id\"" "$dom" || missing="$missing $id"
	done
	[ -z "$missing" ] && ok "$who: every check of lab 02 is on the page" ||
		bad "$who: checks missing from the page:$missing"
	if console "$who" >/dev/null; then
		bad "$who: the page logs to the console:"
		console "$who" | sed 's/^/     /'
	else
		ok "$who: the page logs nothing to the console"
	fi
	# nothing to load and nothing to run: no script, frame, object or
	# image element, no address but data: in an attribute of any element
	# (in the DOM, a < that is text is &lt;: every < opens an element)
	live=$(grep -Eo '<[a-zA-Z][^>]*>' "$dom" |
		grep -Ei '^<(script|iframe|object|embed|img)\b|(src|href)="[a-z]+:' |
		grep -v '="data:' | head -n 3)
	[ -z "$live" ] && ok "$who: the page loads and runs nothing" ||
		bad "$who: the page has live content: $live"
done

# the failing check: values with the difference marked, the exchange
dom=$scratch/mutant.out
grep -q '<mark title="first difference">' "$dom" &&
	ok "mutant: the first difference is marked" ||
	bad "mutant: no marked difference on the page"
grep -q '<svg class="sequence"' "$dom" && grep -q 'Thank you for conne' "$dom" &&
	grep -q 'closes (FIN)' "$dom" &&
	ok "mutant: the greeting's exchange is drawn (connect, greeting, close)" ||
	bad "mutant: the exchange is not drawn"
grep -q "capture: $scratch/mutant-captures/$lab-greeting.pcap, 8 packets" "$dom" &&
	ok "mutant: the page names the greeting's capture" ||
	bad "mutant: the page does not name the greeting's capture"

# the hostile server's words are on the page, as text
dom=$scratch/hostile.out
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$dom" &&
	grep -q '\\x1b\[2J' "$dom" &&
	ok "hostile: its markup and escapes show as text" ||
	bad "hostile: its markup or escapes do not show as text"

# the screenshot of the failing page, kept
mkdir -p "$artefacts"
browse "$scratch/mutant-html/$lab.html" screenshot \
	--hide-scrollbars --window-size=1280,2200 \
	--screenshot="$(realpath "$artefacts")/report-02.png"
if [ "$(head -c 8 "$artefacts/report-02.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
	ok "screenshot: $artefacts/report-02.png ($(stat -c %s "$artefacts/report-02.png") bytes)"
else
	bad "screenshot: $artefacts/report-02.png was not written"
fi

# --format html prints the page
timeout 300 "$socklab" grade 02 --dir reference --check greeting --format html \
	>"$scratch/stdout.html" 2>"$scratch/stdout.err"
head -n 1 "$scratch/stdout.html" | grep -q '<!DOCTYPE html>' &&
	grep -q 'id="check-greeting"' "$scratch/stdout.html" &&
	ok "--format html prints the page" || bad "--format html: no page on stdout"

# batch --format html: one page per student
mkdir -p "$scratch/class/alice"
cp reference/"$lab"/* "$scratch/class/alice"/
if TMPDIR=$scratch timeout 600 "$socklab" batch 02 "$scratch/class" -j 1 \
	--out "$scratch/grades" --format html 2>"$scratch/batch.log" &&
	grep -q 'id="check-greeting"' "$scratch/grades/html/alice.html"; then
	ok "batch --format html: html/alice.html"
else
	bad "batch --format html: no html/alice.html ($(tail -n 1 "$scratch/batch.log"))"
fi

echo "html-report: $passed passed, $failed failed"
[ "$failed" = 0 ]
