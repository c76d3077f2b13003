"""The ``jaen`` command line: run the pipeline, re-run one stage, build models and the dictionary table."""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from . import artifacts
from .cli_help import ClassicTyper
from .config import Config, load_config
from .errors import InputError, JaenError
from .stage import STAGE_ORDER, stages

F = TypeVar("F", bound=Callable[..., Any])

app = ClassicTyper(
    help="Japanese→English translation, alignment and scoring: one config, one run directory, one bilingual TSV.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
models_app = ClassicTyper(help="Build and convert translation models.", no_args_is_help=True)
app.add_typer(models_app, name="models")
translations_app = ClassicTyper(help="Bring your own translations (translate.backend=file).", no_args_is_help=True)
app.add_typer(translations_app, name="translations")
lexicon_app = ClassicTyper(
    help="The dictionary table align reads (built once per dictionary install).", no_args_is_help=True
)
app.add_typer(lexicon_app, name="lexicon")

log = logging.getLogger("jaen")

Overrides = Annotated[
    list[str] | None, typer.Argument(help="dotted overrides, e.g. run.name=trial translate.num_beams=2")
]
Target = Annotated[str, typer.Argument(help="a YAML config, or a run directory holding config.yaml")]
Wait = Annotated[
    bool,
    typer.Option(
        "--wait", help="when another jaen process is using the run directory, wait for it instead of stopping"
    ),
]
Only = Annotated[
    bool,
    typer.Option(
        "--only", help="re-run this stage alone: the later stages' outputs are removed, not remade (default: remade)"
    ),
]


def user_errors(fn: F) -> F:
    """Turn a JaenError into one line on stderr and exit status 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except JaenError as exc:
            typer.echo(f"jaen: error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:  # a full disk, an unwritable directory: the file and the reason, one line
            where = f"{exc.filename}: " if exc.filename else ""
            typer.echo(f"jaen: error: {where}{exc.strerror or exc}", err=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            typer.echo("jaen: interrupted; finished work is kept and a re-run resumes", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


OUR_LOGGERS = ("jaen", "pipeline")


def setup_logging(verbose: bool = False) -> None:
    """Our messages from INFO up; other libraries' (sacrebleu, ray, …) from WARNING up only. With
    ``verbose`` (``jaen -v``, which a later call keeps) every library's messages, debug included."""
    root = logging.getLogger()
    verbose = verbose or root.level == logging.DEBUG
    logging.basicConfig(format="jaen: %(message)s", stream=sys.stderr)
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    for name in OUR_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.INFO)
    if verbose:
        return
    for noisy in ("transformers", "huggingface_hub", "datasets", "urllib3", "httpx"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except ImportError:  # pragma: no cover
        pass


@app.callback()
def main_options(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="show debug messages, and other libraries' messages too")
    ] = False,
) -> None:
    """Japanese→English translation, alignment and scoring: one config, one run directory, one bilingual TSV."""
    if verbose:
        setup_logging(verbose=True)


def resolve_target(target: str, overrides: list[str] | None) -> Config:
    path = Path(target)
    if path.is_dir():
        if not (path / artifacts.CONFIG).is_file():
            raise JaenError(f"{path} is a directory without {artifacts.CONFIG}: pass a config file or a run directory")
        stored = load_config(path / artifacts.CONFIG, overrides)
        if stored.run_dir.is_dir() and stored.run_dir.samefile(path):
            return stored  # config.yaml keeps its paths as the user wrote them
        # a moved run directory: the stage works on it, named as given (relative stays relative)
        given = path if path.name not in ("", ".", "..") else path.resolve()
        here = [f"run.output_dir={given.parent}", f"run.name={given.name}"]
        return load_config(path / artifacts.CONFIG, [*here, *(overrides or [])])
    return load_config(path, overrides)


