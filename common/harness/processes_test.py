"""Tests of processes.py: a run stopped by a signal kills its children first."""

import subprocess
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # common/, whichever way this file is run
from harness.config import ROOT


# A run killed while a QEMU is up: the stand-in "QEMU" (sleep) must die with it.
KILLED_RUN = """
import os, signal, subprocess, sys, time
sys.path.insert(0, sys.argv[1])
from harness.processes import end_run_on_signal, track_child
signal.signal(signal.SIGTERM, end_run_on_signal)
child = subprocess.Popen(["sleep", "60"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
track_child(child)
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
        result = subprocess.run([sys.executable, "-c", KILLED_RUN, str(ROOT / "common")],
                                capture_output=True, text=True, timeout=30)  # fmt: skip
        self.assertEqual(result.returncode, 128 + 15, result.stderr)
        self.assertIn("stopped by SIGTERM; killed 1 child process", result.stderr)
        pid = int(result.stdout)
        for _ in range(50):  # the kill is sent; give the kernel a moment to deliver it
            if not process_is_running(pid):
                break
            time.sleep(0.1)
        self.assertFalse(process_is_running(pid), f"pid {pid} outlived the run")


if __name__ == "__main__":
    unittest.main()
