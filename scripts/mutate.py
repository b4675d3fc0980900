#!/usr/bin/env python3
"""mutate.py - mutation analysis of the labs' checks.

usage: scripts/mutate.py [--lab LAB]... [-j N] [--seed N] [--limit N]
                         [--operators OP,...] [--timeout S] [--confirm]
                         [--socklab PATH] [--out DIR] [--list]
       scripts/mutate.py --self-test

Each mutant is a lab's reference solution with one small change (see
mutate_operators.py). Each is built and graded like a student's
submission, hidden checks included; a mutant that some check fails is
killed, one that scores full marks survived. A survivor is a change no
check notices: a gap in the checks, or a change that cannot alter what the
program does (an equivalent mutant). The score is killed / compiled:
mutants that do not compile say nothing about the checks and are reported
apart; a mutant that compiles with a warning is killed by the build check.

This is a benchmark, not a test: it prints the score and every survivor,
and writes OUT/NN-name.txt and OUT/NN-name.json. With --limit, a lab with
more mutants is sampled: deletions of the calls students most often forget
first, then a uniform sample of the rest, drawn from --seed (printed).
"""
import argparse
import concurrent.futures
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

import mutate_operators as ops

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_TIMEOUT = 600  # seconds per grade: far above any lab's deadlines
# The build check's message when a program does not compile, as opposed to
# compiling with warnings (grader/sl_run.c, sl_judge_build).
NOT_COMPILED = re.compile(r"^\d+ program\(s\) did not compile")


@dataclass
class Grade:
    """What one grading run said."""
    checks: list = field(default_factory=list)  # [(id, status, message)]
    error: str = ""                             # why there is no result


@dataclass
class Outcome:
    """What became of one mutant."""
    id: str                 # m001, stable for a lab and a set of operators
    mutant: ops.Mutant
    verdict: str = ""       # killed, survived, no-compile, error
    caught_by: list = field(default_factory=list)  # [(check id, status)]
    detail: str = ""        # the compiler's first error, or the grader's
    seconds: float = 0.0


# ---- generating and sampling ------------------------------------------

def reference_labs():
    """The labs with a reference solution: mutants are made from those."""
    folder = os.path.join(ROOT, "reference")
    if not os.path.isdir(folder):
        raise SystemExit("mutate: no reference/ here: mutants are made from "
                         "the reference solutions")
    return sorted(d for d in os.listdir(folder) if re.match(r"^\d\d-", d))


def find_lab(key):
    """The folder name of a lab in reference/ from its number or name."""
    labs = reference_labs()
    for lab in labs:
        number, name = lab.split("-", 1)
        if key in (lab, name, number) or (key.isdigit() and
                                          int(key) == int(number)):
            return lab
    raise SystemExit(f"mutate: no lab '{key}' in reference/ "
                     f"(labs: {' '.join(labs)})")


def generate(lab_dir, operators):
    """Every distinct mutant of the lab's C files, numbered, and the
    files' original texts. Headers are left alone: they declare, and the
    grader takes some of them from the project anyway."""
    sources, mutants = {}, []
    for name in sorted(os.listdir(lab_dir)):
        if not name.endswith(".c"):
            continue
        path = os.path.join(lab_dir, name)
        with open(path, "rb") as f:
            sources[name] = f.read()
        # the lab's given headers live in labs/NN only
        given = os.path.join(os.path.dirname(os.path.dirname(
            os.path.abspath(lab_dir))), "labs", os.path.basename(
                os.path.normpath(lab_dir)))
        mutants += ops.mutants_of_file(path, name, [lab_dir, given],
                                       operators)
    mutants = ops.unique(mutants, sources)
    return [Outcome(f"m{i + 1:03d}", m) for i, m in enumerate(mutants)], \
        sources


