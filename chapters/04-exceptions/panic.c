/* panic.c: the kernel's last words. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "backtrace.h"
#include "ksyms.h"
#include "panic.h"
#include "vga.h"
#include "x86.h"

#define PANIC_ATTRIBUTE vga_attribute(VGA_WHITE, VGA_RED)

static bool panicking;

void (*panic_hook)(const char *file, int line);

int panic_print(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    int count = kvprintf_panic(PANIC_ATTRIBUTE, fmt, args);
    va_end(args);
    return count;
}

void panic_begin(void)
{
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
}

_Noreturn void panic_end(const char *file, int line)
{
    if (panic_hook != NULL)
        panic_hook(file, line);
    halt_forever();
}

_Noreturn void panic_at(const char *file, int line, const char *fmt, ...)
{
    va_list args;

    panic_begin();
    panic_print("panic at %s:%d: ", file, line);
    va_start(args, fmt);
    kvprintf_panic(PANIC_ATTRIBUTE, fmt, args);
    va_end(args);
    panic_print("\n");
    /* Our own frame record is where the walk starts: its return address is in our caller. */
    panic_print("backtrace:\n");
    backtrace_print(panic_print, &kernel_symbol_table, (uint64_t)__builtin_frame_address(0),
                    boot_stack());
    panic_end(file, line);
}
