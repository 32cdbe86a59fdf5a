"""The two rules that mask output which legitimately varies from run to run
or from compiler to compiler: kernel addresses and time values. They apply
to every transcript (screen, colors, serial); there is no other.
"""

import re


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


# Time values (chapter 06 on): a kernel with a timer prints values that
# differ from run to run: uptime, tick counts, how long a sleep took. In every
# output (screen, colors, serial), a number written directly before a time
# unit (ticks, tick, ms or s, with or without a space) becomes "#", and the
# transcript holds the "#": "uptime 12.042 s, 12042 ticks" is compared as
# "uptime # s, # ticks". Spaces before the number become one space, so a
# number right-aligned in a field of fixed width masks the same whatever its
# length. Everything around it is compared exactly, and nothing else is masked.
TIME_VALUE = re.compile(r"( *)\b\d+(?:\.\d+)?(?= ?(?:ticks?|ms|s)\b)")


def mask_time_values(text: str) -> str:
    return TIME_VALUE.sub(lambda match: " #" if match.group(1) else "#", text)
