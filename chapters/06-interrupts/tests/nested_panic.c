/*
 * nested_panic: a panic inside the panic hook. panic_at must print the
 * nested panic, then call the hook again as nested, which ends the run with
 * failure at once (boots.ini: end = failure). Before that was so, the
 * kernel halted silently and the harness waited for its timeout.
 *
 * hook_that_panics stands in for a bug in ktest's own report; on the
 * nested call it hands over to ktest_panicked, the hook it replaced.
 */
#include <stdbool.h>

#include "ktest.h"
#include "panic.h"

static void hook_that_panics(const char *file, int line, bool nested)
{
    if (!nested)
        panic("the panic hook itself panicked");
    ktest_panicked(file, line, nested);
}

TEST_SHOULD_PANIC(a_panic_inside_the_panic_hook_ends_the_run)
{
    panic_hook = hook_that_panics;
    panic("the first panic");
}
