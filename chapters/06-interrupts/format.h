/*
 * format.h: printf-style formatting, written once against an output
 * callback so that the screen, the serial port and tests all share it.
 *
 * Conversions: %c %s %d %i %u %x %X %p %%
 * Length modifiers: l (long), ll (long long), z (size_t)
 * Flags and width: - (left-align), 0 (pad with zeros), a decimal width.
 * %s of NULL prints "(null)"; %p prints 0x and 16 hex digits; anything
 * else after a % is printed exactly as written, and so is the rest of the
 * format after it (its arguments can no longer be trusted). No floating
 * point.
 */
#ifndef FORMAT_H
#define FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Called once per output character with the context given to vformat. */
typedef void (*format_output)(void *context, char c);

/* Returns the number of characters produced. */
int vformat(format_output output, void *context, const char *fmt, va_list args);

/*
 * Format into buffer, like snprintf: at most size - 1 characters and a
 * terminating '\0' (when size > 0). Returns the length the whole text
 * would have, so a result >= size means it was cut short.
 */
int snformat(char *buffer, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnformat(char *buffer, size_t size, const char *fmt, va_list args);

#endif
