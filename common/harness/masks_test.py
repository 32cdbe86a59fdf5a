"""Tests of masks.py: kernel addresses and time values are masked, in every
output, and nothing else is.
"""

import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # common/, whichever way this file is run
from harness.boots import Boot, Chapter
from harness.fixtures import fake_chapter, make_screen
from harness.judging import actual_outputs
from harness.masks import mask_kernel_addresses, mask_time_values
from harness.qemu import Capture, End


class KernelAddressTest(unittest.TestCase):
    def test_address_and_offset_are_masked_the_name_is_kept(self):
        line = "  0x0000000000101231 <kmain+0xe1>"
        self.assertEqual(mask_kernel_addresses(line), "  0x???????????????? <kmain+0x?>")

    def test_every_address_on_a_line_is_masked(self):
        line = "NMI 1 at 0x00000000001023ff <raise_nmi.part+0x1c>, 0x000000000010cff0 <stack_bottom+0x3ff0>"
        self.assertEqual(mask_kernel_addresses(line),
                         "NMI 1 at 0x???????????????? <raise_nmi.part+0x?>, "
                         "0x???????????????? <stack_bottom+0x?>")  # fmt: skip

    def test_numbers_without_a_symbol_are_compared(self):
        for line in ("RAX 0x1111111111111111  RBX 0x2222222222222222",
                     "CR2 0x00000000deadbeef: the address that was accessed",
                     "hex: cafe CAFE deadbeef 0x00000000000b8000",
                     "  0x0000000000101231 <kmain>", "0x101231 <kmain+0xe1>"):  # fmt: skip
            self.assertEqual(mask_kernel_addresses(line), line)

    def test_a_colour_run_with_an_address_has_its_last_column_masked(self):
        line = "4, 0-41: white on red (0x4f): '  0x0000000000101231 <ktest_run_all+0xe1>'"
        self.assertEqual(mask_kernel_addresses(line),
                         "4, 0-?: white on red (0x4f): '  0x???????????????? <ktest_run_all+0x?>'")  # fmt: skip

    def test_a_colour_run_without_an_address_keeps_its_columns(self):
        line = "3, 0-9: white on red (0x4f): 'backtrace: 0x0000000000101231'"
        self.assertEqual(mask_kernel_addresses(line), line)

    def test_the_outputs_of_a_boot_are_masked(self):
        with tempfile.TemporaryDirectory() as tmp:
            boot = Boot(chapter=fake_chapter(tmp), name="kernel", checks=["serial"])
            capture = Capture(End("halt"), serial=b"at 0x0000000000101231 <kmain+0xe1>\r\n")
            self.assertEqual(actual_outputs(boot, capture), {"serial": "at 0x???????????????? <kmain+0x?>\n"})


class TimeValuesTest(unittest.TestCase):
    def test_numbers_before_time_units_are_masked(self):
        text = "uptime 12.042 s, 12042 ticks; slept 250ms; 1 tick"
        self.assertEqual(mask_time_values(text), "uptime # s, # ticks; slept #ms; # tick")

    def test_a_right_aligned_field_masks_the_same_whatever_its_width(self):
        self.assertEqual(mask_time_values("uptime      7 s |"), "uptime # s |")
        self.assertEqual(mask_time_values("uptime  12345 s |"), "uptime # s |")
        self.assertEqual(mask_time_values("7 ticks"), "# ticks")

    def test_other_numbers_stay(self):
        for text in ("ticks: 5", "3 seconds", "100 Hz", "0x10 s", "vector 32", "5 passed, 0 failed",
                     "10 sheep"):  # fmt: skip
            self.assertEqual(mask_time_values(text), text)

    def test_every_output_is_masked(self):
        boot = Boot(Chapter(Path("/x/06-example")), "kernel", checks=["screen", "serial"])
        capture = Capture(End("halt"), screen=make_screen([b"uptime 3 s"]), serial=b"7 ticks\r\n")
        outputs = actual_outputs(boot, capture)
        self.assertEqual(outputs, {"screen": "uptime # s\n", "serial": "# ticks\n"})


if __name__ == "__main__":
    unittest.main()
