/*
 * serial.h: the first serial port (COM1), a 16550-compatible UART.
 *
 * QEMU connects it to a file, a terminal or a pipe: test-runner.py reads
 * everything the kernel prints from there.
 */
#ifndef SERIAL_H
#define SERIAL_H

#include <stdbool.h>

/* Program COM1 for 115200 baud, 8N1, FIFOs on; false if no working UART answers. */
bool serial_init(void);
bool serial_present(void);
void serial_write_byte(unsigned char byte);
void serial_write(const char *s, int length);

#endif
