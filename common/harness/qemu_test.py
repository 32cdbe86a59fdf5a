"""Tests of qemu.py: how a boot's end is told (halt, exit status, triple fault),
waiting for the kernel's output, QMP with a QEMU that exited, and the machine's flags.
"""

import argparse
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # common/, whichever way this file is run
from harness import qemu
from harness.boots import Boot, Chapter, find_chapters
from harness.config import END_STATES, ROOT
from harness.fixtures import ChapterTestCase, make_screen
from harness.judging import actual_outputs, describe_capture, judge
from harness.keyboard import KeyInputError
from harness.qemu import (Capture, End, Machine, halted_for_good, has_text_screen, machine_flags, qemu_flags,
                          reset_cause, where_it_stopped)


class HaltDetectionTest(unittest.TestCase):
    HALTED = "RIP=00000000001011aa RFL=00000046 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=1"

    def test_halted_with_interrupts_off(self):
        self.assertEqual(halted_for_good(self.HALTED), "00000000001011aa")

    def test_interrupts_on_is_not_for_good(self):
        self.assertIsNone(halted_for_good(self.HALTED.replace("RFL=00000046", "RFL=00000246")))

    def test_running_is_not_halted(self):
        self.assertIsNone(halted_for_good(self.HALTED.replace("HLT=1", "HLT=0")))

    def test_32_bit_register_names(self):
        registers = "EIP=00100040 EFL=00000002 [-------] CPL=0 II=0 A20=1 SMM=0 HLT=1"
        self.assertEqual(halted_for_good(registers), "00100040")


class EndTest(unittest.TestCase):
    def test_exit_statuses(self):
        self.assertTrue(End("exit", 33).satisfies("success"))
        for status in (35, 0, 1, -9):
            self.assertFalse(End("exit", status).satisfies("success"), status)
        self.assertTrue(End("exit", 35).satisfies("failure"))
        for status in (33, 0, 1):
            self.assertFalse(End("exit", status).satisfies("failure"), status)

    def test_halt(self):
        self.assertTrue(End("halt").satisfies("halt"))
        self.assertFalse(End("timeout").satisfies("halt"))
        self.assertFalse(End("reset").satisfies("halt"))
        self.assertIn("triple fault", End("reset").describe())


class TripleFaultTest(unittest.TestCase):
    # The end of a real QEMU -d cpu_reset log after a stack overflow without an IST.
    LOG = ("CPU Reset (CPU 0)\nEAX=00000000 EBX=00000000 ECX=00000000 EDX=00060fb1\n"
           "XMM06=0000000000000000 0000000000000000 XMM07=0000000000000000 0000000000000000\n"
           "Triple fault\n")  # fmt: skip
    REGISTERS = ("RBP=000000000010b030 RSP=000000000010aff0\n"
                 "RIP=00000000001010aa RFL=00000006 [-----P-] CPL=0 II=0 A20=1 SMM=0 HLT=0\n"
                 "CR0=80000011 CR2=000000000010afe8 CR3=0000000000105000 CR4=00000020\n")  # fmt: skip

    def test_the_reset_log_tells_a_triple_fault_from_a_reset(self):
        self.assertEqual(reset_cause(self.LOG), "triple-fault")
        self.assertEqual(reset_cause(self.LOG.replace("Triple fault\n", "")), "reset")
        self.assertEqual(reset_cause(""), "reset")  # KVM: QEMU does not see it happen

    def test_triple_fault_is_named_and_never_passes(self):
        end = End("triple-fault")
        self.assertIn("triple-faulted", end.describe())
        for wanted in END_STATES:
            self.assertFalse(end.satisfies(wanted), wanted)

    def test_where_it_stopped(self):
        self.assertEqual(where_it_stopped(self.REGISTERS),
                         "RIP=00000000001010aa RSP=000000000010aff0 CR2=000000000010afe8")  # fmt: skip
        self.assertIsNone(where_it_stopped(""))

    def test_report_names_it_and_shows_the_last_output(self):
        boot = Boot(Chapter(Path("/nonexistent/05-double-faults")), "stack_overflow",
                    image="tests/stack_overflow", end="success", checks=["serial"])  # fmt: skip
        capture = Capture(End("triple-fault"), serial=b"KTAP version 1\r\nrecursing\r\n",
                          registers=self.REGISTERS)  # fmt: skip
        problems = judge(boot, capture.end, actual_outputs(boot, capture), {"serial": ""})
        self.assertIn("expected the kernel to exit with success, but the CPU triple-faulted", problems[0])
        details = "\n".join(describe_capture(capture))
        self.assertIn("the CPU stopped at RIP=00000000001010aa", details)
        self.assertIn("    | recursing", details)


