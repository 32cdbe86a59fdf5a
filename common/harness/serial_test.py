"""Tests of serial.py: serial output as unambiguous transcript text, and where
the comparison starts.
"""

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # common/, whichever way this file is run
from harness.boots import Boot
from harness.fixtures import ChapterTestCase
from harness.judging import actual_outputs
from harness.qemu import Capture, End
from harness.serial import normalise_serial, serial_from


class SerialTest(unittest.TestCase):
    def test_crlf_becomes_lf(self):
        self.assertEqual(normalise_serial(b"a\r\nb\r\n"), "a\nb\n")

    def test_invalid_utf8_stays_visible(self):
        self.assertEqual(normalise_serial(b"\xff"), "\\xff")

    def test_control_bytes_become_visible(self):
        self.assertEqual(normalise_serial(b"a\x01\x7f\bb\rc\td\r\n"), "a\\x01\\x7f\\x08b\\x0dc\td\n")

    def test_a_newline_without_carriage_return_is_visible(self):
        self.assertEqual(normalise_serial(b"one\ntwo\r\n"), "one\\x0atwo\n")

    def test_backslashes_cannot_pass_for_escapes(self):
        self.assertEqual(normalise_serial(b"\\x0d\r\n"), "\\\\x0d\n")

    def test_utf8_text_stays_readable(self):
        self.assertEqual(normalise_serial("■ ok\r\n".encode()), "■ ok\n")


class SerialFromTest(ChapterTestCase):
    def test_serial_from_cuts_what_firmware_and_grub_wrote(self):
        boot = Boot(self.chapter, "efi", checks=["serial"], firmware="uefi", serial_from="Chapter 06")
        raw = b"\x1b[2J\x1b[01;01HBdsDxe: starting Boot0001\r\nWelcome to GRUB!\n\rChapter 06\r\nok\r\n"
        outputs = actual_outputs(boot, Capture(End("halt"), serial=raw))
        self.assertEqual(outputs["serial"], "Chapter 06\nok\n")

    def test_without_its_text_nothing_is_cut(self):
        self.assertEqual(serial_from(b"GRUB\r\npanic\r\n", "Chapter 06"), b"GRUB\r\npanic\r\n")
        self.assertEqual(serial_from(b"GRUB\r\nok\r\n", ""), b"GRUB\r\nok\r\n")


if __name__ == "__main__":
    unittest.main()
