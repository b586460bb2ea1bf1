"""``flask translations update|check|compile``: keep both catalogs complete."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from core import i18n_catalogs

translations_cli = AppGroup("translations", help="Extract, fill, check and compile the vi and en message catalogs.")
_root_option = click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=i18n_catalogs.ROOT,
    show_default=False,
    help="The project tree (default: this checkout).",
)


@translations_cli.command("update")
@_root_option
def update_command(root: Path) -> None:
    """Extract messages, merge them into vi and en, fill en and fill vi from translations/pending/*.tsv."""
    report = i18n_catalogs.update(root)
    click.echo(f"{report.extracted} messages; filled vi: {report.filled['vi']}, en: {report.filled['en']}.")
    if report.untranslated:
        click.echo(
            f"{len(report.untranslated)} messages have no Vietnamese yet; add them to translations/pending/<task>.tsv:"
        )
        for msgid in report.untranslated:
            click.echo(f"  {msgid}")


@translations_cli.command("check")
@_root_option
def check_command(root: Path) -> None:
    """Exit non-zero listing every message missing or untranslated in either catalog."""
    problems = i18n_catalogs.check(root)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} translation problems; run 'flask translations update'.")
    click.echo("vi and en catalogs are complete.")


@translations_cli.command("compile")
@_root_option
def compile_command(root: Path) -> None:
    """Write the .mo files Flask-Babel reads (pybabel compile -d translations)."""
    for path in i18n_catalogs.compile_catalogs(root):
        click.echo(f"compiled {path.relative_to(root)}")
