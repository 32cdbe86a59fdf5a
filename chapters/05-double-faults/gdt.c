/* gdt.c: the kernel's GDT with a TSS, and the interrupt stacks in it. */
#include "gdt.h"
#include "stacks.h"
#include "x86.h"

/* Aligned for its 8-byte fields: the packed type alone has alignment 1. */
struct tss tss __attribute__((aligned(16)));

/*
 * The code and data descriptors are boot.S's (its GDT served only for the
 * jump into 64-bit mode); their accessed bits are set already, so loading
 * them does not make the CPU write to the table. The TSS descriptor needs
 * the TSS's address, so gdt_init fills it in.
 */
uint64_t gdt[GDT_ENTRIES] = {
    0,                  /* the null descriptor: selector 0 is never usable for CS or SS */
    0x00af9b000000ffff, /* 0x08: code, P, DPL 0, execute/read, accessed, L = 1 */
    0x00cf93000000ffff, /* 0x10: data, P, DPL 0, read/write, accessed */
    0,                  /* 0x18 and 0x20: the TSS, filled in by gdt_init */
    0,
};

static void tss_init(void)
{
    tss.ist[IST_DOUBLE_FAULT - 1] = kernel_stacks[STACK_DOUBLE_FAULT].top;
    tss.ist[IST_NMI - 1] = kernel_stacks[STACK_NMI].top;
    tss.ist[IST_MACHINE_CHECK - 1] = kernel_stacks[STACK_MACHINE_CHECK].top;
    /*
     * An I/O map base at or past the TSS's limit means "no I/O permission
     * bitmap": ring 0 may use every port, ring 3 none.
     */
    tss.iomap_base = sizeof(tss);
}

void gdt_init(void)
{
    tss_init();
    /*
     * Written as "available" every time: LTR raises #GP on a busy TSS and
     * marks the descriptor busy itself (type 0x9 becomes 0xb).
     */
    struct system_descriptor descriptor = tss_descriptor((uintptr_t)&tss, sizeof(tss) - 1);
    gdt[GDT_TSS / 8] = descriptor.low;
    gdt[GDT_TSS / 8 + 1] = descriptor.high;

    struct descriptor_table_pointer pointer = {sizeof(gdt) - 1, (uintptr_t)gdt};
    lgdt(&pointer);
    /*
     * LGDT only says where the table is. Each segment register keeps the
     * descriptor it cached when it was loaded (SDM Vol. 3A, "Segment
     * Registers"), from a table that may be gone, so load every one again:
     * CS with a far return, then SS, DS, ES, FS and GS.
     */
    load_code_segment(GDT_KERNEL_CODE);
    load_data_segments(GDT_KERNEL_DATA);
    ltr(GDT_TSS);
}
