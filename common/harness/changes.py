"""What a chapter changed against the previous one (--diff prints it), and
the "Files changed" list its docs page must give for exactly those files.
"""

import difflib
import re
from typing import Dict, List, Optional

from .boots import Chapter, find_chapters


IGNORED_DIRS = {"build", "__pycache__"}


def chapter_files(chapter: Chapter) -> Dict[str, bytes]:
    """Every file of the chapter (build outputs aside) by its path inside the chapter."""
    files = {}
    for path in sorted(chapter.path.rglob("*")):
        relative = path.relative_to(chapter.path)
        if path.is_file() and not IGNORED_DIRS & set(relative.parts):
            files[relative.as_posix()] = path.read_bytes()
    return files


def changed_files(before: Dict[str, bytes], after: Dict[str, bytes]) -> Dict[str, str]:
    """Path -> "new", "changed" or "removed" for every file that differs."""
    changes = {}
    for path in sorted(set(before) | set(after)):
        if path not in before:
            changes[path] = "new"
        elif path not in after:
            changes[path] = "removed"
        elif before[path] != after[path]:
            changes[path] = "changed"
    return changes


def previous_chapter(chapter: Chapter) -> Optional[Chapter]:
    earlier = [c for c in find_chapters(chapter.path.parent) if c.number < chapter.number]
    return earlier[-1] if earlier else None


def chapter_changes(chapter: Chapter) -> Dict[str, str]:
    previous = previous_chapter(chapter)
    before = chapter_files(previous) if previous else {}
    return changed_files(before, chapter_files(chapter))


def documented_files(page: str) -> Optional[List[tuple]]:
    """(path, label) for each bullet under "## Files changed": the path in
    backticks first, then (new), (changed) or (removed):
    "- `kmain.c` (changed): ...". None without such a section."""
    match = re.search(r"^## Files changed[^\n]*\n(.*?)(?=^## |\Z)", page, re.MULTILINE | re.DOTALL)
    if not match:
        return None
    return re.findall(r"^[-*] `([^`]+)`(?: \((new|changed|removed)\))?", match.group(1), re.MULTILINE)


def check_files_changed(changes: Dict[str, str], documented: Optional[List[tuple]]) -> List[str]:
    if documented is None:
        return ['the page has no "## Files changed" section']
    labels = dict(documented)
    problems = []
    for path in sorted(set(changes) - set(labels)):
        problems.append(f"{path} is {changes[path]} but not listed under Files changed")
    for path in sorted(set(labels) - set(changes)):
        problems.append(f"{path} is listed under Files changed but did not change")
    for path in sorted(set(labels) & set(changes)):
        if labels[path] != changes[path]:
            found = f"({labels[path]})" if labels[path] else "no (new/changed/removed) label"
            problems.append(f"{path} is {changes[path]}, but the page says {found}")
    return problems


def print_chapter_diff(chapter: Chapter) -> None:
    """`make chapter-N diff`: a unified diff against the previous chapter."""
    previous = previous_chapter(chapter)
    before = chapter_files(previous) if previous else {}
    after = chapter_files(chapter)
    old_name = previous.name if previous else "(nothing)"
    for path, change in changed_files(before, after).items():
        old = before.get(path, b"").decode("utf-8", errors="replace").splitlines()
        new = after.get(path, b"").decode("utf-8", errors="replace").splitlines()
        print(f"==== {path} ({change})")
        for line in difflib.unified_diff(old, new, f"{old_name}/{path}", f"{chapter.name}/{path}",
                                         lineterm=""):  # fmt: skip
            print(line)
