/*
 * kmain.c: chapter 04 installs the IDT, then executes a breakpoint
 * instruction on purpose. The CPU jumps through the IDT to our handler,
 * which prints what it found and returns, and kmain carries on.
 */
#include <stdbool.h>
#include <stdint.h>

#include "idt.h"
#include "kprintf.h"
#include "serial.h"
#include "vga.h"
#include "x86.h"

/*
 * int3 with a value you can recognise in each register the report shows,
 * and a known RFLAGS (bit 1 always reads as 1), so that the report says
 * the same on every run and with every compiler. The asm saves nothing:
 * the clobber list tells the compiler which registers it overwrites.
 */
static void breakpoint_with_known_registers(void)
{
    __asm__ volatile("movabsq $0x1111111111111111, %%rax\n\t"
                     "movabsq $0x2222222222222222, %%rbx\n\t"
                     "movabsq $0x3333333333333333, %%rcx\n\t"
                     "movabsq $0x4444444444444444, %%rdx\n\t"
                     "movabsq $0x5555555555555555, %%rsi\n\t"
                     "movabsq $0x6666666666666666, %%rdi\n\t"
                     "movabsq $0x8888888888888888, %%r8\n\t"
                     "movabsq $0x9999999999999999, %%r9\n\t"
                     "movabsq $0xaaaaaaaaaaaaaaaa, %%r10\n\t"
                     "movabsq $0xbbbbbbbbbbbbbbbb, %%r11\n\t"
                     "movabsq $0xcccccccccccccccc, %%r12\n\t"
                     "movabsq $0xdddddddddddddddd, %%r13\n\t"
                     "movabsq $0xeeeeeeeeeeeeeeee, %%r14\n\t"
                     "movabsq $0xffffffffffffffff, %%r15\n\t"
                     "pushq $0x2\n\t"
                     "popfq\n\t"
                     "int3"
                     :
                     :
                     : "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12",
                       "r13", "r14", "r15", "cc", "memory");
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
