"""Tests of ktap.py: KTAP results read, failures named with file and line."""

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # common/, whichever way this file is run
from harness.ktap import ktap_summary


class KtapTest(unittest.TestCase):
    PASSING = "KTAP version 1\n1..2\nok 1 first\nsome output\nok 2 second\n# Totals: pass:2\n"

    def test_all_passing(self):
        summary = ktap_summary(self.PASSING)
        self.assertTrue(summary.complete)
        self.assertEqual(summary.passed, ["first", "second"])
        self.assertEqual(summary.describe_failures(), [])

    def test_failure_names_test_file_and_line(self):
        text = "1..2\nok 1 first\n# tests/unit.c:40: EXPECT_EQ(3, 2): expected 3, got 2\nnot ok 2 second\n"
        summary = ktap_summary(text)
        self.assertEqual(summary.failed, ["second"])
        self.assertEqual(summary.describe_failures(),
                         ["failed test second: tests/unit.c:40: EXPECT_EQ(3, 2): expected 3, got 2"])  # fmt: skip

    def test_missing_results_are_incomplete(self):
        summary = ktap_summary("1..3\nok 1 first\n")
        self.assertFalse(summary.complete)
        self.assertIn("3 tests planned, 1 reported", summary.describe_failures()[0])

    def test_no_plan(self):
        self.assertFalse(ktap_summary("").complete)
        self.assertIn("no KTAP output", ktap_summary("").describe_failures()[0])

    def test_empty_plan_is_not_complete(self):
        self.assertFalse(ktap_summary("1..0\n").complete)


if __name__ == "__main__":
    unittest.main()
