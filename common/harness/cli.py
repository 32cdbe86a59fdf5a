"""The command line and main: the options, which boots run, running them in
parallel, one line per result in --list order, and the exit status.
"""

import argparse
import os
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List

from .boots import Boot, find_chapters, load_boots, select_chapters
from .building import (NO_CROSS_COMPILER, build_chapter, cross_compiler, plan_cross_check,
                       run_clang_build, run_cross_build, run_host_tests)
from .changes import print_chapter_diff
from .config import ROOT, ConfigError
from .debug_check import run_gdb_boot
from .docs_checks import SHARED_DOCS, run_docs_boot, run_shared_docs
from .judging import Result, indent, run_qemu_boot, summary_line
from .processes import end_run_on_signal
from .qemu import qemu_flags


RUNNERS = {"qemu": run_qemu_boot, "gdb": run_gdb_boot, "clang": run_clang_build,
           "cross": run_cross_build, "docs": run_docs_boot, "shared-docs": run_shared_docs,
           "host": run_host_tests}  # fmt: skip


def run_boot(boot: Boot, options) -> Result:
    started = time.monotonic()
    try:
        result = RUNNERS[boot.kind](boot, options)
    except Exception as error:  # a harness bug or a broken QEMU: report, don't hide
        result = Result(boot.id, ok=False, details=[f"{type(error).__name__}: {error}"])
    result.seconds = time.monotonic() - started
    return result


def report(result: Result, lock: threading.Lock) -> None:
    with lock:
        print(f"{result.verdict}  {result.boot_id:<40} {result.seconds:6.1f}s", flush=True)
        for path in result.updated:
            print(f"      updated {path.relative_to(ROOT)}")
        if result.skipped:
            print(indent_block(f"skipped: {result.skipped}"), flush=True)
        for detail in result.details:
            print(indent_block(detail), flush=True)


def indent_block(text: str) -> str:
    return "\n".join("      " + line for line in text.split("\n"))


def parse_args(argv: List[str]):
    parser = argparse.ArgumentParser(
        description="Build and boot the chapters' kernels in QEMU and compare their "
        "screen and serial output with the transcripts in expected/; check the docs pages too. "
        "See docs/harness.md."
    )
    parser.add_argument("chapters", nargs="*", help="chapter numbers or directory names (default: all)")
    parser.add_argument("--list", action="store_true", help="list the boots and exit")
    parser.add_argument("-k", metavar="NAME", dest="keyword",
                        help="only boots and checks whose id (as --list prints it) contains NAME")  # fmt: skip
    parser.add_argument("-j", metavar="N", dest="jobs", type=int, default=os.cpu_count() or 1,
                        help="boots to run at once (default: number of CPUs)")  # fmt: skip
    parser.add_argument("-v", "--verbose", action="store_true", help="show build output and every boot's output")
    parser.add_argument("--update", action="store_true",
                        help="rewrite the transcripts from this run (read the result before committing)")  # fmt: skip
    parser.add_argument("--kvm", action="store_true", help="use KVM instead of TCG emulation")
    parser.add_argument("--screenshots", metavar="DIR", help="save each chapter's screen as DIR/NN-name.png")
    parser.add_argument("--diff", action="store_true",
                        help="print what each named chapter changed against the previous one, then exit")  # fmt: skip
    parser.add_argument("--cross", action="store_true",
                        help="only the x86_64-elf cross compiler check, which fails without one (make toolchain)")  # fmt: skip
    options = parser.parse_args(argv)
    if options.jobs < 1:
        parser.error("-j needs at least 1")
    return options


def collect_boots(options) -> List[Boot]:
    """The boots of the chapters asked for; a run of every chapter also checks the shared pages."""
    boots = []
    for chapter in select_chapters(find_chapters(), options.chapters):
        boots += load_boots(chapter)
    if not options.chapters:
        boots.append(SHARED_DOCS)
    if options.keyword:
        boots = [b for b in boots if options.keyword in b.id]
    if options.cross:
        boots = [b for b in boots if b.kind == "cross"]
    return boots


def accelerator_flags(kvm: bool) -> List[str]:
    if not kvm:
        return ["-accel", "tcg"]
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        raise ConfigError("--kvm: /dev/kvm does not exist or is not accessible to this user")
    return ["-accel", "kvm"]


def main(argv: List[str]) -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends us quietly
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, end_run_on_signal)
    options = parse_args(argv)
    try:
        boots = collect_boots(options)
        accel = accelerator_flags(options.kvm)
    except ConfigError as error:
        print(f"test-runner.py: {error}", file=sys.stderr)
        return 2
    if options.diff:
        for chapter in select_chapters(find_chapters(), options.chapters):
            print_chapter_diff(chapter)
        return 0
    if options.list:
        for boot in boots:
            print(boot.id)
        return 0
    if not boots:
        print("test-runner.py: no boot matches", file=sys.stderr)
        return 2
    chapter_boots = [b for b in boots if b.chapter]
    options.cross_cc = cross_compiler(chapter_boots[0].chapter) if chapter_boots else ""
    if options.cross and not options.cross_cc:
        print(f"test-runner.py: --cross: {NO_CROSS_COMPILER}", file=sys.stderr)
        return 2
    boots, skips = plan_cross_check(boots, options.cross_cc)

    lock = threading.Lock()
    results = []
    chapters = {b.chapter.name: b.chapter for b in boots if b.chapter}
    runnable = []
    options.qemu_flags = {}
    for name, chapter in chapters.items():
        failure = build_chapter(chapter, options.verbose)
        if failure is None:
            options.qemu_flags[name] = qemu_flags(chapter) + accel
            runnable += [b for b in boots if b.chapter is chapter]
        else:
            result = Result(f"{name}/build", ok=False, details=["make failed:\n" + indent(failure)])
            report(result, lock)
            results.append(result)
    runnable += [b for b in boots if b.chapter is None]  # needs no build

    # Boots run in parallel but are reported in the order listed, each as
    # soon as it and every boot before it have finished: logs compare easily.
    finished: Dict[int, Result] = {}
    next_to_report = [0]

    def run_and_report(index: int) -> Result:
        result = run_boot(runnable[index], options)
        with order_lock:
            finished[index] = result
            while next_to_report[0] in finished:
                report(finished[next_to_report[0]], lock)
                next_to_report[0] += 1
        return result

    order_lock = threading.Lock()
    with ThreadPoolExecutor(max_workers=options.jobs) as pool:
        results += list(pool.map(run_and_report, range(len(runnable))))

    for result in skips:
        report(result, lock)
    results += skips
    print(summary_line(results))
    return 0 if all(r.verdict != "FAIL" for r in results) else 1
