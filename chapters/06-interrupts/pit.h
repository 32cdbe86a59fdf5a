/*
 * pit.h: channel 0 of the 8253/8254 programmable interval timer, wired to
 * IRQ 0. It counts down from a divisor at 1193182 Hz and raises IRQ 0 each
 * time it reaches zero.
 */
#ifndef PIT_H
#define PIT_H

#include <stdint.h>

/* 14.31818 MHz, the original PC's NTSC colour-burst crystal, divided by 12. */
#define PIT_INPUT_HZ 1193182

/* The divisor nearest to input / hz, within what the 16-bit counter can hold (1-65536). */
uint32_t pit_divisor(uint32_t hz);

/* The rate a divisor really gives, in millihertz, rounded. */
uint32_t pit_rate_millihertz(uint32_t divisor);

/* Converting between ticks at a real rate and milliseconds (valid for 500,000 years at 1 kHz). */
uint64_t pit_ticks_to_ms(uint64_t ticks, uint32_t rate_millihertz); /* rounded down */
uint64_t pit_ms_to_ticks(uint64_t ms, uint32_t rate_millihertz);    /* rounded up */

/*
 * Channel 0 as a rate generator at the rate nearest to hz; returns the
 * divisor used. Call with interrupts off: the divisor goes out as two
 * bytes through one port, and nothing else may touch the PIT in between.
 */
uint32_t pit_start_periodic(uint32_t hz);

#endif
