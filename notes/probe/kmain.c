/* Probe: print every byte the keyboard controller delivers, in hex, until Esc. */
#include <stdint.h>

#include "kprintf.h"
#include "serial.h"
#include "vga.h"
#include "x86.h"

void kmain(uint32_t multiboot_magic, uint32_t multiboot_info)
{
    (void)multiboot_magic;
    (void)multiboot_info;
    vga_init();
    serial_init();
    while (inb(0x64) & 1)
        inb(0x60);
    kprintf("ready> ");
    for (;;) {
        if (!(inb(0x64) & 1))
            continue;
        uint8_t byte = inb(0x60);
        kprintf("%02x ", byte);
        if (byte == 0x81) {
            kprintf("\ndone\n");
            halt_forever();
        }
    }
}
