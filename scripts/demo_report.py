"""Build a small demo run directory and score and export it: a report with something in every part.

    python scripts/demo_report.py [RUN_DIR]     # default outputs/demo-report

The Japanese sentences, references and alignment are written out here; the "machine translations"
are hand-written stand-ins of varying quality (the real model cannot be downloaded offline and the
tiny test model's output is noise), so the scores differ from row to row the way real ones do.
Scoring and export are the pipeline's own (`jaen score`, `jaen export`).
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.runner import run_stages  # noqa: E402
from tests.rundirs import Unit, write_run  # noqa: E402

UNITS = [
    Unit(
        ["中露協商が世界政治の地殻変動を引き起こす"],
        ["The Sino-Russian entente causes a tectonic shift in world politics"],
        ["China-Russia entente triggers tectonic shift in world politics"],
        0.93,
    ),
    Unit(["現代のロシア"], ["Modern Russia"], [], 0.0),
    Unit(
        [
            "ロシアのウラジーミル・プーチン大統領の中国国賓訪問は、両国の協商型連携の選択が勢いを増していることを浮き彫りにした。"
        ],
        [
            "Russian President Vladimir Putin's state visit to China highlighted the growing momentum of the two countries' choice of entente-style alignment."
        ],
        [
            "Russian President Vladimir Putin's state visit to China underlined the gathering momentum of the two countries' entente-type alignment."
        ],
        0.88,
    ),
    Unit(
        ["それは明示的な軍事支援義務には及ばない。", "しかし軍事支援を完全に排除するわけでもない。"],
        [
            "It does not extend to explicit obligations of military support.",
            "But it does not rule out military support entirely either.",
        ],
        [
            "It falls short of an explicit military assistance obligation but does not completely exclude military support either."
        ],
        0.81,
    ),
    Unit(
        ["北京での会談の画期的な意義は、戦略的理解の基盤が正式な同盟よりも効果的な連携の選択肢に進化したことにある。"],
        ["The significance of the Beijing talks is that strategic understanding has evolved into an option."],
        [
            "The landmark significance of the Beijing talks lies in the fact that the foundation of strategic understanding …"
        ],
        0.74,
        partial=True,
        flags=["truncated"],
    ),
    Unit(
        ["協商はロシアと中国の両国が罠と抑止の中間点を築くことを認めている。"],
        ["Entente lets both countries build a middle point between trap and deterrence."],
        ["The entente allows Russia and China to find a midpoint between entrapment and deterrence."],
        0.77,
    ),
    Unit(
        ["ロシア国営通信社タス通信は木曜日、北京から報じた。"],
        ["Russian state news agency TASS reported from Beijing on Thursday."],
        [],
        0.0,
    ),
    Unit([], [], ["In international diplomacy, summit meetings stand apart from regular high-level meetings."]),
    Unit(
        ["会談後のメディア声明で、習近平氏は指導原則を明確にした。"],
        ["After the talks, Xi spoke to the press."],
        ["In a media statement after the talks, Xi Jinping spelled out the guiding principles."],
        0.62,
    ),
    Unit(
        ["両首脳は非公式のお茶会と限定的な夕食会を行った。"],
        ["The two leaders had tea tea tea tea together."],
        ["The two leaders held an informal tea party and a restricted dinner."],
        0.41,
        flags=["repeated"],
    ),
    Unit(
        ["共同声明は米国を特に批判した。"],
        ["The joint statement singled out the US for criticism."],
        ["Above all, the joint statement specifically criticised the United States."],
        0.86,
    ),
    Unit(
        ["ウクライナ危機が中心議題になると予想されていた。"],
        ["The Ukraine crisis was expected to be the central topic."],
        ["The Ukraine crisis was expected to be the central agenda item."],
        0.95,
    ),
    Unit(["写真はロシア外務省提供。"], ["Photo courtesy of the Russian Foreign Ministry."], [], 0.0),
]


def main(run_dir: Path) -> Path:
    config = write_run(run_dir, UNITS)
    run_stages(config, ["score", "export"])
    return run_dir / "report.html"


if __name__ == "__main__":
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "outputs" / "demo-report"))
