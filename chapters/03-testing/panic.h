/*
 * panic.h: stop the kernel with a message that says where and why.
 *
 *   panic("page table %p is corrupt", table);
 *   kassert(count < LIMIT);
 *
 * Both print "panic at FILE:LINE: message" in white on red, disable
 * interrupts and halt forever.
 */
#ifndef PANIC_H
#define PANIC_H

#include <stdbool.h>

#include "kprintf.h"

#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)

#define kassert(condition)                                                                         \
    do {                                                                                           \
        if (!(condition))                                                                          \
            panic_at(__FILE__, __LINE__, "assertion failed: %s", #condition);                      \
    } while (0)

_Noreturn void panic_at(const char *file, int line, const char *fmt, ...) PRINTF_LIKE(3);

/*
 * If set, called after the message is printed, before halting: test kernels
 * report and exit. nested is true for a panic inside another panic's
 * printing or hook; the hook must then end at once without printing, since
 * printing may be what panicked.
 */
extern void (*panic_hook)(const char *file, int line, bool nested);

#endif
