/*
 * kmain.c: the first C code that runs. boot.S calls kmain in 64-bit long
 * mode with the multiboot2 magic and information pointer from GRUB.
 *
 * The VGA text buffer at physical address 0xB8000 holds 80 x 25 cells of
 * two bytes: the character (code page 437) and its colour attribute, with
 * the foreground in bits 0-3 and the background in bits 4-7.
 */
#include <stdint.h>

#include "x86.h"

#define VGA_WIDTH  80
#define VGA_HEIGHT 25

#define COLOUR_DEFAULT     0x07 /* light grey on black */
#define COLOUR_LIGHT_GREEN 0x0a /* light green on black */

/*
 * volatile: every store must reach the buffer. The compiler cannot see
 * that the screen reads this memory, so it could drop or merge stores.
 */
static volatile uint16_t *const vga_buffer = (volatile uint16_t *)0xb8000;

static uint16_t vga_cell(char c, uint8_t colour)
{
    return (uint16_t)((uint16_t)colour << 8 | (uint8_t)c);
}

static void clear_screen(void)
{
    for (int i = 0; i < VGA_WIDTH * VGA_HEIGHT; i++)
        vga_buffer[i] = vga_cell(' ', COLOUR_DEFAULT);
}

/* Text that does not fit is cut off at the bottom-right corner. */
static void write_string_at(int row, int column, const char *s, uint8_t colour)
{
    if (row < 0 || row >= VGA_HEIGHT || column < 0 || column >= VGA_WIDTH)
        return;

    volatile uint16_t *cell = &vga_buffer[row * VGA_WIDTH + column];

    while (*s != '\0' && cell < vga_buffer + VGA_WIDTH * VGA_HEIGHT)
        *cell++ = vga_cell(*s++, colour);
}

void kmain(uint32_t multiboot_magic, uint32_t multiboot_info)
{
    /* boot.S has checked the magic; the information is not used yet. */
    (void)multiboot_magic;
    (void)multiboot_info;

    clear_screen();
    write_string_at(0, 0, "Hello World!", COLOUR_LIGHT_GREEN);
    halt_forever();
}
