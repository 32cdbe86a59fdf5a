/*
 * test_console.c: the VGA console on a heap buffer of exactly 80 x 25
 * cells. AddressSanitizer stops the run if the console ever writes a
 * single cell outside it.
 */
#include <stdint.h>
#include <stdlib.h>

#include "ktest.h"
#include "ports.h"
#include "vga.h"

#define CELLS (VGA_WIDTH * VGA_HEIGHT)

static struct console console;
static uint16_t *cells;

/* A fresh console on a fresh buffer for each test (freed by the next one). */
static void fresh_console(void)
{
    free(cells);
    cells = malloc(CELLS * sizeof(*cells));
    console_init(&console, cells, VGA_DEFAULT_ATTRIBUTE);
}

static void put_string(const char *s)
{
    while (*s != '\0')
        console_put_char(&console, *s++);
}

/* count x's, from wherever the console is. */
static void put_xs(int count)
{
    for (int i = 0; i < count; i++)
        console_put_char(&console, 'x');
}

static char char_at(int row, int column)
{
    return (char)(cells[row * VGA_WIDTH + column] & 0xff);
}

static uint8_t attribute_at(int row, int column)
{
    return (uint8_t)(cells[row * VGA_WIDTH + column] >> 8);
}

TEST(init_clears_every_cell)
{
    fresh_console();
    for (int i = 0; i < CELLS; i++)
        EXPECT_EQ(0x0720, cells[i]);
    EXPECT_EQ(0, console.row);
    EXPECT_EQ(0, console.column);
}

TEST(characters_carry_the_current_colour)
{
    fresh_console();
    put_string("a");
    console_set_attribute(&console, vga_attribute(VGA_LIGHT_RED, VGA_BLUE));
    put_string("b");
    EXPECT_EQ(0x0761, cells[0]);
    EXPECT_EQ(0x1c62, cells[1]);
}

TEST(newline_and_carriage_return)
{
    fresh_console();
    put_string("abc\nde\rX");
    EXPECT_EQ('c', char_at(0, 2));
    EXPECT_EQ('X', char_at(1, 0));
    EXPECT_EQ('e', char_at(1, 1));
    EXPECT_EQ(1, console.row);
    EXPECT_EQ(1, console.column);
}

TEST(wraps_after_column_80)
{
    fresh_console();
    put_xs(VGA_WIDTH);
    /* The row is full but the wrap waits for the next character. */
    EXPECT_EQ(0, console.row);
    EXPECT_EQ(VGA_WIDTH, console.column);
    put_string("y");
    EXPECT_EQ('y', char_at(1, 0));
    EXPECT_EQ(1, console.row);
    EXPECT_EQ(1, console.column);
}

/* vga_move_cursor drives the CRT controller, simulated here by unit/ports.c. */
TEST(cursor_stays_on_the_last_cell_of_a_full_row)
{
    fresh_console();
    ports_reset();
    put_xs(VGA_WIDTH);
    vga_move_cursor(console.row, console.column);
    EXPECT_EQ(VGA_WIDTH - 1, crtc_cursor_position()); /* row 0, column 79 */
    vga_move_cursor(VGA_HEIGHT - 1, VGA_WIDTH);
    EXPECT_EQ(VGA_WIDTH * VGA_HEIGHT - 1, crtc_cursor_position()); /* not off the screen */
    vga_move_cursor(3, 7);
    EXPECT_EQ(3 * VGA_WIDTH + 7, crtc_cursor_position());
}

TEST(newline_after_a_full_row_does_not_add_a_blank_row)
{
    fresh_console();
    put_xs(VGA_WIDTH);
    put_string("\nz");
    EXPECT_EQ('z', char_at(1, 0));
}

TEST(scrolls_when_the_screen_is_full)
{
    fresh_console();
    for (int row = 0; row < VGA_HEIGHT; row++) {
        console_put_char(&console, (char)('A' + row));
        console_put_char(&console, '\n');
    }
    EXPECT_EQ('B', char_at(0, 0)); /* 'A' scrolled away */
    EXPECT_EQ('Y', char_at(VGA_HEIGHT - 2, 0));
    EXPECT_EQ(' ', char_at(VGA_HEIGHT - 1, 0));
    EXPECT_EQ(VGA_HEIGHT - 1, console.row);
}

