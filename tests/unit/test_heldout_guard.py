"""Only the benchmark reads the held-out set of the triage corpus: no rule, word list, model or
test is built or tuned on it."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAME = "heldout" + ".jsonl"  # spelled apart so this file does not name it either
SOURCE_NAME = "source-" + NAME.replace(".jsonl", "")


def _files() -> list[Path]:
    found = []
    for folder in ("services", "shared", "trc", "bench", "tests", "deploy", ".ci"):
        found += [p for p in (ROOT / folder).rglob("*") if p.is_file() and p.suffix != ".pyc"]
    return found


def test_only_the_benchmark_names_the_held_out_file() -> None:
    """The benchmark reads it; the split (``trc triage split``, run once) wrote it."""
    allowed = {Path("bench/triage.py"), Path("trc/triage/corpus.py")}
    naming = set()
    for path in _files():
        text = path.read_text(encoding="utf-8", errors="ignore")
        if NAME in text or SOURCE_NAME in text:
            naming.add(path.relative_to(ROOT))
    assert Path("bench/triage.py") in naming
    assert naming <= allowed, f"the held-out set is named by {sorted(naming - allowed)}"


def test_the_held_out_set_exists_beside_the_development_set_and_they_share_no_text() -> None:
    corpus = ROOT / "corpus" / "triage"
    dev = (corpus / "dev.jsonl").read_text(encoding="utf-8")
    held = (corpus / NAME).read_text(encoding="utf-8")
    assert dev.strip() and held.strip()
    import json

    dev_texts = {json.loads(line)["text"] for line in dev.splitlines() if line.strip()}
    held_texts = {json.loads(line)["text"] for line in held.splitlines() if line.strip()}
    assert not dev_texts & held_texts
