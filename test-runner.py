#!/usr/bin/env python3
"""Build every chapter, boot its kernels in QEMU and compare what they show
with the transcripts in the chapter's expected/ directory.

Each chapter lists its boots in chapters/NN-name/boots.ini. A boot starts
QEMU with no display, watches it through QMP (QEMU's JSON monitor socket)
until the kernel is done, then reads the VGA text buffer and the serial
output and diffs them against the transcripts. It also checks the docs:
each chapter's page lists the files the chapter changed, and every code
excerpt under a "From `path`:" caption matches the file it quotes.
Python 3.8+, standard library only.

    ./test-runner.py                 every chapter
    ./test-runner.py 1 2             chapters 1 and 2
    ./test-runner.py -k no-long      boots whose name contains "no-long"
    ./test-runner.py --list          list the boots
    ./test-runner.py 1 --update      rewrite chapter 1's transcripts from a real run

A boot can type on the machine's PS/2 keyboard (`keys` in boots.ini, see
"Keyboard input" below), and time values in its output are masked by one
rule (see "Time values").
"""

import argparse
import configparser
import dataclasses
import difflib
import json
import os
import re
import shlex
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent
CHAPTERS_DIR = ROOT / "chapters"

QEMU = "qemu-system-x86_64"
DEFAULT_TIMEOUT = 60.0  # seconds per boot; a TCG boot through GRUB takes 2-5
POLL_INTERVAL = 0.2

# isa-debug-exit turns the value v written to port 0xF4 into exit status
# (v << 1) | 1. Our kernels write 0x10 for success and 0x11 for failure.
EXIT_SUCCESS = (0x10 << 1) | 1  # 33
EXIT_FAILURE = (0x11 << 1) | 1  # 35

END_STATES = ("halt", "success", "failure")  # what a boot may declare with "end ="
CHECKS = ("screen", "colors", "serial")
FIRMWARES = ("bios", "uefi")  # SeaBIOS, QEMU's default, or OVMF (kernel.mk's FIRMWARE=uefi)


class ConfigError(Exception):
    """A chapter's boots.ini or the command line asks for something impossible."""


# ---------------------------------------------------------------------------
# Chapters and boots
# ---------------------------------------------------------------------------


@dataclass
class Chapter:
    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def number(self) -> int:
        return int(self.name.split("-", 1)[0])


@dataclass
class Boot:
    chapter: Optional[Chapter]  # None for the check of the shared docs pages
    name: str
    # "qemu": boot and compare; "gdb": the make debug check; "clang": build
    # with clang and run the qemu boots again on those kernels; "cross": the
    # same with the x86_64-elf cross compiler, when there is one; "docs": the
    # chapter's page lists exactly the files that changed and its excerpts
    # match the code; "shared-docs": the excerpts of the pages no chapter
    # owns; "host": the chapter's unit/ tests, built and run on this machine
    kind: str = "qemu"
    image: str = "kernel"  # build/<image>.iso
    qemu_args: List[str] = field(default_factory=list)
    end: str = "halt"
    checks: List[str] = field(default_factory=list)
    timeout: float = DEFAULT_TIMEOUT
    keys: List["KeyStep"] = field(default_factory=list)  # typed once QEMU has started
    firmware: str = "bios"  # or "uefi": OVMF instead of SeaBIOS
    serial_from: str = ""  # compare serial output from the first of this text on

    @property
    def id(self) -> str:
        return f"{self.chapter.name}/{self.name}" if self.chapter else self.name

    def transcript(self, check: str) -> Path:
        """expected/screen.txt for the chapter's kernel, expected/NAME.screen.txt otherwise."""
        prefix = "" if self.name == "kernel" else f"{self.name}."
        return self.chapter.path / "expected" / f"{prefix}{check}.txt"


def find_chapters(chapters_dir: Path = CHAPTERS_DIR) -> List[Chapter]:
    dirs = sorted(p for p in chapters_dir.iterdir() if re.match(r"\d\d-", p.name) and p.is_dir())
    return [Chapter(p) for p in dirs]


BOOT_KEYS = ("image", "qemu", "end", "check", "timeout", "keys", "firmware", "serial_from")


def shown_path(path: Path) -> str:
    """A path as the reader would type it: relative to the repository root."""
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def ini_line_numbers(text: str) -> Dict[tuple, int]:
    """Where things first appear in a boots.ini: (section, None) -> the line
    of its [header], (section, key) -> the line of its key. For messages only."""
    numbers: Dict[tuple, int] = {}
    section = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.match(r"\[(.+)\]", stripped)  # as configparser reads a header
        if header:
            section = header.group(1)
            numbers.setdefault((section, None), number)
        elif section is not None and "=" in stripped and not stripped.startswith(("#", ";")):
            key = stripped.split("=", 1)[0].strip().lower()
            numbers.setdefault((section, key), number)
    return numbers


def ini_section_at(text: str, line_number: int) -> Optional[str]:
    """The [section] a line of a boots.ini belongs to, or None before the first."""
    headers = [(n, s) for (s, key), n in ini_line_numbers(text).items() if key is None]
    before = [s for n, s in sorted(headers) if n < line_number]
    return before[-1] if before else None


def describe_ini_error(where: str, text: str, error: configparser.Error) -> str:
    """One line for a boots.ini that configparser cannot read: file, line, section."""
    lines = text.splitlines()
    if isinstance(error, configparser.DuplicateSectionError):
        first = ini_line_numbers(text)[(error.section, None)]
        return (f"{where}:{error.lineno}: [{error.section}] appears twice (first on line {first}); "
                "each boot needs a name of its own")  # fmt: skip
    if isinstance(error, configparser.DuplicateOptionError):
        first = ini_line_numbers(text)[(error.section, error.option)]
        return f"{where}:{error.lineno}: [{error.section}] {error.option} is set twice (first on line {first})"
    if isinstance(error, configparser.MissingSectionHeaderError):
        return f"{where}:{error.lineno}: {error.line.strip()!r} comes before the first [section]"
    if isinstance(error, configparser.ParsingError) and getattr(error, "errors", None):
        number = error.errors[0][0]
        section = ini_section_at(text, number)
        return f"{where}:{number}: [{section}] {lines[number - 1].strip()!r} is not key = value"
    number = getattr(error, "lineno", None)
    message = str(error).splitlines()[0]
    return f"{where}:{number}: {message}" if number else f"{where}: {message}"


@dataclass
class BootsIni:
    """A chapter's boots.ini, parsed, with what its error messages need."""

    where: str  # the file's name in messages
    text: str
    config: configparser.ConfigParser

    def error(self, section: str, key: Optional[str], message: str) -> ConfigError:
        """The error as file:line: [section] message, at the key's line, else the header's."""
        numbers = ini_line_numbers(self.text)
        number = numbers.get((section, key)) or numbers.get((section, None))
        return ConfigError(f"{self.where}:{number}: [{section}] {message}")


