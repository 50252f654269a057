"""``benchlearn datasets``: list, describe and export the bundled and simulated datasets."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from benchlearn.cli.app import app

if TYPE_CHECKING:  # heavy imports stay out of `benchlearn --help`
    import pandas as pd
    from rich.table import Table

MAX_LISTED_COLUMNS = 25

datasets_app = typer.Typer(
    help="The bundled real datasets and simulated lab experiments.",
    no_args_is_help=True,
)
app.add_typer(datasets_app, name="datasets")


@datasets_app.command("list")
def list_command() -> None:
    """List every dataset: name, kind (real or simulated) and what it holds.

    Example: benchlearn datasets list
    """
    from rich.console import Console
    from rich.table import Table

    from benchlearn.data import list_datasets

    table = Table("name", "kind", "what it holds", title="benchlearn datasets")
    for row in list_datasets().itertuples():
        table.add_row(row.name, row.kind, row.summary)
    Console().print(table)


@datasets_app.command("show")
def show_command(
    name: Annotated[str, typer.Argument(help="Dataset name, from `benchlearn datasets list`.")],
    rows: Annotated[int, typer.Option(help="How many rows of the table to show.")] = 5,
) -> None:
    """Describe a dataset: what each row is, each column's meaning and unit, its source.

    Example: benchlearn datasets show protein_assay
    """
    from rich.console import Console
    from rich.table import Table

    from benchlearn.data import load_dataset

    data = load_dataset(name)
    console = Console()
    console.print(f"[bold]{data.name}[/bold] ({data.kind}, {len(data.frame)} rows)")
    console.print(data.description)
    columns = Table("column", "meaning (unit)", "role")
    shown = list(data.columns.items())
    if len(shown) > MAX_LISTED_COLUMNS:  # e.g. 765 genes: the first few say what the rest are
        shown = shown[: MAX_LISTED_COLUMNS - 1]
    for column, meaning in shown:
        role = "target" if column == data.target else "feature" if column in data.features else ""
        columns.add_row(column, meaning, role)
    if len(shown) < len(data.columns):
        columns.add_row("…", f"{len(data.columns) - len(shown)} more columns like those above", "")
    console.print(columns)
    console.print(f"[bold]Source:[/bold] {data.source}")
    console.print(f"[bold]Cite:[/bold] {data.citation}")
    if data.licence:
        console.print(f"[bold]Licence:[/bold] {data.licence}")
    if data.truth:
        shown = {k: v for k, v in data.truth.items() if not hasattr(v, "__len__") or len(v) < 10}
        console.print(f"[bold]True parameters:[/bold] {shown}")
    console.print(_head_table(data.frame, rows))


def _head_table(frame: "pd.DataFrame", rows: int, max_columns: int = 6) -> "Table":
    """The first rows as a rich table; wide tables keep their first and last columns."""
    from rich.table import Table

    columns = list(frame.columns)
    if len(columns) > max_columns:
        columns = [*columns[: max_columns - 2], "…", columns[-1]]
    table = Table(*columns, title=f"first {min(rows, len(frame))} of {len(frame)} rows")
    for _, row in frame.head(max(rows, 0)).iterrows():
        table.add_row(*("…" if c == "…" else _cell(row[c]) for c in columns))
    return table


def _cell(value: object) -> str:
    return f"{value:.6g}" if isinstance(value, float) else str(value)


@datasets_app.command("export")
def export_command(
    name: Annotated[str, typer.Argument(help="Dataset name, from `benchlearn datasets list`.")],
    out: Annotated[Path, typer.Argument(help="CSV file to write.")],
    force: Annotated[
        bool, typer.Option("--force", metavar="", help="Replace OUT if it exists.")
    ] = False,
) -> None:
    """Write a dataset to a CSV file, e.g. to practise `benchlearn fit` on it.

    Example: benchlearn datasets export qpcr_standard_curve qpcr.csv
    """
    from benchlearn.data import load_dataset
    from benchlearn.errors import UsageError
    from benchlearn.files import write_atomically

    if out.is_dir():
        raise UsageError(
            "this is a folder, not a file name",
            where=f"file {out}",
            fix=f"Give a file name inside it, e.g. {out / (name + '.csv')}",
        )
    data = load_dataset(name)
    write_atomically(out, data.frame.to_csv(index=False), force=force)
    typer.echo(f"Wrote {len(data.frame)} rows of {name} to {out}")
