"""What the tests share: fake VGA screens and a fake chapter directory."""

import tempfile
import unittest
from pathlib import Path

from .boots import Chapter
from .screen import SCREEN_COLUMNS, SCREEN_ROWS


def make_screen(rows=(), attribute=0x07):
    """A 4000-byte text buffer with the given rows of text at the top."""
    cells = bytearray()
    for r in range(SCREEN_ROWS):
        text = rows[r] if r < len(rows) else b""
        for c in range(SCREEN_COLUMNS):
            cells += bytes([text[c] if c < len(text) else 0x20, attribute])
    return bytes(cells)


def paint(screen, row, first, last, attribute):
    cells = bytearray(screen)
    for column in range(first, last + 1):
        cells[(row * SCREEN_COLUMNS + column) * 2 + 1] = attribute
    return bytes(cells)


def fake_chapter(tmp):
    path = Path(tmp) / "07-example"
    (path / "expected").mkdir(parents=True)
    return Chapter(path)


class ChapterTestCase(unittest.TestCase):
    """A test case with a fake chapter, self.chapter, in a temporary directory of its own."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.chapter = fake_chapter(self.tmp.name)
