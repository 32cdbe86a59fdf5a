/*
 * test_serial.c: serial.c against the simulated 16550 in unit/ports.c.
 *
 * QEMU's UART takes a byte whenever one is written and ignores the line
 * settings, so polling the wrong status bit or writing a register while
 * DLAB hides it goes unnoticed there. The simulation records every
 * register write and can keep the transmitter busy after each byte.
 */
#include <string.h>

#include "ktest.h"
#include "ports.h"
#include "serial.h"

static bool serial_init_on_a_fresh_uart(void)
{
    ports_reset();
    return serial_init();
}

static void expect_write(int index, struct uart_write expected)
{
    struct uart_write actual = uart.writes[index];

    if (actual.reg != expected.reg || actual.value != expected.value ||
        actual.dlab != expected.dlab)
        ktest_fail(__FILE__, __LINE__,
                   "write %d: expected 0x%02x to register %d with DLAB %d, "
                   "got 0x%02x to register %d with DLAB %d",
                   index, expected.value, expected.reg, expected.dlab, actual.value, actual.reg,
                   actual.dlab);
}

TEST(serial_init_writes_the_registers_in_order)
{
    static const struct uart_write expected[] = {
        {UART_LINE_CONTROL, 0x80, false},  /* DLAB set: offsets 0 and 1 are the divisor */
        {UART_DATA, 0x01, true},           /* divisor low: 115200 baud */
        {UART_INTERRUPTS, 0x00, true},     /* divisor high */
        {UART_LINE_CONTROL, 0x03, true},   /* 8 data bits, no parity, 1 stop bit; DLAB clear */
        {UART_INTERRUPTS, 0x00, false},    /* now the interrupt enable register: all off */
        {UART_FIFO_CONTROL, 0xc7, false},  /* FIFOs on and cleared */
        {UART_MODEM_CONTROL, 0x1e, false}, /* loopback, RTS, OUT1, OUT2 */
        {UART_DATA, 0xae, false},          /* the self-test byte */
        {UART_MODEM_CONTROL, 0x0f, false}, /* loopback off: DTR, RTS, OUT1, OUT2 */
    };
    int count = (int)(sizeof(expected) / sizeof(expected[0]));

    EXPECT_TRUE(serial_init_on_a_fresh_uart());
    EXPECT_EQ(count, uart.write_count);
    for (int i = 0; i < count && i < uart.write_count; i++)
        expect_write(i, expected[i]);
}

TEST(serial_init_leaves_115200_baud_8n1)
{
    serial_init_on_a_fresh_uart();
    EXPECT_EQ(1, uart.divisor); /* 1.8432 MHz / 16 / 115200 */
    EXPECT_EQ(0x03, uart.line_control);
    EXPECT_EQ(0, uart.interrupt_enable);
}

/* Firmware may hand over with DLAB set and interrupts enabled. */
TEST(serial_init_disables_interrupts_even_if_dlab_was_left_set)
{
    ports_reset();
    uart.line_control = LCR_DLAB;
    uart.interrupt_enable = 0x0f;
    EXPECT_TRUE(serial_init());
    EXPECT_EQ(0, uart.interrupt_enable);
    EXPECT_EQ(1, uart.divisor);
}

TEST(serial_init_self_test_stays_inside_the_uart)
{
    EXPECT_TRUE(serial_init_on_a_fresh_uart());
    EXPECT_EQ(0, uart.sent_count); /* the test byte went round the loopback only */
    EXPECT_EQ(0, uart.modem_control & MCR_LOOPBACK);
}

TEST(serial_init_fails_without_a_uart)
{
    ports_reset();
    uart.absent = true;
    EXPECT_FALSE(serial_init());
    EXPECT_FALSE(serial_present());
    int writes = uart.write_count;
    serial_write_byte('x');
    EXPECT_EQ(writes, uart.write_count); /* nothing is sent to a missing UART */
}

TEST(serial_init_fails_when_loopback_returns_another_byte)
{
    ports_reset();
    uart.loopback_broken = true;
    EXPECT_FALSE(serial_init());
    EXPECT_EQ(0, uart.modem_control & MCR_LOOPBACK); /* left loopback all the same */
}

/*
 * After each byte the holding register stays full for three status reads
 * and the shift register for four more: serial_write_byte must send the
 * next byte on the first read that shows THRE, never earlier (an overrun
 * loses a byte) and not later (TEMT, bit 6, would mean waiting for the
 * shift register too).
 */
TEST(serial_write_byte_waits_for_the_holding_register_only)
{
    serial_init_on_a_fresh_uart();
    uart.busy_reads = 3;
    uart.shift_reads = 4;
    uart.status_reads = 0;
    serial_write("abc", 3);
    EXPECT_EQ(3, uart.sent_count);
    EXPECT_EQ(0, memcmp("abc", uart.sent, 3));
    EXPECT_EQ(0, uart.overruns);
    EXPECT_EQ(1 + 4 + 4, uart.status_reads); /* 'a' at once, then 3 busy reads and 1 more each */
}

TEST(serial_write_turns_newline_into_crlf)
{
    serial_init_on_a_fresh_uart();
    serial_write("a\nb", 3);
    EXPECT_EQ(4, uart.sent_count);
    EXPECT_EQ(0, memcmp("a\r\nb", uart.sent, 4));
}
