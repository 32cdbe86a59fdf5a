/*
 * vga.h: the VGA text screen and a console that writes to it.
 *
 * The text buffer at physical 0xB8000 is 80 x 25 cells of 16 bits: the low
 * byte is a code page 437 character, the high byte its attribute, with the
 * foreground colour in bits 0-3 and the background in bits 4-7. (With the
 * attribute controller's blink bit set, the default, bit 7 makes the
 * character blink instead of selecting a bright background.)
 */
#ifndef VGA_H
#define VGA_H

#include <stdint.h>

#define VGA_WIDTH  80
#define VGA_HEIGHT 25

enum vga_colour {
    VGA_BLACK,
    VGA_BLUE,
    VGA_GREEN,
    VGA_CYAN,
    VGA_RED,
    VGA_MAGENTA,
    VGA_BROWN,
    VGA_LIGHT_GREY,
    VGA_DARK_GREY,
    VGA_LIGHT_BLUE,
    VGA_LIGHT_GREEN,
    VGA_LIGHT_CYAN,
    VGA_LIGHT_RED,
    VGA_LIGHT_MAGENTA,
    VGA_YELLOW,
    VGA_WHITE,
};

static inline uint8_t vga_attribute(enum vga_colour foreground, enum vga_colour background)
{
    return (uint8_t)(foreground | background << 4);
}

#define VGA_DEFAULT_ATTRIBUTE (VGA_LIGHT_GREY | VGA_BLACK << 4) /* 0x07 */

/* Shown for every byte that is not printable ASCII: CP437's small square. */
#define VGA_PLACEHOLDER 0xfe

#define TAB_WIDTH 8

/*
 * A console draws into any buffer of VGA_WIDTH x VGA_HEIGHT cells, so the
 * same code runs on the real screen and, in tests, on plain memory.
 * column == VGA_WIDTH means "the row is full": the wrap to the next row is
 * deferred until another character arrives, so a line of exactly 80
 * characters followed by '\n' does not leave an empty row behind.
 */
struct console {
    volatile uint16_t *cells;
    int top; /* the first row it writes to: rows above belong to a status line */
    int row;
    int column;
    uint8_t attribute;       /* colour of the characters written next */
    uint8_t blank_attribute; /* colour of blanked cells: set by console_clear */
};

void console_init(struct console *console, volatile uint16_t *cells, uint8_t attribute);
/* Blank the screen in the current colour, which becomes the colour of every
 * cell the console blanks later (scrolled-in rows, backspace). */
void console_clear(struct console *console);
void console_put_char(struct console *console, char c);
void console_set_attribute(struct console *console, uint8_t attribute);
/* Keep the top `rows` rows out of the console's way: it no longer writes,
 * scrolls or clears them. */
void console_reserve_top(struct console *console, int rows);
/* Fill one row with text, padded with blanks (or cut) to the full width. */
void console_write_row(struct console *console, int row, const char *text, uint8_t attribute);

/* The real screen: its console and the blinking hardware cursor. */
extern struct console vga_console;
void vga_init(void);
void vga_write(const char *s, int length);
void vga_set_attribute(uint8_t attribute);
void vga_move_cursor(int row, int column);
/* Under UEFI there is no text mode: the screen functions then do nothing. */
void vga_disable(void);
/* The top row as a status line: reserved on first use, then rewritten each time. */
void vga_write_status(const char *text, uint8_t attribute);

#endif
