/*
 * idt.h: the interrupt descriptor table, the CPU's list of where to go for
 * each of the 256 interrupt and exception vectors.
 */
#ifndef IDT_H
#define IDT_H

#include <stdint.h>

#define IDT_ENTRIES       256
#define EXCEPTION_VECTORS 32 /* vectors 0-31 are the CPU's own exceptions */

/* boot.S's GDT: the 64-bit kernel code segment every gate jumps into. */
#define KERNEL_CODE_SELECTOR 0x08

/*
 * A 64-bit interrupt or trap gate, 16 bytes (Intel SDM Vol. 3A, 7.14.1
 * "64-Bit Mode IDT"). The handler's address is split over three fields;
 * the rest says which code segment to load, which stack to switch to and
 * who may use the gate with an INT instruction.
 */
struct idt_gate {
    uint16_t offset_low;     /* handler address bits 0-15 */
    uint16_t selector;       /* code segment loaded into CS */
    uint8_t ist;             /* bits 0-2: Interrupt Stack Table index, 0 = none */
    uint8_t type_attributes; /* bits 0-3 gate type, 5-6 DPL, 7 present */
    uint16_t offset_middle;  /* handler address bits 16-31 */
    uint32_t offset_high;    /* handler address bits 32-63 */
    uint32_t reserved;       /* must be zero */
} __attribute__((packed));

_Static_assert(sizeof(struct idt_gate) == 16, "a long-mode IDT gate is 16 bytes");

/* What LIDT loads and SIDT stores: the table's size minus one, then its address. */
struct idt_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

_Static_assert(sizeof(struct idt_pointer) == 10, "LIDT reads a 10-byte operand in 64-bit mode");

/*
 * The gate types of 64-bit mode (SDM Vol. 3A, Table 3-2). Both jump to
 * the handler; an interrupt gate also clears RFLAGS.IF, so no maskable
 * interrupt arrives until the handler returns with iretq.
 */
enum idt_gate_type {
    IDT_INTERRUPT_GATE = 0xe,
    IDT_TRAP_GATE = 0xf,
};

#define IDT_GATE_PRESENT 0x80

/* Fill gate `vector`: handler address, code selector, gate type, DPL (0-3), IST index (0-7). */
void idt_set_gate(uint8_t vector, void (*handler)(void), uint16_t selector, enum idt_gate_type type,
                  uint8_t dpl, uint8_t ist);

/* Point vectors 0-31 at trap_entry.S's stubs and load the table with LIDT. */
void idt_init(void);

/* trap_entry.S: the stub of each exception vector. */
extern void (*const trap_stubs[EXCEPTION_VECTORS])(void);

#endif
