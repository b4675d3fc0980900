#!/usr/bin/env bash
# handouts-html.sh SOCKLAB - the HTML handouts say what the Markdown says:
# builds them (scripts/handouts.sh, in a copy, so that no handout of the
# checkout is rewritten), then for every handout
#   - each row of `socklab rubric NN` is a row of the HTML table with the
#     same text: the check's id, its title (with its "\n", quotes and
#     code spans as they read on GitHub) and its points;
#   - the page has one title: one <h1>, the handout's own first heading,
#     and no title block of pandoc's above it.
set -u
socklab=$(realpath "${1:-bin/socklab}")
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$(dirname "$0")/.." || exit 2

mkdir -p "$scratch/tree/scripts"
cp -R handouts "$scratch/tree/"
cp scripts/handouts.sh scripts/install-deps.sh "$scratch/tree/scripts/"
if ! (cd "$scratch/tree" && scripts/handouts.sh "$socklab" "$scratch/html") \
	>"$scratch/build.log" 2>&1; then
	echo "FAIL the HTML handouts were not built:"
	tail -n 10 "$scratch/build.log"
	exit 1
fi

passed=0
failed=0
for handout in handouts/[0-9][0-9]-*.md; do
	lab=$(basename "$handout" .md)
	"$socklab" rubric "$lab" >"$scratch/$lab.rubric" || {
		echo "FAIL $lab: socklab rubric failed"
		failed=$((failed + 1))
		continue
	}
	python3 - "$scratch/html/$lab.html" "$scratch/$lab.rubric" "$handout" "$lab" <<'PY'
import html.parser, re, sys

page, rubric, markdown, lab = sys.argv[1:5]

def inline_text(cell):
    """What a GitHub Markdown table cell reads as: code spans without
    their backticks, backslash escapes of punctuation resolved, and
    everything else (a "\\n" too) as it is."""
    out = []
    for i, part in enumerate(re.split(r"`([^`]*)`", cell)):
        if i % 2:
            out.append(part)
        else:
            out.append(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", part))
    return squeeze("".join(out))

def squeeze(text):
    # HTML reads any run of white space as one space (pandoc wraps lines)
    return re.sub(r"\s+", " ", text).strip()

def cells(row):
    # a rubric row: | a | b | c |, with \| inside a cell kept
    return [c for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]]

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows, self.row, self.cell = [], None, None
        self.h1, self.in_h1, self.title_block = [], False, False
    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag == "h1":
            self.in_h1 = True
            self.h1.append("")
        elif tag == "header" and ("id", "title-block-header") in attrs:
            self.title_block = True
    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(squeeze("".join(self.cell)))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None
        elif tag == "h1":
            self.in_h1 = False
    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        if self.in_h1:
            self.h1[-1] += data

parser = Page()
parser.feed(open(page, encoding="utf-8").read())
problems = []
for line in open(rubric, encoding="utf-8"):
    row = cells(line)
    if len(row) != 3 or not row[0].strip() or set(row[0].strip()) <= set("-: "):
        continue  # the header's separator and the total
    want = [inline_text(c) for c in row]
    if want[0] == "check":
        continue
    if want not in parser.rows:
        near = [r for r in parser.rows if r and r[0] == want[0]]
        problems.append("row %s: the HTML says %r, the rubric %r"
                        % (want[0], near[0] if near else None, want))
heading = next((l[2:].strip() for l in open(markdown, encoding="utf-8")
                if l.startswith("# ")), None)
if parser.title_block:
    problems.append("a title block above the handout's own title")
if [squeeze(h) for h in parser.h1] != [heading]:
    problems.append("headings <h1> %r, expected only %r" % (parser.h1, heading))
for p in problems:
    print("FAIL %s: %s" % (lab, p))
if not problems:
    print("ok   %s: every rubric row survives into the HTML; one title" % lab)
sys.exit(1 if problems else 0)
PY
	if [ $? = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done

echo
echo "handouts-html: $passed passed, $failed failed"
[ "$failed" = 0 ]
