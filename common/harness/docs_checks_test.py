"""Tests of docs_checks.py: which pages are shared, and that both docs checks
report excerpt problems.
"""

import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # common/, whichever way this file is run
from harness import docs_checks
from harness.docs_checks import SHARED_DOCS, check_chapter_page, run_shared_docs, shared_pages
from harness.fixtures import fake_chapter


class DocsChecksTest(unittest.TestCase):
    # An excerpt of a real file, with its second line wrong.
    REAL = "From `chapters/01-freestanding/kmain.c`:\n```\n#include <stdint.h>\n#include <x.h>\n```\n"
    REAL_PROBLEM = (": excerpt from chapters/01-freestanding/kmain.c: line 4 does not match line 10 of the "
                    "file: `#include <x.h>` in the page, an empty line in the file")  # fmt: skip

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name) / "repo"
        (self.root / "chapters").mkdir(parents=True)
        self.page = self.root / "page.md"

    def tearDown(self):
        self.tmp.cleanup()

    def test_shared_pages_are_the_pages_no_chapter_owns(self):
        (self.root / "chapters" / "01-first").mkdir()
        (self.root / "docs" / "more").mkdir(parents=True)
        for name in ("README.md", "docs/01-first.md", "docs/harness.md", "docs/more/x.md", "docs/02-gone.md"):
            (self.root / name).write_text("")
        names = [p.relative_to(self.root).as_posix() for p in shared_pages(self.root)]
        self.assertEqual(names, ["README.md", "docs/02-gone.md", "docs/harness.md", "docs/more/x.md"])

    def test_the_shared_docs_check_reports_excerpt_problems(self):
        self.page.write_text(self.REAL)
        with mock.patch.object(docs_checks, "shared_pages", return_value=[self.page]):
            result = run_shared_docs(SHARED_DOCS, None)
        self.assertFalse(result.ok)
        self.assertEqual(result.details, [f"{self.page}:2{self.REAL_PROBLEM}"])

    def test_a_chapter_docs_check_reports_excerpt_problems(self):
        chapter = fake_chapter(self.tmp.name)
        self.page.write_text(self.REAL + "\n## Files changed\n")
        self.assertEqual(check_chapter_page(chapter, self.page), [f"{self.page}:2{self.REAL_PROBLEM}"])
        self.page.write_text(self.REAL.replace("#include <x.h>\n", "") + "\n## Files changed\n")
        self.assertEqual(check_chapter_page(chapter, self.page), [])


if __name__ == "__main__":
    unittest.main()
