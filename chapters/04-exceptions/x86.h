/* x86.h: the few privileged instructions C code needs, as inline functions. */
#ifndef X86_H
#define X86_H

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

/* CR2: the linear address of the access that caused the last page fault. */
static inline uint64_t read_cr2(void)
{
    uint64_t value;
    __asm__ volatile("mov %%cr2, %0" : "=r"(value));
    return value;
}

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
