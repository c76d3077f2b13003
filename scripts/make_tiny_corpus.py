"""Write the tiny model's tokenizer corpora from the dev set's TUNE half (never the seed, never test).

    python scripts/make_tiny_corpus.py      # rewrites pipeline/translate/tiny_corpus_{ja,en}.txt

The corpora ship with the package so that ``jaen models build-tiny`` and the tests need no dev set.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from devset import DevSet, dev_dir  # noqa: E402


def main() -> None:
    tune = DevSet(dev_dir(), "tune")
    for lang in ("ja", "en"):
        lines = [line.strip() for doc in tune.docs for line in tune.text(lang, doc).splitlines() if line.strip()]
        out = REPO / "pipeline" / "translate" / f"tiny_corpus_{lang}.txt"
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{out.relative_to(REPO)}: {len(lines)} lines from {len(tune.docs)} tune documents")


if __name__ == "__main__":
    main()
