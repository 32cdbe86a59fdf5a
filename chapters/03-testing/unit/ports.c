/*
 * ports.c: inb and outb for the host unit tests (see unit/x86.h), on a
 * simulated 16550 at COM1 and a VGA CRT controller.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ports.h"
#include "x86.h"

#define CRTC_INDEX 0x3d4
#define CRTC_DATA  0x3d5

struct sim_uart uart;

static uint8_t crtc_registers[256];
static uint8_t crtc_index;

void ports_reset(void)
{
    /* 16550D "Master Reset": IER, LCR and MCR clear, THRE and TEMT set. */
    memset(&uart, 0, sizeof(uart));
    memset(crtc_registers, 0, sizeof(crtc_registers));
    crtc_index = 0;
}

uint16_t crtc_cursor_position(void)
{
    return (uint16_t)(crtc_registers[0x0e] << 8 | crtc_registers[0x0f]);
}

static _Noreturn void no_device(const char *access, uint16_t port)
{
    fprintf(stderr, "unit/ports.c: %s port 0x%x, where no simulated device answers\n", access,
            port);
    abort();
}

static bool dlab(void)
{
    return uart.line_control & LCR_DLAB;
}

/* A byte into the transmit holding register. */
static void uart_transmit(uint8_t byte)
{
    if (uart.holding_busy_for > 0)
        uart.overruns++;
    if (uart.modem_control & MCR_LOOPBACK) {
        uart.receive_buffer = uart.loopback_broken ? (uint8_t)~byte : byte;
        uart.data_ready = true;
    } else if (uart.sent_count < (int)sizeof(uart.sent)) {
        uart.sent[uart.sent_count++] = (char)byte;
    }
    uart.holding_busy_for = uart.busy_reads;
    uart.shifting_for = uart.busy_reads + uart.shift_reads;
}

static void uart_write(int reg, uint8_t value)
{
    if (uart.write_count < UART_LOG_SIZE)
        uart.writes[uart.write_count++] = (struct uart_write){reg, value, dlab()};
    if (uart.absent)
        return;
    switch (reg) {
    case UART_DATA:
        if (dlab())
            uart.divisor = (uint16_t)((uart.divisor & 0xff00) | value);
        else
            uart_transmit(value);
        break;
    case UART_INTERRUPTS:
        if (dlab())
            uart.divisor = (uint16_t)((uart.divisor & 0x00ff) | value << 8);
        else
            uart.interrupt_enable = value;
        break;
    case UART_FIFO_CONTROL:
        uart.fifo_control = value;
        break;
    case UART_LINE_CONTROL:
        uart.line_control = value;
        break;
    case UART_MODEM_CONTROL:
        uart.modem_control = value;
        break;
    default:
        no_device("outb to", (uint16_t)(COM1 + reg));
    }
}

static uint8_t uart_line_status(void)
{
    uint8_t status = 0;

    uart.status_reads++;
    if (uart.data_ready)
        status |= LSR_DATA_READY;
    if (uart.holding_busy_for > 0)
        uart.holding_busy_for--;
    else
        status |= LSR_THR_EMPTY;
    if (uart.shifting_for > 0)
        uart.shifting_for--;
    else
        status |= LSR_ALL_SENT;
    return status;
}

static uint8_t uart_read(int reg)
{
    if (uart.absent)
        return 0xff; /* an ISA bus with nothing on it */
    switch (reg) {
    case UART_DATA:
        if (dlab())
            return uart.divisor & 0xff;
        uart.data_ready = false;
        return uart.receive_buffer;
    case UART_INTERRUPTS:
        return dlab() ? uart.divisor >> 8 : uart.interrupt_enable;
    case UART_LINE_CONTROL:
        return uart.line_control;
    case UART_MODEM_CONTROL:
        return uart.modem_control;
    case UART_LINE_STATUS:
        return uart_line_status();
    default:
        no_device("inb from", (uint16_t)(COM1 + reg));
    }
}

void outb(uint16_t port, uint8_t value)
{
    if (port >= COM1 && port < COM1 + 8)
        uart_write(port - COM1, value);
    else if (port == CRTC_INDEX)
        crtc_index = value;
    else if (port == CRTC_DATA)
        crtc_registers[crtc_index] = value;
    else
        no_device("outb to", port);
}

uint8_t inb(uint16_t port)
{
    if (port >= COM1 && port < COM1 + 8)
        return uart_read(port - COM1);
    if (port == CRTC_INDEX)
        return crtc_index;
    if (port == CRTC_DATA)
        return crtc_registers[crtc_index];
    no_device("inb from", port);
}
