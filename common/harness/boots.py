"""Chapters and their boots: the chapters/NN-name directories, each
chapter's boots.ini read into Boot objects (every mistake one ConfigError
line naming file, line and section), and choosing chapters by number or name.
"""

import configparser
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from .config import CHAPTERS_DIR, CHECKS, DEFAULT_TIMEOUT, END_STATES, FIRMWARES, ROOT, ConfigError
from .keyboard import KeyStep, parse_keys


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
    keys: List[KeyStep] = field(default_factory=list)  # typed once QEMU has started
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
