/* x86.h: the few privileged instructions C code needs, as inline functions. */
#ifndef X86_H
#define X86_H

#include <stdint.h>

/*
 * Port I/O: x86 devices such as the VGA's CRT controller sit in a separate
 * 64 KiB I/O address space reached only with IN and OUT (Intel SDM Vol. 1,
 * chapter 19 "Input/Output").
 *
 * The host unit tests (built with -DHOST_UNIT_TEST, see common/kernel.mk)
 * link unit/port_sim.c instead, which simulates the devices behind the
 * ports, so a driver's code runs unchanged against a model of its chip.
 */
#ifdef HOST_UNIT_TEST
void outb(uint16_t port, uint8_t value);
void outl(uint16_t port, uint32_t value);
uint8_t inb(uint16_t port);
#else
static inline void outb(uint16_t port, uint8_t value)
{
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port) : "memory");
}

static inline void outl(uint16_t port, uint32_t value)
{
    __asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port) : "memory");
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port) : "memory");
    return value;
}
#endif

/*
 * A short delay for devices that need time between two accesses (the 8259
 * during its initialisation): a write to port 0x80, where the firmware's
 * POST codes go and no device of ours listens, takes about a microsecond
 * on the ISA bus.
 */
#define IO_WAIT_PORT 0x80

static inline void io_wait(void)
{
    outb(IO_WAIT_PORT, 0);
}

/* Clear RFLAGS.IF: maskable interrupts are no longer delivered. */
static inline void cli(void)
{
    __asm__ volatile("cli" ::: "memory");
}

/* Stop the CPU until the next interrupt (or forever with IF = 0). */
static inline void hlt(void)
{
    __asm__ volatile("hlt" ::: "memory");
}

/* Halt for good. NMIs and SMIs can still wake the CPU, hence the loop. */
static inline _Noreturn void halt_forever(void)
{
    for (;;) {
        cli();
        hlt();
    }
}

#endif
