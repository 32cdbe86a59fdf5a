"""Tests of common/toolchain.sh, the recipe behind `make toolchain`: python3 common/toolchain_test.py

The real build takes most of an hour, so these never run it. Each test
sources the script (which then defines its functions without building
anything) and calls one function with stand-ins: they prove that a stage
resumes from its stamp, that a failing stage stops at its first error and
says where the log is, and that missing disk space, packages or sources stop
the script early with a message that says what to do.
"""

import os
import signal
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "common" / "toolchain.sh"


class ToolchainScriptTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def bash(self, commands: str) -> subprocess.CompletedProcess:
        """Source the script with its work directory in the temporary one, then run commands."""
        prologue = (f'source "{SCRIPT}"; WORK="{self.dir}/work"; STAMPS="$WORK/stamps"; '
                    f'LOG="{self.dir}/build.log"; DOWNLOAD_DIR="{self.dir}/download"; '
                    'mkdir -p "$STAMPS"\n')  # fmt: skip
        return subprocess.run(["bash", "-c", prologue + commands], stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=60)  # fmt: skip

    def test_versions_come_from_the_tarball_names(self):
        names = {"binutils-2.40.tar.xz": "2.40", "gcc-12.2.0-dfsg.tar.xz": "12.2.0",
                 "gcc-13.2.0.tar.xz": "13.2.0", "/usr/src/binutils/binutils-2.42.tar.bz2": "2.42"}  # fmt: skip
        for name, version in names.items():
            out = self.bash(f"tarball_version {name}")
            self.assertEqual(out.stdout.strip(), version, name)

    def test_a_finished_stage_is_not_run_again(self):
        first = self.bash('run_stage one "first stage" true')
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertRegex(first.stdout, r"^\[1/9\] first stage \.\.\. done \(0m0\ds\)\n$")
        again = self.bash('run_stage one "first stage" false')
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(again.stdout, "[1/9] first stage: done in an earlier run\n")

    def test_a_failed_stage_leaves_no_stamp_and_shows_the_log(self):
        out = self.bash('run_stage two "second stage" bash -c "echo the reason; exit 3"')
        self.assertEqual(out.returncode, 1)
        self.assertIn("[1/9] second stage ... FAILED", out.stdout)
        self.assertIn("  | the reason", out.stderr)
        self.assertIn(f"'second stage' failed (whole log: {self.dir}/build.log)", out.stderr)
        self.assertIn("resumes here", out.stderr)
        self.assertFalse((self.dir / "work" / "stamps" / "two").exists())

    def test_a_stage_stops_at_its_first_failing_command(self):
        out = self.bash(f'steps() {{ false; touch "{self.dir}/ran-on"; }}\n'
                        'run_stage three "third stage" steps')  # fmt: skip
        self.assertEqual(out.returncode, 1)
        self.assertFalse((self.dir / "ran-on").exists())
        self.assertFalse((self.dir / "work" / "stamps" / "three").exists())

    def test_a_half_configured_subdirectory_is_configured_again(self):
        obj = self.dir / "obj"
        for sub, log in (("bfd", "configure: exit 0\n"), ("opcodes", "checking for gcc... gcc\n"),
                         ("x86_64-elf/libgcc", "configure: exit 0\n## Running config.status. ##\n")):  # fmt: skip
            (obj / sub).mkdir(parents=True)
            (obj / sub / "config.log").write_text(log)
            (obj / sub / "Makefile").touch()
        (obj / "config.log").write_text("the top level's own configure has a stage of its own\n")
        out = self.bash(f'discard_unfinished_configures "{obj}"')
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout, f"the configure of {obj}/opcodes did not finish: removing it\n")
        self.assertEqual(sorted(p.name for p in obj.iterdir()), ["bfd", "config.log", "x86_64-elf"])
        self.assertTrue((obj / "x86_64-elf" / "libgcc" / "Makefile").exists())

    def test_ctrl_c_stops_the_stage_and_says_how_to_resume(self):
        prologue = (f'source "{SCRIPT}"; WORK="{self.dir}/work"; STAMPS="$WORK/stamps"; '
                    f'LOG="{self.dir}/build.log"; mkdir -p "$STAMPS"\n')  # fmt: skip
        process = subprocess.Popen(
            ["bash", "-c", prologue + 'say_how_to_resume_on_interrupt; run_stage slow "slow stage" sleep 30'],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )  # fmt: skip
        time.sleep(1)
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        out, _ = process.communicate(timeout=10)  # the ticker must not keep the pipe open
        self.assertEqual(process.returncode, 130)
        self.assertEqual(out, "[1/9] slow stage ...\ntoolchain: interrupted: run make toolchain again to resume\n")
        self.assertFalse((self.dir / "work" / "stamps" / "slow").exists())

    def test_too_little_disk_space_stops_before_building(self):
        out = self.bash("NEEDED_MIB=999999999; check_disk_space")
        self.assertEqual(out.returncode, 1)
        self.assertRegex(out.stderr, r"^toolchain: not enough disk space: the build needs about \d+ MiB "
                                     r"more in .*, \d+ MiB are free\n$")  # fmt: skip

    def test_a_missing_package_is_named_with_what_to_install(self):
        deps = self.dir / "deps.sh"
        deps.write_text("exit 2\n")  # what deps.sh --install says on a system without apt-get
        out = self.bash(f'DEPS_SH="{deps}"; debian_package=([no-such-tool-here]=no-such-package)\n'
                        "install_build_packages")  # fmt: skip
        self.assertEqual(out.returncode, 1)
        self.assertIn("toolchain: missing build dependencies: no-such-package", out.stdout)
        self.assertIn("Fedora:  sudo dnf install gcc gcc-c++", out.stderr)

    def test_without_sources_it_prints_the_gnu_downloads(self):
        out = self.bash("debian_binutils_tarball() { :; }; debian_gcc_tarball() { :; }\n"
                        "apt_has() { return 1; }; find_sources")  # fmt: skip
        self.assertEqual(out.returncode, 1)
        self.assertIn(f"mkdir -p {self.dir}/download && cd {self.dir}/download", out.stderr)
        self.assertIn("curl -LO https://ftpmirror.gnu.org/gnu/binutils/binutils-2.40.tar.xz", out.stderr)
        self.assertIn("curl -LO https://ftpmirror.gnu.org/gnu/gcc/gcc-12.2.0/gcc-12.2.0.tar.xz", out.stderr)

    def test_downloaded_tarballs_are_used(self):
        (self.dir / "download").mkdir()
        for name in ("binutils-2.40.tar.xz", "gcc-12.2.0.tar.xz"):
            (self.dir / "download" / name).touch()
        out = self.bash("debian_binutils_tarball() { :; }; debian_gcc_tarball() { :; }\n"
                        'apt_has() { return 1; }; find_sources; echo "$binutils_tarball $gcc_tarball"')  # fmt: skip
        self.assertEqual(out.returncode, 0, out.stderr)
        download = self.dir / "download"
        self.assertEqual(out.stdout, f"{download}/binutils-2.40.tar.xz {download}/gcc-12.2.0.tar.xz\n")

    def test_stamps_of_other_versions_are_thrown_away(self):
        out = self.bash('rm -r "$WORK"; check_stamps_match 2.40 12.2.0; touch "$STAMPS/kept"\n'
                        'check_stamps_match 2.40 12.2.0; ls "$STAMPS"\n'
                        'check_stamps_match 2.42 13.2.0; ls "$STAMPS"; cat "$WORK/config"')  # fmt: skip
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = out.stdout.splitlines()
        self.assertEqual(lines[0], "kept")
        self.assertIn("an earlier run built something else (binutils 2.40, gcc 12.2.0", lines[1])
        self.assertTrue(lines[2].startswith("binutils 2.42, gcc 13.2.0, prefix "))


if __name__ == "__main__":
    unittest.main()
