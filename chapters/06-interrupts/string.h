/*
 * string.h: the four memory functions every C compiler may call on its own,
 * even in freestanding code (for struct copies and zeroing). There is no C
 * library in a kernel, so we provide them.
 */
#ifndef STRING_H
#define STRING_H

#include <stddef.h>

void *memset(void *dest, int byte, size_t count);
void *memcpy(void *restrict dest, const void *restrict src, size_t count);
void *memmove(void *dest, const void *src, size_t count);
int memcmp(const void *a, const void *b, size_t count);

#endif
