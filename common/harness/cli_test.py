"""Tests of cli.py and of test-runner.py itself: the options, which boots a run
collects, the report's lines, and a bad boots.ini on the real command line.
"""

import contextlib
import io
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # common/, whichever way this file is run
from harness.cli import collect_boots, parse_args, report
from harness.config import ROOT
from harness.judging import skipped


class ArgumentsTest(unittest.TestCase):
    def test_defaults(self):
        options = parse_args([])
        self.assertEqual(options.chapters, [])
        self.assertFalse(options.update)

    def test_options(self):
        options = parse_args(["1", "-k", "gdb", "-j", "2", "-v", "--update"])
        self.assertEqual((options.chapters, options.keyword, options.jobs), (["1"], "gdb", 2))
        self.assertTrue(options.verbose and options.update)

    def test_cross_selects_only_the_cross_compiler_checks(self):
        boots = collect_boots(parse_args(["1", "--cross"]))
        self.assertEqual([b.id for b in boots], ["01-freestanding/cross"])

    def test_zero_jobs_is_an_error(self):
        with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
            parse_args(["-j", "0"])


class ReportTest(unittest.TestCase):
    def test_report_says_skip_and_why(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            report(skipped("cross", "no x86_64-elf-gcc"), threading.Lock())
        self.assertRegex(out.getvalue(), r"^SKIP  cross .*\n      skipped: no x86_64-elf-gcc\n$")


class CollectBootsTest(unittest.TestCase):
    def test_a_run_of_every_chapter_checks_the_shared_pages(self):
        ids = [b.id for b in collect_boots(parse_args([]))]
        self.assertEqual(ids[-1], "shared/docs")
        self.assertIn("01-freestanding/docs", ids)
        self.assertNotIn("shared/docs", [b.id for b in collect_boots(parse_args(["1"]))])


class CommandLineTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def test_the_command_line_reports_a_bad_boots_ini_in_one_line(self):
        """The whole path: a copy of test-runner.py and the harness over a chapters/ with one bad chapter."""
        root = Path(self.tmp.name) / "repo"
        chapter = root / "chapters" / "07-bad"
        chapter.mkdir(parents=True)
        shutil.copy(ROOT / "test-runner.py", root / "test-runner.py")
        shutil.copytree(ROOT / "common" / "harness", root / "common" / "harness",
                        ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
        (chapter / "boots.ini").write_text("[kernel]\ncheck = screen\n[kernel]\ncheck = serial\n")
        for arguments in (["--list"], []):
            run = subprocess.run([sys.executable, str(root / "test-runner.py"), *arguments],
                                 capture_output=True, text=True, timeout=60)  # fmt: skip
            self.assertEqual(run.returncode, 2, arguments)
            self.assertEqual(run.stdout, "", arguments)
            self.assertEqual(run.stderr, "test-runner.py: chapters/07-bad/boots.ini:3: [kernel] appears "
                             "twice (first on line 1); each boot needs a name of its own\n", arguments)


if __name__ == "__main__":
    unittest.main()
