"""mutate_selftest.py - proves scripts/mutate.py on a small C program.

`scripts/mutate.py --self-test` generates the mutants of FIXTURE, checks
that every operator made the changes it should, then grades them with a
small grader of its own (build, output, exit status) through the same
code that grades a lab, and checks the report: an equivalent mutant
survives and is listed, a mutant that does not compile is set apart, one
that only draws a warning is killed by the build check.
"""
import os
import subprocess
import tempfile

import mutate_operators as ops

FIXTURE = b"""\
/* fixture.c - one construct for each mutation operator */
#define _DEFAULT_SOURCE 1
#include <stdio.h>

#define ROUNDS 2

static void show(int total)
{
	printf("total %d\\n", total);
}

/* Its only caller's deletion leaves it unused: a warning, no change. */
static void clear(int *n)
{
	*n = 0;
}

static int kind(int n)
{
	switch (n % 3) {
	case 1:
		return 10;
	case 2:
		return 20;
	default:
		return 0;
	}
}

int main(void)
{
	int values[4] = {3, 1, 4, 1};
	int total = 0;
	int i = 0;
	int scratch = 1;

	clear(&scratch);
	while (i < 4) {
		total += values[i] * 2;
		i++;
	}
	for (int j = 0; j < ROUNDS; j++) {
		if (j == 1)
			continue;
		total = total - 1;
	}
	if (total > 5)
		show(total);
	printf("kind %d\\n", kind(total));
	fflush(stdout);
	return 0;
}
"""
EXPECTED_OUTPUT = "total 17\nkind 20\n"

# Changes each operator must make on FIXTURE (as Mutant.describe says).
EXPECTED = [
    "fixture.c:9: deleted printf(\"total %d\\n\", total) (call-delete)",
    "fixture.c:37: deleted clear(&scratch) (call-delete)",
    "fixture.c:50: deleted fflush(stdout) (call-delete)",
    "fixture.c:38: < -> <= in \"i < 4\" (relational)",
    "fixture.c:47: > -> >= in \"total > 5\" (relational)",
    "fixture.c:39: * -> / in \"values[i] * 2\" (arithmetic)",
    "fixture.c:20: % -> / in \"n % 3\" (arithmetic)",
    "fixture.c:45: - -> + in \"total - 1\" (arithmetic)",
    "fixture.c:5: 2 -> 3 in \"#define ROUNDS 2\" (constant)",
    "fixture.c:21: 1 -> 2 in \"case 1: return 10\" (constant)",
    "fixture.c:33: 0 -> (-1) in \"int total = 0\" (constant)",
    "fixture.c:47: if (total > 5) -> if (!(total > 5)) (negate)",
    "fixture.c:38: while (i < 4) -> while (!(i < 4)) (negate)",
    "fixture.c:38: while (i < 4) -> if (i < 4) (loop-once)",
    "fixture.c:42: for (int j = 0; j < ROUNDS; j++) runs once (loop-once)",
]
def check(condition, what, failures):
    print(f"{'ok  ' if condition else 'FAIL'} {what}")
    if not condition:
        failures.append(what)


def fixture_grader(folder):
    """A grader for FIXTURE with the shape of socklab's: a build check
    (compile errors and warnings told apart by its message), then the
    program's output and its exit status."""
    from mutate import Grade
    program = os.path.join(folder, "fixture")
    build = subprocess.run(["gcc", "-std=gnu11", "-Wall", "-Wextra", "-o",
                            "fixture", "fixture.c"], cwd=folder,
                           capture_output=True, text=True)
    if build.returncode != 0:
        return Grade(checks=[("build", "fail",
                              "1 program(s) did not compile; the compiler "
                              "said:\n" + build.stderr)])
    warned = "warning:" in build.stderr
    checks = [("build", "fail" if warned else "pass",
               "the programs compile, with warnings" if warned else "")]
    try:
        run = subprocess.run([program], capture_output=True, text=True,
                             timeout=5)
        output_ok, exit_ok = run.stdout == EXPECTED_OUTPUT, run.returncode == 0
        checks += [("output", "pass" if output_ok else "fail", run.stdout),
                   ("exit", "pass" if exit_ok else "fail", "")]
    except subprocess.TimeoutExpired:
        checks += [("output", "timeout", ""), ("exit", "timeout", "")]
    return Grade(checks=checks)


