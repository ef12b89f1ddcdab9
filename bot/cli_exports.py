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
    from handlers.exports import table as T

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