def read_boots_ini(where: str, text: str) -> BootsIni:
    """Parse a boots.ini: one key = value per line, no duplicates, no continuation
    lines except in `keys`, whose list of steps may go on over indented lines."""
    # "=" only: a line must be key = value. A blank or comment line ends a
    # value, so an indented line can only continue the line just above it.
    config = configparser.ConfigParser(interpolation=None, delimiters=("=",), empty_lines_in_values=False)
    try:
        config.read_string(text, source=where)
    except configparser.Error as error:
        raise ConfigError(describe_ini_error(where, text, error)) from None
    ini = BootsIni(where, text, config)
    for name in config.sections():
        for key, value in config[name].items():
            if "\n" in value and key != "keys":
                number = ini_line_numbers(text)[(name, key)] + 1
                raise ConfigError(f"{where}:{number}: [{name}] an indented line continues {key}; "
                                  "write each key = value on one line")  # fmt: skip
    return ini


def boot_from_section(chapter: Chapter, ini: BootsIni, name: str) -> Boot:
    """One [section] of boots.ini as a Boot, every value checked."""
    section = ini.config[name]
    for key in section:
        if key not in BOOT_KEYS:
            raise ini.error(name, key, f"unknown key {key!r}; the keys are {', '.join(BOOT_KEYS)}")
    try:
        qemu_args = shlex.split(section.get("qemu", ""))
    except ValueError as error:  # an unbalanced quote
        raise ini.error(name, "qemu", f"qemu = {section['qemu']}: {error}") from None
    boot = Boot(chapter=chapter, name=name, image=section.get("image", "kernel"), qemu_args=qemu_args,
                end=section.get("end", "halt"), checks=section.get("check", "").split(),
                timeout=parse_timeout(ini, name), firmware=section.get("firmware", "bios"),
                serial_from=section.get("serial_from", ""))  # fmt: skip
    try:
        boot.keys = parse_keys(section.get("keys", ""))
    except ValueError as error:
        raise ini.error(name, "keys", f"keys: {error}") from None
    validate_boot(boot, ini)
    return boot


def parse_timeout(ini: BootsIni, name: str) -> float:
    text = ini.config[name].get("timeout", str(DEFAULT_TIMEOUT))
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):  # nan fails too
        raise ini.error(name, "timeout", f"timeout = {text}; expected a number of seconds above 0")
    return seconds


def validate_boot(boot: Boot, ini: BootsIni) -> None:
    if boot.end not in END_STATES:
        raise ini.error(boot.name, "end", f"end = {boot.end!r}; expected one of {', '.join(END_STATES)}")
    if not boot.checks:
        raise ini.error(boot.name, None, "no check = ...; a boot must compare something")
    for check in boot.checks:
        if check not in CHECKS:
            raise ini.error(boot.name, "check", f"unknown check {check!r}; expected {', '.join(CHECKS)}")
    if boot.end != "halt" and set(boot.checks) & {"screen", "colors"}:
        raise ini.error(boot.name, "check", f"end = {boot.end}: QEMU has exited at the end, "
                        "the screen cannot be read; check serial only")  # fmt: skip
    if boot.firmware not in FIRMWARES:
        raise ini.error(boot.name, "firmware", f"firmware = {boot.firmware!r}; expected one of "
                        f"{', '.join(FIRMWARES)}")  # fmt: skip
    if boot.firmware == "uefi" and set(boot.checks) & {"screen", "colors"}:
        raise ini.error(boot.name, "check", "there is no VGA text mode under UEFI; check serial only")
    if boot.serial_from and "serial" not in boot.checks:
        raise ini.error(boot.name, "serial_from", "serial_from without check = serial")


def parse_boots(chapter: Chapter, text: str) -> List[Boot]:
    """Read a chapter's boots.ini; every chapter also gets the checks of its own."""
    ini = read_boots_ini(shown_path(chapter.path / "boots.ini"), text)
    boots = [boot_from_section(chapter, ini, name) for name in ini.config.sections()]
    boots.append(Boot(chapter=chapter, name="gdb", kind="gdb"))
    boots.append(Boot(chapter=chapter, name="clang", kind="clang"))
    boots.append(Boot(chapter=chapter, name="cross", kind="cross"))
    if (chapter.path / "unit").is_dir():
        boots.append(Boot(chapter=chapter, name="host-unit-tests", kind="host"))
    boots.append(Boot(chapter=chapter, name="docs", kind="docs"))
    return boots


def load_boots(chapter: Chapter) -> List[Boot]:
    path = chapter.path / "boots.ini"
    if not path.exists():
        raise ConfigError(f"{chapter.name} has no boots.ini")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise ConfigError(f"{shown_path(path)}:{line}: not UTF-8 text") from None
    return parse_boots(chapter, text)


def select_chapters(chapters: List[Chapter], wanted: List[str]) -> List[Chapter]:
    """Chapters by number ("1", "01") or directory name; all when none are named."""
    if not wanted:
        return chapters
    selected = []
    for word in wanted:
        word = word.rstrip("/").split("/")[-1]
        matches = [c for c in chapters if word in (c.name, str(c.number), f"{c.number:02d}")]
        if not matches:
            known = ", ".join(f"{c.number} ({c.name})" for c in chapters)
            raise ConfigError(f"no chapter {word!r}; the chapters are {known}")
        selected += [c for c in matches if c not in selected]
    return selected


# ---------------------------------------------------------------------------
# The VGA text screen
# ---------------------------------------------------------------------------

SCREEN_COLUMNS = 80
SCREEN_ROWS = 25
SCREEN_BYTES = SCREEN_COLUMNS * SCREEN_ROWS * 2
TEXT_WINDOW_BYTES = 0x8000  # 0xB8000-0xBFFFF: what the kernel could write to by mistake
BLANK_CELL = b"\x20\x07"  # how SeaBIOS and GRUB leave the cells past the visible 80x25
DEFAULT_ATTRIBUTE = 0x07  # light grey on black

COLOUR_NAMES = (
    "black", "blue", "green", "cyan", "red", "magenta", "brown", "light grey",
    "dark grey", "light blue", "light green", "light cyan", "light red",
    "light magenta", "yellow", "white",
)  # fmt: skip

# Code page 437, the VGA's character set: bytes 0x01-0x1F and 0x7F are
# pictures, not control characters. 0x00 looks blank on screen, but a
# console that writes it instead of a space is wrong, so it shows as ␀.
CP437_LOW = "␀☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼"


def cp437_char(byte: int) -> str:
    if byte < 0x20:
        return CP437_LOW[byte]
    if byte == 0x7F:
        return "⌂"
    return bytes([byte]).decode("cp437")


def screen_cells(raw: bytes) -> List[List[tuple]]:
    """Rows of (character, attribute) pairs from the 4000-byte text buffer."""
    if len(raw) != SCREEN_BYTES:
        raise ValueError(f"a VGA text screen is {SCREEN_BYTES} bytes, got {len(raw)}")
    cells = [(cp437_char(raw[i]), raw[i + 1]) for i in range(0, SCREEN_BYTES, 2)]
    return [cells[r * SCREEN_COLUMNS : (r + 1) * SCREEN_COLUMNS] for r in range(SCREEN_ROWS)]


