"""``python -m bot export …``: DHIS2 imports and tables for other systems.

What the exports contain is in ``handlers.exports``; this module parses the
options, reads the mapping file and writes the result (to ``--out`` or
stdout). Errors go to stderr in Indonesian, with exit code 1 for something
missing (an area, an unmapped code) and 2 for a wrong option.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from bot.config import Settings
from bot.wiring import configure_logging, open_database
from handlers.clock import utc_now
from handlers.exports import BadPeriodError, UnknownAreaError
from handlers.exports import words as W
from handlers.exports.mapping import Mapping, MappingError, read_mapping
from handlers.exports.values import LEVELS
from storage import Database

export_app = typer.Typer(help="Exports for other systems (DHIS2, tables).", no_args_is_help=True)

Period = Annotated[str, typer.Option(help="Reporting month, YYYY-MM.")]
AreaCode = Annotated[
    str | None, typer.Option("--area", help="Region or Posyandu code (default: all).")
]
Out = Annotated[Path | None, typer.Option(help="Write to FILE (default: stdout).")]


def _open() -> Database:
    settings = Settings()
    configure_logging(settings.log_level)
    return open_database(settings)


def _fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _choice(value: str, choices: tuple[str, ...], message: str) -> str:
    if value not in choices:
        _fail(message.format(value=value, choices=", ".join(choices)), 2)
    return value


def _mapping(path: Path | None) -> Mapping | None:
    if path is None:
        return None
    try:
        return read_mapping(path.read_text(encoding="utf-8"))
    except MappingError as error:
        _fail("\n".join(error.problems), 2)


def _write(content: bytes, out: Path | None, count: int) -> None:
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    out.write_bytes(content)
    typer.echo(W.WRITTEN.format(count=count, path=out), err=True)


@export_app.command("dhis2")
def dhis2(
    period: Period,
    area: AreaCode = None,
    level: Annotated[
        str, typer.Option(help="Org units: posyandu, or desa (Posyandu summed).")
    ] = "posyandu",
    fmt: Annotated[str, typer.Option("--format", help="json, csv or adx.")] = "json",
    mapping: Annotated[
        Path | None,
        typer.Option(
            exists=True, dir_okay=False, help="CSV kind,code,dhis2,catoptcombo (see README)."
        ),
    ] = None,
    data_set: Annotated[
        str, typer.Option(help="DHIS2 data set (ADX needs one; default: the form's id).")
    ] = "",
    out: Out = None,
) -> None:
    """Write a month's monthly-report values as a DHIS2 dataValueSets import."""
    from handlers.exports import dhis2 as D

    _choice(fmt, D.FORMATS, W.BAD_FORMAT)
    _choice(level, LEVELS, W.BAD_LEVEL)
    rules = _mapping(mapping)
    try:
        made = D.export(
            _open(),
            period=period,
            area=area,
            level=level,
            output=fmt,
            mapping=rules,
            data_set=data_set,
            now=utc_now(),
        )
    except BadPeriodError:
        _fail(W.BAD_PERIOD.format(period=period), 2)
    except UnknownAreaError:
        _fail(W.UNKNOWN_AREA.format(code=area))
    except D.UnmappedError as error:
        _fail(D.unmapped_text(error.unmapped))
    _write(made.content, out, made.count)


@export_app.command("table")
def table(
    period: Period,
    months: Annotated[int, typer.Option(min=1, max=60, help="Months up to PERIOD.")] = 1,
    area: AreaCode = None,
    fmt: Annotated[
        str, typer.Option("--format", help="csv (the long table) or xlsx (with its views).")
    ] = "csv",
    out: Out = None,
) -> None:
    """Write the long table: one row per indicator x month x Posyandu, Indonesian headers."""
    from handlers.exports import views as T

    _choice(fmt, T.FORMATS, W.BAD_FORMAT)
    try:
        made = T.export(_open(), period=period, months=months, area=area, output=fmt)
    except BadPeriodError:
        _fail(W.BAD_PERIOD.format(period=period), 2)
    except UnknownAreaError:
        _fail(W.UNKNOWN_AREA.format(code=area))
    if out is None and fmt == "xlsx":
        out = Path(made.name)
    _write(made.content, out, made.count)


targets_app = typer.Typer(help="Targets per indicator and kabupaten.", no_args_is_help=True)


