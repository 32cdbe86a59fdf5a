/*
 * test_keyboard_irq.c: keyboard.c's IRQ 1 handler against the simulated
 * 8042 controller of port_sim.c: it drains what the controller has, never
 * waits, and queues the decoded events, dropping (and counting) what does
 * not fit.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "irq.h"
#include "key_queue.h"
#include "keyboard.h"
#include "ktest.h"
#include "ports.h"

#define LENGTH(array) (sizeof(array) / sizeof((array)[0]))

/* The IRQ layer as keyboard.c sees it: irq.c is not built for the host, this stands in. */
static irq_handler sim_irq_handlers[PIC_IRQ_COUNT];

void irq_set_handler(unsigned irq, irq_handler handler)
{
    sim_irq_handlers[irq] = handler;
}

static void irq1(void)
{
    sim_irq_handlers[IRQ_KEYBOARD]();
}

TEST(init_drops_stale_bytes_and_installs_the_irq_handler)
{
    const uint8_t stale[] = {0x1e, 0x9e};
    struct key_event event;

    ports_reset();
    sim_keyboard_type(stale, 2);
    keyboard_init();
    EXPECT_TRUE(sim_irq_handlers[IRQ_KEYBOARD] != NULL);
    EXPECT_EQ(2, sim.keyboard_read);
    EXPECT_FALSE(keyboard_read(&event));
    EXPECT_TRUE(keyboard_idle());
}

TEST(the_irq_handler_reads_every_waiting_byte_and_queues_the_events)
{
    const uint8_t bytes[] = {0x2a, 0x1e, 0x9e, 0xaa, 0xe0, 0x48};
    struct key_event event;

    ports_reset();
    keyboard_init();
    sim_keyboard_type(bytes, LENGTH(bytes));
    irq1();
    EXPECT_EQ(LENGTH(bytes), sim.keyboard_read);
    const uint16_t keys[] = {KEY_LEFT_SHIFT, 'a', 'a', KEY_LEFT_SHIFT, KEY_UP};
    const bool pressed[] = {true, true, false, false, true};
    for (size_t i = 0; i < LENGTH(keys); i++) {
        EXPECT_TRUE(keyboard_read(&event));
        EXPECT_EQ(keys[i], event.key);
        EXPECT_EQ(pressed[i], event.pressed);
    }
    EXPECT_FALSE(keyboard_read(&event));
}

TEST(the_irq_handler_never_waits_for_a_controller_that_stays_full)
{
    uint8_t flood[40];

    for (int i = 0; i < 40; i++)
        flood[i] = 0x39;
    ports_reset();
    keyboard_init();
    sim_keyboard_type(flood, 40);
    irq1(); /* a bounded number of bytes per IRQ; the controller raises IRQ 1
               again for the rest */
    EXPECT_TRUE(sim.keyboard_read > 0 && sim.keyboard_read < 40);
}

TEST(a_full_queue_drops_and_counts_new_keys)
{
    uint8_t presses[2 * KEY_QUEUE_SIZE];
    struct key_event event;

    for (int i = 0; i < 2 * KEY_QUEUE_SIZE; i++)
        presses[i] = (uint8_t)(i % 2 == 0 ? 0x1e : 0x30); /* a b a b ... */
    ports_reset();
    keyboard_init();
    for (int i = 0; i < 2 * KEY_QUEUE_SIZE; i += 8) {
        sim_keyboard_type(&presses[i], 8);
        irq1();
    }
    EXPECT_EQ(KEY_QUEUE_SIZE, keyboard_stats().dropped);
    int count = 0;
    bool alternating = true;
    while (keyboard_read(&event))
        alternating &= event.key == (count++ % 2 == 0 ? 'a' : 'b');
    EXPECT_EQ(KEY_QUEUE_SIZE, count);
    EXPECT_TRUE(alternating);
}
