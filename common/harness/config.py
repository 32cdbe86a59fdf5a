"""Where the repository is, the numbers every part of the harness shares,
and ConfigError, the one exception that means "the reader asked for
something impossible" (exit status 2, one line, no traceback).
"""

from pathlib import Path


# common/harness/config.py: the repository root is two directories up.
ROOT = Path(__file__).resolve().parents[2]
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
