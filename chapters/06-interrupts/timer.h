/*
 * timer.h: time since boot, counted in PIT ticks (IRQ 0), and sleeping
 * without spinning.
 */
#ifndef TIMER_H
#define TIMER_H

#include <stdint.h>

#define TIMER_HZ 1000 /* asked of the PIT; pit.c says what it really gives */

/* Program the PIT for TIMER_HZ; IRQ 0 must then call timer_tick. */
void timer_init(void);

/* The IRQ 0 handler: one more tick. */
void timer_tick(void);

/* Ticks since timer_init: one aligned 64-bit load, safe in any context (IRQ and NMI handlers too).
 */
uint64_t timer_ticks(void);

/* Milliseconds since timer_init, from the PIT's real rate. */
uint64_t uptime_ms(void);

/* Idle with hlt for at least ms milliseconds. Interrupts must be enabled. */
void sleep_ms(uint32_t ms);

#endif
