/*
 * host.c: runs the ktest.h tests in unit/ as an ordinary program on the
 * development machine. Same TEST macros, same runner (ktest.c); printing
 * and exiting go through the C library instead of the kernel.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ktest.h"

int ktest_vprintf(const char *fmt, va_list args)
{
    return vprintf(fmt, args);
}

_Noreturn void ktest_exit(bool all_passed)
{
    fflush(stdout);
    exit(all_passed ? EXIT_SUCCESS : EXIT_FAILURE);
}

int main(void)
{
    /* Line by line, so the results so far survive a sanitizer stopping the run. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    ktest_run_all();
}
