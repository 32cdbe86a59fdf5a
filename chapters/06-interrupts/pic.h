/*
 * pic.h: the two 8259A programmable interrupt controllers of the PC.
 *
 * The master takes IRQ 0-7; the slave takes IRQ 8-15 and signals the master
 * on the master's IRQ 2 (the cascade). pic_init moves both off the CPU's
 * exception vectors to 32-47 and masks every line not asked for.
 */
#ifndef PIC_H
#define PIC_H

#include <stdbool.h>
#include <stdint.h>

#define PIC_MASTER_VECTOR 32 /* IRQ 0-7 arrive on vectors 32-39 */
#define PIC_SLAVE_VECTOR  40 /* IRQ 8-15 on 40-47 */
#define PIC_IRQ_COUNT     16

#define IRQ_TIMER    0
#define IRQ_KEYBOARD 1
#define IRQ_CASCADE  2 /* the slave's line into the master */

/* Remap to 32-47; open the IRQs whose bits are set in unmasked_irqs (bit n: IRQ n). */
void pic_init(uint16_t unmasked_irqs);

/*
 * First thing for every IRQ: true if it is a spurious IRQ 7 or 15 (a line
 * that dropped before the CPU acknowledged it). Such an IRQ must not be
 * handled, and pic_spurious has already sent the EOI it needs.
 */
bool pic_spurious(unsigned irq);

/* Last thing for every real IRQ: the end-of-interrupt to the controller(s) that delivered it. */
void pic_end_of_interrupt(unsigned irq);

/*
 * Mask or unmask one line (for a slave line, the master's cascade line is
 * opened too). Each reads both mask registers and writes them back, so
 * call them with interrupts off, as irq_set_handler does: an IRQ handler
 * changing a mask in between would have its change undone.
 */
void pic_mask(unsigned irq);
void pic_unmask(unsigned irq);

/* Read back from the controllers, slave in the high byte (bit n: IRQ n). */
uint16_t pic_read_masks(void);
uint16_t pic_read_in_service(void);

/* Spurious IRQs seen so far. */
extern uint32_t pic_spurious_count;

#endif
