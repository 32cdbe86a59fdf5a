/*
 * serial.c: polled output on COM1.
 *
 * Register offsets from the 16550D data sheet ("Register Summary"); with
 * LCR bit 7 (DLAB) set, offsets 0 and 1 are the baud rate divisor instead.
 *
 * Every register access goes through x86.h's inb and outb. The host unit
 * tests build this file with unit/x86.h in its place, which hands them to
 * a simulated 16550 (unit/ports.c), so unit/test_serial.c can check the
 * order of the writes and the polling that QEMU's UART never exercises.
 */
#include <stdint.h>

#include "serial.h"
#include "x86.h"

#define COM1 0x3f8

#define UART_DATA          0 /* receive buffer / transmit holding register */
#define UART_INTERRUPTS    1 /* interrupt enable register */
#define UART_DIVISOR_LOW   0 /* with DLAB = 1 */
#define UART_DIVISOR_HIGH  1 /* with DLAB = 1 */
#define UART_FIFO_CONTROL  2
#define UART_LINE_CONTROL  3
#define UART_MODEM_CONTROL 4
#define UART_LINE_STATUS   5

#define LCR_8N1  0x03 /* 8 data bits, no parity, 1 stop bit */
#define LCR_DLAB 0x80 /* divisor latch access */

#define FCR_ENABLE_AND_CLEAR 0xc7 /* enable FIFOs, clear both, interrupt at 14 bytes */

#define MCR_DTR      0x01
#define MCR_RTS      0x02
#define MCR_OUT1     0x04
#define MCR_OUT2     0x08 /* gates the UART's interrupt line on PCs */
#define MCR_LOOPBACK 0x10 /* transmitter wired to receiver, nothing leaves */

#define LSR_DATA_READY     0x01
#define LSR_TRANSMIT_EMPTY 0x20 /* transmit holding register can take a byte */

#define UART_CLOCK_DIVIDEND 115200 /* 1.8432 MHz / 16 */
#define BAUD_RATE           115200
#define LOOPBACK_PATTERN    0xae

/* Without a UART a status read returns 0xFF forever: give up eventually. */
#define TRANSMIT_SPINS 100000

static bool present;

static void uart_out(int reg, uint8_t value)
{
    outb(COM1 + reg, value);
}

static uint8_t uart_in(int reg)
{
    return inb(COM1 + reg);
}

/*
 * Send one byte through the UART wired to itself. A missing UART reads as
 * 0xFF and a broken one returns something else or nothing at all.
 */
static bool loopback_self_test(void)
{
    uart_out(UART_MODEM_CONTROL, MCR_LOOPBACK | MCR_RTS | MCR_OUT1 | MCR_OUT2);
    uart_out(UART_DATA, LOOPBACK_PATTERN);
    for (int spins = 0; spins < TRANSMIT_SPINS; spins++) {
        if (uart_in(UART_LINE_STATUS) & LSR_DATA_READY)
            return uart_in(UART_DATA) == LOOPBACK_PATTERN;
    }
    return false;
}

bool serial_init(void)
{
    uint16_t divisor = UART_CLOCK_DIVIDEND / BAUD_RATE;

    /*
     * Offset 1 is the interrupt enable register only while DLAB is clear,
     * and firmware may have left DLAB set: write it once DLAB is known to
     * be clear, after the divisor.
     */
    uart_out(UART_LINE_CONTROL, LCR_DLAB);
    uart_out(UART_DIVISOR_LOW, divisor & 0xff);
    uart_out(UART_DIVISOR_HIGH, divisor >> 8);
    uart_out(UART_LINE_CONTROL, LCR_8N1); /* also clears DLAB */
    uart_out(UART_INTERRUPTS, 0x00);      /* polled: no UART interrupts */
    uart_out(UART_FIFO_CONTROL, FCR_ENABLE_AND_CLEAR);

    present = loopback_self_test();
    /*
     * Leave loopback mode whatever the result: in loopback every byte we
     * send goes straight back to our own receiver and never reaches QEMU.
     */
    uart_out(UART_MODEM_CONTROL, MCR_DTR | MCR_RTS | MCR_OUT1 | MCR_OUT2);
    return present;
}

bool serial_present(void)
{
    return present;
}

void serial_write_byte(unsigned char byte)
{
    if (!present)
        return;
    for (int spins = 0; spins < TRANSMIT_SPINS; spins++) {
        if (uart_in(UART_LINE_STATUS) & LSR_TRANSMIT_EMPTY)
            break;
    }
    uart_out(UART_DATA, byte);
}

/* Terminals expect "\r\n" to start a new line at column 0. */
void serial_write(const char *s, int length)
{
    for (int i = 0; i < length; i++) {
        if (s[i] == '\n')
            serial_write_byte('\r');
        serial_write_byte((unsigned char)s[i]);
    }
}
