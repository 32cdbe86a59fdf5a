/*
 * kmain.c: chapter 05 loads its own GDT with a TSS, whose interrupt stack
 * table gives the double-fault, NMI and machine-check handlers stacks of
 * their own, installs the IDT that uses them, and shows what the CPU now
 * holds. Built with -DSTACK_OVERFLOW_DEMO it then overflows the kernel
 * stack on purpose: the guard page turns that into a page fault, the page
 * fault into a double fault, and the double-fault handler reports it.
 */
#include <stdbool.h>
#include <stdint.h>

#include "gdt.h"
#include "idt.h"
#include "kprintf.h"
#include "paging.h"
#include "serial.h"
#include "stacks.h"
#include "vga.h"
#include "x86.h"

/* Read back from the CPU and the page tables, not from our own variables. */
static void show_what_the_cpu_uses(void)
{
    struct selectors now = read_selectors();
    const struct idt_gate *idt = (const struct idt_gate *)sidt().base;
    const uint64_t *pml4 = (const uint64_t *)(uintptr_t)(read_cr3() & PTE_ADDRESS);
    int guarded = 0;

    kprintf("GDT loaded and every segment register reloaded: CS 0x%02x, SS and DS 0x%02x/0x%02x\n",
            now.cs, now.ss, now.ds);
    kprintf("task register 0x%02x: the TSS, whose interrupt stacks the IDT uses for\n", now.tr);
    kprintf("  #DF (vector 8) on IST%d, NMI (2) on IST%d, #MC (18) on IST%d\n", idt[8].ist & 7,
            idt[2].ist & 7, idt[18].ist & 7);
    for (int i = 0; i < STACK_COUNT; i++)
        guarded += !page_walk_present(page_walk(pml4, kernel_stacks[i].guard));
    kprintf("guard pages: %d of %d stacks have a not-present page right below them\n", guarded,
            STACK_COUNT);
}

void kmain(uint32_t multiboot_magic, uint32_t multiboot_info)
{
    (void)multiboot_magic;
    (void)multiboot_info;

    vga_init();
    bool have_serial = serial_init();
    gdt_init(); /* first: the IDT's IST entries point into the TSS */
    idt_init();
    kprintf_colour(vga_attribute(VGA_YELLOW, VGA_BLUE), "%-80s\n", " Chapter 05: double faults");
    show_what_the_cpu_uses();
#ifdef STACK_OVERFLOW_DEMO
    kprintf("STACK_OVERFLOW_DEMO: recursing until the boot stack runs out...\n");
    overflow_the_stack();
#else
    kprintf("To watch a stack overflow end in a double fault, boot the kernel built with\n"
            "  make run EXTRA_CFLAGS=-DSTACK_OVERFLOW_DEMO\n");
#endif
    if (have_serial)
        kprintf("serial: COM1 passed its self-test; all of the above went there too\n");
    else
        kprintf("serial: no UART answered on COM1; printing to the screen only\n");
    kprintf("Nothing left to do: halting. (An NMI from the QEMU monitor is reported.)\n");
    halt_forever();
}
