/*
 * timer.c: the tick counter behind uptime and sleep_ms.
 *
 * Only the IRQ 0 handler writes ticks, and an interrupt gate keeps it from
 * interrupting itself, so a plain increment cannot lose a tick. Readers
 * anywhere (main code, another IRQ handler, an NMI) load it with one 64-bit
 * MOV, which x86-64 performs atomically for an aligned quadword (Intel SDM
 * Vol. 3A, 9.1.1 "Guaranteed Atomic Operations"): they see the old value
 * or the new one, never half of each.
 */
#include "timer.h"
#include "panic.h"
#include "pit.h"
#include "x86.h"

static uint64_t ticks;
static uint32_t rate_millihertz; /* what the PIT really runs at */

void timer_init(void)
{
    rate_millihertz = pit_rate_millihertz(pit_start_periodic(TIMER_HZ));
}

void timer_tick(void)
{
    __atomic_store_n(&ticks, ticks + 1, __ATOMIC_RELAXED);
}

uint64_t timer_ticks(void)
{
    return __atomic_load_n(&ticks, __ATOMIC_RELAXED);
}

uint64_t uptime_ms(void)
{
    return pit_ticks_to_ms(timer_ticks(), rate_millihertz);
}

void sleep_ms(uint32_t ms)
{
    /*
     * One tick more than the time needs: the tick now in progress may be
     * almost over, so n ticks from here are at least n - 1 whole periods.
     */
    uint64_t until = timer_ticks() + pit_ms_to_ticks(ms, rate_millihertz) + 1;

    if (!interrupts_enabled())
        panic("sleep_ms with interrupts disabled would never wake up");
    for (;;) {
        /*
         * Check and halt with interrupts off in between: a tick arriving
         * after the check but before hlt would otherwise be missed, and
         * hlt would wait for the next one. sti enables interrupts only
         * after the instruction that follows it, so the tick waits for
         * hlt and then wakes it.
         */
        cli();
        if (timer_ticks() >= until)
            break;
        sti_hlt();
    }
    sti();
}
