/*
 * qemu.h: leave QEMU with an exit status, through its isa-debug-exit device
 * (-device isa-debug-exit,iobase=0xf4,iosize=0x04, see common/kernel.mk).
 * A write of v makes QEMU exit with status (v << 1) | 1: 33 for success and
 * 35 for failure. Neither 0 nor 1 can be produced, so neither a clean QEMU
 * shutdown nor a QEMU error (status 1) looks like a passing test.
 */
#ifndef QEMU_H
#define QEMU_H

enum qemu_exit_code {
    QEMU_EXIT_SUCCESS = 0x10,
    QEMU_EXIT_FAILURE = 0x11,
};

/* Does not return: without the device (real hardware), it halts. */
_Noreturn void qemu_exit(enum qemu_exit_code code);

#endif
