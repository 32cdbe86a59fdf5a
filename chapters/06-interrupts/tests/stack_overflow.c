/*
 * stack_overflow: unbounded recursion runs the boot stack into its guard
 * page. The CPU cannot deliver the page fault that follows, because it
 * would push the fault's frame onto the same full stack, so it raises a
 * double fault instead, whose gate switches to IST1, the double-fault
 * stack. Before the kernel's own #DF handler reports and stops (in a test
 * kernel: exits QEMU), a check of ours runs in its place and looks at
 * where the CPU left things. The kernel passes only by that path; a reset
 * (a triple fault), a hang or any other exit fails, and the transcript
 * pins the report.
 */
#include <stdint.h>

#include "double_fault_check.h"
#include "exception.h"
#include "ktest.h"
#include "stacks.h"
#include "x86.h"

static void check_then_report(struct trap_frame *frame)
{
    expect_double_fault_on_its_own_stack(frame);
    EXPECT_TRUE(stack_overflowed(frame->rsp) == &kernel_stacks[STACK_BOOT]);
    /* The page fault that could not be delivered was in the guard page. */
    EXPECT_EQ(kernel_stacks[STACK_BOOT].guard, read_cr2() & ~(uint64_t)(PAGE_SIZE - 1));

    report_with_the_kernel_handler(frame);
}

TEST_SHOULD_PANIC(unbounded_recursion_ends_in_a_double_fault)
{
    exception_set_handler(VECTOR_DOUBLE_FAULT, check_then_report);
    overflow_the_stack();
}
