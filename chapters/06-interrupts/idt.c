/* idt.c: build the interrupt descriptor table and load it. */
#include <stdint.h>

#include "gdt.h"
#include "idt.h"
#include "x86.h"

/*
 * All 256 gates, zeroed: a gate whose present bit is clear makes the CPU
 * raise #NP instead (or, for an exception, a double fault). The SDM
 * suggests an 8-byte aligned table for speed (Vol. 3A, 7.10).
 */
static struct idt_gate idt[IDT_ENTRIES] __attribute__((aligned(16)));

void idt_set_gate(uint8_t vector, void (*handler)(void), uint16_t selector, enum idt_gate_type type,
                  uint8_t dpl, uint8_t ist)
{
    uint64_t address = (uint64_t)handler;

    idt[vector] = (struct idt_gate){
        .offset_low = address & 0xffff,
        .selector = selector,
        .ist = ist & 0x7,
        .type_attributes = IDT_GATE_PRESENT | (dpl & 0x3) << 5 | type,
        .offset_middle = (address >> 16) & 0xffff,
        .offset_high = address >> 32,
        .reserved = 0,
    };
}

static void load_idt(void)
{
    /* The limit is the offset of the table's last byte: 256 * 16 - 1. */
    struct descriptor_table_pointer pointer = {.limit = sizeof(idt) - 1, .base = (uint64_t)idt};

    __asm__ volatile("lidt %0" : : "m"(pointer) : "memory");
}

/*
 * The exceptions that must not run on the stack they interrupted, each
 * with an IST entry of its own (gdt.h). A double fault often means that
 * stack is full; an NMI or a machine check can strike at any instruction,
 * even in the middle of a stack switch. Every other vector has IST 0: no
 * switch, the handler runs on the interrupted code's stack.
 */
static const uint8_t exception_ist[EXCEPTION_VECTORS] = {
    [2] = IST_NMI,
    [8] = IST_DOUBLE_FAULT,
    [18] = IST_MACHINE_CHECK,
};

/*
 * Interrupt gates for every exception and IRQ: each handler starts with
 * interrupts off, so an IRQ handler is never interrupted by another IRQ.
 * DPL 0 keeps INT n from user mode (which we do not have yet) out. The
 * IST entries need the TSS: gdt_init must run first. IRQs use no IST:
 * they run on the stack of whatever they interrupted, below its RSP
 * (hence no red zone, see common/kernel.mk).
 */
void idt_init(void)
{
    for (int vector = 0; vector < STUB_VECTORS; vector++)
        idt_set_gate(vector, trap_stubs[vector], GDT_KERNEL_CODE, IDT_INTERRUPT_GATE, 0,
                     vector < EXCEPTION_VECTORS ? exception_ist[vector] : 0);
    load_idt();
}