def _run(
    target: str, overrides: list[str] | None, names: tuple[str, ...], resume: bool = False, wait: bool = False
) -> None:
    from .lock import run_lock
    from .runner import run_stages
    from .translate.tiny import warn_if_random

    setup_logging()
    config = resolve_target(target, overrides)
    with run_lock(config.run_dir, wait=wait):
        run_dir = run_stages(config, names, resume=resume and config.run.resume)
    warn_if_random(run_dir)
    typer.echo(str(run_dir / artifacts.BITEXT_TSV) if "export" in names else str(run_dir))


def _from_stage(name: str, only: bool) -> tuple[str, ...]:
    """The stage ``name`` and, unless ``only``, every stage after it (so the run stays consistent)."""
    return (name,) if only else tuple(STAGE_ORDER[STAGE_ORDER.index(name) :])


def _stage_help(name: str) -> str:
    """A stage command's help: the stage's summary, and the stages it re-runs after it."""
    later = STAGE_ORDER[STAGE_ORDER.index(name) + 1 :]
    then = f" Then re-runs {', '.join(later)} (--only: {name} alone)." if later else ""
    return stages.get(name).summary + then


@app.command(help=f"Run every stage: {' → '.join(STAGE_ORDER)} (stages already done are kept).")
@user_errors
def run(
    config: Annotated[str, typer.Argument(help="YAML config (see configs/)")],
    overrides: Overrides = None,
    wait: Wait = False,
) -> None:
    _run(config, overrides, STAGE_ORDER, resume=True, wait=wait)


def _stage_command(name: str, doc: str) -> None:
    @user_errors
    def command(target: Target, overrides: Overrides = None, only: Only = False, wait: Wait = False) -> None:
        _run(target, overrides, _from_stage(name, only), wait=wait)

    command.__doc__ = doc
    command.__name__ = name
    app.command(name=name)(command)


@app.command("segment", help=_stage_help("segment"))
@user_errors
def segment(
    target: Annotated[
        str, typer.Argument(help="a text file to segment, or a config / run directory to re-run the stage")
    ],
    overrides: Overrides = None,
    lang: Annotated[str, typer.Option(help="with a text file: ja (a scraped page) or en (a reference)")] = "ja",
    dropped: Annotated[
        bool, typer.Option("--dropped", help="with a text file: also print what was removed, and why, to stderr")
    ] = False,
    only: Only = False,
    wait: Wait = False,
) -> None:
    path = Path(target)
    if path.suffix in (".yaml", ".yml") or path.is_dir():
        _run(target, overrides, _from_stage("segment", only), wait=wait)
        return
    from .config import SegmentSection
    from .io import read_text
    from .segment import rules as _rules  # noqa: F401
    from .segment.base import segmenters

    if lang not in ("ja", "en"):
        raise JaenError(f"--lang must be ja or en, not {lang!r}")
    segmenter = segmenters.get("rules")(SegmentSection())
    text = read_text(path, what="input")
    result = segmenter.segment(text) if lang == "ja" else segmenter.segment_reference(text)
    for sentence in result.to_sentences():
        typer.echo(json.dumps(sentence.to_dict(), ensure_ascii=False))
    if dropped:
        for record in result.dropped:
            typer.echo(json.dumps(record.to_dict(), ensure_ascii=False), err=True)


for _name in STAGE_ORDER:  # every stage without a command of its own above re-runs through `_run`
    if _name not in {c.name or c.callback.__name__ for c in app.registered_commands if c.callback}:
        _stage_command(_name, _stage_help(_name))


@app.command("eval-align")
@user_errors
def eval_align(
    pred: Annotated[Path, typer.Argument(help="a bitext.tsv (source and reference columns)")],
    gold: Annotated[Path, typer.Option(help='gold alignment: JSON list of {"ja": [...], "en": [...]} beads')],
) -> None:
    """Print link precision, recall and F1 of a bitext TSV against a gold alignment.

    Warns when fewer than half of the gold sentences are found in the bitext; none found is an error."""
    from .align.evaluate import evaluate_fit

    scores, fit = evaluate_fit(pred, gold)
    warning = fit.check()
    if warning:
        typer.echo(f"jaen: warning: {warning}", err=True)
    typer.echo(str(scores))


