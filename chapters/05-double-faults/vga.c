/*
 * vga.c: a console on the VGA text buffer, and the hardware cursor.
 *
 * Every write goes through console_put_char, which keeps the position
 * inside the 80 x 25 cells whatever the input: wrapping, tabs, backspace
 * and scrolling are all bounded.
 */
#include "vga.h"
#include "x86.h"

#define VGA_TEXT_BUFFER ((volatile uint16_t *)0xb8000)

/* CRT controller (Intel/IBM VGA reference, "CRT Controller Registers"). */
#define CRTC_INDEX             0x3d4 /* select a register... */
#define CRTC_DATA              0x3d5 /* ...then read or write it here */
#define CRTC_CURSOR_START      0x0a  /* bit 5 disables the cursor; bits 0-4 first scan line */
#define CRTC_CURSOR_END        0x0b  /* bits 0-4: last scan line of the cursor */
#define CRTC_CURSOR_HIGH       0x0e  /* cursor cell index, bits 8-15 */
#define CRTC_CURSOR_LOW        0x0f  /* cursor cell index, bits 0-7 */
#define CURSOR_FIRST_SCAN_LINE 14    /* a two-line underline in the 16-line character cell */
#define CURSOR_LAST_SCAN_LINE  15

/* Usable before vga_init, so that even the earliest panic reaches the screen. */
struct console vga_console = {
    .cells = VGA_TEXT_BUFFER,
    .attribute = VGA_DEFAULT_ATTRIBUTE,
    .blank_attribute = VGA_DEFAULT_ATTRIBUTE,
};

static uint16_t make_cell(unsigned char c, uint8_t attribute)
{
    return (uint16_t)(attribute << 8 | c);
}

static void clear_row(struct console *console, int row)
{
    for (int column = 0; column < VGA_WIDTH; column++)
        console->cells[row * VGA_WIDTH + column] = make_cell(' ', console->blank_attribute);
}

void console_clear(struct console *console)
{
    console->blank_attribute = console->attribute;
    for (int row = 0; row < VGA_HEIGHT; row++)
        clear_row(console, row);
    console->row = 0;
    console->column = 0;
}

void console_init(struct console *console, volatile uint16_t *cells, uint8_t attribute)
{
    console->cells = cells;
    console->attribute = attribute;
    console_clear(console);
}

void console_set_attribute(struct console *console, uint8_t attribute)
{
    console->attribute = attribute;
}

/* Move every row up by one; the bottom row becomes blank. */
static void scroll_up(struct console *console)
{
    for (int i = 0; i < (VGA_HEIGHT - 1) * VGA_WIDTH; i++)
        console->cells[i] = console->cells[i + VGA_WIDTH];
    clear_row(console, VGA_HEIGHT - 1);
}

static void new_line(struct console *console)
{
    console->column = 0;
    if (console->row == VGA_HEIGHT - 1)
        scroll_up(console);
    else
        console->row++;
}

static void put_visible(struct console *console, unsigned char c)
{
    if (console->column == VGA_WIDTH)
        new_line(console);
    console->cells[console->row * VGA_WIDTH + console->column] = make_cell(c, console->attribute);
    console->column++;
}

/* To the next multiple of TAB_WIDTH, or to the end of the row. */
static void tab(struct console *console)
{
    if (console->column == VGA_WIDTH)
        new_line(console);
    int next = (console->column / TAB_WIDTH + 1) * TAB_WIDTH;
    while (console->column < next && console->column < VGA_WIDTH)
        put_visible(console, ' ');
}

/* Step back one cell within the row and blank it; nothing at column 0. */
static void backspace(struct console *console)
{
    if (console->column == 0)
        return;
    console->column--;
    console->cells[console->row * VGA_WIDTH + console->column] =
        make_cell(' ', console->blank_attribute);
}

void console_put_char(struct console *console, char c)
{
    /* As unsigned: a char >= 0x80 must not sign-extend into the attribute. */
    unsigned char byte = (unsigned char)c;

    switch (byte) {
    case '\n':
        new_line(console);
        break;
    case '\r':
        console->column = 0;
        break;
    case '\t':
        tab(console);
        break;
    case '\b':
        backspace(console);
        break;
    default:
        put_visible(console, byte >= 0x20 && byte < 0x7f ? byte : VGA_PLACEHOLDER);
        break;
    }
}

/*
 * The cursor position is a cell index split over two CRTC registers. A full
 * row (column == VGA_WIDTH) shows the cursor on its last cell.
 */
void vga_move_cursor(int row, int column)
{
    if (column >= VGA_WIDTH)
        column = VGA_WIDTH - 1;
    uint16_t position = (uint16_t)(row * VGA_WIDTH + column);

    outb(CRTC_INDEX, CRTC_CURSOR_LOW);
    outb(CRTC_DATA, (uint8_t)(position & 0xff));
    outb(CRTC_INDEX, CRTC_CURSOR_HIGH);
    outb(CRTC_DATA, (uint8_t)(position >> 8));
}

/* Show the cursor as an underline; keep the register's upper bits as they are. */
static void enable_cursor(void)
{
    outb(CRTC_INDEX, CRTC_CURSOR_START);
    outb(CRTC_DATA, (inb(CRTC_DATA) & 0xc0) | CURSOR_FIRST_SCAN_LINE);
    outb(CRTC_INDEX, CRTC_CURSOR_END);
    outb(CRTC_DATA, (inb(CRTC_DATA) & 0xe0) | CURSOR_LAST_SCAN_LINE);
}

void vga_init(void)
{
    console_init(&vga_console, VGA_TEXT_BUFFER, VGA_DEFAULT_ATTRIBUTE);
    enable_cursor();
    vga_move_cursor(0, 0);
}

void vga_write(const char *s, int length)
{
    for (int i = 0; i < length; i++)
        console_put_char(&vga_console, s[i]);
    vga_move_cursor(vga_console.row, vga_console.column);
}

void vga_set_attribute(uint8_t attribute)
{
    console_set_attribute(&vga_console, attribute);
}