@targets_app.command("show")
def targets_show(
    kabupaten: Annotated[
        str | None, typer.Option(help="Kabupaten code (default: the national targets).")
    ] = None,
) -> None:
    """List each indicator's target: the kabupaten's own, or the national default."""
    from handlers.exports.targets import bands_of, targets_of

    with _open().transaction() as session:
        found = targets_of(session, kabupaten)
        bands = bands_of(session, kabupaten)
    where = kabupaten or W.TARGETS_NATIONAL
    typer.echo(W.TARGETS_TITLE.format(where=where))
    for target in found:
        percent = "-" if target.percent is None else f"{target.percent:g}%"
        source = W.TARGET_SOURCE[target.source]
        typer.echo(f"{target.measure.code}\t{percent}\t{source}\t{target.measure.label}")
    good, fair = f"{bands.good_above:g}", f"{bands.fair_above:g}"
    typer.echo(W.BANDS.format(good=good, fair=fair))


@targets_app.command("set")
def targets_set(
    kabupaten: Annotated[str, typer.Argument(help="Kabupaten code.")],
    indicator: Annotated[str, typer.Argument(help="Indicator code (targets show lists them).")],
    percent: Annotated[str, typer.Argument(help="Target in percent, e.g. 85.")],
) -> None:
    """Set one indicator's target for a kabupaten (replacing the national default)."""
    _save_targets([(None, kabupaten, indicator, percent)])


@targets_app.command("import")
def targets_import(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="CSV kabupaten,indicator,target.")
    ],
) -> None:
    """Import targets from a CSV file (all or nothing, line-numbered errors)."""
    from handlers.exports.targets import TargetError, read_import

    try:
        rows = read_import(file.read_text(encoding="utf-8"))
    except TargetError as error:
        _fail("\n".join(error.problems))
    _save_targets(rows)


@targets_app.command("bands")
def targets_bands(
    kabupaten: Annotated[str, typer.Argument(help="Kabupaten code.")],
    good: Annotated[float, typer.Option("--baik", help="baik: above this % of target.")] = 91,
    fair: Annotated[float, typer.Option("--cukup", help="cukup: above this % of target.")] = 80,
) -> None:
    """Set a kabupaten's bands of the achievement review (in percent of target)."""
    from handlers.exports.targets import TargetError, set_bands

    try:
        with _open().transaction() as session:
            set_bands(session, kabupaten, good, fair, utc_now())
    except TargetError as error:
        _fail("\n".join(error.problems))
    typer.echo(f"{W.BANDS_SAVED} " + W.BANDS.format(good=f"{good:g}", fair=f"{fair:g}"))


def _save_targets(rows: list[tuple[int | None, str, str, str]]) -> None:
    from handlers.exports.targets import TargetError, set_targets

    try:
        with _open().transaction() as session:
            saved = set_targets(session, rows, utc_now())
    except TargetError as error:
        _fail("\n".join(error.problems))
    typer.echo(W.TARGETS_SAVED.format(count=saved))


@export_app.command("bok")
def bok_export(
    period: Period,
    area: Annotated[str, typer.Option("--area", help="Puskesmas (or any region) code.")],
    out: Out = None,
) -> None:
    """Write the month's outreach activities with their evidence: a workbook and a photo zip.

    The zip (a folder per activity, numbered as the workbook's rows) is saved
    next to the workbook, named like it with ``-foto.zip``.
    """
    from handlers.bok import export

    settings = Settings()
    configure_logging(settings.log_level)
    try:
        book, photos = export(open_database(settings), settings.media_dir, period=period, area=area)
    except BadPeriodError:
        _fail(W.BAD_PERIOD.format(period=period), 2)
    except UnknownAreaError:
        _fail(W.UNKNOWN_AREA.format(code=area))
    target = out or Path(book.name)
    _write(book.content, target, book.count)
    _write(photos.content, target.with_name(f"{target.stem}-foto.zip"), photos.count)


bok_app = typer.Typer(help="BOK plans of the Puskesmas.", no_args_is_help=True)


@bok_app.command("import")
def bok_import(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="CSV puskesmas,kode,menu.")
    ],
) -> None:
    """Import each Puskesmas' BOK plan (replacing its older one; all or nothing)."""
    from handlers.bok.plan import PlanError, import_plan

    try:
        with _open().transaction() as session:
            summary = import_plan(session, file.read_text(encoding="utf-8"), utc_now())
    except PlanError as error:
        _fail("\n".join(error.problems))
    typer.echo(summary)
