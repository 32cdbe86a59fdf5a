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
common/harness/keyboard.py), and time values and kernel addresses in its
output are masked (common/harness/masks.py).

This file is the entry point; the harness is the package common/harness/,
one module per part (its __init__.py lists them).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "common"))

from harness.cli import main  # noqa: E402  (needs common/ on the path)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
