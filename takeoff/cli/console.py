"""Tables on the terminal, with rich: boxed and bold on a terminal, plain text otherwise.

Output that is not a terminal (a pipe, a file, a test's capture) gets no escape codes and
Markdown-style tables (``| a | b |``) wide enough not to wrap; ``NO_COLOR`` (no-color.org)
turns colour and styles off on a terminal too.
"""

from __future__ import annotations

import os
import sys

from rich import box
from rich.console import Console
from rich.table import Table as RichTable

from takeoff.formatting import Table

PLAIN_WIDTH = 240  # columns of plain output: long enough that a headline table never wraps


def console(file=None) -> Console:
    """A rich Console on ``file`` (default: the current stdout) that is plain unless ``file``
    is a terminal."""
    file = file if file is not None else sys.stdout
    terminal = bool(getattr(file, "isatty", lambda: False)())
    return Console(
        file=file,
        force_terminal=terminal,
        no_color=bool(os.environ.get("NO_COLOR")) or not terminal,
        highlight=False,
        emoji=False,
        soft_wrap=False,
        width=None if terminal else PLAIN_WIDTH,
        color_system="auto" if terminal else None,
    )


def rich_table(table: Table, plain: bool, styled: bool = True) -> RichTable:
    """``plain``: Markdown-style ASCII table; ``styled``: bold headers (a terminal in colour)."""
    styled = styled and not plain
    t = RichTable(
        title=table.title,
        title_justify="left",
        caption=table.note or None,
        caption_justify="left",
        box=box.MARKDOWN if plain else box.SIMPLE_HEAVY,
        header_style="bold" if styled else "",
        title_style="bold" if styled else "",
        caption_style="dim" if styled else "",
    )
    for i, column in enumerate(table.columns):
        t.add_column(column, no_wrap=i == 0, style="bold" if styled and i == 0 else "")
    for row in table.rows:
        t.add_row(*row)
    return t


def print_tables(tables: list[Table], file=None, heading: str = "") -> None:
    """Print ``heading`` and ``tables`` one after the other, a blank line after each. Plain
    output has no trailing spaces (rich pads titles and captions to the table's width)."""
    out = console(file)
    plain = not out.is_terminal
    styled = not os.environ.get("NO_COLOR")
    if heading:
        out.print(heading, style="bold" if styled and not plain else "")
        out.print()
    for table in tables:
        if plain:
            with out.capture() as captured:
                out.print(rich_table(table, plain, styled))
            text = "\n".join(line.rstrip() for line in captured.get().splitlines())
            out.file.write(text + "\n\n")
        else:
            out.print(rich_table(table, plain, styled))
            out.print()
