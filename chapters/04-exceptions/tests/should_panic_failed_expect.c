/*
 * should_panic_failed_expect: a should-panic test that panics as it
 * must, but only after an EXPECT failed. It must be reported "not ok" and
 * the kernel must exit with failure (boots.ini: end = failure): the panic
 * does not wipe out the failure before it.
 */
#include "ktest.h"
#include "panic.h"

TEST_SHOULD_PANIC(failed_expect_then_the_expected_panic)
{
    EXPECT_EQ(4, 2 + 3);
    panic("the expected panic, after a failed EXPECT");
}
