"""Tests of excerpts.py: captioned code excerpts must match the files they quote."""

import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # common/, whichever way this file is run
from harness.excerpts import check_page_excerpts


class ExcerptTest(unittest.TestCase):
    SOURCE = "int one;\nint two;   \n\nvoid f(void)\n{\n    g();\n}\nint three;\n"

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name) / "repo"
        (self.root / "chapters").mkdir(parents=True)
        (self.root / "chapters" / "f.c").write_text(self.SOURCE)
        (self.root.parent / "outside.c").write_text(self.SOURCE)
        self.page = self.root / "page.md"

    def tearDown(self):
        self.tmp.cleanup()

    def problems(self, page):
        (self.root / "page.md").write_text(page)
        return check_page_excerpts(self.root / "page.md", self.root)

    def excerpt(self, *lines, caption="From `chapters/f.c`:\n\n"):
        """A page: a line of prose, the caption, then the block from line 4 on."""
        return "Prose.\n" + caption + "```c\n" + "".join(line + "\n" for line in lines) + "```\n"

    def test_a_matching_excerpt_passes(self):
        self.assertEqual(self.problems(self.excerpt("void f(void)", "{", "    g();", "}")), [])

    def test_trailing_whitespace_is_ignored(self):
        self.assertEqual(self.problems(self.excerpt("int one;   ", "int two;")), [])

    def test_a_changed_line_fails_naming_page_block_file_and_line(self):
        problems = self.problems(self.excerpt("void f(void)", "{", "    h();", "}"))
        self.assertEqual(problems, [f"{self.page}:4: excerpt from chapters/f.c: line 7 does not match "
                                    "line 6 of the file: `    h();` in the page, `    g();` in the file"])

    def test_leading_whitespace_counts(self):
        self.assertEqual(len(self.problems(self.excerpt("void f(void)", "{", "g();"))), 1)

    def test_a_line_that_is_nowhere_in_the_file_fails(self):
        problems = self.problems(self.excerpt("int one;", "...", "int four;"))
        self.assertEqual(problems, [f"{self.page}:4: excerpt from chapters/f.c: line 7 is not in "
                                    "the file: `int four;`"])

    def test_elisions_pass(self):
        page = self.excerpt("...", "int two;", "...", "void f(void)", "{", "    ...", "}", "int three;", "...")
        self.assertEqual(self.problems(page), [])

    def test_lines_without_an_elision_must_be_consecutive(self):
        self.assertEqual(len(self.problems(self.excerpt("int one;", "void f(void)"))), 1)

    def test_runs_out_of_order_fail(self):
        problems = self.problems(self.excerpt("int three;", "...", "int one;"))
        self.assertEqual(problems, [f"{self.page}:4: excerpt from chapters/f.c: line 7 is in the file only "
                                    "before the lines above it (runs go in order): `int one;`"])

    def test_a_run_past_the_end_of_the_file_fails(self):
        problems = self.problems(self.excerpt("}", "int three;", "int four;"))
        self.assertIn("line 7 would come after the end of the file: `int four;`", problems[0])

    def test_a_missing_file_fails(self):
        problems = self.problems(self.excerpt("int one;", caption="From `chapters/g.c`:\n"))
        self.assertEqual(problems, [f"{self.page}:3: excerpt from chapters/g.c: no such file in the repository"])

    def test_a_file_outside_the_repository_fails(self):
        problems = self.problems(self.excerpt("int one;", caption="From `../outside.c`:\n"))
        self.assertEqual(problems, [f"{self.page}:3: excerpt from ../outside.c: no such file in the repository"])

    def test_uncaptioned_blocks_are_ignored(self):
        for caption in ("", "From chapters/f.c:\n", "from `chapters/f.c`:\n", "From `chapters/f.c`:\n\n\n",
                        "From `chapters/f.c`, the first lines:\n", "From `chapters/f.c`:\nProse.\n"):  # fmt: skip
            self.assertEqual(self.problems(self.excerpt("not in the file", caption=caption)), [], caption)

    def test_a_caption_inside_an_uncaptioned_block_is_not_a_caption(self):
        page = "````\nFrom `chapters/f.c`:\n```\nnot in the file\n```\n````\n"
        self.assertEqual(self.problems(page), [])

    def test_a_block_in_a_list_item_loses_its_indentation(self):
        page = "1. Step.\n\n   From `chapters/f.c`:\n\n   ```c\n   {\n       g();\n   }\n   ```\n"
        self.assertEqual(self.problems(page), [])
        self.assertEqual(len(self.problems(page.replace("       g();", "     g();"))), 1)

    def test_an_unclosed_block_and_an_empty_block_fail(self):
        self.assertIn("no closing fence", self.problems("From `chapters/f.c`:\n```\nint one;\n")[0])
        self.assertIn("quotes no lines", self.problems("From `chapters/f.c`:\n```\n...\n```\n")[0])

    def test_every_block_is_checked(self):
        page = self.excerpt("int one;") + self.excerpt("int nine;") + self.excerpt("int ten;")
        self.assertEqual([p.split(":")[1] for p in self.problems(page)], ["10", "16"])


if __name__ == "__main__":
    unittest.main()
