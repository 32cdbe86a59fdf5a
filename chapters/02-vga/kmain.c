/*
 * kmain.c: chapter 02 shows off the console. Everything below ends up on
 * the screen, and the screen transcript in expected/ proves each feature:
 * the first lines scroll away, colours, number formatting, placeholders,
 * tabs, backspace, and finally a deliberate panic.
 */
#include <stddef.h>
#include <stdint.h>

#include "kprintf.h"
#include "panic.h"
#include "vga.h"

static const char *const colour_names[16] = {
    "black",     "blue",          "green",     "cyan",       "red",         "magenta",
    "brown",     "light grey",    "dark grey", "light blue", "light green", "light cyan",
    "light red", "light magenta", "yellow",    "white",
};

static const char *volatile unusual_format =
    "odd: %s %s, percent %%, '-' beats '0' [%-05d], unknown %q ends it: %d\n";

/* Twelve lines: the rest of the demo pushes the first two of them off the screen. */
static void fill_screen_to_scroll(void)
{
    kprintf("Hello from the VGA console! These first lines will scroll away.\n");
    for (int i = 1; i <= 11; i++)
        kprintf("scroll test line %d of 11\n", i);
}

static void show_colours(void)
{
    kprintf_colour(vga_attribute(VGA_YELLOW, VGA_BLUE), "%-80s\n",
                   " Chapter 02: a VGA text console");
    for (int colour = 0; colour < 16; colour++) {
        uint8_t background = colour == VGA_BLACK ? VGA_LIGHT_GREY : VGA_BLACK;
        kprintf_colour(vga_attribute(colour, background), "%s", colour_names[colour]);
        kprintf(colour % 8 == 7 ? "\n" : " ");
    }
}

static void show_numbers(void)
{
    kprintf("decimal: %d %i %u %d\n", 42, -42, 4294967295u, 0);
    kprintf("hex: %x %X %lx %p\n", 0xcafe, 0xcafe, 0xdeadbeefUL, (void *)0xb8000);
    kprintf("int64:  min %lld max %lld\n", (long long)INT64_MIN, (long long)INT64_MAX);
    kprintf("uint64: max %llu = %llx, size_t %zu\n", (unsigned long long)UINT64_MAX,
            (unsigned long long)UINT64_MAX, sizeof(struct console));
    kprintf("width: [%6d] [%-6d] [%06d] [%3s] [%-3c]\n", -42, -42, -42, "abcd", 'c');
    /*
     * The compiler checks format strings it can see and would reject the
     * next line's deliberate mistakes; read through a volatile pointer, the
     * format is only known at run time, where vformat handles them.
     */
    kprintf(unusual_format, "text", (const char *)NULL, 42, 7);
}

static void show_control_characters(void)
{
    kprintf("bytes outside ASCII: [\x01\x7f\x80\xff] become placeholders\n");
    kprintf("tabs:\tone\ttwo\tthree\n");
    kprintf("backspace: abc\b\bX\n");
    kprintf("xxxxxxxxxxxxxxxx the \\r rewrote the x's\rcarriage return:\n");
}

void kmain(uint32_t multiboot_magic, uint32_t multiboot_info)
{
    (void)multiboot_magic;
    (void)multiboot_info;

    vga_init();
    fill_screen_to_scroll();
    show_colours();
    show_numbers();
    show_control_characters();
    panic("the demo is over; this panic is %s", "deliberate");
}
