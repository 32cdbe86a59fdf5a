/* panic.c: the kernel's last words. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "panic.h"
#include "vga.h"
#include "x86.h"

#define PANIC_ATTRIBUTE vga_attribute(VGA_WHITE, VGA_RED)

static bool panicking;

void (*panic_hook)(const char *file, int line);

static void panic_print(const char *fmt, ...) PRINTF_LIKE(1);

static void panic_print(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    kvprintf_panic(PANIC_ATTRIBUTE, fmt, args);
    va_end(args);
}

_Noreturn void panic_at(const char *file, int line, const char *fmt, ...)
{
    va_list args;

    /* Nothing may run after a panic, not even an interrupt handler. */
    cli();
    /*
     * A panic while printing a panic (a kassert in the console, say) would
     * recurse until the stack overflows: the second time, just stop.
     */
    if (panicking)
        halt_forever();
    panicking = true;
    if (vga_console.column != 0)
        panic_print("\n");
    panic_print("panic at %s:%d: ", file, line);
    va_start(args, fmt);
    kvprintf_panic(PANIC_ATTRIBUTE, fmt, args);
    va_end(args);
    panic_print("\n");
    if (panic_hook != NULL)
        panic_hook(file, line);
    halt_forever();
}
