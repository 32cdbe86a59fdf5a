/*
 * should_panic: this kernel passes only if its one test panics. It proves
 * that kassert stops the kernel, and that test-runner.py can tell a panic
 * that was expected from one that was not (tests/unit.c must not panic).
 */
#include "ktest.h"
#include "panic.h"

TEST_SHOULD_PANIC(failed_kassert_panics)
{
    int two = 2;
    kassert(two + two == 5);
}
