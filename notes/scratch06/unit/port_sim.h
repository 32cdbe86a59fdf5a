/*
 * port_sim.h: the devices behind the I/O ports, simulated for the host
 * unit tests. x86.h routes inb/outb here when built with -DHOST_UNIT_TEST.
 *
 * Each 8259 is modelled from its data sheet: ICW1 starts an initialisation
 * and clears the mask, the ICWs that follow are counted per controller,
 * OCW2 ends interrupts, OCW3 chooses which register the command port reads.
 * The PIT keeps what a command byte and its data bytes set. Every write is
 * logged, with the io_wait delays between them.
 */
#ifndef PORT_SIM_H
#define PORT_SIM_H

#include <stdbool.h>
#include <stdint.h>

struct sim_8259 {
    int icws_expected;  /* ICWs still to come on the data port, 0 when operating */
    bool icw4_expected; /* ICW1 bit 0 */
    bool single;        /* ICW1 bit 1: no cascade, so no ICW3 */
    int initialisations; /* sequences completed */
    uint8_t icw2, icw3, icw4;
    uint8_t imr, irr, isr;
    bool read_isr; /* OCW3 chose the ISR for command-port reads (else the IRR) */
    int eois;      /* non-specific EOIs received */
};

struct sim_pit {
    uint8_t command;  /* the last command byte for channel 0 */
    int bytes_to_come; /* data bytes the access mode still expects */
    uint16_t reload;  /* the divisor loaded (0 means 65536) */
    int reloads;      /* complete divisors written */
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
    uint8_t keyboard_bytes[64];
    int keyboard_count, keyboard_read;
    struct sim_write log[SIM_LOG_SIZE];
    int log_length;
};

extern struct port_sim sim;

void sim_reset(void);

/* The writes to one port, in order; returns how many (up to max). */
int sim_writes_to(uint16_t port, uint8_t *values, int max);

/* Give the keyboard controller bytes to deliver through port 0x60. */
void sim_keyboard_type(const uint8_t *bytes, int count);

#endif
