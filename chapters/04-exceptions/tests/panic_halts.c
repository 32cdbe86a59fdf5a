/*
 * panic_halts: a real panic, outside any test hook, as in the chapter's own
 * kernel. The test removes the panic_hook that ktest_kernel.c installed and
 * panics: panic_at must print its message and stop the CPU with interrupts
 * off (cli; hlt), which boots.ini checks with end = halt. No test result
 * follows the plan line: nothing is left to report it.
 */
#include <stddef.h>

#include "ktest.h"
#include "panic.h"

TEST(a_panic_without_a_hook_halts_the_cpu)
{
    panic_hook = NULL;
    panic("no hook: this panic halts with interrupts off");
}
