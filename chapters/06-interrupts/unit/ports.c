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
struct port_sim sim;

static uint8_t crtc_registers[256];
static uint8_t crtc_index;

void ports_reset(void)
{
    /* 16550D "Master Reset": IER, LCR and MCR clear, THRE and TEMT set. */
    memset(&uart, 0, sizeof(uart));
    memset(&sim, 0, sizeof(sim));
    sim.master.imr = 0xff;
    sim.slave.imr = 0xff;
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

static void pic_command(struct sim_8259 *pic, uint8_t value)
{
    if (value & 0x10) { /* ICW1: restart, mask cleared, reads return IRR */
        pic->icw4_expected = value & 0x01;
        pic->single = value & 0x02;
        pic->icws_expected = 1 + !pic->single + pic->icw4_expected;
        pic->imr = 0;
        pic->read_isr = false;
    } else if (value & 0x08) { /* OCW3: bit 1 "read register", bit 0 which one */
        if (value & 0x02)
            pic->read_isr = value & 0x01;
    } else if (value == 0x20) { /* OCW2: non-specific EOI clears the highest-priority ISR bit */
        pic->eois++;
        pic->isr &= (uint8_t)(pic->isr - 1);
    }
}

static void pic_data(struct sim_8259 *pic, uint8_t value)
{
    if (pic->icws_expected == 0) {
        pic->imr = value; /* OCW1 */
        return;
    }
    int total = 1 + !pic->single + pic->icw4_expected;
    int position = total - pic->icws_expected; /* 0: ICW2, then ICW3 if cascaded, then ICW4 */
    if (position == 0)
        pic->icw2 = value;
    else if (position == 1 && !pic->single)
        pic->icw3 = value;
    else
        pic->icw4 = value;
    if (--pic->icws_expected == 0)
        pic->initialisations++;
}

static void pit_write(uint16_t port, uint8_t value)
{
    if (port == 0x43) {
        if ((value >> 6) == 0) { /* channel 0 */
            sim.pit.command = value;
            sim.pit.bytes_to_come = ((value >> 4) & 3) == 3 ? 2 : 1;
        }
        return;
    }
    if (sim.pit.bytes_to_come == 2) {
        sim.pit.reload = value;
        sim.pit.bytes_to_come = 1;
    } else if (sim.pit.bytes_to_come == 1) {
        sim.pit.reload = (uint16_t)(sim.pit.reload | value << 8);
        sim.pit.bytes_to_come = 0;
        sim.pit.reloads++;
    }
}

static bool is_pic_port(uint16_t port)
{
    return port == 0x20 || port == 0x21 || port == 0xa0 || port == 0xa1;
}

/* ICW1 on the command port, or a data-port write while ICW2-ICW4 are due. */
static bool is_icw(const struct sim_8259 *pic, uint16_t port, uint8_t value)
{
    if (port == 0x20 || port == 0xa0)
        return value & 0x10;
    return pic->icws_expected > 0;
}

static bool is_interrupt_device_port(uint16_t port)
{
    return is_pic_port(port) || port == 0x40 || port == 0x43 || port == 0x60 || port == 0x64 ||
           port == IO_WAIT_PORT;
}

static void interrupt_device_write(uint16_t port, uint8_t value)
{
    if (sim.log_length < SIM_LOG_SIZE)
        sim.log[sim.log_length++] = (struct sim_write){port, value};
    if (port == IO_WAIT_PORT)
        sim.pic_written_since_wait = false;
    struct sim_8259 *pic = port < 0x80 ? &sim.master : &sim.slave;
    if (is_pic_port(port)) {
        if (sim.pic_written_since_wait && is_icw(pic, port, value))
            sim.hurried_icws++;
        sim.pic_written_since_wait = true;
    }
    if (port == 0x20 || port == 0xa0)
        pic_command(pic, value);
    else if (port == 0x21 || port == 0xa1)
        pic_data(pic, value);
    else if (port == 0x40 || port == 0x43)
        pit_write(port, value);
}

static uint8_t interrupt_device_read(uint16_t port)
{
    struct sim_8259 *pic = port < 0x80 ? &sim.master : &sim.slave;
    switch (port) {
    case 0x20:
    case 0xa0:
        return pic->read_isr ? pic->isr : pic->irr;
    case 0x21:
    case 0xa1:
        return pic->imr;
    case 0x64: /* status: bit 0, the output buffer holds a byte for port 0x60 */
        return sim.keyboard_read < sim.keyboard_count ? 0x01 : 0x00;
    case 0x60:
        if (sim.keyboard_read < sim.keyboard_count)
            return sim.keyboard_bytes[sim.keyboard_read++];
        return sim.keyboard_count ? sim.keyboard_bytes[sim.keyboard_count - 1] : 0;
    default:
        no_device("inb from", port);
    }
}

int sim_writes_to(uint16_t port, uint8_t *values, int max)
{
    int count = 0;
    for (int i = 0; i < sim.log_length && count < max; i++)
        if (sim.log[i].port == port)
            values[count++] = sim.log[i].value;
    return count;
}

void sim_keyboard_type(const uint8_t *bytes, int count)
{
    for (int i = 0; i < count && sim.keyboard_count < (int)sizeof(sim.keyboard_bytes); i++)
        sim.keyboard_bytes[sim.keyboard_count++] = bytes[i];
}

void outb(uint16_t port, uint8_t value)
{
    if (port >= COM1 && port < COM1 + 8)
        uart_write(port - COM1, value);
    else if (port == CRTC_INDEX)
        crtc_index = value;
    else if (port == CRTC_DATA)
        crtc_registers[crtc_index] = value;
    else if (is_interrupt_device_port(port))
        interrupt_device_write(port, value);
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
    if (is_interrupt_device_port(port))
        return interrupt_device_read(port);
    no_device("inb from", port);
}
