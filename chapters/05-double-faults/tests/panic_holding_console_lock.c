/*
 * panic_holding_console_lock: a panic while this CPU holds the console lock,
 * as when a kassert fails inside kprintf. kvprintf_panic takes the console
 * over without waiting for the lock, so the message must still appear; if
 * panic waited for the lock, this kernel would spin until the timeout.
 */
#include "console_lock.h"
#include "ktest.h"
#include "panic.h"

TEST_SHOULD_PANIC(panic_prints_while_the_console_lock_is_held)
{
    spin_lock(&console_lock);
    panic("the console lock is held");
}
