"""How well intake triages text nobody tuned it on: the held-out set of the triage corpus.

``python -m bench triage`` (``trc bench triage``) runs every held-out text through intake's own
decision (``services.intake.domain.decision.decide``, as ingest calls it) twice in the same run —
with the shipped model, and with the keyword rules alone (the baseline) — and prints per-category
precision and recall, then one line ``bench triage: …`` with the targets' figures. This module is
the only reader of ``corpus/triage/heldout.jsonl``; ``--set dev`` runs the development set
(``--cv 5``: cross-validated; ``--by-writer``: each writer left out in turn).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.platform import percentile
from services.intake.domain.decision import Verdict, decide
from services.intake.domain.priority import decide_priority
from services.intake.domain.taxonomy import default_taxonomy
from services.intake.domain.textmodel import TriageModel, load_model, shipped_model
from services.intake.ingest import classifier_for, elsewhere_for
from shared.contracts.vocabulary import Priority
from trc.triage.corpus import CORPUS, Entry, read

HELD_OUT = CORPUS / "heldout.jsonl"
DAY = datetime(2026, 12, 1, 11, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@dataclass
class Scored:
    entry: Entry
    verdict: Verdict
    p1: bool
    seconds: float


def run(entries: list[Entry], model: TriageModel | None) -> list[Scored]:
    scored = []
    for entry in entries:
        started = time.perf_counter()
        verdict = decide(
            entry.text,
            classifier_for(entry.department),
            model,
            elsewhere_for(entry.department),
        )
        priority = decide_priority(
            category=verdict.category,
            danger_flags=set(verdict.urgent_flags),
            local_time=DAY,  # the night a text speaks of counts (night_in_text)
            alone=verdict.mentions_alone,
            night_in_text=verdict.mentions_night,
            sensed=verdict.model_danger,
            infant_alone=verdict.mentions_infant_alone,
        )
        seconds = time.perf_counter() - started
        p1 = verdict.dispatch and priority.priority is Priority.P1
        scored.append(Scored(entry, verdict, p1, seconds))
    return scored


def _share(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def figures(scored: list[Scored]) -> dict[str, float]:
    groups = {c.code: c.spm_group for c in default_taxonomy()}
    reports = [s for s in scored if s.entry.is_report and s.entry.category]
    strict = sum(s.verdict.category == s.entry.category for s in reports)
    grouped = sum(
        s.verdict.category == s.entry.category
        or (groups.get(s.verdict.category or "") or "-") == (groups.get(s.entry.category or "") or "+")
        for s in reports
    )  # fmt: skip
    genuine = [s for s in scored if s.entry.genuine_here]
    noise = [s for s in scored if not s.entry.is_report]
    away = [s for s in scored if s.entry.is_report and s.entry.in_region is False]
    actual_p1 = [s for s in scored if s.entry.genuine_here and s.entry.p1]
    said_p1 = [s for s in scored if s.p1]
    placed = [s for s in scored if s.entry.genuine_here and s.entry.kecamatan]
    kecamatan = sum(
        s.verdict.location is not None and s.verdict.location.kecamatan == s.entry.kecamatan
        for s in placed
    )
    times = sorted(s.seconds * 1000 for s in scored)
    return {
        "texts": len(scored),
        "category_strict": _share(strict, len(reports)),
        "category_group": _share(grouped, len(reports)),
        "genuine_dispatched": _share(sum(s.verdict.dispatch for s in genuine), len(genuine)),
        "noise_dispatched": _share(sum(s.verdict.dispatch for s in noise), len(noise)),
        "elsewhere_dispatched": _share(sum(s.verdict.dispatch for s in away), len(away)),
        "p1_recall": _share(sum(s.p1 for s in actual_p1), len(actual_p1)),
        "p1_precision": _share(
            sum(s.entry.genuine_here and s.entry.p1 for s in said_p1), len(said_p1)
        ),
        "kecamatan": _share(kecamatan, len(placed)),
        "p50_ms": percentile(times, 50),
        "p99_ms": percentile(times, 99),
    }


def per_category(scored: list[Scored]) -> list[tuple[str, int, float, float]]:
    """(code, support, precision, recall) over the reports, most frequent first."""
    reports = [s for s in scored if s.entry.is_report and s.entry.category]
    support = Counter(s.entry.category for s in reports)
    said = Counter(s.verdict.category for s in reports if s.verdict.category)
    right = Counter(s.entry.category for s in reports if s.verdict.category == s.entry.category)
    return [
        (code, n, _share(right[code], said[code]), _share(right[code], n))
        for code, n in support.most_common()
        if code
    ]


def print_table(scored: list[Scored]) -> None:
    print(f"{'category':<38} {'n':>4} {'precision':>9} {'recall':>7}")
    for code, n, precision, recall in per_category(scored):
        print(f"{code:<38} {n:>4} {precision:>9.0%} {recall:>7.0%}")
    reasons = Counter(s.verdict.triage_reason or "dispatched" for s in scored)
    print("decisions: " + ", ".join(f"{r.split(' / ')[-1]} {n}" for r, n in reasons.most_common()))


def line(name: str, f: dict[str, float], ratio: float | None = None) -> str:
    """``name: key=value …`` (shares in per cent), ``ratio`` last when given."""
    shown = " ".join(
        f"{key}={value:.2f}" if key.endswith("_ms") else
        f"{key}={int(value)}" if key == "texts" else f"{key}={value * 100:.1f}"
        for key, value in f.items()
    )  # fmt: skip
    return f"{name}: {shown}" + (f" ratio={ratio:.2f}" if ratio is not None else "")


def cross_validated(entries: list[Entry], folds: int) -> list[Scored]:
    """Each fold decided by a model trained on the other folds: the development set's honest
    figures, for choosing thresholds and features without touching the held-out set."""
    from trc.triage.train import fit

    ordered = sorted(entries, key=lambda e: e.id)
    scored: list[Scored] = []
    for fold in range(folds):
        train = [e for i, e in enumerate(ordered) if i % folds != fold]
        scored += run([e for i, e in enumerate(ordered) if i % folds == fold],
                      load_model(fit(train)))  # fmt: skip
    return scored


def writer(entry: Entry) -> str:
    """Who wrote a text: its id's prefix ("w7-0012" → "w7")."""
    return entry.id.rsplit("-", 1)[0]


