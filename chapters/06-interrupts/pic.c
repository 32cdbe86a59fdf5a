/*
 * pic.c: the 8259A pair (Intel 8259A data sheet; OSDev wiki "8259 PIC").
 *
 * The BIOS programs the master to deliver IRQ 0-7 on vectors 8-15, which in
 * protected mode are CPU exceptions: a timer tick would look like a double
 * fault. So the kernel reprograms both controllers before it enables
 * interrupts.
 */
#include "pic.h"
#include "x86.h"

#define MASTER_COMMAND 0x20
#define MASTER_DATA    0x21
#define SLAVE_COMMAND  0xa0
#define SLAVE_DATA     0xa1

#define ICW1_INIT      0x10 /* bit 4: this is ICW1, start the initialisation sequence */
#define ICW1_NEED_ICW4 0x01 /* bit 0: ICW4 follows (it selects 8086 mode) */
#define ICW4_8086      0x01 /* bit 0: 8086/88 mode: the 8259 sends a vector number */
#define OCW2_EOI       0x20 /* non-specific end of interrupt: clear the highest ISR bit */
#define OCW3_READ_ISR  0x0b /* bit 3: OCW3; bits 1-0 = 11: command-port reads return the ISR */

#define CASCADE_LINE 2 /* the master's input the slave is wired to */

uint32_t pic_spurious_count;

/* An old 8259 needs a moment between two writes of its initialisation sequence. */
static void write_slowly(uint16_t port, uint8_t value)
{
    outb(port, value);
    io_wait();
}

/* OCW1 of both: a set bit masks the line. */
static void write_masks(uint16_t masks)
{
    outb(MASTER_DATA, (uint8_t)masks);
    outb(SLAVE_DATA, (uint8_t)(masks >> 8));
}

void pic_init(uint16_t unmasked_irqs)
{
    /*
     * ICW1 on a command port starts a controller's initialisation; its next
     * three data-port writes are ICW2, ICW3 and ICW4. The two sequences may
     * interleave: each controller counts its own writes.
     */
    write_slowly(MASTER_COMMAND, ICW1_INIT | ICW1_NEED_ICW4); /* edge triggered, cascaded */
    write_slowly(SLAVE_COMMAND, ICW1_INIT | ICW1_NEED_ICW4);
    write_slowly(MASTER_DATA, PIC_MASTER_VECTOR); /* ICW2: IR0's vector; IRn gets vector + n */
    write_slowly(SLAVE_DATA, PIC_SLAVE_VECTOR);
    write_slowly(MASTER_DATA, 1 << CASCADE_LINE); /* ICW3: a bit for each input with a slave */
    write_slowly(SLAVE_DATA, CASCADE_LINE);       /* ICW3: the master input it is wired to */
    write_slowly(MASTER_DATA, ICW4_8086);         /* ICW4: 8086 mode, EOIs sent by us */
    write_slowly(SLAVE_DATA, ICW4_8086);

    /*
     * OCW1, the interrupt mask register (a set bit masks the line), written
     * in full: ICW1 cleared it, and firmware leaves different masks behind
     * anyway (SeaBIOS opens the timer and keyboard, OVMF closes everything).
     * A slave IRQ gets through only if the master's cascade line is open.
     */
    uint16_t masks = (uint16_t)~unmasked_irqs;
    if (unmasked_irqs & 0xff00)
        masks &= (uint16_t) ~(1 << IRQ_CASCADE);
    write_masks(masks);
}

void pic_mask(unsigned irq)
{
    write_masks(pic_read_masks() | (uint16_t)(1 << irq));
}

void pic_unmask(unsigned irq)
{
    uint16_t masks = pic_read_masks() & (uint16_t) ~(1 << irq);
    if (irq >= 8)
        masks &= (uint16_t) ~(1 << IRQ_CASCADE);
    write_masks(masks);
}

/* The in-service register of one controller: IRQs delivered and not yet EOI'd. */
static uint8_t read_isr(uint16_t command_port)
{
    outb(command_port, OCW3_READ_ISR);
    return inb(command_port);
}

bool pic_spurious(unsigned irq)
{
    /*
     * When an IRQ line drops between the 8259 raising INTR and the CPU's
     * acknowledgement, the 8259 still answers, with its lowest-priority
     * line (7), but sets no in-service bit. A spurious IRQ 7 needs no EOI.
     * A spurious IRQ 15 comes from the slave; the master saw a real IRQ 2
     * from the slave and does need its EOI.
     */
    if (irq == 7 && !(read_isr(MASTER_COMMAND) & 0x80)) {
        pic_spurious_count++;
        return true;
    }
    if (irq == 15 && !(read_isr(SLAVE_COMMAND) & 0x80)) {
        outb(MASTER_COMMAND, OCW2_EOI);
        pic_spurious_count++;
        return true;
    }
    return false;
}

void pic_end_of_interrupt(unsigned irq)
{
    /* A slave IRQ is in service on both controllers: the slave first, then the cascade line. */
    if (irq >= 8)
        outb(SLAVE_COMMAND, OCW2_EOI);
    outb(MASTER_COMMAND, OCW2_EOI);
}

uint16_t pic_read_masks(void)
{
    /* In normal operation a read of the data port returns the mask register (OCW1). */
    return (uint16_t)(inb(SLAVE_DATA) << 8 | inb(MASTER_DATA));
}

uint16_t pic_read_in_service(void)
{
    return (uint16_t)(read_isr(SLAVE_COMMAND) << 8 | read_isr(MASTER_COMMAND));
}
