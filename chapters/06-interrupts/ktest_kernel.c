/*
 * ktest_kernel.c: the kmain of every test kernel. A test kernel is the
 * chapter's kernel without kmain.c, plus this file, ktest.c and one file
 * from tests/ that holds the TESTs.
 */
#include <stdint.h>

#include "gdt.h"
#include "idt.h"
#include "irq.h"
#include "kprintf.h"
#include "ktest.h"
#include "panic.h"
#include "qemu.h"
#include "serial.h"
#include "vga.h"

int ktest_vprintf(const char *fmt, va_list args)
{
    return kvprintf(fmt, args);
}

_Noreturn void ktest_exit(bool all_passed)
{
    qemu_exit(all_passed ? QEMU_EXIT_SUCCESS : QEMU_EXIT_FAILURE);
}

void kmain(uint32_t multiboot_magic, uint32_t multiboot_info)
{
    (void)multiboot_magic;
    (void)multiboot_info;

    vga_init();
    if (!serial_init())
        kprintf("ktest: no working UART on COM1; results are on the screen only\n");
    panic_hook = ktest_panicked;
    gdt_init();
    idt_init();
    irq_init(); /* the PICs moved to vectors 32-47, every line masked */
    ktest_run_all();
}
