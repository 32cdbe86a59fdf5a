/* kprintf.h: formatted printing to the console (see format.h for the format). */
#ifndef KPRINTF_H
#define KPRINTF_H

#include <stdarg.h>
#include <stdint.h>

/* Lets the compiler check the arguments against the format string. */
#define PRINTF_LIKE(fmt_index) __attribute__((format(printf, fmt_index, fmt_index + 1)))

int kprintf(const char *fmt, ...) PRINTF_LIKE(1);
int kvprintf(const char *fmt, va_list args);

/* kprintf in another colour; the console's colour is restored afterwards. */
int kprintf_colour(uint8_t attribute, const char *fmt, ...) PRINTF_LIKE(2);

/*
 * For exception handlers that return: if the interrupted code holds the
 * console lock, print without it instead of waiting forever. (A line the
 * interrupted code was printing is then split by the report.)
 */
int kprintf_in_exception(const char *fmt, ...) PRINTF_LIKE(1);

/*
 * For the NMI handler, which may arrive at any instruction, even inside
 * kprintf: the text is printed now if the console is free, otherwise by
 * whoever holds the console when it unlocks, after its own text. One text
 * waits at a time; NMIs that find it still waiting are counted as lost.
 */
#define NMI_TEXT_SIZE 160
void kprint_from_nmi(const char *text);

/*
 * For panic only: take the console over even if its lock is held. The CPU
 * that held it is this one, and it will never return to release it.
 */
int kvprintf_panic(uint8_t attribute, const char *fmt, va_list args);

#endif
