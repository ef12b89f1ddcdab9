"""Monthly reports answer under the ILP form's field codes (version 2 of the form)

Stored monthly revisions (``report.data``) and the figures stored at each
deadline (``summary_snapshot.figures["sums"]``) had the SKDN form's names
(``s``, ``bumil_hadir``, ...); they are renamed to the codes the form, the
exports and DHIS2 mappings use (``BAL_S``, ``BUMIL_DATANG``, ...). Nothing is
dropped: answers with no code in the new form (births, deaths, the total
referred) stay in the revision under their old names. The mapping is frozen
here as it was when the form changed; the form declares the same step for
drafts (``conversations/forms/monthly.py``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONTHLY = "bulanan"
BATCH = 1000
RENAMED = {
    "buka": "POSY_BUKA",
    "alasan_tutup": "POSY_ALASAN",
    "kader_hadir": "POSY_KADER_HADIR",
    "s": "BAL_S",
    "k": "BAL_K",
    "d": "BAL_D",
    "n": "BAL_N",
    "t": "BAL_T",
    "o": "BAL_O",
    "b": "BAL_B",
    "t2": "BAL_2T",
    "bgm": "BAL_BGM",
    "balita_dirujuk": "BAL_RUJUK",
    "vit_a_biru": "BAL_VITA_BIRU",
    "vit_a_merah": "BAL_VITA_MERAH",
    "bumil_hadir": "BUMIL_DATANG",
    "bumil_kek": "BUMIL_KEK",
    "bumil_ttd": "BUMIL_TTD",
    "nifas_hadir": "NIFAS_DATANG",
    "remaja_hadir": "REMAJA_DATANG",
    "dewasa_hadir": "DEWASA_DATANG",
    "dewasa_ht": "DEWASA_HT",
    "lansia_hadir": "LANSIA_DATANG",
    "lansia_ht": "LANSIA_HT",
    "terduga_tbc": "TBC_TERDUGA",
}
JSON = sa.JSON().with_variant(JSONB(), "postgresql")
REPORT = sa.table("report", sa.column("id", sa.Integer), sa.column("kind"), sa.column("data", JSON))
SNAPSHOT = sa.table(
    "summary_snapshot",
    sa.column("period"),
    sa.column("level"),
    sa.column("code"),
    sa.column("figures", sa.JSON),
)


def upgrade() -> None:
    _rename(RENAMED)


def downgrade() -> None:
    """Back to the old names (answers to fields added since keep their codes)."""
    _rename({new: old for old, new in RENAMED.items()})


def _rename(names: Mapping[str, str]) -> None:
    bind = op.get_bind()

    def answers(data: dict[str, Any]) -> dict[str, Any]:
        return {names.get(key, key): value for key, value in data.items()}

    last = 0
    while True:
        rows = bind.execute(
            sa.select(REPORT.c.id, REPORT.c.data)
            .where(REPORT.c.kind == MONTHLY, REPORT.c.id > last)
            .order_by(REPORT.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        for row_id, data in rows:
            if names.keys() & data.keys():
                bind.execute(
                    REPORT.update().where(REPORT.c.id == row_id).values(data=answers(data))
                )
        last = rows[-1][0]
    # Snapshots are a few rows per kabupaten and month: read them at once.
    snapshots = bind.execute(
        sa.select(SNAPSHOT.c.period, SNAPSHOT.c.level, SNAPSHOT.c.code, SNAPSHOT.c.figures)
    ).all()
    for period, level, code, figures in snapshots:
        sums = figures.get("sums") or {}
        if names.keys() & sums.keys():
            bind.execute(
                SNAPSHOT.update()
                .where(
                    SNAPSHOT.c.period == period, SNAPSHOT.c.level == level, SNAPSHOT.c.code == code
                )
                .values(figures={**figures, "sums": answers(sums)})
            )
