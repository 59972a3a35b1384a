"""Evaluate ``pressgraph ingest``: precision, recall and F1 per kind, span support, validation.

Sets: the seed announcement against its curated graph (once with the project's
reference data, once "cold", knowing nothing of data/, since that reference data was
curated from the seed itself), the development set ``tests/ingest/dev`` and, with
``--heldout``, the held-out set ``tests/ingest/heldout`` (run it once, at the end,
and never tune on what it shows).

    .venv/bin/python bench/eval_ingest.py                 # seed + dev, print only
    .venv/bin/python bench/eval_ingest.py --write         # ... and update bench/RESULTS.md
    .venv/bin/python bench/eval_ingest.py --heldout --write

``--write`` replaces only the "Ingest evaluation" section of bench/RESULTS.md (between
its markers); a run without ``--heldout`` keeps the held-out results recorded before.
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pressgraph.ingest.evaluate import (  # noqa: E402
    KINDS,
    DocumentResult,
    Score,
    evaluate_gold_file,
    evaluate_seed,
    total,
)

RESULTS = ROOT / "bench" / "RESULTS.md"
BEGIN, END = "<!-- ingest-evaluation:begin -->", "<!-- ingest-evaluation:end -->"
HELD_BEGIN, HELD_END = "<!-- ingest-heldout:begin -->", "<!-- ingest-heldout:end -->"
RERUN_BEGIN, RERUN_END = "<!-- ingest-heldout-rerun:begin -->", "<!-- ingest-heldout-rerun:end -->"
AIMS = {"places": 0.9, "organisations": 0.9, "people": 0.9, "quotes": 0.95}


def table(scores: dict[str, Score]) -> list[str]:
    lines = ["| kind | precision | recall | F1 | tp | fp | fn | aim |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for kind in KINDS:
        s = scores[kind]
        aim = f"F1 ≥ {AIMS[kind]}" if kind in AIMS else ""
        if kind in AIMS:
            aim += " ✓" if s.f1 >= AIMS[kind] else " ✗"
        lines.append(f"| {kind} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.tp} | "
                     f"{s.fp} | {s.fn} | {aim} |")
    return lines


def details(results: list[DocumentResult]) -> list[str]:
    support = [r.support for r in results]
    conforming = sum(1 for r in results if not r.violations)
    lines = [
        f"* Span support: {sum(s.checked for s in support)} claim triples checked "
        f"({sum(s.numbers for s in support)} numbers, {sum(s.dates for s in support)} dates): "
        f"**{sum(len(s.unsupported) for s in support)} unsupported**; "
        f"{sum(len(s.assumed) for s in support)} value(s) assumed and flagged for review "
        "(a figure's place when its sentence names none).",
        f"* Validation: {conforming} of {len(results)} drafts conform (no Violation); "
        f"{sum(r.warnings for r in results)} Warnings, {sum(r.reviews for r in results)} "
        "review notes in all.",
    ]
    for r in results:
        for v in r.violations:
            lines.append(f"  * {r.name} must add: {v}")
    scores = total(results)
    errors = [(k, m) for k in KINDS for m in scores[k].misses] + [
        (k, f"{e} (extra)") for k in KINDS for e in scores[k].extras
    ]
    if errors:
        lines.append("* Every error (gold key missed, or extracted key not in the gold):")
        lines += [f"  * {kind}: `{text}`" for kind, text in errors]
    else:
        lines.append("* No error: every gold key found, no key extracted that is not in the gold.")
    for r in results:
        for s in r.support.unsupported:
            lines.append(f"  * unsupported in {r.name}: {s}")
    return lines


def section(name: str, results: list[DocumentResult], note: str, seconds: float) -> list[str]:
    out = [f"### {name}", "", note, "", *table(total(results)), "", *details(results)]
    out.append(f"* Time: {seconds:.1f} s for {len(results)} document(s), validation included.")
    return [*out, ""]


def run(args: argparse.Namespace) -> tuple[list[str], list[str] | None]:
    started = time.perf_counter()
    seed = [evaluate_seed(ROOT), evaluate_seed(ROOT, cold=True)]
    seed_time = time.perf_counter() - started
    started = time.perf_counter()
    dev = [evaluate_gold_file(p, ROOT) for p in sorted((ROOT / "tests/ingest/dev").glob("*.txt"))]
    dev_time = time.perf_counter() - started
    body = section(
        "Seed announcement against its curated graph",
        seed[:1],
        "With the project's reference data (organisations and places named as curated).",
        seed_time / 2,
    )
    body += section(
        "Seed announcement, cold",
        seed[1:],
        "Knowing nothing of data/: the reference data was curated from this very text, so this "
        "is the fairer test of the rules (places from GeoNames only, organisations by name).",
        seed_time / 2,
    )
    body += section(
        f"Development set ({len(dev)} announcements, tests/ingest/dev)",
        dev,
        "Written with their gold files before the extractor; the rules were developed while "
        "looking at these texts, so these scores are optimistic.",
        dev_time,
    )
    held = None
    if args.rerun:
        started = time.perf_counter()
        files = sorted((ROOT / "tests/ingest/heldout").glob("*.txt"))
        results = [evaluate_gold_file(p, ROOT) for p in files]
        held = [RERUN_BEGIN, *section(
            "Held-out set, re-run after fixes (no longer held-out)",
            results,
            f"Re-run on {date.today().isoformat()} after fixing what the held-out run showed: "
            f"{args.rerun}. These texts have now influenced the rules: these figures are not "
            "held-out figures; the ones above are.",
            time.perf_counter() - started,
        ), RERUN_END]
    elif args.heldout:
        started = time.perf_counter()
        files = sorted((ROOT / "tests/ingest/heldout").glob("*.txt"))
        results = [evaluate_gold_file(p, ROOT) for p in files]
        held = [HELD_BEGIN, *section(
            f"Held-out set ({len(results)} announcements, tests/ingest/heldout)",
            results,
            f"Written with the development set, before the extractor; evaluated once, on "
            f"{date.today().isoformat()}, after development had ended. The figures below are "
            "from that one run; fixes it prompts are recorded apart (--rerun).",
            time.perf_counter() - started,
        ), HELD_END]
    return body, held


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--heldout", action="store_true", help="also the held-out set (once!)")
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    parser.add_argument("--rerun", metavar="WHAT-WAS-FIXED", default=None,
                        help="re-run the held-out set after fixes, recorded apart from the "
                             "one-time held-out result")
    args = parser.parse_args()
    body, held = run(args)
    command = "\n".join([
        "    .venv/bin/python bench/eval_ingest.py --write             # seed + development set",
        "    .venv/bin/python bench/eval_ingest.py --heldout --write   # the held-out set, once",
        '    .venv/bin/python bench/eval_ingest.py --rerun "<what was fixed>" --write',
        "                                         # held-out re-run, recorded apart",
    ])
    existing = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else ""

    def kept(begin: str, end: str) -> list[str]:
        match = re.search(re.escape(begin) + r".*?" + re.escape(end), existing, re.S)
        return [match.group(0)] if match else []

    if args.rerun:
        held = kept(HELD_BEGIN, HELD_END) + held
    elif args.heldout:
        held = held + kept(RERUN_BEGIN, RERUN_END)
    else:
        held = kept(HELD_BEGIN, HELD_END) + kept(RERUN_BEGIN, RERUN_END) or [
            "### Held-out set", "", "Not evaluated yet (`--heldout`).", ""]
    text = "\n".join([
        BEGIN,
        "## Ingest evaluation",
        "",
        f"Measured {date.today().isoformat()} on {platform.machine()} "
        f"(Python {platform.python_version()}), from the project root:",
        "",
        command,
        "",
        "Keys compared per kind (never IRIs): places (GeoNames id, else name), organisations "
        "(matched by any of their names), people (name), events (kind, place, date), series "
        "(kind, number of events), roles (organisation, role), posts (person, role, "
        "organisation), quotes (words, speaker), numbers (value, hedge, speaker inside a "
        "quotation), topics (label). Micro-averaged over documents. Definitions: "
        "`src/pressgraph/ingest/evaluate.py`; annotation rules: `tests/ingest/README.md`; "
        "decision: `docs/decisions/0007-ingest.md`.",
        "",
        *body,
        *held,
        END,
    ])
    print(text)
    if args.write:
        if BEGIN in existing and END in existing:
            new = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _m: text, existing,
                         flags=re.S)
        else:
            new = existing.rstrip("\n") + "\n\n" + text + "\n"
        RESULTS.write_text(new, encoding="utf-8")
        print(f"\nwrote {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
