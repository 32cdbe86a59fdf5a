/* x86.h: the few privileged instructions C code needs, as inline functions. */
#ifndef X86_H
#define X86_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Port I/O: x86 devices such as the VGA's CRT controller sit in a separate
 * 64 KiB I/O address space reached only with IN and OUT (Intel SDM Vol. 1,
 * chapter 19 "Input/Output").
 */
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

/* CR2: the linear address of the access that caused the last page fault. */
static inline uint64_t read_cr2(void)
{
    uint64_t value;
    __asm__ volatile("mov %%cr2, %0" : "=r"(value));
    return value;
}

#define RFLAGS_IF (1u << 9)  /* interrupt flag: maskable interrupts are delivered */
#define RFLAGS_DF (1u << 10) /* direction flag: string instructions count down */

static inline uint64_t read_rflags(void)
{
    uint64_t value;
    __asm__ volatile("pushfq\n\tpopq %0" : "=r"(value));
    return value;
}

/* Clear RFLAGS.IF: maskable interrupts are no longer delivered. */
static inline void cli(void)
{
    __asm__ volatile("cli" ::: "memory");
}

/* Set RFLAGS.IF: maskable interrupts are delivered, from after the next instruction on. */
static inline void sti(void)
{
    __asm__ volatile("sti" ::: "memory");
}

/* Stop the CPU until the next interrupt (or forever with IF = 0). */
static inline void hlt(void)
{
    __asm__ volatile("hlt" ::: "memory");
}

/*
 * Enable interrupts and wait for one. STI delays their delivery until
 * after the instruction that follows it (Intel SDM Vol. 2B, STI), so an
 * interrupt pending at the sti is taken only once hlt has started, and
 * wakes it: nothing can slip in between the two.
 */
static inline void sti_hlt(void)
{
    __asm__ volatile("sti\n\thlt" ::: "memory");
}

static inline bool interrupts_enabled(void)
{
    return read_rflags() & RFLAGS_IF;
}

/* Disable interrupts; returns RFLAGS as it was, for irq_restore. */
static inline uint64_t irq_save(void)
{
    uint64_t rflags = read_rflags();
    cli();
    return rflags;
}

/* Enable interrupts again if they were enabled when irq_save saved rflags. */
static inline void irq_restore(uint64_t rflags)
{
    if (rflags & RFLAGS_IF)
        sti();
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
