/*
 * double_fault_check.h: for test kernels that end in a double fault. A
 * test installs its own #DF handler, which checks what the CPU left and
 * then hands the frame on to the kernel's handler for the report.
 */
#ifndef TESTS_DOUBLE_FAULT_CHECK_H
#define TESTS_DOUBLE_FAULT_CHECK_H

#include <stdint.h>

#include "exception.h"
#include "ktest.h"
#include "stacks.h"

#define VECTOR_DOUBLE_FAULT 8

/*
 * True of every double fault: the error code is always 0 (SDM Vol. 3A,
 * 7.15, "Interrupt 8-Double Fault Exception"), and gate 8's IST field made
 * the CPU switch to IST1, the double-fault stack, before it pushed the
 * frame. Called from the test's handler, so RSP here is on that stack.
 */
static inline void expect_double_fault_on_its_own_stack(const struct trap_frame *frame)
{
    uint64_t rsp;
    __asm__ volatile("mov %%rsp, %0" : "=r"(rsp));

    EXPECT_EQ(VECTOR_DOUBLE_FAULT, frame->vector);
    EXPECT_EQ(0, frame->error_code);
    EXPECT_TRUE(stack_containing(rsp) == &kernel_stacks[STACK_DOUBLE_FAULT]);
}

/* The kernel's own #DF handler: its report, then the panic path. */
static inline void report_with_the_kernel_handler(struct trap_frame *frame)
{
    exception_set_handler(VECTOR_DOUBLE_FAULT, NULL);
    exception_dispatch(frame);
}

#endif
