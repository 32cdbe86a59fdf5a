"""Building the chapters, and the checks that build again: with clang, with
the x86_64-elf cross compiler when there is one (a skip when there is not),
and the chapter's host unit tests.
"""

import dataclasses
import subprocess
from typing import List, Optional

from .boots import Boot, Chapter, load_boots
from .judging import Result, actual_outputs, indent, judge, read_transcripts, skipped
from .ktap import ktap_summary
from .processes import run_with_timeout
from .qemu import boot_and_capture, machine_flags


BUILD_TIMEOUT = 300.0  # seconds for one make: CC=clang, the cross compiler, make unit


def build_chapter(chapter: Chapter, verbose: bool) -> Optional[str]:
    """Build everything the chapter's boots need; the make output on failure."""
    process = subprocess.run(["make", "--no-print-directory", "-C", str(chapter.path), "all"],
                             stdin=subprocess.DEVNULL, capture_output=True, text=True)  # fmt: skip
    if verbose and process.stdout.strip():
        print(process.stdout.rstrip())
    if process.returncode != 0:
        return process.stdout + process.stderr
    return None


def run_rebuild(boot: Boot, options, compiler: str, label: str) -> Result:
    """Build the chapter again with another compiler into build/<boot name>
    (warnings are errors there too), then run the chapter's qemu boots on
    those kernels against the same transcripts."""
    command = ["make", "--no-print-directory", "-C", str(boot.chapter.path), "all",
               f"CC={compiler}", f"BUILD=build/{boot.name}"]  # fmt: skip
    output, status = run_with_timeout(command, BUILD_TIMEOUT)
    result = Result(boot.id, ok=status == 0)
    if status is None:
        result.details.append(f"the {label} build took more than {BUILD_TIMEOUT:.0f}s")
    if not result.ok or options.verbose:
        result.details.append(f"make CC={compiler} printed:\n" + indent(output))
    if not result.ok:
        return result
    problems = []  # not result.details, which holds the build output with -v
    for qemu_boot in (b for b in load_boots(boot.chapter) if b.kind == "qemu"):
        rebuilt = dataclasses.replace(qemu_boot, image=f"{boot.name}/{qemu_boot.image}")
        capture = boot_and_capture(rebuilt, machine_flags(rebuilt, options), None)
        problems += [f"{label}-built {qemu_boot.name}: {p}"
                     for p in judge(rebuilt, capture.end, actual_outputs(rebuilt, capture),
                                    read_transcripts(rebuilt), capture.offscreen_write,
                                    capture.input_error)]  # fmt: skip
    result.details += problems
    result.ok = not problems
    return result


def run_clang_build(boot: Boot, options) -> Result:
    """The chapter must build without a warning with clang too (-Werror), and
    the clang-built kernels must pass the same boots, transcripts and all."""
    return run_rebuild(boot, options, "clang", "clang")


def run_cross_build(boot: Boot, options) -> Result:
    """The same with the x86_64-elf cross compiler (see plan_cross_check)."""
    return run_rebuild(boot, options, options.cross_cc, "x86_64-elf-gcc")


def run_host_tests(boot: Boot, options) -> Result:
    """`make unit`: must exit 0 and report every planned test as ok."""
    command = ["make", "-s", "--no-print-directory", "-C", str(boot.chapter.path), "unit"]
    output, status = run_with_timeout(command, BUILD_TIMEOUT)
    summary = ktap_summary(output)
    result = Result(boot.id, ok=status == 0 and summary.complete and not summary.failed)
    if status is None:
        result.details.append(f"the host unit tests took more than {BUILD_TIMEOUT:.0f}s")
    result.details += summary.describe_failures()
    if not result.ok or options.verbose:
        result.details.append("make unit printed:\n" + indent(output))
    return result


NO_CROSS_COMPILER = "no x86_64-elf-gcc in toolchain/bin or on PATH (make toolchain builds one)"


def cross_compiler(chapter: Chapter) -> str:
    """The x86_64-elf-gcc common/kernel.mk would pick (toolchain/bin first, then PATH), or ""."""
    out = subprocess.run(
        ["make", "-s", "--no-print-directory", "-C", str(chapter.path), "print-CROSS_CC"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True,
    )  # fmt: skip
    return out.stdout.strip() if out.returncode == 0 else ""


def plan_cross_check(boots: List[Boot], compiler: str):
    """(boots to run, results of checks skipped). Without a cross compiler the
    chapters' cross checks become one skipped result that says why."""
    cross = [b for b in boots if b.kind == "cross"]
    if compiler or not cross:
        return boots, []
    rest = [b for b in boots if b.kind != "cross"]
    return rest, [skipped("cross (x86_64-elf-gcc builds)", NO_CROSS_COMPILER)]
