/* panic.c: the kernel's last words. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "panic.h"
#include "vga.h"
#include "x86.h"

#define PANIC_ATTRIBUTE vga_attribute(VGA_WHITE, VGA_RED)

static int depth; /* panics under way: one inside another nests */

void (*panic_hook)(const char *file, int line, bool nested);

static void panic_print(const char *fmt, ...) PRINTF_LIKE(1);

static void panic_print(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    kvprintf_panic(PANIC_ATTRIBUTE, fmt, args);
    va_end(args);
}

static void print_message(const char *what, const char *file, int line, const char *fmt,
                          va_list args)
{
    if (vga_console.column != 0)
        panic_print("\n");
    panic_print("%s at %s:%d: ", what, file, line);
    kvprintf_panic(PANIC_ATTRIBUTE, fmt, args);
    panic_print("\n");
}

_Noreturn void panic_at(const char *file, int line, const char *fmt, ...)
{
    va_list args;

    /* Nothing may run after a panic, not even an interrupt handler. */
    cli();
    /*
     * A panic while printing a panic (a kassert in the console, say) or
     * inside panic_hook nests. The second one is printed too, and the hook
     * called with nested set, to end at once without printing. A third
     * (printing the second panicked) only calls the hook, and a fourth
     * (the hook panicked even then) halts: the recursion always stops.
     */
    depth++;
    if (depth <= 2) {
        va_start(args, fmt);
        print_message(depth == 1 ? "panic" : "nested panic", file, line, fmt, args);
        va_end(args);
    }
    if (panic_hook != NULL && depth <= 3)
        panic_hook(file, line, depth > 1);
    halt_forever();
}