def sample(outcomes, limit, seed):
    """At most limit mutants, the same for the same seed: the deletions
    of priority calls first (the bugs students really make), then a
    uniform draw from the others. Returns them in their original order
    and a sentence saying how they were chosen."""
    if not limit or len(outcomes) <= limit:
        return outcomes, ""
    rng = random.Random(seed)
    first = [o for o in outcomes if o.mutant.priority]
    rest = [o for o in outcomes if not o.mutant.priority]
    if len(first) >= limit:
        chosen = rng.sample(first, limit)
        how = f"{limit} of {len(first)} priority call deletions"
    else:
        chosen = first + rng.sample(rest, limit - len(first))
        how = (f"all {len(first)} priority call deletions and "
               f"{limit - len(first)} of the other {len(rest)}")
    order = {o.id: i for i, o in enumerate(outcomes)}
    chosen.sort(key=lambda o: order[o.id])
    return chosen, f"a sample with seed {seed}: {how}"


# ---- grading --------------------------------------------------------------

def copy_lab(lab_dir, dest, sources=None, mutant=None):
    """The lab's files in dest, one of them mutated."""
    os.makedirs(dest)
    for name in os.listdir(lab_dir):
        shutil.copy(os.path.join(lab_dir, name), os.path.join(dest, name))
    if mutant is not None:
        with open(os.path.join(dest, mutant.file), "wb") as f:
            f.write(mutant.apply(sources[mutant.file]))


