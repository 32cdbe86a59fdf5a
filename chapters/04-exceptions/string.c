/*
 * string.c: memset, memcpy, memmove, memcmp.
 *
 * memset and memcpy are written with the string instructions REP STOSB and
 * REP MOVSB instead of C loops: an optimising compiler recognises a copy
 * loop and replaces it with a call to memcpy, which here would call itself
 * forever. On current CPUs "fast strings" make these instructions quick
 * (Intel SDM Vol. 1, 7.3.9.3). The System V ABI guarantees RFLAGS.DF = 0
 * (copy upwards) on entry to every function.
 */
#include <stdint.h>

#include "string.h"

void *memset(void *dest, int byte, size_t count)
{
    void *d = dest;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(count) : "a"(byte) : "memory");
    return dest;
}

void *memcpy(void *restrict dest, const void *restrict src, size_t count)
{
    void *d = dest;
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(count) : : "memory");
    return dest;
}

/*
 * The regions may overlap, so this is not memcpy (whose restrict promises
 * they do not). Copying upwards is safe unless the destination starts
 * inside the source: then bytes would be overwritten before they are read,
 * so copy downwards instead: set DF, point RSI/RDI at the last byte, and
 * clear DF again as the ABI demands. The overlap test compares addresses
 * as integers: C leaves comparing pointers into different objects undefined.
 */
void *memmove(void *dest, const void *src, size_t count)
{
    unsigned char *d = dest;
    const unsigned char *s = src;
    uintptr_t to = (uintptr_t)dest;
    uintptr_t from = (uintptr_t)src;

    if (count == 0)
        return dest;
    if (to <= from || to >= from + count) {
        __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(count) : : "memory");
        return dest;
    }
    d += count - 1;
    s += count - 1;
    __asm__ volatile("std\n\trep movsb\n\tcld" : "+D"(d), "+S"(s), "+c"(count) : : "memory");
    return dest;
}

int memcmp(const void *a, const void *b, size_t count)
{
    const unsigned char *x = a;
    const unsigned char *y = b;

    for (size_t i = 0; i < count; i++) {
        if (x[i] != y[i])
            return x[i] - y[i];
    }
    return 0;
}
