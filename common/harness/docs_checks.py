"""The docs checks: each chapter's page (its Files changed list and its
excerpts), and the excerpts of the shared pages no chapter owns.
"""

from pathlib import Path
from typing import List

from .boots import Boot, Chapter, find_chapters, shown_path
from .changes import chapter_changes, check_files_changed, documented_files
from .config import ROOT
from .excerpts import check_page_excerpts
from .judging import Result


def check_chapter_page(chapter: Chapter, page: Path) -> List[str]:
    """A chapter's page lists exactly the files that changed, and its excerpts match the code."""
    if not page.exists():
        return [f"{shown_path(page)} does not exist"]
    problems = check_files_changed(chapter_changes(chapter), documented_files(page.read_text(encoding="utf-8")))
    return [f"{shown_path(page)}: {p}" for p in problems] + check_page_excerpts(page)


def run_docs_boot(boot: Boot, options) -> Result:
    problems = check_chapter_page(boot.chapter, ROOT / "docs" / f"{boot.chapter.name}.md")
    return Result(boot.id, ok=not problems, details=problems)


def shared_pages(root: Path = ROOT) -> List[Path]:
    """README.md and every page under docs/ that is not a chapter's page."""
    chapter_pages = {root / "docs" / f"{c.name}.md" for c in find_chapters(root / "chapters")}
    pages = sorted(p for p in (root / "docs").rglob("*.md") if p not in chapter_pages)
    return [p for p in [root / "README.md"] if p.exists()] + pages


def run_shared_docs(boot: Boot, options) -> Result:
    """The excerpts of the pages no chapter owns (README.md, docs/harness.md ...)."""
    problems = [p for page in shared_pages() for p in check_page_excerpts(page)]
    return Result(boot.id, ok=not problems, details=problems)


SHARED_DOCS = Boot(chapter=None, name="shared/docs", kind="shared-docs")
