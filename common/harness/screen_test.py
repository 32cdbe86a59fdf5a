"""Tests of screen.py: the screen as a reader sees it, its colours, and no cell
written past the visible 80x25.
"""

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # common/, whichever way this file is run
from harness.fixtures import make_screen, paint
from harness.screen import (BLANK_CELL, SCREEN_BYTES, TEXT_WINDOW_BYTES, first_offscreen_write,
                            screen_colours, screen_text)


class ScreenTest(unittest.TestCase):
    def test_text_trims_trailing_blanks_and_rows(self):
        screen = make_screen([b"Hello World!   ", b"", b"  x"])
        self.assertEqual(screen_text(screen), "Hello World!\n\n  x\n")

    def test_blank_screen_is_empty_text(self):
        self.assertEqual(screen_text(make_screen()), "")

    def test_code_page_437_pictures(self):
        screen = make_screen([bytes([0x01, 0x00, 0xFE, 0x7F, 0xDB])])
        self.assertEqual(screen_text(screen), "☺␀■⌂█\n")

    def test_wrong_size_is_refused(self):
        with self.assertRaises(ValueError):
            screen_text(b"\x20\x07" * 10)

    def test_colours_lists_only_non_default_runs(self):
        screen = paint(make_screen([b"Hello World!"]), 0, 0, 11, 0x0A)
        screen = paint(screen, 24, 79, 79, 0x4F)
        lines = screen_colours(screen).splitlines()
        self.assertEqual(lines[2], "0, 0-11: light green on black (0x0a): 'Hello World!'")
        self.assertEqual(lines[3], "24, 79-79: white on red (0x4f): ' '")
        self.assertEqual(len(lines), 4)

    def test_colours_of_a_default_screen(self):
        self.assertEqual(screen_colours(make_screen()).splitlines()[-1], "(none)")

    def test_adjacent_runs_of_different_colours_are_separate(self):
        screen = paint(paint(make_screen([b"abcd"]), 0, 0, 1, 0x1E), 0, 2, 3, 0x2E)
        lines = screen_colours(screen).splitlines()[2:]
        self.assertEqual(lines, ["0, 0-1: yellow on blue (0x1e): 'ab'",
                                 "0, 2-3: yellow on green (0x2e): 'cd'"])  # fmt: skip


class OffscreenTest(unittest.TestCase):
    def test_blank_window_has_no_offscreen_write(self):
        window = make_screen() + BLANK_CELL * ((TEXT_WINDOW_BYTES - SCREEN_BYTES) // 2)
        self.assertIsNone(first_offscreen_write(window))

    def test_a_cell_after_the_screen_is_found(self):
        window = bytearray(make_screen() + BLANK_CELL * 100)
        window[SCREEN_BYTES + 6] = ord("x")
        self.assertEqual(first_offscreen_write(bytes(window)), 0xB8000 + 4006)


if __name__ == "__main__":
    unittest.main()
