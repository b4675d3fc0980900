#!/usr/bin/env bash
# check.sh SOCKLAB [LAB] - every export format of `socklab grade --format`,
# for a passing and a failing submission, checked against its documented
# shape: Gradescope's results.json, Autolab's last-line scores, JUnit XML,
# a Markdown table for a CI job summary. Validators: python3, else jq and
# xmllint, else a structural check in shell; a format is skipped, visibly,
# only when nothing can check it.
set -u
socklab=$1
lab=${2:-02}
passed=0
failed=0
skipped=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
skip() { skipped=$((skipped + 1)); printf 'SKIP %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

# python3 FILE FORMAT - validates with the standard library only
py_check() {
	python3 - "$1" "$2" <<'PY'
import json, re, sys
import xml.etree.ElementTree as ET

path, fmt = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
def need(cond, why):
    if not cond:
        sys.exit(why)
if fmt == "gradescope":
    r = json.loads(text)
    vis = {"hidden", "after_due_date", "after_published", "visible"}
    need(isinstance(r.get("score"), (int, float)), "score is not a number")
    need(isinstance(r.get("output"), str), "output is not a string")
    need(r.get("visibility") in vis, "bad top-level visibility")
    # plain text: Gradescope renders no Markdown, HTML or ANSI in it
    for key in ("output_format", "test_output_format", "test_name_format"):
        need(r.get(key) == "text", key + " is not \"text\"")
    need(isinstance(r.get("tests"), list) and r["tests"], "no tests[]")
    for t in r["tests"]:
        for key, kind in (("name", str), ("output", str), ("status", str),
                          ("visibility", str)):
            need(isinstance(t.get(key), kind), "test without string " + key)
        for key in ("score", "max_score"):
            need(isinstance(t.get(key), (int, float)), "test without " + key)
        need(t["status"] in ("passed", "failed"), "bad status " + t["status"])
        need(t["visibility"] in vis, "bad test visibility")
        need(t.get("output_format") == "text", "test output_format not text")
        need(0 <= t["score"] <= t["max_score"], "score out of range")
    need(sum(t["score"] for t in r["tests"]) == r["score"],
         "score is not the sum of the tests")
elif fmt == "autolab":
    last = text.rstrip("\n").split("\n")[-1]
    r = json.loads(last)
    need(list(r) == ["scores"] and isinstance(r["scores"], dict),
         "last line is not {\"scores\": {...}}")
    need(r["scores"] and all(isinstance(v, (int, float))
                             for v in r["scores"].values()), "bad scores")
elif fmt == "junit":
    root = ET.fromstring(text.encode("utf-8"))
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    need(root.tag in ("testsuites", "testsuite") and suites, "no testsuite")
    for s in suites:
        cases = s.findall("testcase")
        need(int(s.get("tests")) == len(cases), "tests= does not count")
        need(int(s.get("failures")) == len([c for c in cases
                                            if c.find("failure") is not None]),
             "failures= does not count")
        for c in cases:
            need(c.get("name") and c.get("classname"), "testcase unnamed")
elif fmt == "github":
    rows = [l for l in text.split("\n") if l.startswith("|")]
    need(len(rows) >= 3, "no table")
    need(re.match(r"^\|( *-+:? *\|)+$", rows[1].replace("---:", "---")),
         "second row is not a separator")
    # a pipe after a backslash is text in a cell, not a cell's end
    def cells(row):
        return len(re.findall(r"(?<!\\)\|", row))
    need(all(cells(r) == cells(rows[0]) for r in rows), "rows differ in columns")
PY
}

# the same without python3: jq for JSON, xmllint for XML, else grep
tool_check() {
	case $2 in
	gradescope)
		if have jq; then
			jq -e '(.score|numbers) and (.output|strings) and
			  .output_format == "text" and
			  .test_output_format == "text" and
			  (.tests|length > 0) and
			  all(.tests[]; (.name|strings) and (.score|numbers) and
			      (.max_score|numbers) and (.output|strings) and
			      (.status == "passed" or .status == "failed") and
			      .output_format == "text" and
			      (.visibility|strings))' "$1" >/dev/null
		else
			grep -q '"tests": \[' "$1" && grep -q '"max_score"' "$1"
		fi ;;
	autolab)
		if have jq; then
			tail -n 1 "$1" | jq -e '.scores|type == "object"' >/dev/null
		else
			tail -n 1 "$1" | grep -q '^{"scores": {.*}}$'
		fi ;;
	junit)
		if have xmllint; then
			xmllint --noout "$1" &&
				[ "$(xmllint --xpath 'count(//testcase)' "$1")" = \
				  "$(xmllint --xpath 'string(//testsuite/@tests)' "$1")" ]
		else
			grep -q '<testsuite ' "$1" && grep -q '<testcase ' "$1" &&
				grep -q '</testsuites>' "$1"
		fi ;;
	github)
		sed -n 4p "$1" | grep -q '^| --- |' ;;
	esac
}

validator=${EXPORTS_VALIDATOR:-python3}
have python3 || validator=tools
for dir in reference labs; do
	for format in gradescope autolab junit github; do
		out="$scratch/$dir.$format"
		"$socklab" grade "$lab" --dir "$dir" --format "$format" >"$out" 2>"$out.err"
		status=$?
		if [ "$status" -gt 1 ] || [ ! -s "$out" ]; then
			bad "$format ($dir): socklab exit $status: $(head -n 3 "$out.err")"
			continue
		fi
		if [ $validator = python3 ]; then
			why=$(py_check "$out" "$format" 2>&1)
		else
			why=$(tool_check "$out" "$format" 2>&1)
		fi
		if [ $? = 0 ]; then
			ok "$format ($dir) has its documented shape ($validator)"
		else
			bad "$format ($dir): $why"
			head -n 20 "$out"
		fi
	done
done
# hidden checks: exports run them and say so; Gradescope shows them to
# students once grades are published
in_github=$(grep -c '(hidden)' "$scratch/reference.github")
in_gradescope=$(grep -c '"after_published"' "$scratch/reference.gradescope")
if [ "$in_github" = "$in_gradescope" ] && [ -s "$scratch/reference.github" ]; then
	ok "exports show the same $in_github hidden check(s)"
else
	bad "hidden checks: $in_github in the github export, $in_gradescope in the gradescope one"
fi
if ! have python3 && ! have jq && ! have xmllint; then
	skip "no validator (python3, jq, xmllint): structural checks only"
fi
echo "exports: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
