/*
 * missing_gate: a double fault without a stack overflow. The test clears
 * the present bit of the page-fault gate, then touches unmapped memory.
 * The CPU finds no usable gate while it delivers the page fault, which is
 * a segment-not-present exception (#NP, contributory) during a page fault:
 * a double fault (SDM Vol. 3A, Table 7-5). Without it, the machine would
 * reset. A check of ours runs in place of the kernel's #DF handler first,
 * then hands over to it for the report; the transcript pins that report.
 */
#include <stdint.h>

#include "double_fault_check.h"
#include "exception.h"
#include "idt.h"
#include "ktest.h"
#include "stacks.h"
#include "x86.h"

#define VECTOR_PAGE_FAULT 14
#define UNMAPPED_ADDRESS  0x40000000 /* 1 GiB: boot.S maps only the first GiB */

static void check_then_report(struct trap_frame *frame)
{
    expect_double_fault_on_its_own_stack(frame);
    EXPECT_TRUE(stack_overflowed(frame->rsp) == NULL); /* the boot stack is fine */
    EXPECT_EQ(UNMAPPED_ADDRESS, read_cr2());

    report_with_the_kernel_handler(frame);
}

TEST_SHOULD_PANIC(page_fault_through_a_missing_gate_is_a_double_fault)
{
    struct idt_gate *idt = (struct idt_gate *)sidt().base;

    exception_set_handler(VECTOR_DOUBLE_FAULT, check_then_report);
    idt[VECTOR_PAGE_FAULT].type_attributes &= ~IDT_GATE_PRESENT;
    (void)*(volatile uint8_t *)UNMAPPED_ADDRESS;
}
