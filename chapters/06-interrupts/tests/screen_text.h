/*
 * screen_text.h: what the VGA text screen shows, for test kernels that
 * check where a line landed.
 */
#ifndef TESTS_SCREEN_TEXT_H
#define TESTS_SCREEN_TEXT_H

#include "vga.h"

/* The characters of screen row `row` (attributes dropped), as a C string. */
static inline const char *screen_row(int row)
{
    static char text[VGA_WIDTH + 1];

    for (int column = 0; column < VGA_WIDTH; column++)
        text[column] = (char)(vga_console.cells[row * VGA_WIDTH + column] & 0xff);
    text[VGA_WIDTH] = '\0';
    return text;
}

#endif
