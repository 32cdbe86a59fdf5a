/*
 * ports.h: the simulated devices behind unit/x86.h's inb and outb.
 *
 * COM1 (0x3F8-0x3FF) is a 16550 UART with the registers serial.c uses,
 * after the 16550D data sheet. The VGA CRT controller (0x3D4 index,
 * 0x3D5 data) just keeps what is written to its registers.
 *
 * Chapter 06 adds the two 8259A PICs (0x20-0x21, 0xA0-0xA1), modelled from
 * the data sheet: ICW1 starts an initialisation and clears the mask, the
 * ICWs that follow are counted per controller, OCW2 ends interrupts, OCW3
 * chooses which register the command port reads. The PIT (0x40, 0x43)
 * keeps what a command byte and its data bytes set; the 8042 keyboard
 * controller (0x60, 0x64) hands out bytes a test gives it; port 0x80 is
 * io_wait's delay. Every write to these is logged.
 *
 * Any other port stops the test run: no code under test should touch one.
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

struct sim_8259 {
    int icws_expected;   /* ICWs still to come on the data port, 0 when operating */
    bool icw4_expected;  /* ICW1 bit 0 */
    bool single;         /* ICW1 bit 1: no cascade, so no ICW3 */
    int initialisations; /* sequences completed */
    uint8_t icw2, icw3, icw4;
    uint8_t imr, irr, isr;
    bool read_isr; /* OCW3 chose the ISR for command-port reads (else the IRR) */
    int eois;      /* non-specific EOIs received */
};

struct sim_pit {
    uint8_t command;   /* the last command byte for channel 0 */
    int bytes_to_come; /* data bytes the access mode still expects */
    uint16_t reload;   /* the divisor loaded (0 means 65536) */
    int reloads;       /* complete divisors written */
};

#define SIM_LOG_SIZE 256

struct sim_write {
    uint16_t port;
    uint8_t value;
};

struct port_sim {
    struct sim_8259 master, slave;
    struct sim_pit pit;
    /* ICWs written with no io_wait since the previous write to either 8259. */
    int hurried_icws;
    bool pic_written_since_wait;
    /* The keyboard controller: bytes waiting in its output buffer. */
    uint8_t keyboard_bytes[256];
    int keyboard_count, keyboard_read;
    struct sim_write log[SIM_LOG_SIZE];
    int log_length;
};

extern struct port_sim sim;

/* Every simulated device back to its power-on state (all IRQ lines masked, as OVMF leaves them). */
void ports_reset(void);

/* The writes to one of the 8259, PIT, 8042 or 0x80 ports, in order; returns how many (up to max).
 */
int sim_writes_to(uint16_t port, uint8_t *values, int max);

/* Give the keyboard controller bytes to deliver through port 0x60. */
void sim_keyboard_type(const uint8_t *bytes, int count);

/* The cursor position the CRT controller holds (registers 0x0E and 0x0F). */
uint16_t crtc_cursor_position(void);

#endif
