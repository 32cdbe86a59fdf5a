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

/* The operand of LGDT, LIDT, SGDT and SIDT: the table's size minus one, then its address. */
struct descriptor_table_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

_Static_assert(sizeof(struct descriptor_table_pointer) == 10, "a 10-byte operand in 64-bit mode");

static inline void lgdt(const struct descriptor_table_pointer *pointer)
{
    __asm__ volatile("lgdt %0" : : "m"(*pointer) : "memory");
}

static inline struct descriptor_table_pointer sgdt(void)
{
    struct descriptor_table_pointer pointer;
    __asm__ volatile("sgdt %0" : "=m"(pointer));
    return pointer;
}

static inline struct descriptor_table_pointer sidt(void)
{
    struct descriptor_table_pointer pointer;
    __asm__ volatile("sidt %0" : "=m"(pointer));
    return pointer;
}

/*
 * MOV cannot write CS. A far return pops RIP and then CS, and loads CS's
 * descriptor from the current GDT on the way (SDM Vol. 2B, RET).
 */
static inline void load_code_segment(uint16_t selector)
{
    __asm__ volatile("pushq %q0\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:"
                     :
                     : "r"((uint64_t)selector)
                     : "rax", "memory");
}

/* SS, DS, ES, FS and GS, each loaded with the same data selector. */
static inline void load_data_segments(uint16_t selector)
{
    __asm__ volatile("movw %0, %%ss\n\t"
                     "movw %0, %%ds\n\t"
                     "movw %0, %%es\n\t"
                     "movw %0, %%fs\n\t"
                     "movw %0, %%gs"
                     :
                     : "r"(selector)
                     : "memory");
}

/* Load the task register: selector names a TSS descriptor in the GDT. */
static inline void ltr(uint16_t selector)
{
    __asm__ volatile("ltr %0" : : "r"(selector) : "memory");
}

/* What the segment registers and the task register hold now. */
struct selectors {
    uint16_t cs, ss, ds, es, fs, gs, tr;
};

static inline struct selectors read_selectors(void)
{
    struct selectors now;
    __asm__ volatile("mov %%cs, %0" : "=r"(now.cs));
    __asm__ volatile("mov %%ss, %0" : "=r"(now.ss));
    __asm__ volatile("mov %%ds, %0" : "=r"(now.ds));
    __asm__ volatile("mov %%es, %0" : "=r"(now.es));
    __asm__ volatile("mov %%fs, %0" : "=r"(now.fs));
    __asm__ volatile("mov %%gs, %0" : "=r"(now.gs));
    __asm__ volatile("str %0" : "=r"(now.tr));
    return now;
}

/* CR3: the physical address of the top-level page table (PML4). */
static inline uint64_t read_cr3(void)
{
    uint64_t value;
    __asm__ volatile("mov %%cr3, %0" : "=r"(value));
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
 * wakes it: no IRQ can slip in between the two. An NMI can (the SDM
 * says only that NMIs "may be" held off too), and delivering it ends the
 * delay: an IRQ pending by then is taken before the hlt, which then
 * sleeps until the next one, here at most a timer tick.
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
