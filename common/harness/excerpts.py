"""Code excerpts in the docs: every fenced block under a "From `path`:" caption
must match the file it quotes, with "..." for the lines it leaves out.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

from .boots import shown_path
from .config import ROOT


# A fenced block that quotes a file has a caption line of exactly this
# form directly above its opening fence, or with one blank line between:
#
#     From `chapters/03-testing/serial.c`:
#
# Inside, a line that is only "..." marks elided lines. Every other line is
# in the file verbatim (trailing whitespace aside), each run between "..."
# lines as consecutive lines of the file, the runs in file order. Blocks
# without a caption are not checked.
CAPTION = re.compile(r"^\s*From `([^`]+)`:\s*$")
FENCE = re.compile(r"^( *)(`{3,}|~{3,})")
ELISION = "..."


@dataclass
class Excerpt:
    path: str  # the file the caption names, relative to the repository root
    line: int  # the page's line of the opening fence
    lines: List[str]  # the block's lines, without the fence's indentation
    closed: bool = True


def caption_above(lines: List[str], fence: int) -> Optional[str]:
    """The path a caption names, directly above lines[fence] or one blank line higher."""
    above = lines[max(fence - 2, 0) : fence]
    if above and CAPTION.match(above[-1]):
        return CAPTION.match(above[-1]).group(1)
    if len(above) == 2 and not above[1].strip() and CAPTION.match(above[0]):
        return CAPTION.match(above[0]).group(1)
    return None


def page_excerpts(page: str) -> List[Excerpt]:
    """Every captioned fenced block of a Markdown page. Uncaptioned blocks are
    skipped whole, so nothing inside them is taken for a caption or a fence."""
    lines = page.splitlines()
    excerpts = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        indent, fence = opening.groups()
        closing = re.compile(rf"^ *{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        end = next((i for i in range(index + 1, len(lines)) if closing.match(lines[i])), len(lines))
        path = caption_above(lines, index)
        if path is not None:
            body = [strip_indent(line, len(indent)) for line in lines[index + 1 : end]]
            excerpts.append(Excerpt(path, index + 1, body, closed=end < len(lines)))
        index = end + 1
    return excerpts


def strip_indent(line: str, width: int) -> str:
    """A block's line without its fence's indentation (a block inside a list item)."""
    return line[min(width, len(line) - len(line.lstrip(" "))) :]


def excerpt_runs(block: List[str]) -> List[List[tuple]]:
    """The block's runs of (index in block, line) between "..." lines."""
    runs: List[List[tuple]] = [[]]
    for index, line in enumerate(block):
        if line.strip() == ELISION:
            runs.append([])
        else:
            runs[-1].append((index, line.rstrip()))
    return [run for run in runs if run]


def find_run(run: List[tuple], source: List[str], start: int) -> Optional[int]:
    """The first line of source, at start or later, where run's lines follow one another."""
    texts = [text for _, text in run]
    for first in range(start, len(source) - len(texts) + 1):
        if source[first : first + len(texts)] == texts:
            return first
    return None


def explain_mismatch(run: List[tuple], source: List[str], start: int) -> tuple:
    """(index in block, why) for the first line of a run that cannot be matched:
    the run's longest prefix found at start or later tells where it goes wrong."""
    best_first, best_length = start, 0
    for first in range(start, len(source)):
        length = 0
        while length < len(run) and source[first + length : first + length + 1] == [run[length][1]]:
            length += 1
        if length > best_length:
            best_first, best_length = first, length
    index, text = run[best_length]
    if best_length == 0:
        if text in source[:start]:
            return index, f"is in the file only before the lines above it (runs go in order): {quoted(text)}"
        return index, f"is not in the file: {quoted(text)}"
    at = best_first + best_length
    if at == len(source):
        return index, f"would come after the end of the file: {quoted(text)}"
    found = f"{quoted(text)} in the page, {quoted(source[at])} in the file"
    return index, f"does not match line {at + 1} of the file: {found}"


def quoted(line: str) -> str:
    return f"`{line}`" if line.strip() else "an empty line"


def excerpt_mismatch(block: List[str], source: List[str]) -> Optional[tuple]:
    """None when the block matches its file; else (index in block of the first
    line that does not match, why). Runs are matched at their earliest place
    after the previous run, which leaves the most room for the runs after it."""
    source = [line.rstrip() for line in source]
    position = 0
    for run in excerpt_runs(block):
        first = find_run(run, source, position)
        if first is None:
            return explain_mismatch(run, source, position)
        position = first + len(run)
    return None


def check_excerpt(page_name: str, excerpt: Excerpt, root: Path) -> Optional[str]:
    """One line naming the page, the block's line, the file and what is wrong; None if it matches."""
    where = f"{page_name}:{excerpt.line}: excerpt from {excerpt.path}"
    source = (root / excerpt.path).resolve()
    if not excerpt.closed:
        return f"{where}: the block has no closing fence"
    if root.resolve() not in source.parents or not source.is_file():
        return f"{where}: no such file in the repository"
    if not excerpt_runs(excerpt.lines):
        return f"{where}: the block quotes no lines"
    mismatch = excerpt_mismatch(excerpt.lines, source.read_text(encoding="utf-8", errors="replace").splitlines())
    if mismatch is None:
        return None
    index, why = mismatch
    return f"{where}: line {excerpt.line + 1 + index} {why}"


def check_page_excerpts(page: Path, root: Path = ROOT) -> List[str]:
    """Every problem with the captioned excerpts of one page."""
    name = shown_path(page)
    problems = [check_excerpt(name, e, root) for e in page_excerpts(page.read_text(encoding="utf-8"))]
    return [p for p in problems if p]
