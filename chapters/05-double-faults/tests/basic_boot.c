/*
 * basic_boot: right after boot, before anything else is set up, printing
 * works on both the screen and the serial port.
 */
#include "kprintf.h"
#include "ktest.h"
#include "serial.h"
#include "vga.h"

TEST(serial_port_answered_the_self_test)
{
    EXPECT_TRUE(serial_present());
}

TEST(kprintf_counts_what_it_prints)
{
    EXPECT_EQ(26, kprintf("basic_boot: kprintf works\n"));
}

TEST(kprintf_reaches_the_screen)
{
    kprintf("on screen\n");
    /* The line just printed is the row above the cursor. */
    volatile uint16_t *row = &vga_console.cells[(vga_console.row - 1) * VGA_WIDTH];
    const char *expected = "on screen";
    for (int i = 0; expected[i] != '\0'; i++)
        EXPECT_EQ(expected[i], row[i] & 0xff);
}
