# common/kernel.gdb: run by `make debug` after gdb has connected to QEMU.
#
# A hardware breakpoint (hbreak) is the one that works here. QEMU starts in
# 16-bit real mode, runs the BIOS and GRUB, and only then loads our kernel:
# a software breakpoint writes an int3 into memory that GRUB later
# overwrites with the kernel itself (under KVM), and it can be set before
# the code exists. A hardware breakpoint is an address in a debug register
# (DR0-DR3, Intel SDM Vol. 3B, 19.2) that the CPU compares on every
# instruction fetch, whatever mode it is in and whatever memory holds.
set pagination off
set confirm off
hbreak kmain
continue
# Stopped in kmain: the CPU is in 64-bit mode now, matching the symbols.
