/*
 * backtrace.h: who called whom, from the frame-pointer chain.
 *
 * With -fno-omit-frame-pointer every function starts with
 * "push %rbp; mov %rsp, %rbp", so RBP points at a two-word record: the
 * caller's RBP, then the return address into the caller. Following the
 * saved RBPs walks up the call chain until boot.S's RBP of 0.
 */
#ifndef BACKTRACE_H
#define BACKTRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"

#define BACKTRACE_MAX_FRAMES 32

/* The stack the walk may read: frame records must lie in [bottom, top). */
struct stack_bounds {
    uint64_t bottom;
    uint64_t top;
};

enum backtrace_end {
    BACKTRACE_COMPLETE,  /* reached the saved RBP of 0 at the bottom of the stack */
    BACKTRACE_BAD_FRAME, /* a frame pointer off the stack, misaligned, or not above the last */
    BACKTRACE_TOO_DEEP,  /* BACKTRACE_MAX_FRAMES return addresses and still going */
};

struct backtrace {
    uint64_t return_addresses[BACKTRACE_MAX_FRAMES];
    int count;
    enum backtrace_end end;
    uint64_t bad_frame; /* the frame pointer that stopped a BACKTRACE_BAD_FRAME walk */
};

/* Collect the return addresses of the chain that starts at rbp. Never reads outside stack. */
void backtrace_walk(struct backtrace *trace, uint64_t rbp, struct stack_bounds stack);

/*
 * "0x0000000000101234 <kmain+0x2a>", or the bare number when no symbol
 * holds the address. A return address is looked up one byte earlier:
 * after a call to a function that never returns, it is already the first
 * byte of the next function, but the call was in this one.
 */
int format_address(char *buffer, size_t size, const struct symbol_table *table, uint64_t address,
                   bool return_address);

/* kprintf or a relative: the compiler checks the arguments of every call through it. */
typedef int (*backtrace_printer)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line per return address, indented, then why the walk stopped if it was not the end. */
void backtrace_print(backtrace_printer print, const struct symbol_table *table, uint64_t rbp,
                     struct stack_bounds stack);

/* boot.S's stack, the only one this kernel has. */
extern char stack_bottom[], stack_top[];

static inline struct stack_bounds boot_stack(void)
{
    return (struct stack_bounds){(uint64_t)stack_bottom, (uint64_t)stack_top};
}

#endif