def socklab_grader(socklab, lab, timeout):
    """A function grading a folder with socklab, hidden checks included.
    Each grade runs its checks one at a time (-j 1): the parallelism is
    across mutants, and a machine loaded twice over makes timing checks
    fail for the wrong reason."""
    def grade(folder):
        result = os.path.join(folder, "result.json")
        if os.path.exists(result):
            os.remove(result)  # a second grade must not read the first's
        command = [socklab, "grade", lab, "--dir", folder, "--hidden",
                   "--format", "tsv", "--json", result, "-j", "1"]
        # a session of its own, so that a grade past its deadline is
        # killed with everything it started
        proc = subprocess.Popen(command, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return Grade(error=f"the grader did not finish in {timeout} s")
        if proc.returncode not in (0, 1) or not os.path.exists(result):
            return Grade(error=f"socklab exit {proc.returncode}: "
                         f"{err.strip()[-300:]}")
        with open(result, encoding="utf-8", errors="replace") as f:
            data = json.load(f)
        return Grade(checks=[(c["id"], c["status"], c.get("message", "") +
                              "\n" + c.get("actual", ""))
                             for c in data["checks"]])
    return grade


def classify(outcome, grade, trusted):
    """Sets the outcome's verdict from a grade. Only checks the unmutated
    reference passed (trusted) can kill: another failing says nothing
    about the mutant."""
    if grade.error:
        outcome.verdict, outcome.detail = "error", grade.error
        return
    for check, status, message in grade.checks:
        if check == "build" and status != "pass" and \
                NOT_COMPILED.match(message):
            outcome.verdict = "no-compile"
            outcome.detail = first_error(message)
            return
    outcome.caught_by = [(check, status) for check, status, _ in grade.checks
                         if check in trusted and status not in
                         ("pass", "skipped")]
    outcome.verdict = "killed" if outcome.caught_by else "survived"


def first_error(message):
    for line in message.splitlines():
        if "error:" in line:
            return line.strip()
    return message.splitlines()[0] if message else ""


def confirm(outcome, grade, folder, trusted):
    """Grades a killed mutant again and keeps only the checks that fail
    both times: on a loaded machine a timing check can fail once for the
    wrong reason, and that must not count as a kill. The build check
    needs no second look: the compiler's verdict does not depend on load."""
    if outcome.verdict != "killed" or \
            any(c == "build" for c, _ in outcome.caught_by):
        return
    again = Outcome(outcome.id, outcome.mutant)
    classify(again, grade(folder), {c for c, _ in outcome.caught_by})
    if again.verdict == "error":
        return
    once = [c for c, _ in outcome.caught_by
            if c not in {c2 for c2, _ in again.caught_by}]
    outcome.caught_by = [(c, s) for c, s in outcome.caught_by
                         if c not in once]
    if once:
        outcome.detail = f"failed once, passed when graded again: " \
                         f"{' '.join(once)}"
    if not outcome.caught_by:
        outcome.verdict = "survived"


def run_all(outcomes, lab_dir, sources, grade, jobs, progress,
            confirm_kills=False):
    """Grades every mutant, jobs at a time, each in its own copy of the
    lab. Returns the grade of the unmutated reference, or raises when it
    does not grade."""
    work = tempfile.mkdtemp(prefix="socklab-mutate-")
    try:
        base = os.path.join(work, "reference")
        copy_lab(lab_dir, base)
        baseline = grade(base)
        if baseline.error:
            raise RuntimeError(f"the reference does not grade: "
                               f"{baseline.error}")
        trusted = {c for c, status, _ in baseline.checks if status == "pass"}

        def one(outcome):
            folder = os.path.join(work, outcome.id)
            copy_lab(lab_dir, folder, sources, outcome.mutant)
            started = time.monotonic()
            classify(outcome, grade(folder), trusted)
            if confirm_kills:
                confirm(outcome, grade, folder, trusted)
            outcome.seconds = time.monotonic() - started
            shutil.rmtree(folder, ignore_errors=True)
            return outcome

        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            for n, outcome in enumerate(pool.map(one, outcomes), 1):
                progress(n, len(outcomes), outcome)
        return baseline
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---- reporting ----------------------------------------------------------

def score_of(outcomes):
    killed = sum(o.verdict == "killed" for o in outcomes)
    compiled = sum(o.verdict in ("killed", "survived") for o in outcomes)
    return killed, compiled


def text_report(lab, outcomes, generated, how, operators, baseline):
    killed, compiled = score_of(outcomes)
    percent = f"{100.0 * killed / compiled:.1f}%" if compiled else "n/a"
    by = {v: [o for o in outcomes if o.verdict == v]
          for v in ("survived", "no-compile", "error", "killed")}
    lines = [f"{lab}: mutation score {killed}/{compiled} ({percent})",
             f"  {generated} mutants generated, {len(outcomes)} graded"
             + (f" ({how})" if how else "") + f", {compiled} compiled, "
             f"{len(by['no-compile'])} did not compile, "
             f"{len(by['error'])} not graded",
             f"  operators: {' '.join(operators)}"]
    failing = [c for c, status, _ in baseline.checks if status != "pass"]
    if failing:
        lines.append(f"  the reference itself does not pass "
                     f"{' '.join(failing)} here: those checks kill nothing")
    sections = (("survived", "survivors"), ("no-compile", "did not compile"),
                ("error", "not graded"), ("killed", "killed"))
    for verdict, title in sections:
        if not by[verdict]:
            continue
        lines += ["", f"{title} ({len(by[verdict])}):"]
        for o in by[verdict]:
            line = f"  {o.mutant.describe()}  [{o.id}]"
            if verdict == "killed":
                line += " by " + " ".join(
                    c if s == "fail" else f"{c}:{s}" for c, s in o.caught_by)
                if o.detail:
                    line += f" ({o.detail})"
            elif o.detail:
                line += f": {o.detail}"
            lines.append(line)
    return "\n".join(lines) + "\n"


def json_report(lab, outcomes, generated, how, operators, seed, limit,
                baseline):
    killed, compiled = score_of(outcomes)
    return {
        "schema": "socklab-mutate/1",
        "lab": lab,
        "reference_failing": [c for c, status, _ in baseline.checks
                              if status != "pass"],
        "operators": list(operators),
        "seed": seed,
        "limit": limit,
        "sample": how,
        "generated": generated,
        "graded": len(outcomes),
        "compiled": compiled,
        "killed": killed,
        "score": round(killed / compiled, 4) if compiled else None,
        "mutants": [{
            "id": o.id, "file": o.mutant.file, "line": o.mutant.line,
            "operator": o.mutant.operator, "change": o.mutant.change,
            "priority": o.mutant.priority, "verdict": o.verdict,
            "caught_by": [{"check": c, "status": s} for c, s in o.caught_by],
            "detail": o.detail, "seconds": round(o.seconds, 2),
            "edits": [[s, e, t.decode(errors="replace")]
                      for s, e, t in o.mutant.edits],
        } for o in outcomes],
    }


def write_reports(out, lab, text, data):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, f"{lab}.txt"), "w") as f:
        f.write(text)
    with open(os.path.join(out, f"{lab}.json"), "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


def print_progress(n, total, outcome):
    what = outcome.verdict
    if outcome.caught_by:
        what += " by " + " ".join(c for c, _ in outcome.caught_by)
    print(f"  [{n}/{total}] {outcome.id} {outcome.mutant.describe()}: "
          f"{what} ({outcome.seconds:.1f} s)", file=sys.stderr, flush=True)


# ---- the command --------------------------------------------------------

def mutate_lab(lab, args, grade):
    """Generates, samples, grades and reports one lab. Returns its score
    line for the summary."""
    lab_dir = os.path.join(ROOT, "reference", lab)
    outcomes, sources = generate(lab_dir, args.operators)
    chosen, how = sample(outcomes, args.limit, args.seed)
    print(f"{lab}: {len(outcomes)} mutants, grading {len(chosen)}"
          + (f" ({how})" if how else "") + f" with {args.jobs} at a time",
          file=sys.stderr, flush=True)
    if args.list:
        for o in chosen:
            print(f"{o.id} {o.mutant.describe()}")
        return None
    baseline = run_all(chosen, lab_dir, sources, grade, args.jobs,
                       print_progress, args.confirm)
    text = text_report(lab, chosen, len(outcomes), how, args.operators,
                       baseline)
    write_reports(args.out, lab, text, json_report(
        lab, chosen, len(outcomes), how, args.operators, args.seed,
        args.limit, baseline))
    print(text, flush=True)
    return text.splitlines()[0]


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="mutation analysis of the labs' checks")
    p.add_argument("--lab", action="append",
                   help="a lab by number or name (repeatable; default all)")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2,
                   help="mutants graded at once (default: the cores)")
    p.add_argument("--seed", type=int, default=1,
                   help="seed of the sample (default 1)")
    p.add_argument("--limit", type=int, default=0,
                   help="grade at most this many mutants per lab")
    p.add_argument("--operators", default=",".join(ops.OPERATORS),
                   help="comma-separated: " + ",".join(ops.OPERATORS))
    p.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT,
                   help="seconds one grade may take (default 600)")
    p.add_argument("--socklab", default=os.path.join(ROOT, "bin", "socklab"))
    p.add_argument("--out", default=os.path.join(ROOT, "bin", "mutate"))
    p.add_argument("--confirm", action="store_true",
                   help="grade each killed mutant again; a check must fail "
                   "twice to count (for loaded machines)")
    p.add_argument("--list", action="store_true",
                   help="list the mutants that would be graded, grade none")
    p.add_argument("--self-test", action="store_true",
                   help="prove the operators and the report on a fixture")
    args = p.parse_args(argv)
    args.operators = [o for o in args.operators.split(",") if o]
    unknown = set(args.operators) - set(ops.OPERATORS)
    if unknown or not args.operators:
        p.error(f"unknown operators {sorted(unknown)}; "
                f"choose from {','.join(ops.OPERATORS)}")
    if args.jobs < 1:
        p.error("--jobs must be at least 1")
    return args


def main(argv):
    args = parse_args(argv)
    problem = ops.available()
    if problem:
        print(f"mutate: {problem}; run scripts/install-deps.sh mutate",
              file=sys.stderr)
        return 2
    if args.self_test:
        import mutate_selftest
        return mutate_selftest.run(sys.modules[__name__])
    if not args.list and not os.access(args.socklab, os.X_OK):
        print(f"mutate: no {args.socklab}: run make first", file=sys.stderr)
        return 2
    labs = [find_lab(k) for k in args.lab] if args.lab else reference_labs()
    summary = []
    for lab in labs:
        grade = socklab_grader(args.socklab, lab, args.timeout)
        try:
            line = mutate_lab(lab, args, grade)
        except RuntimeError as exc:
            print(f"mutate: {lab}: {exc}", file=sys.stderr)
            return 2
        if line:
            summary.append(line)
    if len(summary) > 1:
        text = "".join(f"{s}\n" for s in summary)
        with open(os.path.join(args.out, "summary.txt"), "w") as f:
            f.write(text)
        print("summary:\n" + text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
