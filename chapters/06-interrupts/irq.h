/*
 * irq.h: hardware interrupts (IRQ 0-15 from the two 8259 PICs), the half
 * of the interrupt path after trap_entry.S: one handler per line.
 */
#ifndef IRQ_H
#define IRQ_H

#include <stdint.h>

#include "pic.h"
#include "trap_frame.h"

typedef void (*irq_handler)(void);

/* Remap the PICs to vectors 32-47 with every line masked. Interrupts stay disabled. */
void irq_init(void);

/* Run handler for each IRQ on line irq (0-15) and unmask the line; NULL masks it again. */
void irq_set_handler(unsigned irq, irq_handler handler);

/* Called by exception_dispatch for vectors 32-47. */
void irq_dispatch(struct trap_frame *frame);

/* IRQs delivered on a line so far (spurious ones not included); safe from any context. */
uint64_t irq_count(unsigned irq);

/* IRQs that arrived on a line without a handler. */
extern uint64_t irq_unhandled;

#endif
