/* panic.c: the kernel's last words. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backtrace.h"
#include "ksyms.h"
#include "panic.h"
#include "vga.h"
#include "x86.h"

#define PANIC_ATTRIBUTE vga_attribute(VGA_WHITE, VGA_RED)

/*
 * Panics under way: one inside another nests. A panic while printing a
 * panic (a kassert in the console, say) or inside panic_hook is depth 2: it
 * is printed too, and the hook is called with nested set, to end at once
 * without printing. At depth 3 printing the second one panicked, so
 * nothing is printed and only the hook runs; at depth 4 the hook panicked
 * even then, and we halt. The recursion always stops.
 */
static int depth;

void (*panic_hook)(const char *file, int line, bool nested);

static int panic_vprint(const char *fmt, va_list args)
{
    if (depth > 2)
        return 0;
    return kvprintf_panic(PANIC_ATTRIBUTE, fmt, args);
}

int panic_print(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    int count = panic_vprint(fmt, args);
    va_end(args);
    return count;
}

void panic_begin(void)
{
    /* Nothing may run after a panic, not even an interrupt handler. */
    cli();
    depth++;
    if (vga_console.column != 0)
        panic_print("\n");
}

_Noreturn void panic_end(const char *file, int line)
{
    if (panic_hook != NULL && depth <= 3)
        panic_hook(file, line, depth > 1);
    halt_forever();
}

_Noreturn void panic_at(const char *file, int line, const char *fmt, ...)
{
    va_list args;

    panic_begin();
    panic_print("%s at %s:%d: ", depth == 1 ? "panic" : "nested panic", file, line);
    va_start(args, fmt);
    panic_vprint(fmt, args);
    va_end(args);
    panic_print("\n");
    /* Our own frame record is where the walk starts: its return address is in our caller. */
    panic_print("backtrace:\n");
    backtrace_print(panic_print, &kernel_symbol_table, (uint64_t)__builtin_frame_address(0),
                    boot_stack());
    panic_end(file, line);
}
