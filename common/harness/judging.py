"""Judging a boot: its outputs rendered (and masked) as its transcripts are
written, compared with the chapter's expected/ files; the verdict as a Result
with one line or diff per problem; and --update, which rewrites the transcripts.
"""

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from .boots import Boot
from .ktap import ktap_summary
from .masks import mask_kernel_addresses, mask_time_values
from .qemu import Capture, End, boot_and_capture, machine_flags, where_it_stopped
from .screen import screen_colours, screen_text
from .serial import normalise_serial, serial_from


@dataclass
class Result:
    boot_id: str
    ok: bool
    seconds: float = 0.0
    details: List[str] = field(default_factory=list)
    updated: List[Path] = field(default_factory=list)
    skipped: str = ""  # why this check did not run; a skipped check never counts as passed

    @property
    def verdict(self) -> str:
        return "SKIP" if self.skipped else "PASS" if self.ok else "FAIL"


def skipped(boot_id: str, reason: str) -> Result:
    return Result(boot_id, ok=False, skipped=reason)


def summary_line(results: List[Result]) -> str:
    """The last line of a run: N passed, N failed (, N skipped)."""
    passed = sum(r.verdict == "PASS" for r in results)
    failed = sum(r.verdict == "FAIL" for r in results)
    line = f"{passed} passed, {failed} failed"
    skips = sum(r.verdict == "SKIP" for r in results)
    return line + (f", {skips} skipped" if skips else "")


def actual_outputs(boot: Boot, capture: Capture) -> Dict[str, str]:
    """What the boot showed, rendered exactly as its transcripts are written."""
    outputs = {}
    for check in boot.checks:
        if check == "serial":
            outputs[check] = normalise_serial(serial_from(capture.serial, boot.serial_from))
        elif capture.screen is not None:
            render = screen_text if check == "screen" else screen_colours
            outputs[check] = render(capture.screen)
    return {check: mask_kernel_addresses(mask_time_values(text)) for check, text in outputs.items()}


def judge(boot: Boot, end: End, outputs: Dict[str, str], transcripts: Dict[str, Optional[str]],
          offscreen: Optional[int] = None, input_error: Optional[str] = None):
    """Compare one boot's end and outputs with what its transcripts expect.
    Returns a list of problems; an empty list is a pass."""
    problems = [input_error] if input_error else []
    if offscreen is not None:
        problems.append(f"the kernel wrote outside the 80x25 screen, first at 0x{offscreen:x}")
    if not end.satisfies(boot.end):
        wanted = {"halt": "halt with interrupts off", "success": "exit with success",
                  "failure": "exit with failure"}[boot.end]  # fmt: skip
        problems.append(f"expected the kernel to {wanted}, but {end.describe()}")
    for check in boot.checks:
        name = boot.transcript(check).relative_to(boot.chapter.path.parent).as_posix()
        expected = transcripts.get(check)
        actual = outputs.get(check)
        if expected is None:
            problems.append(f"{name} is missing (create it with --update, then read it)")
        elif actual is None:
            problems.append(f"no {check} output to compare with {name}")
        else:
            diff = transcript_diff(expected, actual, name, f"{check} of this run")
            if diff:
                problems.append(f"{check} differs from {name}:\n{diff}")
    return problems


def transcript_diff(expected: str, actual: str, expected_name: str, actual_name: str) -> str:
    """A unified diff, empty when the two texts are equal."""
    lines = difflib.unified_diff(
        expected.splitlines(), actual.splitlines(), expected_name, actual_name, lineterm=""
    )
    return "\n".join(lines)


def read_transcripts(boot: Boot) -> Dict[str, Optional[str]]:
    transcripts = {}
    for check in boot.checks:
        path = boot.transcript(check)
        transcripts[check] = path.read_text(encoding="utf-8") if path.exists() else None
    return transcripts


def update_transcripts(boot: Boot, outputs: Dict[str, str]) -> List[Path]:
    changed = []
    for check, text in outputs.items():
        path = boot.transcript(check)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def run_qemu_boot(boot: Boot, options) -> Result:
    screenshot = None
    if options.screenshots and boot.name == "kernel":
        screenshot = Path(options.screenshots) / f"{boot.chapter.name}.png"
    capture = boot_and_capture(boot, machine_flags(boot, options), screenshot)
    outputs = actual_outputs(boot, capture)
    result = Result(boot.id, ok=False)
    if options.update:
        if capture.input_error:
            result.details.append(f"not updated: {capture.input_error}")
        elif capture.end.satisfies(boot.end):
            result.updated = update_transcripts(boot, outputs)
            result.ok = True
        else:
            result.details.append(f"not updated: {capture.end.describe()}")
    else:
        problems = judge(boot, capture.end, outputs, read_transcripts(boot), capture.offscreen_write,
                         capture.input_error)  # fmt: skip
        result.ok = not problems
        result.details += problems
        if problems and boot.end == "success" and boot.image.startswith("tests/"):
            result.details += ktap_summary(normalise_serial(capture.serial)).describe_failures()
    # The diff shows what differed; the whole output helps when the kernel
    # ended the wrong way (hung, reset, exited) or when asked for.
    if options.verbose or not capture.end.satisfies(boot.end):
        result.details += describe_capture(capture)
    return result


def describe_capture(capture: Capture) -> List[str]:
    details = []
    stopped = where_it_stopped(capture.registers)
    if stopped:
        details.append(f"the CPU stopped at {stopped}")
    if capture.serial:
        details.append("serial output:\n" + indent(normalise_serial(capture.serial)))
    if capture.screen is not None:
        details.append("screen:\n" + indent(screen_text(capture.screen)))
    if capture.stderr.strip():
        details.append("QEMU said:\n" + indent(capture.stderr))
    return details


def indent(text: str) -> str:
    return "\n".join("    | " + line for line in text.rstrip("\n").split("\n"))
