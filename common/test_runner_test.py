"""Unit tests of test-runner.py's pure functions: python3 -m unittest discover -s common -p '*_test.py'

None of these start QEMU. They prove that the harness decodes a screen the
way a reader would read it, and that a wrong transcript, a wrong ending or a
missing transcript each make a boot fail.
"""

import argparse
import contextlib
import importlib.util
import io
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import zlib
from unittest import mock
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("test_runner", ROOT / "test-runner.py")
tr = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tr)


def make_screen(rows=(), attribute=0x07):
    """A 4000-byte text buffer with the given rows of text at the top."""
    cells = bytearray()
    for r in range(tr.SCREEN_ROWS):
        text = rows[r] if r < len(rows) else b""
        for c in range(tr.SCREEN_COLUMNS):
            cells += bytes([text[c] if c < len(text) else 0x20, attribute])
    return bytes(cells)


def paint(screen, row, first, last, attribute):
    cells = bytearray(screen)
    for column in range(first, last + 1):
        cells[(row * tr.SCREEN_COLUMNS + column) * 2 + 1] = attribute
    return bytes(cells)


def fake_chapter(tmp):
    path = Path(tmp) / "07-example"
    (path / "expected").mkdir(parents=True)
    return tr.Chapter(path)


class ScreenTest(unittest.TestCase):
    def test_text_trims_trailing_blanks_and_rows(self):
        screen = make_screen([b"Hello World!   ", b"", b"  x"])
        self.assertEqual(tr.screen_text(screen), "Hello World!\n\n  x\n")

    def test_blank_screen_is_empty_text(self):
        self.assertEqual(tr.screen_text(make_screen()), "")

    def test_code_page_437_pictures(self):
        screen = make_screen([bytes([0x01, 0x00, 0xFE, 0x7F, 0xDB])])
        self.assertEqual(tr.screen_text(screen), "☺␀■⌂█\n")

    def test_wrong_size_is_refused(self):
        with self.assertRaises(ValueError):
            tr.screen_text(b"\x20\x07" * 10)

    def test_colours_lists_only_non_default_runs(self):
        screen = paint(make_screen([b"Hello World!"]), 0, 0, 11, 0x0A)
        screen = paint(screen, 24, 79, 79, 0x4F)
        lines = tr.screen_colours(screen).splitlines()
        self.assertEqual(lines[2], "0, 0-11: light green on black (0x0a): 'Hello World!'")
        self.assertEqual(lines[3], "24, 79-79: white on red (0x4f): ' '")
        self.assertEqual(len(lines), 4)

    def test_colours_of_a_default_screen(self):
        self.assertEqual(tr.screen_colours(make_screen()).splitlines()[-1], "(none)")

    def test_adjacent_runs_of_different_colours_are_separate(self):
        screen = paint(paint(make_screen([b"abcd"]), 0, 0, 1, 0x1E), 0, 2, 3, 0x2E)
        lines = tr.screen_colours(screen).splitlines()[2:]
        self.assertEqual(lines, ["0, 0-1: yellow on blue (0x1e): 'ab'",
                                 "0, 2-3: yellow on green (0x2e): 'cd'"])  # fmt: skip


class SerialTest(unittest.TestCase):
    def test_crlf_becomes_lf(self):
        self.assertEqual(tr.normalise_serial(b"a\r\nb\r\n"), "a\nb\n")

    def test_invalid_utf8_stays_visible(self):
        self.assertEqual(tr.normalise_serial(b"\xff"), "\\xff")

    def test_control_bytes_become_visible(self):
        self.assertEqual(tr.normalise_serial(b"a\x01\x7f\bb\rc\td\r\n"), "a\\x01\\x7f\\x08b\\x0dc\td\n")

    def test_a_newline_without_carriage_return_is_visible(self):
        self.assertEqual(tr.normalise_serial(b"one\ntwo\r\n"), "one\\x0atwo\n")

    def test_backslashes_cannot_pass_for_escapes(self):
        self.assertEqual(tr.normalise_serial(b"\\x0d\r\n"), "\\\\x0d\n")

    def test_utf8_text_stays_readable(self):
        self.assertEqual(tr.normalise_serial("■ ok\r\n".encode()), "■ ok\n")


class KernelAddressTest(unittest.TestCase):
    def test_address_and_offset_are_masked_the_name_is_kept(self):
        line = "  0x0000000000101231 <kmain+0xe1>"
        self.assertEqual(tr.mask_kernel_addresses(line), "  0x???????????????? <kmain+0x?>")

    def test_every_address_on_a_line_is_masked(self):
        line = "NMI 1 at 0x00000000001023ff <raise_nmi.part+0x1c>, 0x000000000010cff0 <stack_bottom+0x3ff0>"
        self.assertEqual(tr.mask_kernel_addresses(line),
                         "NMI 1 at 0x???????????????? <raise_nmi.part+0x?>, "
                         "0x???????????????? <stack_bottom+0x?>")  # fmt: skip

    def test_numbers_without_a_symbol_are_compared(self):
        for line in ("RAX 0x1111111111111111  RBX 0x2222222222222222",
                     "CR2 0x00000000deadbeef: the address that was accessed",
                     "hex: cafe CAFE deadbeef 0x00000000000b8000",
                     "  0x0000000000101231 <kmain>", "0x101231 <kmain+0xe1>"):  # fmt: skip
            self.assertEqual(tr.mask_kernel_addresses(line), line)

    def test_a_colour_run_with_an_address_has_its_last_column_masked(self):
        line = "4, 0-41: white on red (0x4f): '  0x0000000000101231 <ktest_run_all+0xe1>'"
        self.assertEqual(tr.mask_kernel_addresses(line),
                         "4, 0-?: white on red (0x4f): '  0x???????????????? <ktest_run_all+0x?>'")  # fmt: skip

    def test_a_colour_run_without_an_address_keeps_its_columns(self):
        line = "3, 0-9: white on red (0x4f): 'backtrace: 0x0000000000101231'"
        self.assertEqual(tr.mask_kernel_addresses(line), line)

    def test_the_outputs_of_a_boot_are_masked(self):
        with tempfile.TemporaryDirectory() as tmp:
            boot = tr.Boot(chapter=fake_chapter(tmp), name="kernel", checks=["serial"])
            capture = tr.Capture(tr.End("halt"), serial=b"at 0x0000000000101231 <kmain+0xe1>\r\n")
            self.assertEqual(tr.actual_outputs(boot, capture), {"serial": "at 0x???????????????? <kmain+0x?>\n"})


