/*
 * unit: in-kernel tests of the console, kprintf and serial modules, on the
 * real hardware (as QEMU emulates it): the VGA buffer and CRT controller,
 * the UART's registers, and our own memory functions.
 */
#include <stddef.h>
#include <stdint.h>

#include "format.h"
#include "kprintf.h"
#include "ktest.h"
#include "panic.h"
#include "serial.h"
#include "string.h"
#include "vga.h"
#include "x86.h"

/* ---- console ---------------------------------------------------------- */

static uint16_t scratch[VGA_WIDTH * VGA_HEIGHT];

static char character_at(struct console *console, int row, int column)
{
    return (char)(console->cells[row * VGA_WIDTH + column] & 0xff);
}

TEST(console_writes_character_and_attribute)
{
    struct console console;

    console_init(&console, scratch, vga_attribute(VGA_YELLOW, VGA_BLUE));
    console_put_char(&console, 'K');
    EXPECT_EQ(0x1e4b, scratch[0]); /* attribute 0x1e, character 'K' */
    EXPECT_EQ(1, console.column);
}

TEST(console_scrolls_at_the_bottom)
{
    struct console console;

    console_init(&console, scratch, VGA_DEFAULT_ATTRIBUTE);
    for (int i = 0; i < VGA_HEIGHT; i++) {
        console_put_char(&console, (char)('a' + i));
        console_put_char(&console, '\n');
    }
    /* 25 lines and a newline: 'a' has scrolled off, 'b' is on top. */
    EXPECT_EQ('b', character_at(&console, 0, 0));
    EXPECT_EQ('y', character_at(&console, VGA_HEIGHT - 2, 0));
    EXPECT_EQ(' ', character_at(&console, VGA_HEIGHT - 1, 0));
    EXPECT_EQ(VGA_HEIGHT - 1, console.row);
}

static int cursor_position(void)
{
    outb(0x3d4, 0x0e); /* CRTC cursor location high */
    int position = inb(0x3d5) << 8;
    outb(0x3d4, 0x0f); /* CRTC cursor location low */
    return position | inb(0x3d5);
}

TEST(hardware_cursor_follows_the_output)
{
    vga_write("\nab", 3);
    EXPECT_EQ(vga_console.row * VGA_WIDTH + vga_console.column, cursor_position());
    vga_write("\n", 1);
}

/* A row of exactly 80 characters: the cursor stays on its last cell. */
TEST(hardware_cursor_stays_on_a_full_row)
{
    char row[VGA_WIDTH];

    memset(row, '=', sizeof(row));
    vga_write("\n", 1);
    vga_write(row, VGA_WIDTH);
    EXPECT_EQ(VGA_WIDTH, vga_console.column);
    EXPECT_EQ(vga_console.row * VGA_WIDTH + VGA_WIDTH - 1, cursor_position());
    vga_write("\n", 1);
}

/* ---- kprintf ---------------------------------------------------------- */

TEST(kprintf_returns_the_character_count)
{
    EXPECT_EQ(13, kprintf("count: %d%%\n", 1234)); /* 7 + 4 + 1 + 1 */
}

TEST(snformat_prints_64_bit_extremes)
{
    char buffer[64];

    snformat(buffer, sizeof(buffer), "%lld %llu", (long long)INT64_MIN,
             (unsigned long long)UINT64_MAX);
    EXPECT_STREQ("-9223372036854775808 18446744073709551615", buffer);
}

TEST(snformat_pads_and_aligns)
{
    char buffer[64];

    snformat(buffer, sizeof(buffer), "[%5d|%-5d|%05d|%5s]", -7, 7, -7, "ab");
    EXPECT_STREQ("[   -7|7    |-0007|   ab]", buffer);
}

/* ---- serial ----------------------------------------------------------- */

#define COM1_DATA          0x3f8 /* divisor low byte while DLAB is set */
#define COM1_INTERRUPTS    0x3f9 /* divisor high byte while DLAB is set */
#define COM1_LINE_CONTROL  0x3fb
#define COM1_MODEM_CONTROL 0x3fc
#define COM1_LINE_STATUS   0x3fd

TEST(serial_is_present_under_qemu)
{
    EXPECT_TRUE(serial_present());
}

TEST(serial_init_leaves_loopback_mode)
{
    EXPECT_TRUE(serial_init());
    EXPECT_EQ(0, inb(COM1_MODEM_CONTROL) & 0x10); /* MCR bit 4: loopback */
    kprintf("serial: still talking after a second serial_init\n");
}

/*
 * QEMU ignores the line settings, so only reading them back shows what
 * serial_init programmed: LCR bits 0-1 = 3 (8 data bits), bit 2 = 0 (1 stop
 * bit), bit 3 = 0 (no parity), bit 7 = 0 (DLAB clear); and, with DLAB set
 * for a moment, the divisor for 115200 baud: 1.8432 MHz / 16 / 115200 = 1.
 */
TEST(serial_line_is_115200_baud_8n1)
{
    uint8_t line_control = inb(COM1_LINE_CONTROL);

    outb(COM1_LINE_CONTROL, line_control | 0x80); /* DLAB on */
    int divisor = inb(COM1_DATA);
    divisor |= inb(COM1_INTERRUPTS) << 8;
    outb(COM1_LINE_CONTROL, line_control); /* DLAB off again */
    EXPECT_EQ(0x03, line_control);
    EXPECT_EQ(1, divisor);
}

TEST(serial_transmitter_drains)
{
    serial_write("drain\n", 6);
    int spins = 0;
    while (!(inb(COM1_LINE_STATUS) & 0x40) && spins < 1000000) /* LSR bit 6: all sent */
        spins++;
    EXPECT_TRUE(inb(COM1_LINE_STATUS) & 0x40);
}

/* ---- panic and the boot stack ---------------------------------------- */

TEST(kassert_of_a_true_condition_does_not_panic)
{
    int two = 2;
    kassert(two + two == 4); /* should_panic.c proves the other direction */
}

/*
 * The System V ABI wants RSP 16-byte aligned at every call, so RSP + 8 is
 * aligned when a function starts; after "push rbp; mov rsp, rbp" the frame
 * pointer is aligned. boot.S's stack_top and the call to kmain set this up.
 */
__attribute__((noinline)) static uintptr_t frame_address(void)
{
    return (uintptr_t)__builtin_frame_address(0);
}

TEST(stack_is_16_byte_aligned_in_calls)
{
    EXPECT_EQ(0, frame_address() & 15);
}

/* ---- string.c --------------------------------------------------------- */

TEST(memmove_handles_overlap_both_ways)
{
    char forward[] = "abcdef";
    char backward[] = "abcdef";

    memmove(forward + 2, forward, 4); /* destination after source: copy downwards */
    EXPECT_STREQ("ababcd", forward);
    memmove(backward, backward + 2, 4); /* destination before source */
    EXPECT_STREQ("cdefef", backward);
}

TEST(memset_memcpy_memcmp)
{
    char a[8], b[8];

    memset(a, 'x', sizeof(a));
    memcpy(b, a, sizeof(b));
    EXPECT_EQ(0, memcmp(a, b, sizeof(a)));
    b[7] = 'y';
    EXPECT_TRUE(memcmp(a, b, sizeof(a)) < 0);
    EXPECT_EQ('x', a[7]);
}
