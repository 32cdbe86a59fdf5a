"""Tests of changes.py: what a chapter changed, and its page's Files changed list."""

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # common/, whichever way this file is run
from harness.changes import changed_files, check_files_changed, documented_files


class FilesChangedTest(unittest.TestCase):
    PAGE = "# Title\n\n## Files changed\n\n- `vga.c` (new): x\n- `kmain.c` (changed): y\n\n## Exercises\n- `not.c` z\n"

    def test_changed_files(self):
        before = {"a": b"1", "b": b"2", "c": b"3"}
        after = {"a": b"1", "b": b"two", "d": b"4"}
        self.assertEqual(changed_files(before, after), {"b": "changed", "c": "removed", "d": "new"})

    def test_documented_files_reads_only_its_section(self):
        self.assertEqual(documented_files(self.PAGE), [("vga.c", "new"), ("kmain.c", "changed")])
        self.assertIsNone(documented_files("# no such section\n"))

    def test_matching_list_passes(self):
        changes = {"vga.c": "new", "kmain.c": "changed"}
        self.assertEqual(check_files_changed(changes, documented_files(self.PAGE)), [])

    def test_wrong_label_fails(self):
        problems = check_files_changed({"vga.c": "changed"}, [("vga.c", "new")])
        self.assertEqual(problems, ["vga.c is changed, but the page says (new)"])

    def test_undocumented_and_unchanged_files_fail(self):
        problems = check_files_changed({"vga.c": "new", "x86.h": "changed"},
                                       [("vga.c", "new"), ("boot.S", "changed")])  # fmt: skip
        self.assertEqual(problems, ["x86.h is changed but not listed under Files changed",
                                    "boot.S is listed under Files changed but did not change"])  # fmt: skip

    def test_missing_section_fails(self):
        self.assertEqual(len(check_files_changed({}, None)), 1)


if __name__ == "__main__":
    unittest.main()