@app.command()
@user_errors
def compare(
    run_dirs: Annotated[list[str], typer.Argument(help="run directories with scores.json; the first is the baseline")],
    as_json: Annotated[bool, typer.Option("--json", help="print the comparison as JSON")] = False,
) -> None:
    """Corpus scores of runs side by side, with sacrebleu's paired bootstrap test against the first run."""
    from .score.compare import compare_runs

    setup_logging()
    logging.getLogger("sacrebleu").setLevel(logging.WARNING)
    result = compare_runs(run_dirs)
    typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if as_json else result.table())


@app.command("config")
@user_errors
def show_config(
    config: Annotated[str | None, typer.Argument(help="YAML config; omit for the defaults")] = None,
    overrides: Overrides = None,
) -> None:
    """Print the resolved config (after overrides) as YAML."""
    typer.echo(load_config(config, overrides).to_yaml(), nl=False)


@app.command()
@user_errors
def sweep(
    config: Annotated[str, typer.Argument(help="sweep YAML: base config + grid (see configs/sweep_smoke.yaml)")],
    overrides: Annotated[
        list[str] | None, typer.Argument(help="dotted overrides of the base config, e.g. translate.cache_dir=DIR")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="validate the grid and list the points; run nothing")
    ] = False,
    wait: Wait = False,
) -> None:
    """Run one pipeline per grid point (resumable) and rank them in leaderboard.tsv / leaderboard.md."""
    from .sweep import dump_points, load_sweep, run_sweep

    setup_logging()
    spec = load_sweep(config, overrides)
    if dry_run:
        typer.echo(dump_points(spec), nl=False)
        return
    typer.echo(str(run_sweep(spec, wait=wait)))


@models_app.command("build-tiny")
@user_errors
def build_tiny(
    directory: Annotated[Path, typer.Argument(help="where to write the model")],
    full_size: Annotated[bool, typer.Option(help="opus-mt-ja-en's full shape (for speed benchmarks)")] = False,
    seed: Annotated[int, typer.Option(help="random seed of the weights")] = 0,
    force: Annotated[
        bool,
        typer.Option(
            help="build into a non-empty DIRECTORY: replaces the files build-tiny wrote there, keeps the rest"
        ),
    ] = False,
) -> None:
    """Build offline a deterministic random MarianMT that the normal loading code reads."""
    from .translate.tiny import FULL, TINY, build_marian

    if directory.exists() and not directory.is_dir():
        raise JaenError(f"{directory} is a file, not a directory: build-tiny writes a model directory there")
    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise JaenError(
            f"{directory} is not empty (pass --force to replace the model files build-tiny wrote there; "
            "other files are kept)"
        )
    setup_logging()
    typer.echo(str(build_marian(directory, FULL if full_size else TINY, seed=seed)))


@models_app.command("convert-ct2")
@user_errors
def convert_ct2(
    src: Annotated[str, typer.Argument(help="a transformers Marian model: hub id or directory")],
    dst: Annotated[Path, typer.Argument(help="where to write the CTranslate2 model")],
    revision: Annotated[str | None, typer.Option(help="hub revision of SRC")] = None,
    quantization: Annotated[
        str | None,
        typer.Option(help="store weights as int8, float16, … (default float32: any compute type loads it)"),
    ] = None,
    force: Annotated[bool, typer.Option(help="replace DST if it exists")] = False,
) -> None:
    """Convert a Marian model to CTranslate2 for translate.backend=ct2 (use it with translate.ct2_dir=DST)."""
    from .translate.ct2 import convert_ct2 as convert

    setup_logging()
    typer.echo(str(convert(src, dst, revision=revision, quantization=quantization, force=force)))


