/*
 * exception.h: what happens after trap_entry.S has saved the registers.
 *
 * By default: #BP (int3) prints a report and returns to the next
 * instruction; an NMI prints one line and returns; every other exception
 * prints a report and stops the kernel through the panic path. A handler
 * registered for a vector replaces the default, which lets tests and
 * exercises cause an exception on purpose and recover from it.
 */
#ifndef EXCEPTION_H
#define EXCEPTION_H

#include <stdint.h>

#include "backtrace.h"
#include "trap_frame.h"

/*
 * Runs in place of the default action. When it returns, trap_entry.S
 * restores the registers from *frame and returns with iretq: changing
 * frame->rip (past a faulting instruction, say) changes where the
 * interrupted code continues.
 */
typedef void (*exception_handler)(struct trap_frame *frame);

/* Install handler for vector 0-31 (NULL: the default again); returns the previous one. */
exception_handler exception_set_handler(uint8_t vector, exception_handler handler);

/* Called by trap_entry.S for every exception, with the saved registers. */
void exception_dispatch(struct trap_frame *frame);

/* Name, error code, registers and backtrace, through print. */
void exception_report(backtrace_printer print, const struct trap_frame *frame, uint64_t cr2);

/* How many NMIs the default NMI handler has seen. */
extern uint64_t nmis_seen;

static inline uint64_t nmi_count(void)
{
    return __atomic_load_n(&nmis_seen, __ATOMIC_RELAXED);
}

#endif
