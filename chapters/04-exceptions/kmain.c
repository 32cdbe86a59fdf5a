/*
 * kmain.c: chapter 04 installs the IDT, then executes a breakpoint
 * instruction on purpose. The CPU jumps through the IDT to our handler,
 * which prints what it found and returns, and kmain carries on.
 */
#include <stdbool.h>
#include <stdint.h>

#include "idt.h"
#include "known_registers.h"
#include "kprintf.h"
#include "serial.h"
#include "vga.h"
#include "x86.h"

/*
 * int3, with a value you can recognise in each register the report
 * shows. The clobber list tells the compiler which registers the asm
 * overwrites, so it keeps nothing of its own there. noinline: the
 * report's backtrace shows this function, called from kmain.
 */
static __attribute__((noinline)) void breakpoint_with_known_registers(void)
{
    __asm__ volatile(LOAD_KNOWN_REGISTERS "int3" : : : KNOWN_REGISTERS, "cc", "memory");
}

void kmain(uint32_t multiboot_magic, uint32_t multiboot_info)
{
    (void)multiboot_magic;
    (void)multiboot_info;

    vga_init();
    bool have_serial = serial_init();
    idt_init();
    kprintf_colour(vga_attribute(VGA_YELLOW, VGA_BLUE), "%-80s\n", " Chapter 04: CPU exceptions");
    kprintf("The IDT is loaded: vectors 0-31 lead to our exception handlers.\n");
    kprintf("Executing int3, the breakpoint instruction, with known register values:\n");
    breakpoint_with_known_registers();
    kprintf("Execution resumed after the int3.\n");
    if (have_serial)
        kprintf("serial: COM1 passed its self-test; all of the above went there too\n");
    else
        kprintf("serial: no UART answered on COM1; printing to the screen only\n");
    kprintf("Nothing left to do: halting. (An NMI from the QEMU monitor is reported.)\n");
    halt_forever();
}
