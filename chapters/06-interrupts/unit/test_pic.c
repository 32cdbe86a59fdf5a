/*
 * test_pic.c: the 8259 set-up and end-of-interrupt logic against the
 * simulated controllers of port_sim.c.
 */
#include <stdint.h>

#include "ktest.h"
#include "pic.h"
#include "ports.h"

#define OPEN(irq) (1 << (irq))

TEST(init_remaps_both_controllers_to_vectors_32_to_47)
{
    ports_reset();
    pic_init(OPEN(IRQ_TIMER) | OPEN(IRQ_KEYBOARD));
    EXPECT_EQ(1, sim.master.initialisations);
    EXPECT_EQ(1, sim.slave.initialisations);
    EXPECT_EQ(32, sim.master.icw2);
    EXPECT_EQ(40, sim.slave.icw2);
}

TEST(init_wires_the_slave_to_the_masters_line_2)
{
    ports_reset();
    pic_init(0);
    EXPECT_FALSE(sim.master.single);
    EXPECT_FALSE(sim.slave.single);
    EXPECT_EQ(0x04, sim.master.icw3); /* a bit per input with a slave */
    EXPECT_EQ(2, sim.slave.icw3);     /* the slave's cascade identity */
}

TEST(init_selects_8086_mode_with_explicit_eoi)
{
    ports_reset();
    pic_init(0);
    EXPECT_TRUE(sim.master.icw4_expected);
    EXPECT_EQ(0x01, sim.master.icw4);
    EXPECT_EQ(0x01, sim.slave.icw4);
}

TEST(init_waits_between_initialisation_words)
{
    ports_reset();
    pic_init(0);
    EXPECT_EQ(0, sim.hurried_icws);
}

TEST(init_writes_both_masks_whatever_firmware_left)
{
    ports_reset();
    sim.master.imr = 0x00; /* as SeaBIOS leaves them: some lines open */
    sim.slave.imr = 0x00;
    pic_init(OPEN(IRQ_TIMER) | OPEN(IRQ_KEYBOARD));
    EXPECT_EQ(0xfc, sim.master.imr);
    EXPECT_EQ(0xff, sim.slave.imr);

    ports_reset(); /* as OVMF leaves them: everything masked */
    pic_init(OPEN(IRQ_TIMER) | OPEN(IRQ_KEYBOARD));
    EXPECT_EQ(0xfc, sim.master.imr);
    EXPECT_EQ(0xff, sim.slave.imr);
}

TEST(a_slave_irq_opens_the_cascade_line)
{
    ports_reset();
    pic_init(OPEN(8));
    EXPECT_EQ(0xfb, sim.master.imr);
    EXPECT_EQ(0xfe, sim.slave.imr);
}

TEST(masks_read_back_as_written)
{
    ports_reset();
    pic_init(OPEN(IRQ_TIMER) | OPEN(12));
    EXPECT_EQ(0xeffa, pic_read_masks());
}

TEST(a_master_irq_gets_one_eoi_to_the_master)
{
    ports_reset();
    sim.master.isr = 0x02;
    pic_end_of_interrupt(IRQ_KEYBOARD);
    EXPECT_EQ(1, sim.master.eois);
    EXPECT_EQ(0, sim.slave.eois);
    EXPECT_EQ(0, sim.master.isr);
}

TEST(a_slave_irq_gets_an_eoi_to_the_slave_then_the_master)
{
    uint8_t master[4], slave[4];
    ports_reset();
    sim.master.isr = 0x04; /* the cascade line */
    sim.slave.isr = 0x10;  /* IRQ 12 */
    pic_end_of_interrupt(12);
    EXPECT_EQ(1, sim_writes_to(0xa0, slave, 4));
    EXPECT_EQ(1, sim_writes_to(0x20, master, 4));
    EXPECT_EQ(0xa0, sim.log[0].port);
    EXPECT_EQ(0, sim.master.isr);
    EXPECT_EQ(0, sim.slave.isr);
}

TEST(other_irqs_are_never_spurious_and_read_nothing)
{
    ports_reset();
    for (unsigned irq = 0; irq < PIC_IRQ_COUNT; irq++) {
        if (irq != 7 && irq != 15)
            EXPECT_FALSE(pic_spurious(irq));
    }
    EXPECT_EQ(0, sim.log_length);
}

TEST(a_real_irq_7_is_in_service)
{
    ports_reset();
    sim.master.isr = 0x80;
    EXPECT_FALSE(pic_spurious(7));
    EXPECT_EQ(0, sim.master.eois);
}

TEST(a_spurious_irq_7_gets_no_eoi)
{
    ports_reset();
    pic_spurious_count = 0;
    sim.master.isr = 0x00;
    sim.master.irr = 0x80; /* the IRR would say 7: only the ISR tells the truth */
    EXPECT_TRUE(pic_spurious(7));
    EXPECT_EQ(0, sim.master.eois);
    EXPECT_EQ(0, sim.slave.eois);
    EXPECT_EQ(1, pic_spurious_count);
}

TEST(a_real_irq_15_is_in_service_on_the_slave)
{
    ports_reset();
    sim.master.isr = 0x04;
    sim.slave.isr = 0x80;
    EXPECT_FALSE(pic_spurious(15));
    EXPECT_EQ(0, sim.master.eois + sim.slave.eois);
}

TEST(a_spurious_irq_15_gets_an_eoi_to_the_master_only)
{
    ports_reset();
    pic_spurious_count = 0;
    sim.master.isr = 0x04; /* the master did deliver a real IRQ 2 */
    sim.slave.isr = 0x00;
    sim.slave.irr = 0x80;
    EXPECT_TRUE(pic_spurious(15));
    EXPECT_EQ(1, sim.master.eois);
    EXPECT_EQ(0, sim.slave.eois);
    EXPECT_EQ(0, sim.master.isr);
    EXPECT_EQ(1, pic_spurious_count);
}

TEST(in_service_reads_both_controllers)
{
    ports_reset();
    sim.master.isr = 0x05;
    sim.slave.isr = 0x80;
    sim.master.irr = 0x11;
    EXPECT_EQ(0x8005, pic_read_in_service());
}

TEST(unmask_and_mask_change_one_line)
{
    ports_reset();
    pic_init(OPEN(IRQ_TIMER));
    pic_unmask(IRQ_KEYBOARD);
    EXPECT_EQ(0xfc, sim.master.imr);
    pic_mask(IRQ_TIMER);
    EXPECT_EQ(0xfd, sim.master.imr);
    EXPECT_EQ(0xff, sim.slave.imr);
}

TEST(unmasking_a_slave_line_opens_the_cascade)
{
    ports_reset();
    pic_init(0);
    pic_unmask(14);
    EXPECT_EQ(0xfb, sim.master.imr);
    EXPECT_EQ(0xbf, sim.slave.imr);
}