@lexicon_app.command("build")
@user_errors
def lexicon_build(
    force: Annotated[bool, typer.Option(help="build it again even where it is built")] = False,
) -> None:
    """Build the dictionary table: a first align run then reads each word in one seek (optional).

    Every JMdict/JMnedict word's glosses and every katakana form's romaji, in the user cache beside the
    gloss memo (~40 s, ~110 MB, once per dictionary install). Without it align looks words up as met."""
    from .align.gloss_table import build_installed

    setup_logging()
    status, built = build_installed(force)
    if built is None:
        typer.echo(f"{status.path}: already built ({_size(status.size)}); --force builds it again")
        return
    typer.echo(
        f"{built.path}: {built.keys:,} words, {built.readings:,} katakana readings, {_size(status.size)}, "
        f"built in {built.seconds:.0f} s"
    )


@lexicon_app.command("status")
@user_errors
def lexicon_status() -> None:
    """Where the dictionary table of the installed dictionary is, its size, and whether it is built."""
    from .align.gloss_table import installed_table, table_status

    db_file, path = installed_table()
    status = table_status(path)
    typer.echo(f"dictionary: {db_file}")
    if status.complete:
        typer.echo(f"table: {path} ({_size(status.size)}, {status.keys:,} words): built for this dictionary")
    elif status.exists:
        typer.echo(f"table: {path} is unusable (not complete): run `jaen lexicon build --force`")
    else:
        typer.echo(f"table: not built (it would be {path}): run `jaen lexicon build`")


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


@translations_app.command("import")
@user_errors
def import_translations(
    src: Annotated[Path, typer.Argument(help="segment-level translations: JSONL {doc, seg, ja, translation} per line")],
    out: Annotated[Path, typer.Argument(help="where to write {source, translation} JSONL for translate.file")],
    docs: Annotated[
        Path | None,
        typer.Option(
            help="directory of the documents, DOCS/<doc>.txt: map onto the sentences our "
            "segmenter makes of them (joins too); default: split each segment alone"
        ),
    ] = None,
    config: Annotated[Path | None, typer.Option(help="a YAML config whose segment section to use")] = None,
) -> None:
    """Map segment-level translations (as WMT gives them) onto our sentences, for translate.file=OUT.

    A segment equal to one of our sentences maps directly; segments our segmenter joins are joined;
    a segment it splits has its translation re-segmented (docs/translation.md)."""
    from .io import read_text
    from .segment import rules as _rules  # noqa: F401
    from .segment.base import segmenters
    from .segment.ja import split_japanese
    from .translate.segment_import import ImportResult, map_document, read_segments, write_rows

    section = load_config(config).segment
    segmenter = segmenters.get(section.method, "segment.method")(section)
    result = ImportResult()
    by_doc = read_segments(src)
    absent = [doc for doc in by_doc if docs is not None and not (docs / f"{doc}.txt").is_file()]
    if docs is not None and len(absent) == len(by_doc):
        raise InputError(
            f"{docs}: none of the {len(by_doc)} documents of {src} is there as DOC.txt (first: {absent[0]}.txt)"
        )
    if absent:  # a system's output for a whole test set, imported for some of its documents
        typer.echo(
            f"{len(absent)} of {len(by_doc)} documents of {src} are not in {docs} (first: {absent[0]}.txt): skipped",
            err=True,
        )
    for doc, segments in by_doc.items():
        if doc in absent:
            continue
        if docs is None:
            ours = [p for s in segments for p in split_japanese(s.ja)]
        else:
            page = read_text(docs / f"{doc}.txt", what=f"document {doc!r}")
            ours = [u.text for u in segmenter.segment(page).units if u.lang == "ja"]
        map_document(doc, ours, segments, result)
    written, duplicates = write_rows(result.rows, out)
    counts = result.counts
    typer.echo(
        f"{out}: {written} sentences from {result.segments} segments: {counts['direct']} direct, "
        f"{counts['joined']} joined, {counts['split']} split; {duplicates} repeated sentence(s) written once",
        err=True,
    )
    if result.unmapped:
        doc, first = result.unmapped[0]
        typer.echo(
            f"{len(result.unmapped)} sentence(s) left unmapped (their block's translation has fewer sentences "
            f"than ours; first: {doc}: {first[:40]!r}): translate them with translate.fallback=hf|ct2",
            err=True,
        )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
