/* idt.c: build the interrupt descriptor table and load it. */
#include <stdint.h>

#include "idt.h"

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
    struct idt_pointer pointer = {.limit = sizeof(idt) - 1, .base = (uint64_t)idt};

    __asm__ volatile("lidt %0" : : "m"(pointer) : "memory");
}

/*
 * Interrupt gates for every exception: each handler starts with
 * interrupts off. DPL 0 keeps INT n from user mode (which we do not have
 * yet) out, and IST 0 means no stack switch: the handler runs on the
 * stack of whatever it interrupted.
 */
void idt_init(void)
{
    for (int vector = 0; vector < EXCEPTION_VECTORS; vector++)
        idt_set_gate(vector, trap_stubs[vector], KERNEL_CODE_SELECTOR, IDT_INTERRUPT_GATE, 0, 0);
    load_idt();
}