def screen_text(raw: bytes) -> str:
    """The characters on screen: trailing blanks and trailing empty rows trimmed."""
    rows = ["".join(c for c, _ in row).rstrip() for row in screen_cells(raw)]
    while rows and not rows[-1]:
        rows.pop()
    return "".join(row + "\n" for row in rows)


def first_offscreen_write(window: bytes) -> Optional[int]:
    """The address of the first cell after the visible screen that is not a
    blank, or None. The console must never write past its 4000 bytes."""
    for offset in range(SCREEN_BYTES, len(window) - 1, 2):
        if window[offset : offset + 2] != BLANK_CELL:
            return 0xB8000 + offset
    return None


def colour_name(attribute: int) -> str:
    return f"{COLOUR_NAMES[attribute & 0x0F]} on {COLOUR_NAMES[attribute >> 4]}"


def screen_colours(raw: bytes) -> str:
    """Every run of cells whose colour is not the default, one line each."""
    lines = [
        f"# Cells not in {colour_name(DEFAULT_ATTRIBUTE)} (0x{DEFAULT_ATTRIBUTE:02x}).",
        "# row, first-last column: colour (attribute byte): the text in that colour",
    ]
    runs = 0
    for r, row in enumerate(screen_cells(raw)):
        start = 0
        while start < SCREEN_COLUMNS:
            attribute = row[start][1]
            end = start
            while end + 1 < SCREEN_COLUMNS and row[end + 1][1] == attribute:
                end += 1
            if attribute != DEFAULT_ATTRIBUTE:
                text = "".join(c for c, _ in row[start : end + 1])
                quoted = "'" + text + "'"  # not repr(): a quote in the text stays as it is
                lines.append(f"{r}, {start}-{end}: {colour_name(attribute)} (0x{attribute:02x}): {quoted}")
                runs += 1
            start = end + 1
    if runs == 0:
        lines.append("(none)")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# Serial output and comparison
# ---------------------------------------------------------------------------


def visible_char(c: str) -> str:
    """One character of serial output as transcript text."""
    code = ord(c)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if c == "\\":
        return "\\\\"
    if c != "\t" and (code < 0x20 or code == 0x7F):
        return f"\\x{code:02x}"
    return c


def normalise_serial(raw: bytes) -> str:
    """Serial output as plain, unambiguous text. Only the UART's "\\r\\n" ends
    a transcript line, so a kernel that forgets the "\\r" shows up as "\\x0a".
    Every other control byte, and every byte that is not UTF-8, is written as
    \\xNN; a backslash the kernel sent is written as two."""
    text = raw.decode("utf-8", errors="surrogateescape")
    return "\n".join("".join(map(visible_char, line)) for line in text.split("\r\n"))


def serial_from(raw: bytes, start: str) -> bytes:
    """The serial output from the first `start` text on. Under UEFI the
    firmware and GRUB write to COM1 before the kernel does (screen clears,
    boot manager lines): a boot's serial_from names the kernel's first words,
    and what precedes them is not compared. Without them, nothing is cut, so
    a diff shows the whole output."""
    found = raw.find(start.encode()) if start else -1
    return raw[found:] if found >= 0 else raw


# A kernel address as the kernels' exception reports and backtraces print it
# (chapter 04 on): 16 hex digits, then the symbol that holds it and the offset
# into that symbol, "0x0000000000101231 <kmain+0xe1>". Where the linker puts
# code and data differs from compiler to compiler (gcc, clang, and their
# versions), so the transcripts keep the name and mask both numbers:
# "0x???????????????? <kmain+0x?>". A number printed without a symbol (a
# register's value, a faulting address) is never masked. In a colours
# transcript the offset's length moves the last column of its run, so a run
# that holds a masked address has its last column masked too: "4, 0-?: ...".
KERNEL_ADDRESS = re.compile(r"0x[0-9a-f]{16} <([^<>+\s]+)\+0x[0-9a-f]+>")
COLOUR_RUN_WITH_ADDRESS = re.compile(r"^(\d+, \d+)-\d+(: .*0x\?{16} <)", re.MULTILINE)


def mask_kernel_addresses(text: str) -> str:
    masked = KERNEL_ADDRESS.sub(r"0x???????????????? <\1+0x?>", text)
    return COLOUR_RUN_WITH_ADDRESS.sub(r"\1-?\2", masked)


def transcript_diff(expected: str, actual: str, expected_name: str, actual_name: str) -> str:
    """A unified diff, empty when the two texts are equal."""
    lines = difflib.unified_diff(
        expected.splitlines(), actual.splitlines(), expected_name, actual_name, lineterm=""
    )
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Time values: the one rule that masks output
#
# A kernel with a timer prints values that differ from run to run: uptime,
# tick counts, how long a sleep took. In every output (screen, colors,
# serial), a number written directly before a time unit (ticks, tick, ms or
# s, with or without a space) becomes "#", and the transcript holds the "#":
# "uptime 12.042 s, 12042 ticks" is compared as "uptime # s, # ticks".
# Spaces before the number become one space, so a number right-aligned in a
# field of fixed width masks the same whatever its length. Everything
# around it is compared exactly, and nothing else is masked.
# ---------------------------------------------------------------------------

TIME_VALUE = re.compile(r"( *)\b\d+(?:\.\d+)?(?= ?(?:ticks?|ms|s)\b)")


def mask_time_values(text: str) -> str:
    return TIME_VALUE.sub(lambda match: " #" if match.group(1) else "#", text)


# ---------------------------------------------------------------------------
# QEMU and QMP
# ---------------------------------------------------------------------------


class QemuGone(Exception):
    """QEMU closed its monitor socket: it has exited."""


