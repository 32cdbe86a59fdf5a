"""Tests of building.py: the clang and cross checks' verdicts with make and QEMU
replaced, the skip without a cross compiler, and which compiler common/kernel.mk
picks.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from typing import Optional
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # common/, whichever way this file is run
from harness import building
from harness.boots import Boot, Chapter
from harness.building import NO_CROSS_COMPILER, plan_cross_check, run_clang_build, run_rebuild
from harness.cli import parse_args
from harness.config import ROOT
from harness.fixtures import ChapterTestCase, make_screen
from harness.qemu import Capture, End


class ClangCheckTest(ChapterTestCase):
    """The clang check's verdict, with make and QEMU replaced."""

    def setUp(self):
        super().setUp()
        self.boot = Boot(self.chapter, "kernel", checks=["screen"])
        (self.chapter.path / "expected" / "screen.txt").write_text("Hello\n")

    def run_check(self, screen_text, verbose):
        options = parse_args(["-v"] if verbose else [])
        options.qemu_flags = {self.chapter.name: []}
        capture = Capture(End("halt"), screen=make_screen([screen_text]))
        with mock.patch.object(building, "run_with_timeout", return_value=("clang built it\n", 0)), \
             mock.patch.object(building, "load_boots", return_value=[self.boot]), \
             mock.patch.object(building, "boot_and_capture", return_value=capture):  # fmt: skip
            return run_clang_build(Boot(self.chapter, "clang", kind="clang"), options)

    def test_verbose_output_is_not_a_failure(self):
        result = self.run_check(b"Hello", verbose=True)
        self.assertTrue(result.ok, result.details)
        self.assertIn("clang built it", result.details[0])

    def test_a_clang_kernel_with_other_output_fails(self):
        for verbose in (False, True):
            result = self.run_check(b"Goodbye", verbose)
            self.assertFalse(result.ok)
            self.assertIn("clang-built kernel: screen differs", result.details[-1])


class CrossCheckPlanTest(unittest.TestCase):
    CHAPTER = Chapter(Path("/x/01-freestanding"))
    BOOTS = [Boot(CHAPTER, "kernel"), Boot(CHAPTER, "cross", kind="cross"),
             Boot(Chapter(Path("/x/02-vga")), "cross", kind="cross")]  # fmt: skip

    def test_without_a_cross_compiler_the_checks_become_one_skip(self):
        boots, skips = plan_cross_check(self.BOOTS, "")
        self.assertEqual([b.kind for b in boots], ["qemu"])
        self.assertEqual([(r.verdict, r.skipped) for r in skips], [("SKIP", NO_CROSS_COMPILER)])

    def test_with_a_cross_compiler_they_all_run(self):
        self.assertEqual(plan_cross_check(self.BOOTS, "/t/x86_64-elf-gcc"), (self.BOOTS, []))

    def test_nothing_skipped_when_no_cross_check_was_asked_for(self):
        self.assertEqual(plan_cross_check(self.BOOTS[:1], ""), (self.BOOTS[:1], []))


class RebuildCheckTest(unittest.TestCase):
    """The clang and cross checks: build output shown with -v is not a problem."""

    def setUp(self):
        self.saved = (building.run_with_timeout, building.load_boots)
        building.run_with_timeout = lambda command, timeout: ("  CC      kmain.c\n", 0)
        building.load_boots = lambda chapter: []  # no boots to run again: only the build counts

    def tearDown(self):
        building.run_with_timeout, building.load_boots = self.saved

    def check(self, verbose: bool):
        boot = Boot(Chapter(Path("/x/01-freestanding")), "cross", kind="cross")
        options = parse_args(["-v"] if verbose else [])
        return run_rebuild(boot, options, "/t/x86_64-elf-gcc", "x86_64-elf-gcc")

    def test_a_clean_build_passes_quietly(self):
        result = self.check(verbose=False)
        self.assertEqual((result.verdict, result.details), ("PASS", []))

    def test_verbose_shows_the_build_and_still_passes(self):
        result = self.check(verbose=True)
        self.assertEqual(result.verdict, "PASS")
        self.assertIn("make CC=/t/x86_64-elf-gcc printed:", result.details[0])

    def test_a_failed_build_fails(self):
        building.run_with_timeout = lambda command, timeout: ("error: kernel.elf uses symbols\n", 2)
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
