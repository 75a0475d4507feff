"""`foreman import`: the command-line face of an import — progress bar, row reasons, summary line."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from bot.app import build_services
from bot.config import Settings
from bot.importer.sheets import SheetError
from bot.importer.store import run_import
from bot.views.catalog import t

MAX_SHOWN = 50


def _count_rows(path: Path) -> int | None:
    """Data rows in a CSV for the progress bar's total (XLSX: unknown until read)."""
    if path.suffix.lower() != ".csv":
        return None
    with path.open("rb") as f:
        return max(0, sum(1 for _ in f) - 1)


def import_command(
    settings: Settings,
    *,
    kind: str,
    file: str,
    project: str | None,
    dry_run: bool,
    skip_invalid: bool,
    now: datetime | None = None,
    out: TextIO | None = None,
) -> int:
    """Run an import; 0 when done (or nothing to do), 2 when rows are invalid and nothing was stored."""
    out = out or sys.stdout
    path = Path(file)
    services = build_services(settings)
    # tqdm draws only on a terminal (disable=None), on stderr, so piped output stays the report alone.
    bar = tqdm(
        total=_count_rows(path), unit="row", desc=f"checking {path.name}", disable=None, file=sys.stderr
    )
    try:
        with services.unit_of_work() as session:
            report = run_import(
                session,
                kind=kind,
                path=path,
                project_code=project,
                now=now or datetime.now(UTC),
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                progress=bar.update,
            )
    except SheetError as exc:
        bar.close()
        print(f"foreman import: {exc}", file=sys.stderr)
        return 2
    finally:
        services.engine.dispose()
    bar.close()
    if report.unknown_columns:
        print(f"ignored columns: {', '.join(report.unknown_columns)}", file=out)
    for bad in report.invalid[:MAX_SHOWN]:
        print(f"row {bad.row}: {t('en', bad.key, **bad.params)}", file=out)
    if len(report.invalid) > MAX_SHOWN:
        print(f"… and {len(report.invalid) - MAX_SHOWN} more invalid rows", file=out)
    refused = bool(report.invalid) and not skip_invalid
    if refused:
        print(
            "nothing was stored: fix the rows above, or pass --skip-invalid to import the valid ones",
            file=out,
        )
    elif dry_run:
        print("dry run: nothing was stored", file=out)
    if report.created_workers or report.created_crews:
        print(f"new roster names: {report.created_workers} workers, {report.created_crews} crews", file=out)
    imported = report.imported if report.stored or dry_run else 0
    print(
        f"imported {imported}, skipped {report.duplicates} duplicates, {len(report.invalid)} invalid",
        file=out,
    )
    return 2 if refused else 0
