/*
 * unit/x86.h: port I/O for the host unit tests.
 *
 * IN and OUT fault in an ordinary program, so the host build replaces the
 * kernel's x86.h with this file: the Makefile's UNIT_CFLAGS force-include
 * it into every host-built source, and since it defines the same include
 * guard, the kernel's x86.h is skipped wherever vga.c or serial.c include
 * it. Their inb and outb calls then reach the simulated devices in
 * unit/ports.c; the kernel build keeps the real instructions.
 */
#ifndef X86_H
#define X86_H

#include <stdint.h>

void outb(uint16_t port, uint8_t value);
uint8_t inb(uint16_t port);

#endif
