"""QEMU and QMP: one boot's machine. Start QEMU with no display, watch it
through QMP (QEMU's JSON monitor socket) until the kernel halts, exits,
resets or times out, type its keys, read the screen, and capture it all.
"""

import json
import re
import shlex
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

from .boots import Boot, Chapter
from .config import EXIT_FAILURE, EXIT_SUCCESS, POLL_INTERVAL, QEMU, ROOT, ConfigError
from .keyboard import KeyInputError, type_keys
from .processes import forget_child, track_child
from .screen import SCREEN_BYTES, TEXT_WINDOW_BYTES, first_offscreen_write, screen_cells
from .screenshots import read_ppm, write_png


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