class Qmp:
    """A minimal QMP client: one command at a time, events collected on the way."""

    def __init__(self, path: str, process: subprocess.Popen, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        while True:
            try:
                self.sock.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if process.poll() is not None:
                    raise QemuGone("QEMU exited before its monitor socket appeared")
                if time.monotonic() > deadline:
                    raise TimeoutError("QEMU's monitor socket did not appear")
                time.sleep(0.05)
        self.sock.settimeout(timeout)
        self.reader = self.sock.makefile("r", encoding="utf-8")
        self.events: List[dict] = []
        self._read()  # the greeting
        self.command("qmp_capabilities")

    def _read(self) -> dict:
        try:
            line = self.reader.readline()
        except (OSError, socket.timeout) as error:
            raise QemuGone(str(error))
        if not line:
            raise QemuGone("monitor socket closed")
        return json.loads(line)

    def command(self, name: str, **arguments):
        message = {"execute": name}
        if arguments:
            message["arguments"] = arguments
        # MSG_NOSIGNAL: a QEMU that exited a moment ago gives EPIPE here.
        # Without it, the SIGPIPE that main() leaves at its default for
        # `| head` would kill the whole run.
        no_sigpipe = getattr(socket, "MSG_NOSIGNAL", 0)
        try:
            self.sock.sendall(json.dumps(message).encode() + b"\n", no_sigpipe)
        except OSError as error:
            raise QemuGone(str(error))
        while True:
            reply = self._read()
            if "event" in reply:
                self.events.append(reply)
            elif "error" in reply:
                raise RuntimeError(f"QMP {name}: {reply['error'].get('desc')}")
            elif "return" in reply:
                return reply["return"]

    def hmp(self, command_line: str) -> str:
        return self.command("human-monitor-command", **{"command-line": command_line})

    def close(self) -> None:
        self.sock.close()


def halted_for_good(registers: str) -> Optional[str]:
    """The RIP when `info registers` shows HLT=1 with RFLAGS.IF (bit 9) clear:
    the CPU is stopped and no interrupt can wake it. None otherwise."""
    flags = re.search(r"\b[RE]FL=([0-9a-f]+)", registers)
    halted = re.search(r"\bHLT=1\b", registers)
    rip = re.search(r"\b[RE]IP=([0-9a-f]+)", registers)
    if flags and halted and rip and not int(flags.group(1), 16) & 0x200:
        return rip.group(1)
    return None


@dataclass
class End:
    """How a boot ended: "exit" (QEMU exited with status), "halt",
    "triple-fault", "reset" (any other), "shutdown" or "timeout"."""

    how: str
    status: Optional[int] = None

    def describe(self) -> str:
        if self.how == "exit":
            if self.status == EXIT_SUCCESS:
                return "the kernel exited QEMU with success (status 33)"
            if self.status == EXIT_FAILURE:
                return "the kernel exited QEMU with failure (status 35)"
            return f"QEMU exited with status {self.status}"
        return {
            "halt": "the kernel halted with interrupts off",
            "triple-fault": "the CPU triple-faulted and reset the machine",
            "reset": "the machine reset: a triple fault (or a reset request)",
            "shutdown": "the guest powered the machine off",
            "timeout": "timed out: the kernel neither halted nor exited",
        }[self.how]

    def satisfies(self, wanted: str) -> bool:
        if wanted == "success":
            return self.how == "exit" and self.status == EXIT_SUCCESS
        if wanted == "failure":
            return self.how == "exit" and self.status == EXIT_FAILURE
        return self.how == wanted


@dataclass
class Capture:
    end: End
    screen: Optional[bytes] = None
    offscreen_write: Optional[int] = None  # address of a cell past the 80x25 that changed
    serial: bytes = b""
    stderr: str = ""
    input_error: Optional[str] = None  # why the boot's keys could not all be typed
    registers: str = ""  # `info registers` after a reset: where the CPU gave up


def reset_cause(qemu_log: str) -> str:
    """"triple-fault" when QEMU's reset log (-d cpu_reset) says so, else
    "reset". QEMU logs it only when it emulates the CPU (TCG): under KVM the
    processor resets itself and a triple fault looks like any other reset."""
    return "triple-fault" if "Triple fault" in qemu_log.splitlines() else "reset"


def where_it_stopped(registers: str) -> Optional[str]:
    """RIP, RSP and CR2 from `info registers`, or None if they are not there."""
    values = [re.search(rf"\b{name}=([0-9a-f]+)", registers) for name in ("RIP", "RSP", "CR2")]
    if not all(values):
        return None
    return " ".join(f"{name}={value.group(1)}" for name, value in zip(("RIP", "RSP", "CR2"), values))


def qemu_flags(chapter: Chapter, target: str = "qemu-flags", firmware: str = "bios") -> List[str]:
    """The chapter's machine, from common/kernel.mk, so tests boot what `make run` boots."""
    out = subprocess.run(
        ["make", "-s", "--no-print-directory", "-C", str(chapter.path), target, f"FIRMWARE={firmware}"],
        capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode != 0:
        raise ConfigError(f"make {target} FIRMWARE={firmware} failed: {out.stderr.strip()}")
    return shlex.split(out.stdout)


def machine_flags(boot: Boot, options) -> List[str]:
    """QEMU's flags for a boot: its chapter's machine and accelerator, and
    for a UEFI boot the firmware that kernel.mk's FIRMWARE=uefi adds."""
    flags = options.qemu_flags[boot.chapter.name]
    if boot.firmware == "bios":
        return flags
    return flags + qemu_flags(boot.chapter, "firmware-flags", boot.firmware)


# Every child this run started and has not reaped yet. A run that ends early
# (Ctrl-C, kill, a CI job's timeout) stops them first: a QEMU left behind
# would run on, unseen, until someone notices it in `ps`.
LIVE_CHILDREN: Dict[int, subprocess.Popen] = {}
LIVE_GROUPS: Dict[int, subprocess.Popen] = {}  # own session: signalled as a group
LIVE_LOCK = threading.Lock()


def track_child(process: subprocess.Popen, group: bool = False) -> None:
    with LIVE_LOCK:
        (LIVE_GROUPS if group else LIVE_CHILDREN)[process.pid] = process


def forget_child(process: subprocess.Popen) -> None:
    with LIVE_LOCK:
        LIVE_CHILDREN.pop(process.pid, None)
        LIVE_GROUPS.pop(process.pid, None)


def stop_live_children() -> int:
    """Kill every tracked child; TERM to a group, so make debug's trap stops its QEMU."""
    with LIVE_LOCK:
        children, groups = list(LIVE_CHILDREN.values()), list(LIVE_GROUPS.values())
    for process in children:
        if process.poll() is None:
            process.kill()
    for process in groups:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    return len(children) + len(groups)


def end_run_on_signal(signum: int, _frame) -> None:
    count = stop_live_children()
    print(f"\ntest-runner.py: stopped by {signal.Signals(signum).name}; "
          f"killed {count} child process{'es' if count != 1 else ''}", file=sys.stderr)  # fmt: skip
    os._exit(128 + signum)


class Machine:
    """One QEMU process with no display, its QMP socket and its serial log."""

    def __init__(self, iso: Path, flags: List[str], workdir: Path):
        self.qmp_path = str(workdir / "qmp.sock")
        self.serial_path = workdir / "serial.log"
        self.stderr_path = workdir / "qemu.stderr"
        self.log_path = workdir / "qemu.log"  # QEMU writes "Triple fault" here (TCG only)
        self.command = [QEMU, *flags, "-display", "none", "-monitor", "none",
                        "-qmp", f"unix:{self.qmp_path},server=on,wait=off", "-cdrom", str(iso),
                        "-d", "cpu_reset", "-D", str(self.log_path)]  # fmt: skip
        if "-serial" not in flags:  # a boot may replace COM1, e.g. with -serial none
            self.command += ["-serial", f"file:{self.serial_path}"]
        self.process: Optional[subprocess.Popen] = None
        self.qmp: Optional[Qmp] = None

    def start(self) -> None:
        self.stderr = open(self.stderr_path, "w")
        self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL,
                                        stdout=self.stderr, stderr=self.stderr)  # fmt: skip
        track_child(self.process)
        self.qmp = Qmp(self.qmp_path, self.process)

    def wait_for_end(self, timeout: float) -> End:
        deadline = time.monotonic() + timeout
        last_halt = None
        while True:
            if self.process.poll() is not None:
                return End("exit", self.process.returncode)
            try:
                registers = self.qmp.hmp("info registers")
            except QemuGone:
                return End("exit", self.wait_exit())
            for event in self.qmp.events:
                if event["event"] == "SHUTDOWN":
                    reason = event.get("data", {}).get("reason", "")
                    return End("reset" if reason == "guest-reset" else "shutdown")
            halt = halted_for_good(registers)
            if halt is not None and halt == last_halt:  # two polls in a row: stays halted
                return End("halt")
            last_halt = halt
            if time.monotonic() > deadline:
                return End("timeout")
            time.sleep(POLL_INTERVAL)

    def wait_exit(self) -> int:
        try:
            return self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return -1

    def read_text_window(self, workdir: Path) -> bytes:
        """The 32 KiB of text-mode memory: the visible screen, then the rest."""
        dump = workdir / "vga.bin"
        self.qmp.command("pmemsave", val=0xB8000, size=TEXT_WINDOW_BYTES, filename=str(dump))
        return dump.read_bytes()

    def screendump(self, ppm: Path) -> None:
        self.qmp.command("screendump", filename=str(ppm))

    def key_event(self, key: str, down: bool) -> None:
        """One key going down (its make code) or up (its break code), at once."""
        event = {"type": "key", "data": {"down": down, "key": {"type": "qcode", "data": key}}}
        self.qmp.command("input-send-event", events=[event])

    def wait_for_serial(self, text: str, start: int, deadline: float) -> int:
        """Wait until the serial output from byte `start` on contains text;
        returns the offset just past it."""
        needle = text.encode()
        while True:
            output = self.serial_path.read_bytes() if self.serial_path.exists() else b""
            found = output.find(needle, start)
            if found >= 0:
                return found + len(needle)
            if self.process.poll() is not None:
                raise KeyInputError(f"QEMU exited before the kernel printed {text!r}")
            if time.monotonic() > deadline:
                raise KeyInputError(f"keys: the kernel never printed {text!r}, so the keys after "
                                    "until: were not typed")  # fmt: skip
            time.sleep(POLL_INTERVAL / 4)

    def wait_for_screen(self, text: str, deadline: float) -> None:
        """Wait until the VGA text screen shows text (on one row; blanks count)."""
        while True:
            rows = screen_cells(self.read_text_window(self.serial_path.parent)[:SCREEN_BYTES])
            if any(text in "".join(c for c, _ in row) for row in rows):
                return
            if self.process.poll() is not None:
                raise KeyInputError(f"QEMU exited before the screen showed {text!r}")
            if time.monotonic() > deadline:
                raise KeyInputError(f"keys: the screen never showed {text!r}, so the keys after "
                                    "screen: were not typed")  # fmt: skip
            time.sleep(POLL_INTERVAL / 4)

    def stop(self) -> None:
        """Pause the CPU so the screen and serial output are read at one instant."""
        self.qmp.command("stop")

    def kill(self) -> None:
        if self.qmp:
            self.qmp.close()
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.process:
            forget_child(self.process)
            self.stderr.close()


def has_text_screen(boot: Boot) -> bool:
    """Under UEFI the display is a graphical framebuffer: 0xB8000 holds no screen to read."""
    return boot.firmware != "uefi"


def boot_and_capture(boot: Boot, flags: List[str], screenshot: Optional[Path]) -> Capture:
    iso = boot.chapter.path / "build" / f"{boot.image}.iso"
    if not iso.exists():
        raise FileNotFoundError(f"{iso.relative_to(ROOT)} was not built: is image = {boot.image} right?")
    with tempfile.TemporaryDirectory(prefix="kboot-") as tmp:
        workdir = Path(tmp)
        machine = Machine(iso, flags + boot.qemu_args, workdir)
        try:
            machine.start()
            deadline = time.monotonic() + boot.timeout
            input_error = None
            try:
                type_keys(machine, boot.keys, deadline)
            except KeyInputError as error:
                input_error = str(error)
            end = machine.wait_for_end(max(0.0, deadline - time.monotonic()))
            capture = Capture(end, input_error=input_error)
            if end.how == "reset":
                capture.registers = machine.qmp.hmp("info registers")
            if end.how != "exit" and has_text_screen(boot):
                machine.stop()
                window = machine.read_text_window(workdir)
                capture.screen = window[:SCREEN_BYTES]
                capture.offscreen_write = first_offscreen_write(window)
                if screenshot:
                    ppm = workdir / "screen.ppm"
                    machine.screendump(ppm)
                    write_png(screenshot, *read_ppm(ppm.read_bytes()))
        except QemuGone:
            capture = Capture(End("exit", machine.wait_exit()))
        finally:
            machine.kill()
        if machine.serial_path.exists():
            capture.serial = machine.serial_path.read_bytes()
        capture.stderr = machine.stderr_path.read_text(errors="replace")
        if capture.end.how == "reset" and machine.log_path.exists():
            capture.end = End(reset_cause(machine.log_path.read_text(errors="replace")))
        return capture


# ---------------------------------------------------------------------------
# Keyboard input: a boot's `keys`, typed on QEMU's PS/2 keyboard through QMP
#
#   keys = until:'> ' type:help ret shift+a kp_enter ctrl_r+c a*30 wait:0.5
#
#   KEY          press and release one key, by QEMU's name for it (its "qcode":
#                a, 1, ret, spc, backspace, shift, ctrl_r, up, kp_enter, print, pause ...)
#   KEY+KEY      a chord: press in order, release in reverse (shift+a, ctrl_r+c)
#   KEY*N        hold a key: N make codes, as a keyboard repeats a held key, then one break
#   type:TEXT    press what types TEXT on a US keyboard, Shift where needed
#   wait:SECONDS do nothing for a while
#   until:TEXT   wait for TEXT in the serial output, after what the last until: found
#   screen:TEXT  wait for TEXT on the VGA screen (for a machine without a serial port)
#
# The value is split like a shell line: quote text with spaces (type:'a b').
# Every key event goes to QEMU on its own (QMP's input-send-event), one every
# KEY_EVENT_INTERVAL; QEMU's keyboard holds 16 bytes the kernel has not read
# yet, a few dozen events' worth. (QMP's send-key would queue the events in
# QEMU instead, but that queue takes about 50 entries and drops the rest
# without a word when QEMU is slower to send them than we are to add them.)
# ---------------------------------------------------------------------------

# QEMU's names for the keys of a PC keyboard (QAPI's QKeyCode).
QCODES = frozenset("""
    esc f1 f2 f3 f4 f5 f6 f7 f8 f9 f10 f11 f12 print sysrq scroll_lock pause
    grave_accent 1 2 3 4 5 6 7 8 9 0 minus equal backspace
    tab q w e r t y u i o p bracket_left bracket_right backslash
    caps_lock a s d f g h j k l semicolon apostrophe ret
    shift less z x c v b n m comma dot slash shift_r
    ctrl meta_l alt spc alt_r meta_r menu ctrl_r
    insert delete home end pgup pgdn up down left right
    num_lock kp_divide kp_multiply kp_subtract kp_add kp_enter kp_decimal
    kp_0 kp_1 kp_2 kp_3 kp_4 kp_5 kp_6 kp_7 kp_8 kp_9
""".split())  # fmt: skip

# Names people try first, and QEMU's for the same key.
QCODE_HINTS = {"enter": "ret", "return": "ret", "space": "spc", "escape": "esc",
               "control": "ctrl", "lctrl": "ctrl", "rctrl": "ctrl_r", "lshift": "shift",
               "rshift": "shift_r", "lalt": "alt", "ralt": "alt_r", "altgr": "alt_r",
               "del": "delete", "ins": "insert", "pageup": "pgup", "pagedown": "pgdn",
               "printscreen": "print", "prtsc": "print", "capslock": "caps_lock",
               "period": "dot", "backtick": "grave_accent", "quote": "apostrophe"}  # fmt: skip

# type:TEXT on a US layout: the key for each character without Shift ...
US_PLAIN = {" ": "spc", "`": "grave_accent", "-": "minus", "=": "equal", "[": "bracket_left",
            "]": "bracket_right", "\\": "backslash", ";": "semicolon", "'": "apostrophe",
            ",": "comma", ".": "dot", "/": "slash", "\n": "ret", "\t": "tab"}  # fmt: skip
# ... and the unshifted character whose key types each shifted one.
US_SHIFTED = dict(zip('~!@#$%^&*()_+{}|:"<>?', "`1234567890-=[]\\;',./"))

KEY_EVENT_INTERVAL = 0.030  # between two key events: still faster than anyone types
TYPEMATIC_INTERVAL = 0.033  # a held key repeats about 30 times a second


class KeyInputError(Exception):
    """The keys could not all be typed: the kernel never printed what until: waits for."""


@dataclass(frozen=True)
class KeyStep:
    action: str  # "press" (a key or a chord), "hold", "wait", "until" or "screen"
    keys: Tuple[str, ...] = ()
    repeats: int = 0  # hold: make codes before the one break code
    seconds: float = 0.0  # wait
    text: str = ""  # until, screen


def parse_keys(text: str) -> List[KeyStep]:
    """A boot's `keys` value as steps; ValueError names the first mistake."""
    try:
        words = shlex.split(text)
    except ValueError as error:
        raise ValueError(f"{error} (quote text with spaces like this: type:'two words')")
    steps: List[KeyStep] = []
    for word in words:
        steps += parse_key_word(word)
    return steps


def parse_key_word(word: str) -> List[KeyStep]:
    action, colon, argument = word.partition(":")
    if not colon:
        return [parse_key_press(word)]
    if action in ("type", "until", "screen") and not argument:
        raise ValueError(f"{word!r}: {action}: needs text, e.g. {action}:help")
    if action == "type":
        return [KeyStep("press", keys_for_character(c)) for c in argument]
    if action in ("until", "screen"):
        return [KeyStep(action, text=argument)]
    if action == "wait":
        try:
            seconds = float(argument)
        except ValueError:
            seconds = -1.0
        if 0 < seconds <= 60:
            return [KeyStep("wait", seconds=seconds)]
        raise ValueError(f"{word!r}: wait: takes a number of seconds, more than 0 and at most 60")
    raise ValueError(f"{word!r} is none of KEY, KEY+KEY, KEY*N, type:TEXT, wait:SECONDS, until:TEXT, "
                     "screen:TEXT")  # fmt: skip


def parse_key_press(word: str) -> KeyStep:
    name, star, count = word.partition("*")
    if star:
        if not count.isdigit() or not 2 <= int(count) <= 200:
            raise ValueError(f"{word!r}: hold a key 2 to 200 times, e.g. a*30")
        if "+" in name:
            raise ValueError(f"{word!r}: only a single key can be held, not a chord")
        return KeyStep("hold", (known_qcode(name),), repeats=int(count))
    return KeyStep("press", tuple(known_qcode(key) for key in word.split("+")))


def known_qcode(name: str) -> str:
    if name in QCODES:
        return name
    hint = QCODE_HINTS.get(name.lower()) or next(iter(difflib.get_close_matches(name, QCODES, 1)), None)
    suggestion = f"; did you mean {hint!r}?" if hint else ""
    raise ValueError(f"unknown key {name!r}{suggestion} (keys are QEMU's qcodes: a, ret, spc, "
                     "shift, ctrl_r, up, kp_enter ...)")  # fmt: skip


def keys_for_character(c: str) -> Tuple[str, ...]:
    if c.isascii() and (c.islower() or c.isdigit()):
        return (c,)
    if c.isascii() and c.isupper():
        return ("shift", c.lower())
    if c in US_PLAIN:
        return (US_PLAIN[c],)
    if c in US_SHIFTED:
        return ("shift",) + keys_for_character(US_SHIFTED[c])
    raise ValueError(f"type: cannot type {c!r} on a US keyboard")


def type_keys(machine: "Machine", steps: List[KeyStep], deadline: float) -> None:
    """Carry out a boot's key steps in order."""
    serial_seen = 0  # serial output already matched by an until:
    for step in steps:
        if step.action == "press":
            for key in step.keys:
                machine.key_event(key, down=True)
                time.sleep(KEY_EVENT_INTERVAL)
            for key in reversed(step.keys):
                machine.key_event(key, down=False)
                time.sleep(KEY_EVENT_INTERVAL)
        elif step.action == "hold":
            for _ in range(step.repeats):
                machine.key_event(step.keys[0], down=True)
                time.sleep(TYPEMATIC_INTERVAL)
            machine.key_event(step.keys[0], down=False)
            time.sleep(KEY_EVENT_INTERVAL)
        elif step.action == "wait":
            time.sleep(step.seconds)
        elif step.action == "screen":
            machine.wait_for_screen(step.text, deadline)
        else:
            serial_seen = machine.wait_for_serial(step.text, serial_seen, deadline)


# ---------------------------------------------------------------------------
# Screenshots: QEMU writes PPM; the docs want PNG
# ---------------------------------------------------------------------------


def read_ppm(data: bytes):
    """Width, height and RGB bytes of a binary (P6) PPM image."""
    match = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    if not match or match.group(3) != b"255":
        raise ValueError("not an 8-bit binary PPM image")
    width, height = int(match.group(1)), int(match.group(2))
    pixels = data[match.end() : match.end() + width * height * 3]
    return width, height, pixels


def write_png(path: Path, width: int, height: int, rgb: bytes) -> None:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    stride = width * 3
    rows = b"".join(b"\0" + rgb[y * stride : (y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))  # fmt: skip


# ---------------------------------------------------------------------------
# KTAP: the test kernels' and host tests' result format
# ---------------------------------------------------------------------------


@dataclass
class KtapSummary:
    planned: Optional[int] = None
    passed: List[str] = field(default_factory=list)
    failed: List[str] = field(default_factory=list)
    diagnostics: Dict[str, List[str]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """A plan was printed and every planned test has a result."""
        return bool(self.planned) and len(self.passed) + len(self.failed) == self.planned

    def describe_failures(self) -> List[str]:
        lines = []
        if self.planned is None:
            lines.append("no KTAP output (no '1..N' plan line): the tests never reported")
        elif not self.complete:
            lines.append(f"KTAP: {self.planned} tests planned, "
                         f"{len(self.passed) + len(self.failed)} reported")  # fmt: skip
        for name in self.failed:
            where = "; ".join(self.diagnostics.get(name, [])) or "no diagnostic"
            lines.append(f"failed test {name}: {where}")
        return lines


def ktap_summary(text: str) -> KtapSummary:
    """Read the top-level results of KTAP output; "# " lines before a
    result are that test's diagnostics (file:line: what went wrong)."""
    summary = KtapSummary()
    pending: List[str] = []
    for line in text.splitlines():
        plan = re.match(r"^1\.\.(\d+)$", line)
        result = re.match(r"^(ok|not ok) \d+ (\S+)", line)
        if plan:
            summary.planned = int(plan.group(1))
        elif result:
            name = result.group(2)
            (summary.passed if result.group(1) == "ok" else summary.failed).append(name)
            summary.diagnostics[name] = pending
            pending = []
        elif line.startswith("# ") and not line.startswith("# Totals"):
            pending.append(line[2:])
    return summary


# ---------------------------------------------------------------------------
# Judging a boot
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# The make debug check
# ---------------------------------------------------------------------------

GDB_TIMEOUT = 90.0
BUILD_TIMEOUT = 300.0
# The backtrace must be exactly kmain, called from boot.S's long_mode_start.
GDB_BACKTRACE = re.compile(
    r"^#0\s+kmain \(.*\n#1\s+0x[0-9a-f]+ in long_mode_start \(\)[^\n]*\n(?!#2)", re.MULTILINE
)


def run_gdb_boot(boot: Boot, options) -> Result:
    """Run the chapter's real `make debug` with gdb in batch mode: it must stop
    at kmain (a hardware breakpoint) and print a backtrace."""
    flags = " ".join(machine_flags(boot, options))  # the same machine, --kvm included
    with tempfile.TemporaryDirectory(prefix="kgdb-") as tmp:
        # A socket of its own: parallel checks can never attach to each other's QEMU.
        command = ["make", "-s", "--no-print-directory", "-C", str(boot.chapter.path), "debug",
                   f"GDB_SOCKET={tmp}/gdb.sock", "DEBUG_DISPLAY=-display none",
                   f"QEMU_FLAGS={flags}", "GDB_ARGS=-batch -ex bt"]  # fmt: skip
        output, status = run_with_timeout(command, GDB_TIMEOUT)
    result = Result(boot.id, ok=False)
    if status is None:
        result.details.append(f"gdb did not stop at kmain within {GDB_TIMEOUT:.0f}s")
    elif not GDB_BACKTRACE.search(output):
        result.details.append("gdb's backtrace is not kmain called from long_mode_start")
    else:
        result.ok = True
    if not result.ok or options.verbose:
        result.details.append("make debug printed:\n" + indent(output))
    return result


def run_with_timeout(command: List[str], timeout: float):
    """Run a command in its own process group and return (output, exit status);
    the status is None when the timeout killed the whole group."""
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)  # fmt: skip
    track_child(process, group=True)
    try:
        output, _ = process.communicate(timeout=timeout)
        return output, process.returncode
    except subprocess.TimeoutExpired:
        # TERM first: make debug's shell traps it and stops its QEMU, which
        # runs in a session of its own and would outlive a KILL of the group.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            output, _ = process.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
        return output, None
    finally:
        forget_child(process)


# ---------------------------------------------------------------------------
# What a chapter changed, and what its docs page says it changed
# ---------------------------------------------------------------------------

IGNORED_DIRS = {"build", "__pycache__"}


def chapter_files(chapter: Chapter) -> Dict[str, bytes]:
    """Every file of the chapter (build outputs aside) by its path inside the chapter."""
    files = {}
    for path in sorted(chapter.path.rglob("*")):
        relative = path.relative_to(chapter.path)
        if path.is_file() and not IGNORED_DIRS & set(relative.parts):
            files[relative.as_posix()] = path.read_bytes()
    return files


def changed_files(before: Dict[str, bytes], after: Dict[str, bytes]) -> Dict[str, str]:
    """Path -> "new", "changed" or "removed" for every file that differs."""
    changes = {}
    for path in sorted(set(before) | set(after)):
        if path not in before:
            changes[path] = "new"
        elif path not in after:
            changes[path] = "removed"
        elif before[path] != after[path]:
            changes[path] = "changed"
    return changes


def previous_chapter(chapter: Chapter) -> Optional[Chapter]:
    earlier = [c for c in find_chapters(chapter.path.parent) if c.number < chapter.number]
    return earlier[-1] if earlier else None


def chapter_changes(chapter: Chapter) -> Dict[str, str]:
    previous = previous_chapter(chapter)
    before = chapter_files(previous) if previous else {}
    return changed_files(before, chapter_files(chapter))


def documented_files(page: str) -> Optional[List[tuple]]:
    """(path, label) for each bullet under "## Files changed": the path in
    backticks first, then (new), (changed) or (removed):
    "- `kmain.c` (changed): ...". None without such a section."""
    match = re.search(r"^## Files changed[^\n]*\n(.*?)(?=^## |\Z)", page, re.MULTILINE | re.DOTALL)
    if not match:
        return None
    return re.findall(r"^[-*] `([^`]+)`(?: \((new|changed|removed)\))?", match.group(1), re.MULTILINE)


def check_files_changed(changes: Dict[str, str], documented: Optional[List[tuple]]) -> List[str]:
    if documented is None:
        return ['the page has no "## Files changed" section']
    labels = dict(documented)
    problems = []
    for path in sorted(set(changes) - set(labels)):
        problems.append(f"{path} is {changes[path]} but not listed under Files changed")
    for path in sorted(set(labels) - set(changes)):
        problems.append(f"{path} is listed under Files changed but did not change")
    for path in sorted(set(labels) & set(changes)):
        if labels[path] != changes[path]:
            found = f"({labels[path]})" if labels[path] else "no (new/changed/removed) label"
            problems.append(f"{path} is {changes[path]}, but the page says {found}")
    return problems


def print_chapter_diff(chapter: Chapter) -> None:
    """`make chapter-N diff`: a unified diff against the previous chapter."""
    previous = previous_chapter(chapter)
    before = chapter_files(previous) if previous else {}
    after = chapter_files(chapter)
    old_name = previous.name if previous else "(nothing)"
    for path, change in changed_files(before, after).items():
        old = before.get(path, b"").decode("utf-8", errors="replace").splitlines()
        new = after.get(path, b"").decode("utf-8", errors="replace").splitlines()
        print(f"==== {path} ({change})")
        for line in difflib.unified_diff(old, new, f"{old_name}/{path}", f"{chapter.name}/{path}",
                                         lineterm=""):  # fmt: skip
            print(line)


# ---------------------------------------------------------------------------
# Code excerpts in the docs
# ---------------------------------------------------------------------------

# A fenced block that quotes a file has a caption line of exactly this
# form directly above its opening fence, or with one blank line between:
#
#     From `chapters/03-testing/serial.c`:
#
# Inside, a line that is only "..." marks elided lines. Every other line is
# in the file verbatim (trailing whitespace aside), each run between "..."
# lines as consecutive lines of the file, the runs in file order. Blocks
# without a caption are not checked.
CAPTION = re.compile(r"^\s*From `([^`]+)`:\s*$")
FENCE = re.compile(r"^( *)(`{3,}|~{3,})")
ELISION = "..."


@dataclass
class Excerpt:
    path: str  # the file the caption names, relative to the repository root
    line: int  # the page's line of the opening fence
    lines: List[str]  # the block's lines, without the fence's indentation
    closed: bool = True


def caption_above(lines: List[str], fence: int) -> Optional[str]:
    """The path a caption names, directly above lines[fence] or one blank line higher."""
    above = lines[max(fence - 2, 0) : fence]
    if above and CAPTION.match(above[-1]):
        return CAPTION.match(above[-1]).group(1)
    if len(above) == 2 and not above[1].strip() and CAPTION.match(above[0]):
        return CAPTION.match(above[0]).group(1)
    return None


def page_excerpts(page: str) -> List[Excerpt]:
    """Every captioned fenced block of a Markdown page. Uncaptioned blocks are
    skipped whole, so nothing inside them is taken for a caption or a fence."""
    lines = page.splitlines()
    excerpts = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        indent, fence = opening.groups()
        closing = re.compile(rf"^ *{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        end = next((i for i in range(index + 1, len(lines)) if closing.match(lines[i])), len(lines))
        path = caption_above(lines, index)
        if path is not None:
            body = [strip_indent(line, len(indent)) for line in lines[index + 1 : end]]
            excerpts.append(Excerpt(path, index + 1, body, closed=end < len(lines)))
        index = end + 1
    return excerpts


def strip_indent(line: str, width: int) -> str:
    """A block's line without its fence's indentation (a block inside a list item)."""
    return line[min(width, len(line) - len(line.lstrip(" "))) :]


def excerpt_runs(block: List[str]) -> List[List[tuple]]:
    """The block's runs of (index in block, line) between "..." lines."""
    runs: List[List[tuple]] = [[]]
    for index, line in enumerate(block):
        if line.strip() == ELISION:
            runs.append([])
        else:
            runs[-1].append((index, line.rstrip()))
    return [run for run in runs if run]


def find_run(run: List[tuple], source: List[str], start: int) -> Optional[int]:
    """The first line of source, at start or later, where run's lines follow one another."""
    texts = [text for _, text in run]
    for first in range(start, len(source) - len(texts) + 1):
        if source[first : first + len(texts)] == texts:
            return first
    return None


def explain_mismatch(run: List[tuple], source: List[str], start: int) -> tuple:
    """(index in block, why) for the first line of a run that cannot be matched:
    the run's longest prefix found at start or later tells where it goes wrong."""
    best_first, best_length = start, 0
    for first in range(start, len(source)):
        length = 0
        while length < len(run) and source[first + length : first + length + 1] == [run[length][1]]:
            length += 1
        if length > best_length:
            best_first, best_length = first, length
    index, text = run[best_length]
    if best_length == 0:
        if text in source[:start]:
            return index, f"is in the file only before the lines above it (runs go in order): {quoted(text)}"
        return index, f"is not in the file: {quoted(text)}"
    at = best_first + best_length
    if at == len(source):
        return index, f"would come after the end of the file: {quoted(text)}"
    found = f"{quoted(text)} in the page, {quoted(source[at])} in the file"
    return index, f"does not match line {at + 1} of the file: {found}"


def quoted(line: str) -> str:
    return f"`{line}`" if line.strip() else "an empty line"


def excerpt_mismatch(block: List[str], source: List[str]) -> Optional[tuple]:
    """None when the block matches its file; else (index in block of the first
    line that does not match, why). Runs are matched at their earliest place
    after the previous run, which leaves the most room for the runs after it."""
    source = [line.rstrip() for line in source]
    position = 0
    for run in excerpt_runs(block):
        first = find_run(run, source, position)
        if first is None:
            return explain_mismatch(run, source, position)
        position = first + len(run)
    return None


def check_excerpt(page_name: str, excerpt: Excerpt, root: Path) -> Optional[str]:
    """One line naming the page, the block's line, the file and what is wrong; None if it matches."""
    where = f"{page_name}:{excerpt.line}: excerpt from {excerpt.path}"
    source = (root / excerpt.path).resolve()
    if not excerpt.closed:
        return f"{where}: the block has no closing fence"
    if root.resolve() not in source.parents or not source.is_file():
        return f"{where}: no such file in the repository"
    if not excerpt_runs(excerpt.lines):
        return f"{where}: the block quotes no lines"
    mismatch = excerpt_mismatch(excerpt.lines, source.read_text(encoding="utf-8", errors="replace").splitlines())
    if mismatch is None:
        return None
    index, why = mismatch
    return f"{where}: line {excerpt.line + 1 + index} {why}"


def check_page_excerpts(page: Path, root: Path = ROOT) -> List[str]:
    """Every problem with the captioned excerpts of one page."""
    name = shown_path(page)
    problems = [check_excerpt(name, e, root) for e in page_excerpts(page.read_text(encoding="utf-8"))]
    return [p for p in problems if p]


# ---------------------------------------------------------------------------
# The docs checks: each chapter's page, and the shared pages
# ---------------------------------------------------------------------------


def check_chapter_page(chapter: Chapter, page: Path) -> List[str]:
    """A chapter's page lists exactly the files that changed, and its excerpts match the code."""
    if not page.exists():
        return [f"{shown_path(page)} does not exist"]
    problems = check_files_changed(chapter_changes(chapter), documented_files(page.read_text(encoding="utf-8")))
    return [f"{shown_path(page)}: {p}" for p in problems] + check_page_excerpts(page)


def run_docs_boot(boot: Boot, options) -> Result:
    problems = check_chapter_page(boot.chapter, ROOT / "docs" / f"{boot.chapter.name}.md")
    return Result(boot.id, ok=not problems, details=problems)


def shared_pages(root: Path = ROOT) -> List[Path]:
    """README.md and every page under docs/ that is not a chapter's page."""
    chapter_pages = {root / "docs" / f"{c.name}.md" for c in find_chapters(root / "chapters")}
    pages = sorted(p for p in (root / "docs").rglob("*.md") if p not in chapter_pages)
    return [p for p in [root / "README.md"] if p.exists()] + pages


def run_shared_docs(boot: Boot, options) -> Result:
    """The excerpts of the pages no chapter owns (README.md, docs/harness.md ...)."""
    problems = [p for page in shared_pages() for p in check_page_excerpts(page)]
    return Result(boot.id, ok=not problems, details=problems)


# ---------------------------------------------------------------------------
# Building and running
# ---------------------------------------------------------------------------


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


SHARED_DOCS = Boot(chapter=None, name="shared/docs", kind="shared-docs")


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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