TEST(writing_the_last_cell_does_not_scroll_yet)
{
    fresh_console();
    for (int i = 0; i < CELLS; i++)
        console_put_char(&console, 'a' + i % 26);
    EXPECT_EQ('a', char_at(0, 0));
    put_string("!");
    EXPECT_EQ('a' + VGA_WIDTH % 26, char_at(0, 0)); /* now it scrolled once */
    EXPECT_EQ('!', char_at(VGA_HEIGHT - 1, 0));
}

TEST(scrolled_in_rows_keep_the_screen_colour)
{
    fresh_console();
    console_set_attribute(&console, vga_attribute(VGA_WHITE, VGA_RED));
    for (int row = 0; row < VGA_HEIGHT; row++)
        put_string("panic\n");
    /* A red newline must not paint the new bottom row red. */
    EXPECT_EQ(VGA_DEFAULT_ATTRIBUTE, attribute_at(VGA_HEIGHT - 1, 40));
    EXPECT_EQ(0x4f, attribute_at(VGA_HEIGHT - 2, 0));
}

TEST(clear_sets_the_screen_colour)
{
    fresh_console();
    console_set_attribute(&console, vga_attribute(VGA_WHITE, VGA_BLUE));
    console_clear(&console);
    EXPECT_EQ(0x1f, attribute_at(0, 0));
    for (int row = 0; row < VGA_HEIGHT; row++)
        put_string("\n");
    EXPECT_EQ(0x1f, attribute_at(VGA_HEIGHT - 1, 79));
    put_string("ab\b");
    EXPECT_EQ(0x1f, attribute_at(VGA_HEIGHT - 1, 1));
}

TEST(tab_stops_every_8_columns)
{
    fresh_console();
    put_string("a\tb");
    EXPECT_EQ('b', char_at(0, 8));
    EXPECT_EQ(' ', char_at(0, 1));
    put_string("\t\tc");
    EXPECT_EQ('c', char_at(0, 24));
}

TEST(tab_near_the_right_edge_stays_in_the_row)
{
    fresh_console();
    put_xs(VGA_WIDTH - 3);
    put_string("\t");
    EXPECT_EQ(VGA_WIDTH, console.column);
    EXPECT_EQ(0, console.row);
    put_string("\tq"); /* a tab on a full row starts the next one */
    EXPECT_EQ('q', char_at(1, 8));
}

TEST(backspace_erases_and_stops_at_column_0)
{
    fresh_console();
    put_string("abc\b\bX");
    EXPECT_EQ('a', char_at(0, 0));
    EXPECT_EQ('X', char_at(0, 1));
    EXPECT_EQ(' ', char_at(0, 2));
    put_string("\n\b\b\b");
    EXPECT_EQ(1, console.row);
    EXPECT_EQ(0, console.column);
    EXPECT_EQ('a', char_at(0, 0)); /* the previous row is untouched */
}

TEST(backspace_in_the_top_left_corner_stays_inside)
{
    fresh_console();
    put_string("\b\b");
    EXPECT_EQ(0, console.row);
    EXPECT_EQ(0, console.column);
    put_string("k");
    EXPECT_EQ('k', char_at(0, 0));
}

TEST(non_ascii_bytes_become_the_placeholder)
{
    fresh_console();
    put_string("\x01\x7f\x80\xff");
    for (int i = 0; i < 4; i++) {
        EXPECT_EQ(VGA_PLACEHOLDER, (uint8_t)char_at(0, i));
        EXPECT_EQ(VGA_DEFAULT_ATTRIBUTE, attribute_at(0, i)); /* no sign extension */
    }
}

TEST(clear_resets_the_position)
{
    fresh_console();
    put_string("text\nmore");
    console_clear(&console);
    EXPECT_EQ(0, console.row);
    EXPECT_EQ(0, console.column);
    EXPECT_EQ(' ', char_at(0, 0));
}

TEST(a_flood_of_text_stays_inside_the_buffer)
{
    fresh_console();
    for (int i = 0; i < 20000; i++)
        console_put_char(&console, (char)(i * 7919)); /* every byte value, controls too */
    EXPECT_TRUE(console.row >= 0 && console.row < VGA_HEIGHT);
    EXPECT_TRUE(console.column >= 0 && console.column <= VGA_WIDTH);
}