def by_writer(entries: list[Entry]) -> list[Scored]:
    """Each writer's texts decided by a model trained on every other writer's: how the triage
    reads a writer it has never read — the development set's nearest to the held-out set's
    unseen writer (one model per writer: minutes)."""
    from trc.triage.train import fit

    scored: list[Scored] = []
    for name in sorted({writer(e) for e in entries}):
        train = [e for e in entries if writer(e) != name]
        scored += run([e for e in entries if writer(e) == name], load_model(fit(train)))
    return scored


async def main(args: argparse.Namespace) -> None:
    path = HELD_OUT if args.set == "heldout" else Path(CORPUS / "dev.jsonl")
    entries = read(path)
    model = shipped_model()
    baseline = run(entries, None)
    if args.set == "dev" and args.by_writer:
        scored = by_writer(entries)
        print(f"set: {path.name}, each writer's texts by a model of the others'\n")
    elif args.set == "dev" and args.cv:
        scored = cross_validated(entries, args.cv)
        print(f"set: {path.name}, {args.cv}-fold cross-validation\n")
    else:
        scored = run(entries, model)
        print(f"set: {path.name}; model: {model.trained_on if model else 'none shipped'}\n")
    print_table(scored)
    before, after = figures(baseline), figures(scored)
    print("\n" + line("rules alone (baseline)", before))
    # ratio: genuine reports dispatched without a person, model over the rules alone
    print(
        line(
            "bench triage", after, after["genuine_dispatched"] / (before["genuine_dispatched"] or 1)
        )
    )
