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

#include "exception.h"
#include "ktest.h"
#include "stacks.h"
#include "x86.h"

#define VECTOR_DOUBLE_FAULT 8

static void check_then_report(struct trap_frame *frame)
{
    uint64_t rsp;
    __asm__ volatile("mov %%rsp, %0" : "=r"(rsp));

    EXPECT_EQ(VECTOR_DOUBLE_FAULT, frame->vector);
    /* The error code of a double fault is always 0; the handler runs on IST1. */
    EXPECT_EQ(0, frame->error_code);
    EXPECT_TRUE(stack_containing(rsp) == &kernel_stacks[STACK_DOUBLE_FAULT]);
    EXPECT_TRUE(stack_overflowed(frame->rsp) == &kernel_stacks[STACK_BOOT]);
    /* The page fault that could not be delivered was in the guard page. */
    EXPECT_EQ(kernel_stacks[STACK_BOOT].guard, read_cr2() & ~(uint64_t)(PAGE_SIZE - 1));

    /* Now the kernel's own handler: its report, then the panic path. */
    exception_set_handler(VECTOR_DOUBLE_FAULT, NULL);
    exception_dispatch(frame);
}

TEST_SHOULD_PANIC(unbounded_recursion_ends_in_a_double_fault)
{
    exception_set_handler(VECTOR_DOUBLE_FAULT, check_then_report);
    overflow_the_stack();
}
