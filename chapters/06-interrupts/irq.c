/*
 * irq.c: what happens to an IRQ after trap_entry.S has saved the
 * registers: exception_dispatch sends vectors 32-47 here.
 *
 *   device raises its line -> 8259 -> CPU, between two instructions
 *   -> IDT gate 32 + n (an interrupt gate: IF is now 0)
 *   -> trap_entry.S: stub pushes 0 and the vector, entry saves registers
 *   -> exception_dispatch -> irq_dispatch: spurious? handler, EOI
 *   -> trap_entry.S restores the registers, iretq restores RFLAGS (IF = 1)
 */
#include <stddef.h>

#include "irq.h"
#include "panic.h"
#include "x86.h"

static irq_handler handlers[PIC_IRQ_COUNT];
static uint64_t counts[PIC_IRQ_COUNT];
uint64_t irq_unhandled;

void irq_init(void)
{
    pic_init(0);
}

void irq_set_handler(unsigned irq, irq_handler handler)
{
    kassert(irq < PIC_IRQ_COUNT);
    /*
     * A line opens only after its handler is in place and closes before
     * the handler goes: an IRQ taken in between would find none. Interrupts
     * stay off throughout, so no handler runs between pic.c's read of the
     * mask registers and its write of them.
     */
    uint64_t rflags = irq_save();
    if (handler != NULL) {
        handlers[irq] = handler;
        pic_unmask(irq);
    } else {
        pic_mask(irq);
        handlers[irq] = NULL;
    }
    irq_restore(rflags);
}

uint64_t irq_count(unsigned irq)
{
    return irq < PIC_IRQ_COUNT ? __atomic_load_n(&counts[irq], __ATOMIC_RELAXED) : 0;
}

void irq_dispatch(struct trap_frame *frame)
{
    unsigned irq = (unsigned)(frame->vector - PIC_MASTER_VECTOR);

    kassert(irq < PIC_IRQ_COUNT);
    if (pic_spurious(irq))
        return;
    __atomic_store_n(&counts[irq], counts[irq] + 1, __ATOMIC_RELAXED);
    if (handlers[irq] != NULL)
        handlers[irq]();
    else
        irq_unhandled++;
    /*
     * Last: until the EOI, the PIC delivers nothing of equal or lower
     * priority. The handler above runs with IF = 0 (an interrupt gate), so
     * the EOI cannot let this IRQ interrupt its own handler.
     */
    pic_end_of_interrupt(irq);
}