def run(mutate):
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        lab_dir = os.path.join(tmp, "lab")
        os.makedirs(lab_dir)
        with open(os.path.join(lab_dir, "fixture.c"), "wb") as f:
            f.write(FIXTURE)
        outcomes, sources = mutate.generate(lab_dir, ops.OPERATORS)
        described = [o.mutant.describe() for o in outcomes]
        for want in EXPECTED:
            check(want in described, f"operator made: {want}", failures)
        in_string = [d for d in described if d.startswith("fixture.c:9: ")
                     and d.endswith("(constant)")]
        check(not in_string, "no constant inside \"total %d\\n\"", failures)
        for never in ("fixture.c:2: ", "deleted kind("):
            check(not any(never in d for d in described),
                  f"no mutant of {never!r}", failures)
        check_texts(outcomes, sources, failures)
        check_unique_and_sample(mutate, outcomes, sources, failures)
        check_grading(mutate, outcomes, lab_dir, sources, failures)
    print(f"\nself-test: {len(failures)} failed" if failures
          else "\nself-test: every check passed")
    return 1 if failures else 0


def check_texts(outcomes, sources, failures):
    """Two operators whose edits are the least obvious, by their text."""
    def text_of(change):
        for o in outcomes:
            if o.mutant.change == change:
                return o.mutant.apply(sources["fixture.c"]).decode()
        return ""
    looped = text_of("while (i < 4) -> if (i < 4)")
    check("do { if (i < 4) {" in looped and "} } while (0);" in looped,
          "while-once wraps the body in do { if ... } while (0)", failures)
    once = text_of("for (int j = 0; j < ROUNDS; j++) runs once")
    check("j++) { do {" in once and "} while (0); break; }" in once,
          "for-once breaks after one run of the body", failures)


def check_unique_and_sample(mutate, outcomes, sources, failures):
    first = outcomes[0].mutant
    twice = ops.unique([first, first, outcomes[1].mutant], sources)
    check(len(twice) == 2, "identical mutants are kept once", failures)
    a, how = mutate.sample(outcomes, 10, seed=7)
    b, _ = mutate.sample(outcomes, 10, seed=7)
    c, _ = mutate.sample(outcomes, 10, seed=8)
    ids = [o.id for o in a]
    check(ids == [o.id for o in b] and len(a) == 10,
          "the same seed draws the same sample", failures)
    check(ids != [o.id for o in c], "another seed draws another", failures)
    check(all(o in a for o in outcomes if o.mutant.priority),
          f"priority deletions are kept ({how})", failures)


def check_grading(mutate, outcomes, lab_dir, sources, failures):
    print("grading the fixture's mutants...", flush=True)
    mutate.run_all(outcomes, lab_dir, sources, fixture_grader, 4,
                   lambda *unused: None)
    verdicts = {o.mutant.describe(): o for o in outcomes}
    fflush = verdicts.get("fixture.c:50: deleted fflush(stdout) (call-delete)")
    check(fflush is not None and fflush.verdict == "survived",
          "deleted fflush(stdout) survives: exit flushes stdout", failures)
    case = verdicts.get(
        "fixture.c:21: 1 -> 2 in \"case 1: return 10\" (constant)")
    check(case is not None and case.verdict == "no-compile",
          "case 1 -> case 2 (a duplicate case) does not compile", failures)
    clear = verdicts.get("fixture.c:37: deleted clear(&scratch) (call-delete)")
    check(clear is not None and clear.caught_by == [("build", "fail")],
          "deleted clear(&scratch) is killed by the build check alone "
          "(clear is then unused: a warning)", failures)
    loop = verdicts.get(
        "fixture.c:38: while (i < 4) -> if (i < 4) (loop-once)")
    check(loop is not None and loop.verdict == "killed" and
          ("output", "fail") in loop.caught_by,
          "while-once is killed by the output check", failures)
    baseline = mutate.Grade(checks=[("build", "pass", ""),
                                    ("output", "pass", ""),
                                    ("exit", "pass", "")])
    text = mutate.text_report("fixture", outcomes, len(outcomes), "",
                              ops.OPERATORS, baseline)
    print(text)
    survivors = text.split("survivors", 1)[-1].split("\n\n", 1)[0]
    check("fixture.c:50: deleted fflush(stdout) (call-delete)" in survivors,
          "the report lists the fflush survivor", failures)
    killed, compiled = mutate.score_of(outcomes)
    check(text.startswith(f"fixture: mutation score {killed}/{compiled}")
          and 0 < killed < compiled,
          f"the report gives the score ({killed}/{compiled})", failures)
