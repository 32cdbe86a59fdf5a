"""Tests of judging.py: a wrong transcript, a wrong ending, a missing transcript,
a write past the screen or keys that could not be typed each fail a boot; skips
are counted apart.
"""

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # common/, whichever way this file is run
from harness.boots import Boot
from harness.fixtures import ChapterTestCase, make_screen, paint
from harness.judging import (Result, actual_outputs, judge, read_transcripts, skipped, summary_line,
                             transcript_diff, update_transcripts)
from harness.qemu import Capture, End
from harness.screen import screen_colours


class DiffTest(unittest.TestCase):
    def test_equal_texts_have_no_diff(self):
        self.assertEqual(transcript_diff("a\nb\n", "a\nb\n", "x", "y"), "")

    def test_diff_shows_both_sides(self):
        diff = transcript_diff("Hello World!\n", "Hello Kernel!\n", "expected", "actual")
        self.assertIn("-Hello World!", diff)
        self.assertIn("+Hello Kernel!", diff)


class JudgeTest(ChapterTestCase):
    def setUp(self):
        super().setUp()
        self.boot = Boot(self.chapter, "kernel", checks=["screen", "colors"])
        self.screen = paint(make_screen([b"Hello World!"]), 0, 0, 11, 0x0A)
        self.outputs = actual_outputs(self.boot, Capture(End("halt"), screen=self.screen))

    def test_matching_transcripts_pass(self):
        transcripts = dict(self.outputs)
        self.assertEqual(judge(self.boot, End("halt"), self.outputs, transcripts), [])

    def test_wrong_transcript_fails_with_a_diff(self):
        transcripts = dict(self.outputs, screen="Hello Kernel!\n")
        problems = judge(self.boot, End("halt"), self.outputs, transcripts)
        self.assertEqual(len(problems), 1)
        self.assertIn("screen differs from 07-example/expected/screen.txt", problems[0])
        self.assertIn("-Hello Kernel!", problems[0])
        self.assertIn("+Hello World!", problems[0])

    def test_wrong_colour_fails(self):
        other = screen_colours(paint(self.screen, 0, 0, 11, 0x0C))
        problems = judge(self.boot, End("halt"), self.outputs, dict(self.outputs, colors=other))
        self.assertEqual(len(problems), 1)
        self.assertIn("light red on black", problems[0])

    def test_missing_transcript_fails(self):
        transcripts = dict(self.outputs, colors=None)
        problems = judge(self.boot, End("halt"), self.outputs, transcripts)
        self.assertIn("colors.txt is missing", problems[0])

    def test_offscreen_write_fails_even_when_output_matches(self):
        problems = judge(self.boot, End("halt"), self.outputs, dict(self.outputs), 0xB8FA0)
        self.assertEqual(problems, ["the kernel wrote outside the 80x25 screen, first at 0xb8fa0"])

    def test_wrong_ending_fails_even_when_output_matches(self):
        problems = judge(self.boot, End("timeout"), self.outputs, dict(self.outputs))
        self.assertIn("timed out", problems[0])

    def test_a_boot_whose_keys_failed_fails(self):
        boot = Boot(self.chapter, "kernel", checks=["serial"])
        problems = judge(boot, End("halt"), {"serial": "x\n"}, {"serial": "x\n"},
                         input_error="keys: the kernel never printed '> '")  # fmt: skip
        self.assertEqual(problems, ["keys: the kernel never printed '> '"])

    def test_transcript_names(self):
        self.assertEqual(self.boot.transcript("screen").name, "screen.txt")
        other = Boot(self.chapter, "no-long-mode", checks=["screen"])
        self.assertEqual(other.transcript("screen").name, "no-long-mode.screen.txt")

    def test_update_writes_only_changed_files(self):
        first = update_transcripts(self.boot, self.outputs)
        self.assertEqual(len(first), 2)
        self.assertEqual(update_transcripts(self.boot, self.outputs), [])
        self.assertEqual(read_transcripts(self.boot), self.outputs)


class SkippedChecksTest(unittest.TestCase):
    """A check that could not run is reported as skipped, with its reason, and
    never counted as passed."""

    def test_summary_counts_skips_apart(self):
        results = [Result("a", ok=True), Result("b", ok=False), skipped("c", "no tool")]
        self.assertEqual(summary_line(results), "1 passed, 1 failed, 1 skipped")

    def test_a_skip_alone_is_not_a_pass(self):
        self.assertEqual(summary_line([skipped("c", "no tool")]), "0 passed, 0 failed, 1 skipped")

    def test_no_skips_keeps_the_short_line(self):
        self.assertEqual(summary_line([Result("a", ok=True)]), "1 passed, 0 failed")


if __name__ == "__main__":
    unittest.main()
