/*
 * ports.h: the simulated devices behind unit/x86.h's inb and outb.
 *
 * COM1 (0x3F8-0x3FF) is a 16550 UART with the registers serial.c uses,
 * after the 16550D data sheet. The VGA CRT controller (0x3D4 index,
 * 0x3D5 data) just keeps what is written to its registers. Any other
 * port stops the test run: no code under test should touch one.
 */
#ifndef UNIT_PORTS_H
#define UNIT_PORTS_H

#include <stdbool.h>
#include <stdint.h>

#define COM1 0x3f8

/* Offsets from COM1 (DLAB is LCR bit 7). */
#define UART_DATA          0 /* DLAB clear: transmit/receive; DLAB set: divisor low */
#define UART_INTERRUPTS    1 /* DLAB clear: interrupt enable; DLAB set: divisor high */
#define UART_FIFO_CONTROL  2
#define UART_LINE_CONTROL  3
#define UART_MODEM_CONTROL 4
#define UART_LINE_STATUS   5

#define LCR_DLAB       0x80
#define MCR_LOOPBACK   0x10
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY  0x20 /* THRE: the transmit holding register takes a byte */
#define LSR_ALL_SENT   0x40 /* TEMT: holding and shift register both empty */

#define UART_LOG_SIZE 64

/* One register write, with the DLAB bit as it was when the write happened. */
struct uart_write {
    int reg;
    uint8_t value;
    bool dlab;
};

struct sim_uart {
    /* How the UART behaves; ports_reset makes it a healthy, idle 16550. */
    bool absent;          /* nothing at COM1: reads return 0xFF */
    bool loopback_broken; /* in loopback the receiver gets another byte */
    int busy_reads;       /* after each byte, LSR reads that show THRE clear */
    int shift_reads;      /* then reads that still show TEMT clear */

    /* Its registers. */
    uint8_t interrupt_enable;
    uint8_t line_control;
    uint8_t modem_control;
    uint8_t fifo_control;
    uint8_t receive_buffer;
    uint16_t divisor;
    bool data_ready;
    int holding_busy_for; /* LSR reads left before THRE */
    int shifting_for;     /* LSR reads left before TEMT */

    /* What the code under test did. */
    struct uart_write writes[UART_LOG_SIZE];
    int write_count;
    char sent[256]; /* bytes that left on the serial line (not in loopback) */
    int sent_count;
    int status_reads; /* reads of LSR */
    int overruns;     /* bytes written while THRE was clear: lost on real hardware */
};

extern struct sim_uart uart;

/* Every simulated device back to its power-on state. */
void ports_reset(void);

/* The cursor position the CRT controller holds (registers 0x0E and 0x0F). */
uint16_t crtc_cursor_position(void);

#endif
