"""The make debug check: the chapter's real `make debug`, with gdb in batch
mode, must stop at kmain and show it called from boot.S's long_mode_start.
"""

import re
import tempfile

from .boots import Boot
from .judging import Result, indent
from .processes import run_with_timeout
from .qemu import machine_flags


GDB_TIMEOUT = 90.0
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