class OffscreenTest(unittest.TestCase):
    def test_blank_window_has_no_offscreen_write(self):
        window = make_screen() + tr.BLANK_CELL * ((tr.TEXT_WINDOW_BYTES - tr.SCREEN_BYTES) // 2)
        self.assertIsNone(tr.first_offscreen_write(window))

    def test_a_cell_after_the_screen_is_found(self):
        window = bytearray(make_screen() + tr.BLANK_CELL * 100)
        window[tr.SCREEN_BYTES + 6] = ord("x")
        self.assertEqual(tr.first_offscreen_write(bytes(window)), 0xB8000 + 4006)


class DiffTest(unittest.TestCase):
    def test_equal_texts_have_no_diff(self):
        self.assertEqual(tr.transcript_diff("a\nb\n", "a\nb\n", "x", "y"), "")

    def test_diff_shows_both_sides(self):
        diff = tr.transcript_diff("Hello World!\n", "Hello Kernel!\n", "expected", "actual")
        self.assertIn("-Hello World!", diff)
        self.assertIn("+Hello Kernel!", diff)


class HaltDetectionTest(unittest.TestCase):
    HALTED = "RIP=00000000001011aa RFL=00000046 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=1"

    def test_halted_with_interrupts_off(self):
        self.assertEqual(tr.halted_for_good(self.HALTED), "00000000001011aa")

    def test_interrupts_on_is_not_for_good(self):
        self.assertIsNone(tr.halted_for_good(self.HALTED.replace("RFL=00000046", "RFL=00000246")))

    def test_running_is_not_halted(self):
        self.assertIsNone(tr.halted_for_good(self.HALTED.replace("HLT=1", "HLT=0")))

    def test_32_bit_register_names(self):
        registers = "EIP=00100040 EFL=00000002 [-------] CPL=0 II=0 A20=1 SMM=0 HLT=1"
        self.assertEqual(tr.halted_for_good(registers), "00100040")


class EndTest(unittest.TestCase):
    def test_exit_statuses(self):
        self.assertTrue(tr.End("exit", 33).satisfies("success"))
        for status in (35, 0, 1, -9):
            self.assertFalse(tr.End("exit", status).satisfies("success"), status)
        self.assertTrue(tr.End("exit", 35).satisfies("failure"))
        for status in (33, 0, 1):
            self.assertFalse(tr.End("exit", status).satisfies("failure"), status)

    def test_halt(self):
        self.assertTrue(tr.End("halt").satisfies("halt"))
        self.assertFalse(tr.End("timeout").satisfies("halt"))
        self.assertFalse(tr.End("reset").satisfies("halt"))
        self.assertIn("triple fault", tr.End("reset").describe())


class TripleFaultTest(unittest.TestCase):
    # The end of a real QEMU -d cpu_reset log after a stack overflow without an IST.
    LOG = ("CPU Reset (CPU 0)\nEAX=00000000 EBX=00000000 ECX=00000000 EDX=00060fb1\n"
           "XMM06=0000000000000000 0000000000000000 XMM07=0000000000000000 0000000000000000\n"
           "Triple fault\n")  # fmt: skip
    REGISTERS = ("RBP=000000000010b030 RSP=000000000010aff0\n"
                 "RIP=00000000001010aa RFL=00000006 [-----P-] CPL=0 II=0 A20=1 SMM=0 HLT=0\n"
                 "CR0=80000011 CR2=000000000010afe8 CR3=0000000000105000 CR4=00000020\n")  # fmt: skip

    def test_the_reset_log_tells_a_triple_fault_from_a_reset(self):
        self.assertEqual(tr.reset_cause(self.LOG), "triple-fault")
        self.assertEqual(tr.reset_cause(self.LOG.replace("Triple fault\n", "")), "reset")
        self.assertEqual(tr.reset_cause(""), "reset")  # KVM: QEMU does not see it happen

    def test_triple_fault_is_named_and_never_passes(self):
        end = tr.End("triple-fault")
        self.assertIn("triple-faulted", end.describe())
        for wanted in tr.END_STATES:
            self.assertFalse(end.satisfies(wanted), wanted)

    def test_where_it_stopped(self):
        self.assertEqual(tr.where_it_stopped(self.REGISTERS),
                         "RIP=00000000001010aa RSP=000000000010aff0 CR2=000000000010afe8")  # fmt: skip
        self.assertIsNone(tr.where_it_stopped(""))

    def test_report_names_it_and_shows_the_last_output(self):
        boot = tr.Boot(tr.Chapter(Path("/nonexistent/05-double-faults")), "stack_overflow",
                       image="tests/stack_overflow", end="success", checks=["serial"])  # fmt: skip
        capture = tr.Capture(tr.End("triple-fault"), serial=b"KTAP version 1\r\nrecursing\r\n",
                             registers=self.REGISTERS)  # fmt: skip
        problems = tr.judge(boot, capture.end, tr.actual_outputs(boot, capture), {"serial": ""})
        self.assertIn("expected the kernel to exit with success, but the CPU triple-faulted", problems[0])
        details = "\n".join(tr.describe_capture(capture))
        self.assertIn("the CPU stopped at RIP=00000000001010aa", details)
        self.assertIn("    | recursing", details)


class JudgeTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.chapter = fake_chapter(self.tmp.name)
        self.boot = tr.Boot(self.chapter, "kernel", checks=["screen", "colors"])
        self.screen = paint(make_screen([b"Hello World!"]), 0, 0, 11, 0x0A)
        self.outputs = tr.actual_outputs(self.boot, tr.Capture(tr.End("halt"), screen=self.screen))

    def tearDown(self):
        self.tmp.cleanup()

    def test_matching_transcripts_pass(self):
        transcripts = dict(self.outputs)
        self.assertEqual(tr.judge(self.boot, tr.End("halt"), self.outputs, transcripts), [])

    def test_wrong_transcript_fails_with_a_diff(self):
        transcripts = dict(self.outputs, screen="Hello Kernel!\n")
        problems = tr.judge(self.boot, tr.End("halt"), self.outputs, transcripts)
        self.assertEqual(len(problems), 1)
        self.assertIn("screen differs from 07-example/expected/screen.txt", problems[0])
        self.assertIn("-Hello Kernel!", problems[0])
        self.assertIn("+Hello World!", problems[0])

    def test_wrong_colour_fails(self):
        other = tr.screen_colours(paint(self.screen, 0, 0, 11, 0x0C))
        problems = tr.judge(self.boot, tr.End("halt"), self.outputs, dict(self.outputs, colors=other))
        self.assertEqual(len(problems), 1)
        self.assertIn("light red on black", problems[0])

    def test_missing_transcript_fails(self):
        transcripts = dict(self.outputs, colors=None)
        problems = tr.judge(self.boot, tr.End("halt"), self.outputs, transcripts)
        self.assertIn("colors.txt is missing", problems[0])

    def test_offscreen_write_fails_even_when_output_matches(self):
        problems = tr.judge(self.boot, tr.End("halt"), self.outputs, dict(self.outputs), 0xB8FA0)
        self.assertEqual(problems, ["the kernel wrote outside the 80x25 screen, first at 0xb8fa0"])

    def test_wrong_ending_fails_even_when_output_matches(self):
        problems = tr.judge(self.boot, tr.End("timeout"), self.outputs, dict(self.outputs))
        self.assertIn("timed out", problems[0])

    def test_transcript_names(self):
        self.assertEqual(self.boot.transcript("screen").name, "screen.txt")
        other = tr.Boot(self.chapter, "no-long-mode", checks=["screen"])
        self.assertEqual(other.transcript("screen").name, "no-long-mode.screen.txt")

    def test_update_writes_only_changed_files(self):
        first = tr.update_transcripts(self.boot, self.outputs)
        self.assertEqual(len(first), 2)
        self.assertEqual(tr.update_transcripts(self.boot, self.outputs), [])
        self.assertEqual(tr.read_transcripts(self.boot), self.outputs)


class BootsIniTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.chapter = fake_chapter(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def test_sections_become_boots_plus_the_standard_checks(self):
        boots = tr.parse_boots(self.chapter, "[kernel]\ncheck = screen colors\n"
                                             "[odd]\nqemu = -cpu qemu32\ncheck = screen\n")  # fmt: skip
        self.assertEqual([b.name for b in boots], ["kernel", "odd", "gdb", "clang", "cross", "docs"])
        self.assertEqual(boots[1].qemu_args, ["-cpu", "qemu32"])
        self.assertEqual(boots[0].end, "halt")
        self.assertEqual(boots[2].kind, "gdb")

    def test_a_unit_directory_adds_the_host_tests(self):
        (self.chapter.path / "unit").mkdir()
        boots = tr.parse_boots(self.chapter, "[kernel]\ncheck = screen\n")
        self.assertIn("host", [b.kind for b in boots])

    def error_for(self, text):
        """The one-line message parse_boots gives for a boots.ini text."""
        with self.assertRaises(tr.ConfigError, msg=text) as caught:
            tr.parse_boots(self.chapter, text)
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
        with self.assertRaises(tr.ConfigError) as caught:
            tr.load_boots(self.chapter)
        self.assertEqual(str(caught.exception), f"{self.chapter.path}/boots.ini:3: not UTF-8 text")

    def test_the_command_line_reports_a_bad_boots_ini_in_one_line(self):
        """The whole path: a copy of test-runner.py over a chapters/ with one bad chapter."""
        root = Path(self.tmp.name) / "repo"
        chapter = root / "chapters" / "07-bad"
        chapter.mkdir(parents=True)
        shutil.copy(ROOT / "test-runner.py", root / "test-runner.py")
        (chapter / "boots.ini").write_text("[kernel]\ncheck = screen\n[kernel]\ncheck = serial\n")
        for arguments in (["--list"], []):
            run = subprocess.run([sys.executable, str(root / "test-runner.py"), *arguments],
                                 capture_output=True, text=True, timeout=60)  # fmt: skip
            self.assertEqual(run.returncode, 2, arguments)
            self.assertEqual(run.stdout, "", arguments)
            self.assertEqual(run.stderr, "test-runner.py: chapters/07-bad/boots.ini:3: [kernel] appears "
                             "twice (first on line 1); each boot needs a name of its own\n", arguments)


class KeysTest(unittest.TestCase):
    def test_keys_and_chords(self):
        steps = tr.parse_keys("a shift+b ctrl_r+c kp_enter")
        self.assertEqual([s.keys for s in steps], [("a",), ("shift", "b"), ("ctrl_r", "c"), ("kp_enter",)])
        self.assertEqual({s.action for s in steps}, {"press"})

    def test_type_presses_shift_for_capitals_and_symbols(self):
        steps = tr.parse_keys("type:'Hi !'")
        self.assertEqual([s.keys for s in steps], [("shift", "h"), ("i",), ("spc",), ("shift", "1")])

    def test_shifted_symbols_use_the_keys_of_a_us_keyboard(self):
        steps = tr.parse_keys("type:'~!@#$%^&*()_+{}|:\"<>?'")
        keys = [s.keys[1] for s in steps if s.keys[0] == "shift"]
        self.assertEqual(keys, ["grave_accent", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0",
                                "minus", "equal", "bracket_left", "bracket_right", "backslash",
                                "semicolon", "apostrophe", "comma", "dot", "slash"])  # fmt: skip

    def test_every_printable_character_can_be_typed_with_real_keys(self):
        for code in range(0x20, 0x7F):
            keys = tr.keys_for_character(chr(code))
            self.assertTrue(set(keys) <= tr.QCODES, chr(code))

    def test_hold_wait_until_and_screen(self):
        steps = tr.parse_keys("until:'> ' a*30 wait:0.5 screen:'> '")
        self.assertEqual(steps, [tr.KeyStep("until", text="> "), tr.KeyStep("hold", ("a",), repeats=30),
                                 tr.KeyStep("wait", seconds=0.5), tr.KeyStep("screen", text="> ")])  # fmt: skip

    def test_an_unknown_key_gets_qemus_name_for_it(self):
        with self.assertRaises(ValueError) as caught:
            tr.parse_keys("h i enter")
        self.assertIn("unknown key 'enter'; did you mean 'ret'?", str(caught.exception))

    def test_a_misspelt_key_gets_the_closest_name(self):
        with self.assertRaises(ValueError) as caught:
            tr.parse_keys("kp_entr")
        self.assertIn("did you mean 'kp_enter'?", str(caught.exception))

    def test_mistakes_are_reported(self):
        for text in ("a*1", "a*x", "shift+a*3", "wait:0", "wait:x", "wait:61", "type:",
                     "until:", "screen:", "typo:abc", "type:\u00e9", "'open quote", "shift+", "A"):  # fmt: skip
            with self.assertRaises(ValueError, msg=text):
                tr.parse_keys(text)

    def test_an_empty_value_types_nothing(self):
        self.assertEqual(tr.parse_keys(""), [])

    def test_boots_ini_errors_name_the_boot(self):
        with tempfile.TemporaryDirectory() as tmp:
            chapter = fake_chapter(tmp)
            with self.assertRaises(tr.ConfigError) as caught:
                tr.parse_boots(chapter, "[typing]\ncheck = serial\nkeys = a enter\n")
            self.assertIn("07-example/boots.ini:3: [typing] keys: unknown key 'enter'", str(caught.exception))
            boots = tr.parse_boots(chapter, "[typing]\ncheck = serial\nkeys = a\n  b\n")
            self.assertEqual([s.keys for s in boots[0].keys], [("a",), ("b",)])


class FirmwareTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.chapter = fake_chapter(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def test_a_uefi_boot(self):
        boots = tr.parse_boots(self.chapter, "[efi]\nfirmware = uefi\ncheck = serial\nserial_from = Chapter\n")
        self.assertEqual((boots[0].firmware, boots[0].serial_from), ("uefi", "Chapter"))
        self.assertEqual(tr.parse_boots(self.chapter, "[k]\ncheck = serial\n")[0].firmware, "bios")

    def test_mistakes_are_reported(self):
        for text in ("[k]\nfirmware = efi\ncheck = serial\n",  # no such firmware
                     "[k]\nfirmware = uefi\ncheck = screen\n",  # no text mode under UEFI
                     "[k]\nserial_from = x\ncheck = screen\n"):  # nothing to cut  # fmt: skip
            with self.assertRaises(tr.ConfigError, msg=text):
                tr.parse_boots(self.chapter, text)

    def test_only_bios_boots_have_a_text_screen_to_read(self):
        self.assertTrue(tr.has_text_screen(tr.Boot(self.chapter, "k", checks=["screen"])))
        self.assertFalse(tr.has_text_screen(tr.Boot(self.chapter, "k", checks=["serial"], firmware="uefi")))

    def test_serial_from_cuts_what_firmware_and_grub_wrote(self):
        boot = tr.Boot(self.chapter, "efi", checks=["serial"], firmware="uefi", serial_from="Chapter 06")
        raw = b"\x1b[2J\x1b[01;01HBdsDxe: starting Boot0001\r\nWelcome to GRUB!\n\rChapter 06\r\nok\r\n"
        outputs = tr.actual_outputs(boot, tr.Capture(tr.End("halt"), serial=raw))
        self.assertEqual(outputs["serial"], "Chapter 06\nok\n")

    def test_without_its_text_nothing_is_cut(self):
        self.assertEqual(tr.serial_from(b"GRUB\r\npanic\r\n", "Chapter 06"), b"GRUB\r\npanic\r\n")
        self.assertEqual(tr.serial_from(b"GRUB\r\nok\r\n", ""), b"GRUB\r\nok\r\n")

    def test_kernel_mk_adds_the_uefi_firmware(self):
        chapter = tr.find_chapters()[0]
        self.assertNotIn("-bios", tr.qemu_flags(chapter))
        self.assertIn("-bios", tr.qemu_flags(chapter, firmware="uefi"))
        options = argparse.Namespace(qemu_flags={chapter.name: ["-m", "128M"]})
        bios = tr.machine_flags(tr.Boot(chapter, "k"), options)
        uefi = tr.machine_flags(tr.Boot(chapter, "k", firmware="uefi"), options)
        self.assertEqual(bios, ["-m", "128M"])
        self.assertEqual(uefi[:3], ["-m", "128M", "-bios"])
        self.assertTrue(Path(uefi[3]).is_file())


class FakeMachine:
    """Records what type_keys asks of a Machine."""

    def __init__(self):
        self.calls = []

    def key_event(self, key, down):
        self.calls.append(("down" if down else "up", key))

    def wait_for_serial(self, text, start, deadline):
        self.calls.append(("until", text, start))
        return start + 10

    def wait_for_screen(self, text, deadline):
        self.calls.append(("screen", text))


class TypeKeysTest(unittest.TestCase):
    def type(self, text):
        machine = FakeMachine()
        with mock.patch.object(tr.time, "sleep"):
            tr.type_keys(machine, tr.parse_keys(text), deadline=0)
        return machine.calls

    def test_steps_happen_in_order(self):
        calls = self.type("until:'> ' a shift+b c*3 until:ok screen:ok d")
        self.assertEqual(calls, [("until", "> ", 0), ("down", "a"), ("up", "a"),
                                 ("down", "shift"), ("down", "b"), ("up", "b"), ("up", "shift"),
                                 ("down", "c"), ("down", "c"), ("down", "c"), ("up", "c"),
                                 ("until", "ok", 10), ("screen", "ok"), ("down", "d"), ("up", "d")])  # fmt: skip

    def test_every_key_event_is_followed_by_a_pause(self):
        # QEMU's keyboard buffers only 16 bytes: no two events back to back.
        with mock.patch.object(tr.time, "sleep") as sleep:
            tr.type_keys(FakeMachine(), tr.parse_keys("a shift+b c*2"), deadline=0)
        pauses = [call.args[0] for call in sleep.call_args_list]
        self.assertEqual(pauses, [tr.KEY_EVENT_INTERVAL] * 6 + [tr.TYPEMATIC_INTERVAL] * 2
                         + [tr.KEY_EVENT_INTERVAL])  # fmt: skip


class WaitForSerialTest(unittest.TestCase):
    class Running:
        def poll(self):
            return None

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.machine = tr.Machine(Path("x.iso"), [], Path(self.tmp.name))
        self.machine.process = self.Running()
        self.machine.serial_path.write_bytes(b"boot\r\n> help\r\n> ")

    def tearDown(self):
        self.tmp.cleanup()

    def test_each_until_searches_after_the_last_match(self):
        first = self.machine.wait_for_serial("> ", 0, deadline=float("inf"))
        self.assertEqual(first, 8)
        self.assertEqual(self.machine.wait_for_serial("> ", first, deadline=float("inf")), 16)

    def test_text_that_never_comes_is_an_error_not_a_hang(self):
        with self.assertRaises(tr.KeyInputError) as caught:
            self.machine.wait_for_serial("> ", 16, deadline=0)
        self.assertIn("the kernel never printed '> '", str(caught.exception))

    def test_screen_waits_for_text_on_the_screen(self):
        screens = iter([make_screen([b"booting"]), make_screen([b"booting", b"> "])])
        self.machine.read_text_window = lambda workdir: next(screens)
        with mock.patch.object(tr.time, "sleep"):
            self.machine.wait_for_screen("> ", deadline=float("inf"))
        with self.assertRaises(StopIteration):  # it read the screen exactly twice
            next(screens)

    def test_a_screen_that_never_shows_the_text_is_an_error(self):
        self.machine.read_text_window = lambda workdir: make_screen([b"booting"])
        with self.assertRaises(tr.KeyInputError) as caught:
            self.machine.wait_for_screen("> ", deadline=0)
        self.assertIn("the screen never showed '> '", str(caught.exception))

    def test_a_boot_whose_keys_failed_fails(self):
        boot = tr.Boot(fake_chapter(self.tmp.name), "kernel", checks=["serial"])
        problems = tr.judge(boot, tr.End("halt"), {"serial": "x\n"}, {"serial": "x\n"},
                            input_error="keys: the kernel never printed '> '")  # fmt: skip
        self.assertEqual(problems, ["keys: the kernel never printed '> '"])


class TimeValuesTest(unittest.TestCase):
    def test_numbers_before_time_units_are_masked(self):
        text = "uptime 12.042 s, 12042 ticks; slept 250ms; 1 tick"
        self.assertEqual(tr.mask_time_values(text), "uptime # s, # ticks; slept #ms; # tick")

    def test_a_right_aligned_field_masks_the_same_whatever_its_width(self):
        self.assertEqual(tr.mask_time_values("uptime      7 s |"), "uptime # s |")
        self.assertEqual(tr.mask_time_values("uptime  12345 s |"), "uptime # s |")
        self.assertEqual(tr.mask_time_values("7 ticks"), "# ticks")

    def test_other_numbers_stay(self):
        for text in ("ticks: 5", "3 seconds", "100 Hz", "0x10 s", "vector 32", "5 passed, 0 failed",
                     "10 sheep"):  # fmt: skip
            self.assertEqual(tr.mask_time_values(text), text)

    def test_every_output_is_masked(self):
        boot = tr.Boot(tr.Chapter(Path("/x/06-example")), "kernel", checks=["screen", "serial"])
        capture = tr.Capture(tr.End("halt"), screen=make_screen([b"uptime 3 s"]), serial=b"7 ticks\r\n")
        outputs = tr.actual_outputs(boot, capture)
        self.assertEqual(outputs, {"screen": "uptime # s\n", "serial": "# ticks\n"})


class SelectChaptersTest(unittest.TestCase):
    CHAPTERS = [tr.Chapter(Path("/x/01-freestanding")), tr.Chapter(Path("/x/02-vga"))]

    def test_by_number_or_name(self):
        for word in ("2", "02", "02-vga", "chapters/02-vga/"):
            self.assertEqual(tr.select_chapters(self.CHAPTERS, [word]), self.CHAPTERS[1:], word)

    def test_all_by_default(self):
        self.assertEqual(tr.select_chapters(self.CHAPTERS, []), self.CHAPTERS)

    def test_unknown_chapter_names_the_real_ones(self):
        with self.assertRaises(tr.ConfigError) as caught:
            tr.select_chapters(self.CHAPTERS, ["9"])
        self.assertIn("1 (01-freestanding), 2 (02-vga)", str(caught.exception))

    def test_real_chapters_all_have_valid_boots(self):
        for chapter in tr.find_chapters():
            boots = tr.load_boots(chapter)
            self.assertIn("kernel", [b.name for b in boots], chapter.name)


class KtapTest(unittest.TestCase):
    PASSING = "KTAP version 1\n1..2\nok 1 first\nsome output\nok 2 second\n# Totals: pass:2\n"

    def test_all_passing(self):
        summary = tr.ktap_summary(self.PASSING)
        self.assertTrue(summary.complete)
        self.assertEqual(summary.passed, ["first", "second"])
        self.assertEqual(summary.describe_failures(), [])

    def test_failure_names_test_file_and_line(self):
        text = "1..2\nok 1 first\n# tests/unit.c:40: EXPECT_EQ(3, 2): expected 3, got 2\nnot ok 2 second\n"
        summary = tr.ktap_summary(text)
        self.assertEqual(summary.failed, ["second"])
        self.assertEqual(summary.describe_failures(),
                         ["failed test second: tests/unit.c:40: EXPECT_EQ(3, 2): expected 3, got 2"])  # fmt: skip

    def test_missing_results_are_incomplete(self):
        summary = tr.ktap_summary("1..3\nok 1 first\n")
        self.assertFalse(summary.complete)
        self.assertIn("3 tests planned, 1 reported", summary.describe_failures()[0])

    def test_no_plan(self):
        self.assertFalse(tr.ktap_summary("").complete)
        self.assertIn("no KTAP output", tr.ktap_summary("").describe_failures()[0])

    def test_empty_plan_is_not_complete(self):
        self.assertFalse(tr.ktap_summary("1..0\n").complete)


class FilesChangedTest(unittest.TestCase):
    PAGE = "# Title\n\n## Files changed\n\n- `vga.c` (new): x\n- `kmain.c` (changed): y\n\n## Exercises\n- `not.c` z\n"

    def test_changed_files(self):
        before = {"a": b"1", "b": b"2", "c": b"3"}
        after = {"a": b"1", "b": b"two", "d": b"4"}
        self.assertEqual(tr.changed_files(before, after), {"b": "changed", "c": "removed", "d": "new"})

    def test_documented_files_reads_only_its_section(self):
        self.assertEqual(tr.documented_files(self.PAGE), [("vga.c", "new"), ("kmain.c", "changed")])
        self.assertIsNone(tr.documented_files("# no such section\n"))

    def test_matching_list_passes(self):
        changes = {"vga.c": "new", "kmain.c": "changed"}
        self.assertEqual(tr.check_files_changed(changes, tr.documented_files(self.PAGE)), [])

    def test_wrong_label_fails(self):
        problems = tr.check_files_changed({"vga.c": "changed"}, [("vga.c", "new")])
        self.assertEqual(problems, ["vga.c is changed, but the page says (new)"])

    def test_undocumented_and_unchanged_files_fail(self):
        problems = tr.check_files_changed({"vga.c": "new", "x86.h": "changed"},
                                          [("vga.c", "new"), ("boot.S", "changed")])  # fmt: skip
        self.assertEqual(problems, ["x86.h is changed but not listed under Files changed",
                                    "boot.S is listed under Files changed but did not change"])  # fmt: skip

    def test_missing_section_fails(self):
        self.assertEqual(len(tr.check_files_changed({}, None)), 1)


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
        return tr.check_page_excerpts(self.root / "page.md", self.root)

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

    def test_shared_pages_are_the_pages_no_chapter_owns(self):
        (self.root / "chapters" / "01-first").mkdir()
        (self.root / "docs" / "more").mkdir(parents=True)
        for name in ("README.md", "docs/01-first.md", "docs/harness.md", "docs/more/x.md", "docs/02-gone.md"):
            (self.root / name).write_text("")
        names = [p.relative_to(self.root).as_posix() for p in tr.shared_pages(self.root)]
        self.assertEqual(names, ["README.md", "docs/02-gone.md", "docs/harness.md", "docs/more/x.md"])

    def test_a_run_of_every_chapter_checks_the_shared_pages(self):
        ids = [b.id for b in tr.collect_boots(tr.parse_args([]))]
        self.assertEqual(ids[-1], "shared/docs")
        self.assertIn("01-freestanding/docs", ids)
        self.assertNotIn("shared/docs", [b.id for b in tr.collect_boots(tr.parse_args(["1"]))])

    # An excerpt of a real file, with its second line wrong.
    REAL = "From `chapters/01-freestanding/kmain.c`:\n```\n#include <stdint.h>\n#include <x.h>\n```\n"
    REAL_PROBLEM = (": excerpt from chapters/01-freestanding/kmain.c: line 4 does not match line 10 of the "
                    "file: `#include <x.h>` in the page, an empty line in the file")  # fmt: skip

    def test_the_shared_docs_check_reports_excerpt_problems(self):
        self.page.write_text(self.REAL)
        with mock.patch.object(tr, "shared_pages", return_value=[self.page]):
            result = tr.run_shared_docs(tr.SHARED_DOCS, None)
        self.assertFalse(result.ok)
        self.assertEqual(result.details, [f"{self.page}:2{self.REAL_PROBLEM}"])

    def test_a_chapter_docs_check_reports_excerpt_problems(self):
        chapter = fake_chapter(self.tmp.name)
        self.page.write_text(self.REAL + "\n## Files changed\n")
        self.assertEqual(tr.check_chapter_page(chapter, self.page), [f"{self.page}:2{self.REAL_PROBLEM}"])
        self.page.write_text(self.REAL.replace("#include <x.h>\n", "") + "\n## Files changed\n")
        self.assertEqual(tr.check_chapter_page(chapter, self.page), [])


class PngTest(unittest.TestCase):
    def test_ppm_to_png_round_trip(self):
        rgb = bytes(range(2 * 2 * 3))
        width, height, pixels = tr.read_ppm(b"P6\n2 2\n255\n" + rgb)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "x.png"
            tr.write_png(path, width, height, pixels)
            data = path.read_bytes()
        self.assertTrue(data.startswith(b"\x89PNG\r\n\x1a\n"))
        self.assertEqual(struct.unpack(">II", data[16:24]), (2, 2))
        idat = data.index(b"IDAT")
        length = struct.unpack(">I", data[idat - 4 : idat])[0]
        raw = zlib.decompress(data[idat + 4 : idat + 4 + length])
        self.assertEqual(raw, b"\0" + rgb[:6] + b"\0" + rgb[6:])


class ClangCheckTest(unittest.TestCase):
    """The clang check's verdict, with make and QEMU replaced."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.chapter = fake_chapter(self.tmp.name)
        self.boot = tr.Boot(self.chapter, "kernel", checks=["screen"])
        (self.chapter.path / "expected" / "screen.txt").write_text("Hello\n")

    def tearDown(self):
        self.tmp.cleanup()

    def run_check(self, screen_text, verbose):
        options = tr.parse_args(["-v"] if verbose else [])
        options.qemu_flags = {self.chapter.name: []}
        capture = tr.Capture(tr.End("halt"), screen=make_screen([screen_text]))
        with mock.patch.object(tr, "run_with_timeout", return_value=("clang built it\n", 0)), \
             mock.patch.object(tr, "load_boots", return_value=[self.boot]), \
             mock.patch.object(tr, "boot_and_capture", return_value=capture):  # fmt: skip
            return tr.run_clang_build(tr.Boot(self.chapter, "clang", kind="clang"), options)

    def test_verbose_output_is_not_a_failure(self):
        result = self.run_check(b"Hello", verbose=True)
        self.assertTrue(result.ok, result.details)
        self.assertIn("clang built it", result.details[0])

    def test_a_clang_kernel_with_other_output_fails(self):
        for verbose in (False, True):
            result = self.run_check(b"Goodbye", verbose)
            self.assertFalse(result.ok)
            self.assertIn("clang-built kernel: screen differs", result.details[-1])


# A QMP server that greets, accepts qmp_capabilities and hangs up, as QEMU
# does when the kernel exits; then the client sends one more command. Run in
# a child process with SIGPIPE at its default, as test-runner.py's main()
# sets it: a SIGPIPE kills the child instead of failing quietly.
QMP_AFTER_EXIT = """
import importlib.util, signal, socket, sys, tempfile, threading
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
spec = importlib.util.spec_from_file_location("test_runner", sys.argv[1])
tr = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tr)
path = tempfile.mkdtemp() + "/qmp.sock"
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
server.listen(1)
hung_up = threading.Event()
def serve():
    connection, _ = server.accept()
    connection.sendall(b'{"QMP": {}}\\n')
    connection.makefile().readline()
    connection.sendall(b'{"return": {}}\\n')
    connection.close()
    hung_up.set()
threading.Thread(target=serve).start()
class Running:
    def poll(self):
        return None
qmp = tr.Qmp(path, Running())
hung_up.wait()
try:
    qmp.hmp("info registers")
except tr.QemuGone:
    print("QemuGone")
"""


class QmpTest(unittest.TestCase):
    def test_a_command_to_a_qemu_that_exited_raises_qemu_gone(self):
        import subprocess
        import sys

        result = subprocess.run([sys.executable, "-c", QMP_AFTER_EXIT, str(ROOT / "test-runner.py")],
                                capture_output=True, text=True, timeout=30)  # fmt: skip
        self.assertEqual((result.returncode, result.stdout), (0, "QemuGone\n"), result.stderr)


# A run killed while a QEMU is up: the stand-in "QEMU" (sleep) must die with it.
KILLED_RUN = """
import importlib.util, os, signal, subprocess, sys, time
spec = importlib.util.spec_from_file_location("test_runner", sys.argv[1])
tr = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tr)
signal.signal(signal.SIGTERM, tr.end_run_on_signal)
child = subprocess.Popen(["sleep", "60"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
tr.track_child(child)
print(child.pid, flush=True)
os.kill(os.getpid(), signal.SIGTERM)
time.sleep(30)
"""


def process_is_running(pid: int) -> bool:
    """False once the process is gone or a zombie waiting for its new parent."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


class KilledRunTest(unittest.TestCase):
    @unittest.skipUnless(sys.platform.startswith("linux"), "reads /proc")
    def test_a_signal_stops_the_children_before_the_run_ends(self):
        result = subprocess.run([sys.executable, "-c", KILLED_RUN, str(ROOT / "test-runner.py")],
                                capture_output=True, text=True, timeout=30)  # fmt: skip
        self.assertEqual(result.returncode, 128 + 15, result.stderr)
        self.assertIn("stopped by SIGTERM; killed 1 child process", result.stderr)
        pid = int(result.stdout)
        for _ in range(50):  # the kill is sent; give the kernel a moment to deliver it
            if not process_is_running(pid):
                break
            time.sleep(0.1)
        self.assertFalse(process_is_running(pid), f"pid {pid} outlived the run")


class ArgumentsTest(unittest.TestCase):
    def test_defaults(self):
        options = tr.parse_args([])
        self.assertEqual(options.chapters, [])
        self.assertFalse(options.update)

    def test_options(self):
        options = tr.parse_args(["1", "-k", "gdb", "-j", "2", "-v", "--update"])
        self.assertEqual((options.chapters, options.keyword, options.jobs), (["1"], "gdb", 2))
        self.assertTrue(options.verbose and options.update)

    def test_cross_selects_only_the_cross_compiler_checks(self):
        boots = tr.collect_boots(tr.parse_args(["1", "--cross"]))
        self.assertEqual([b.id for b in boots], ["01-freestanding/cross"])

    def test_zero_jobs_is_an_error(self):
        with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
            tr.parse_args(["-j", "0"])


class SkippedChecksTest(unittest.TestCase):
    """A check that could not run is reported as skipped, with its reason, and
    never counted as passed."""

    def test_summary_counts_skips_apart(self):
        results = [tr.Result("a", ok=True), tr.Result("b", ok=False), tr.skipped("c", "no tool")]
        self.assertEqual(tr.summary_line(results), "1 passed, 1 failed, 1 skipped")

    def test_a_skip_alone_is_not_a_pass(self):
        self.assertEqual(tr.summary_line([tr.skipped("c", "no tool")]), "0 passed, 0 failed, 1 skipped")

    def test_no_skips_keeps_the_short_line(self):
        self.assertEqual(tr.summary_line([tr.Result("a", ok=True)]), "1 passed, 0 failed")

    def test_report_says_skip_and_why(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            tr.report(tr.skipped("cross", "no x86_64-elf-gcc"), threading.Lock())
        self.assertRegex(out.getvalue(), r"^SKIP  cross .*\n      skipped: no x86_64-elf-gcc\n$")


class CrossCheckPlanTest(unittest.TestCase):
    CHAPTER = tr.Chapter(Path("/x/01-freestanding"))
    BOOTS = [tr.Boot(CHAPTER, "kernel"), tr.Boot(CHAPTER, "cross", kind="cross"),
             tr.Boot(tr.Chapter(Path("/x/02-vga")), "cross", kind="cross")]  # fmt: skip

    def test_without_a_cross_compiler_the_checks_become_one_skip(self):
        boots, skips = tr.plan_cross_check(self.BOOTS, "")
        self.assertEqual([b.kind for b in boots], ["qemu"])
        self.assertEqual([(r.verdict, r.skipped) for r in skips], [("SKIP", tr.NO_CROSS_COMPILER)])

    def test_with_a_cross_compiler_they_all_run(self):
        self.assertEqual(tr.plan_cross_check(self.BOOTS, "/t/x86_64-elf-gcc"), (self.BOOTS, []))

    def test_nothing_skipped_when_no_cross_check_was_asked_for(self):
        self.assertEqual(tr.plan_cross_check(self.BOOTS[:1], ""), (self.BOOTS[:1], []))


class RebuildCheckTest(unittest.TestCase):
    """The clang and cross checks: build output shown with -v is not a problem."""

    def setUp(self):
        self.saved = (tr.run_with_timeout, tr.load_boots)
        tr.run_with_timeout = lambda command, timeout: ("  CC      kmain.c\n", 0)
        tr.load_boots = lambda chapter: []  # no boots to run again: only the build counts

    def tearDown(self):
        tr.run_with_timeout, tr.load_boots = self.saved

    def check(self, verbose: bool):
        boot = tr.Boot(tr.Chapter(Path("/x/01-freestanding")), "cross", kind="cross")
        options = tr.parse_args(["-v"] if verbose else [])
        return tr.run_rebuild(boot, options, "/t/x86_64-elf-gcc", "x86_64-elf-gcc")

    def test_a_clean_build_passes_quietly(self):
        result = self.check(verbose=False)
        self.assertEqual((result.verdict, result.details), ("PASS", []))

    def test_verbose_shows_the_build_and_still_passes(self):
        result = self.check(verbose=True)
        self.assertEqual(result.verdict, "PASS")
        self.assertIn("make CC=/t/x86_64-elf-gcc printed:", result.details[0])

    def test_a_failed_build_fails(self):
        tr.run_with_timeout = lambda command, timeout: ("error: kernel.elf uses symbols\n", 2)
        result = self.check(verbose=False)
        self.assertEqual(result.verdict, "FAIL")
        self.assertIn("error: kernel.elf uses symbols", result.details[0])


# A stand-in compiler or linker for the make tests below: says its name for
# --version, a directory for -print-*, and creates the file named by -o.
STUB_TOOL = """#!/bin/sh
case "$1" in
--version) echo "NAME 99.1 (stub)"; exit 0 ;;
-V) echo "  supported emulations: elf_x86_64"; exit 0 ;;
-print-*) echo /nonexistent; exit 0 ;;
esac
while [ $# -gt 0 ]; do [ "$1" = -o ] && : > "$2"; shift; done
"""


class CompilerChoiceTest(unittest.TestCase):
    """Which compiler common/kernel.mk picks, asked through `make -s print-CC`
    in a copy of the repository's build files, with a PATH that holds only
    stub tools: the machine's own compilers cannot interfere."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name)
        (self.root / "common").mkdir()
        shutil.copy(ROOT / "common" / "kernel.mk", self.root / "common")
        (self.root / "common" / "deps.sh").write_text("exit 0\n")  # installs nothing
        self.chapter = self.root / "chapters" / "01-example"
        self.chapter.mkdir(parents=True)
        (self.chapter / "Makefile").write_text("KERNEL_SOURCES := kmain.c\ninclude ../../common/kernel.mk\n")
        (self.chapter / "kmain.c").write_text("void kmain(void) {}\n")
        self.path_dir = self.root / "path"
        self.path_dir.mkdir()
        for tool in ("bash", "cat", "echo", "grep", "head", "mkdir", "printf"):  # what kernel.mk runs
            os.symlink(shutil.which(tool), self.path_dir / tool)
        self.stub(self.path_dir, "uname", "#!/bin/sh\necho x86_64\n")  # any host will do
        self.stub(self.path_dir, "ld")

    def tearDown(self):
        self.tmp.cleanup()

    def stub(self, directory: Path, name: str, text: Optional[str] = None) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / name
        path.write_text(text or STUB_TOOL.replace("NAME", name))
        path.chmod(0o755)
        return path

    def make(self, *arguments: str) -> str:
        env = dict(os.environ, PATH=str(self.path_dir))
        for name in ("CC", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"):  # `make test CC=gcc` passes CC down
            env.pop(name, None)
        process = subprocess.run([shutil.which("make"), "-s", "--no-print-directory", "-C",
                                  str(self.chapter), *arguments],
                                 env=env, capture_output=True, text=True)  # fmt: skip
        self.assertEqual(process.returncode, 0, process.stderr)
        return process.stdout

    def chosen(self, *arguments: str) -> list:
        return self.make("print-CC", "print-LD", *arguments).splitlines()

    def test_host_gcc_when_there_is_no_cross_compiler(self):
        self.stub(self.path_dir, "gcc")
        self.assertEqual(self.chosen(), ["gcc", "ld"])

    def test_cross_compiler_on_path(self):
        self.stub(self.path_dir, "gcc")
        cross = self.stub(self.path_dir, "x86_64-elf-gcc")
        self.assertEqual(self.chosen(), [str(cross), str(self.path_dir / "x86_64-elf-ld")])

    def test_toolchain_directory_comes_before_path(self):
        self.stub(self.path_dir, "gcc")
        self.stub(self.path_dir, "x86_64-elf-gcc")
        built = self.stub(self.root / "toolchain" / "bin", "x86_64-elf-gcc")
        self.assertEqual(self.chosen(), [str(built), str(built.parent / "x86_64-elf-ld")])

    def test_cc_on_the_command_line_wins(self):
        self.stub(self.path_dir, "clang", STUB_TOOL.replace("NAME", "clang version"))
        self.stub(self.root / "toolchain" / "bin", "x86_64-elf-gcc")
        self.assertEqual(self.chosen("CC=clang"), ["clang", "ld"])

    def test_the_build_names_its_compiler_first(self):
        built = self.stub(self.root / "toolchain" / "bin", "x86_64-elf-gcc")
        lines = self.make("build/kmain.o").splitlines()
        self.assertEqual(lines[0], f"  using   {built}: x86_64-elf-gcc 99.1 (stub)")
        self.assertEqual(lines[1:], ["  CC      kmain.c"])


if __name__ == "__main__":
    unittest.main()
