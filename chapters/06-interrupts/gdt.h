/*
 * gdt.h: the kernel's global descriptor table and its task-state segment.
 *
 * In 64-bit mode the CPU ignores the base and limit of code and data
 * segments, but it still needs the GDT for three things: CS must name a
 * 64-bit code segment, SS must hold a usable selector when IRETQ returns,
 * and the task register must name a TSS, the only place where the CPU
 * finds the interrupt stack table (SDM Vol. 3A, "Task Management in 64-bit
 * Mode").
 */
#ifndef GDT_H
#define GDT_H

#include <stdint.h>

/* Selectors: index * 8, table indicator 0 (GDT), requested privilege 0. */
#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_TSS         0x18 /* takes two slots: 0x18 and 0x20 */
#define GDT_ENTRIES     5

/* Descriptor bits (SDM Vol. 3A, "Segment Descriptors"). */
#define GDT_TYPE_SHIFT         40 /* bits 40-43: the type */
#define GDT_TYPE_MASK          0xfull
#define GDT_TYPE_TSS_AVAILABLE 0x9          /* a 64-bit TSS, not loaded */
#define GDT_TYPE_TSS_BUSY      0xb          /* LTR sets this bit in the GDT itself */
#define GDT_CODE_OR_DATA       (1ull << 44) /* S: clear for system descriptors like the TSS */
#define GDT_PRESENT            (1ull << 47)
#define GDT_LONG_MODE          (1ull << 53) /* L: 64-bit code */

/*
 * The 64-bit TSS (SDM Vol. 3A, "64-Bit TSS Format"). Nothing here is about
 * task switching, which long mode does not have. RSP0 is the stack for
 * interrupts that arrive in ring 3, which this kernel never enters; the
 * seven IST entries are stacks that chosen IDT gates switch to whatever
 * the CPU was doing. IST entry n is ist[n - 1].
 */
struct tss {
    uint32_t reserved0;
    uint64_t rsp[3]; /* RSP0-RSP2 */
    uint64_t reserved1;
    uint64_t ist[7]; /* IST1-IST7 */
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base; /* offset of the I/O permission bitmap */
} __attribute__((packed));

_Static_assert(sizeof(struct tss) == 104, "the 64-bit TSS is 104 bytes");
_Static_assert(__builtin_offsetof(struct tss, rsp[0]) == 0x04, "RSP0 is at offset 0x04");
_Static_assert(__builtin_offsetof(struct tss, ist[0]) == 0x24, "IST1 is at offset 0x24");
_Static_assert(__builtin_offsetof(struct tss, iomap_base) == 0x66, "the I/O map base is at 0x66");

/* The IST entries the IDT's gates name (interrupts.c): 0 means "no switch". */
enum ist_entry {
    IST_NONE = 0,
    IST_DOUBLE_FAULT = 1,
    IST_NMI = 2,
    IST_MACHINE_CHECK = 3,
};

extern struct tss tss;
extern uint64_t gdt[GDT_ENTRIES];

/*
 * Fill in the TSS, load the GDT, reload every segment register from it and
 * load the task register. Safe to call again: tests do.
 */
void gdt_init(void);

/*
 * A system descriptor such as the TSS's is 16 bytes in long mode, two GDT
 * slots, so that it holds a 64-bit base (SDM Vol. 3A, "TSS Descriptor in
 * 64-bit Mode"):
 *
 *   low:  limit 15:0 | base 23:0 << 16 | type << 40 | P << 47
 *         | limit 19:16 << 48 | base 31:24 << 56
 *   high: base 63:32 (the upper half must be zero)
 *
 * Pure arithmetic, so unit/test_gdt.c checks it on the host.
 */
struct system_descriptor {
    uint64_t low, high;
};

static inline struct system_descriptor tss_descriptor(uint64_t base, uint32_t limit)
{
    struct system_descriptor descriptor;

    descriptor.low = (limit & 0xffffull) | (base & 0xffffffull) << 16 |
                     (uint64_t)GDT_TYPE_TSS_AVAILABLE << GDT_TYPE_SHIFT | GDT_PRESENT |
                     (uint64_t)(limit >> 16 & 0xf) << 48 | (base >> 24 & 0xff) << 56;
    descriptor.high = base >> 32;
    return descriptor;
}

/* The same fields read back, for checks. */
static inline uint64_t system_descriptor_base(struct system_descriptor descriptor)
{
    return (descriptor.low >> 16 & 0xffffff) | (descriptor.low >> 56 & 0xff) << 24 |
           descriptor.high << 32;
}

static inline uint32_t system_descriptor_limit(struct system_descriptor descriptor)
{
    return (uint32_t)((descriptor.low & 0xffff) | (descriptor.low >> 48 & 0xf) << 16);
}

static inline unsigned descriptor_type(uint64_t low)
{
    return (unsigned)(low >> GDT_TYPE_SHIFT & GDT_TYPE_MASK);
}

#endif
