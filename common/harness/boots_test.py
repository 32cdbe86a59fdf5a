"""Tests of boots.py: boots.ini read into boots, every mistake in it one line
that names the file, the line and the section; choosing chapters.
"""

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # common/, whichever way this file is run
from harness.boots import Chapter, find_chapters, load_boots, parse_boots, select_chapters
from harness.config import ConfigError
from harness.fixtures import ChapterTestCase


class BootsIniTest(ChapterTestCase):
    def test_sections_become_boots_plus_the_standard_checks(self):
        boots = parse_boots(self.chapter, "[kernel]\ncheck = screen colors\n"
                                          "[odd]\nqemu = -cpu qemu32\ncheck = screen\n")  # fmt: skip
        self.assertEqual([b.name for b in boots], ["kernel", "odd", "gdb", "clang", "cross", "docs"])
        self.assertEqual(boots[1].qemu_args, ["-cpu", "qemu32"])
        self.assertEqual(boots[0].end, "halt")
        self.assertEqual(boots[2].kind, "gdb")

    def test_a_unit_directory_adds_the_host_tests(self):
        (self.chapter.path / "unit").mkdir()
        boots = parse_boots(self.chapter, "[kernel]\ncheck = screen\n")
        self.assertIn("host", [b.kind for b in boots])

    def error_for(self, text):
        """The one-line message parse_boots gives for a boots.ini text."""
        with self.assertRaises(ConfigError, msg=text) as caught:
            parse_boots(self.chapter, text)
        message = str(caught.exception)
        self.assertNotIn("\n", message)
        return message

    def test_mistakes_name_the_file_line_and_section(self):
        where = str(self.chapter.path / "boots.ini")
        cases = {
            "[k]\ncheck = screen\nend = maybe\n": ":3: [k] end = 'maybe'",
            "[k]\nend = halt\n": ":1: [k] no check",
            "[k]\ncheck = smell\n": ":2: [k] unknown check 'smell'",
            "[k]\ncheck = screen\nend = success\n": ":2: [k] end = success: QEMU has exited",
            "[k]\ncheck = screen\ncolour = red\n": ":3: [k] unknown key 'colour'",
            "[k]\ncheck = screen\ntimeout = soon\n": ":3: [k] timeout = soon",
            "[k]\ncheck = screen\ntimeout = 0\n": ":3: [k] timeout = 0",
            "[k]\ncheck = screen\nqemu = -append 'x\n": ":3: [k] qemu = -append 'x: No closing quotation",
        }
        for text, expected in cases.items():
            self.assertEqual(self.error_for(text).split(expected)[0], where, text)

    def test_a_duplicate_section_is_one_line(self):
        text = "[kernel]\ncheck = screen\n\n[kernel]\ncheck = serial\n"
        self.assertEqual(self.error_for(text), f"{self.chapter.path}/boots.ini:4: "
                         "[kernel] appears twice (first on line 1); each boot needs a name of its own")

    def test_a_duplicate_key_is_one_line(self):
        text = "# comment\n[kernel]\ncheck = screen\nend = halt\ncheck = serial\n"
        self.assertEqual(self.error_for(text), f"{self.chapter.path}/boots.ini:5: "
                         "[kernel] check is set twice (first on line 3)")

    def test_a_line_that_is_not_key_value_is_one_line(self):
        for line in ("check screen", "check: screen", "= screen", "[broken"):
            text = f"[a]\ncheck = screen\n[kernel]\nend = halt\n{line}\n"
            self.assertEqual(self.error_for(text), f"{self.chapter.path}/boots.ini:5: "
                             f"[kernel] {line!r} is not key = value")

    def test_a_key_before_any_section_is_one_line(self):
        self.assertEqual(self.error_for("check = screen\n[kernel]\n"), f"{self.chapter.path}/boots.ini:1: "
                         "'check = screen' comes before the first [section]")

    def test_an_indented_continuation_line_is_one_line(self):
        text = "[kernel]\ncheck = screen\n    end = success\n"
        self.assertEqual(self.error_for(text), f"{self.chapter.path}/boots.ini:3: "
                         "[kernel] an indented line continues check; write each key = value on one line")

    def test_a_file_that_is_not_utf8_is_one_line(self):
        (self.chapter.path / "boots.ini").write_bytes(b"[kernel]\ncheck = screen\n\xff\n")
        with self.assertRaises(ConfigError) as caught:
            load_boots(self.chapter)
        self.assertEqual(str(caught.exception), f"{self.chapter.path}/boots.ini:3: not UTF-8 text")


class FirmwareTest(ChapterTestCase):
    def test_a_uefi_boot(self):
        boots = parse_boots(self.chapter, "[efi]\nfirmware = uefi\ncheck = serial\nserial_from = Chapter\n")
        self.assertEqual((boots[0].firmware, boots[0].serial_from), ("uefi", "Chapter"))
        self.assertEqual(parse_boots(self.chapter, "[k]\ncheck = serial\n")[0].firmware, "bios")

    def test_mistakes_are_reported(self):
        for text in ("[k]\nfirmware = efi\ncheck = serial\n",  # no such firmware
                     "[k]\nfirmware = uefi\ncheck = screen\n",  # no text mode under UEFI
                     "[k]\nserial_from = x\ncheck = screen\n"):  # nothing to cut  # fmt: skip
            with self.assertRaises(ConfigError, msg=text):
                parse_boots(self.chapter, text)


class SelectChaptersTest(unittest.TestCase):
    CHAPTERS = [Chapter(Path("/x/01-freestanding")), Chapter(Path("/x/02-vga"))]

    def test_by_number_or_name(self):
        for word in ("2", "02", "02-vga", "chapters/02-vga/"):
            self.assertEqual(select_chapters(self.CHAPTERS, [word]), self.CHAPTERS[1:], word)

    def test_all_by_default(self):
        self.assertEqual(select_chapters(self.CHAPTERS, []), self.CHAPTERS)

    def test_unknown_chapter_names_the_real_ones(self):
        with self.assertRaises(ConfigError) as caught:
            select_chapters(self.CHAPTERS, ["9"])
        self.assertIn("1 (01-freestanding), 2 (02-vga)", str(caught.exception))

    def test_real_chapters_all_have_valid_boots(self):
        for chapter in find_chapters():
            boots = load_boots(chapter)
            self.assertIn("kernel", [b.name for b in boots], chapter.name)


if __name__ == "__main__":
    unittest.main()