class WaitForSerialTest(unittest.TestCase):
    class Running:
        def poll(self):
            return None

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.machine = Machine(Path("x.iso"), [], Path(self.tmp.name))
        self.machine.process = self.Running()
        self.machine.serial_path.write_bytes(b"boot\r\n> help\r\n> ")

    def tearDown(self):
        self.tmp.cleanup()

    def test_each_until_searches_after_the_last_match(self):
        first = self.machine.wait_for_serial("> ", 0, deadline=float("inf"))
        self.assertEqual(first, 8)
        self.assertEqual(self.machine.wait_for_serial("> ", first, deadline=float("inf")), 16)

    def test_text_that_never_comes_is_an_error_not_a_hang(self):
        with self.assertRaises(KeyInputError) as caught:
            self.machine.wait_for_serial("> ", 16, deadline=0)
        self.assertIn("the kernel never printed '> '", str(caught.exception))

    def test_screen_waits_for_text_on_the_screen(self):
        screens = iter([make_screen([b"booting"]), make_screen([b"booting", b"> "])])
        self.machine.read_text_window = lambda workdir: next(screens)
        with mock.patch.object(qemu.time, "sleep"):
            self.machine.wait_for_screen("> ", deadline=float("inf"))
        with self.assertRaises(StopIteration):  # it read the screen exactly twice
            next(screens)

    def test_a_screen_that_never_shows_the_text_is_an_error(self):
        self.machine.read_text_window = lambda workdir: make_screen([b"booting"])
        with self.assertRaises(KeyInputError) as caught:
            self.machine.wait_for_screen("> ", deadline=0)
        self.assertIn("the screen never showed '> '", str(caught.exception))


class FirmwareTest(ChapterTestCase):
    def test_only_bios_boots_have_a_text_screen_to_read(self):
        self.assertTrue(has_text_screen(Boot(self.chapter, "k", checks=["screen"])))
        self.assertFalse(has_text_screen(Boot(self.chapter, "k", checks=["serial"], firmware="uefi")))

    def test_kernel_mk_adds_the_uefi_firmware(self):
        chapter = find_chapters()[0]
        self.assertNotIn("-bios", qemu_flags(chapter))
        self.assertIn("-bios", qemu_flags(chapter, firmware="uefi"))
        options = argparse.Namespace(qemu_flags={chapter.name: ["-m", "128M"]})
        bios = machine_flags(Boot(chapter, "k"), options)
        uefi = machine_flags(Boot(chapter, "k", firmware="uefi"), options)
        self.assertEqual(bios, ["-m", "128M"])
        self.assertEqual(uefi[:3], ["-m", "128M", "-bios"])
        self.assertTrue(Path(uefi[3]).is_file())


# A QMP server that greets, accepts qmp_capabilities and hangs up, as QEMU
# does when the kernel exits; then the client sends one more command. Run in
# a child process with SIGPIPE at its default, as cli.main() sets it: a
# SIGPIPE kills the child instead of failing quietly.
QMP_AFTER_EXIT = """
import signal, socket, sys, tempfile, threading
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
sys.path.insert(0, sys.argv[1])
from harness.qemu import QemuGone, Qmp
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
qmp = Qmp(path, Running())
hung_up.wait()
try:
    qmp.hmp("info registers")
except QemuGone:
    print("QemuGone")
"""


class QmpTest(unittest.TestCase):
    def test_a_command_to_a_qemu_that_exited_raises_qemu_gone(self):
        result = subprocess.run([sys.executable, "-c", QMP_AFTER_EXIT, str(ROOT / "common")],
                                capture_output=True, text=True, timeout=30)  # fmt: skip
        self.assertEqual((result.returncode, result.stdout), (0, "QemuGone\n"), result.stderr)


if __name__ == "__main__":
    unittest.main()
