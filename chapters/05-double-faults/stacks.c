/* stacks.c: where the kernel's stacks are, and which one ran out. */
#include <stddef.h>

#include "stacks.h"

/* Labels in boot.S's .bss. */
extern char stack_guard[], stack_top[];
extern char double_fault_stack_guard[], double_fault_stack_top[];
extern char nmi_stack_guard[], nmi_stack_top[];
extern char machine_check_stack_guard[], machine_check_stack_top[];

const struct kernel_stack kernel_stacks[STACK_COUNT] = {
    [STACK_BOOT] = {"boot stack", (uintptr_t)stack_guard, (uintptr_t)stack_top},
    [STACK_DOUBLE_FAULT] = {"double-fault stack", (uintptr_t)double_fault_stack_guard,
                            (uintptr_t)double_fault_stack_top},
    [STACK_NMI] = {"NMI stack", (uintptr_t)nmi_stack_guard, (uintptr_t)nmi_stack_top},
    [STACK_MACHINE_CHECK] = {"machine-check stack", (uintptr_t)machine_check_stack_guard,
                             (uintptr_t)machine_check_stack_top},
};

const struct kernel_stack *stack_containing(uint64_t address)
{
    for (int i = 0; i < STACK_COUNT; i++) {
        const struct kernel_stack *stack = &kernel_stacks[i];
        if (address >= stack->guard + PAGE_SIZE && address < stack->top)
            return stack;
    }
    return NULL;
}

struct stack_bounds stack_bounds_at(uint64_t address)
{
    const struct kernel_stack *stack = stack_containing(address);

    if (stack == NULL)
        return (struct stack_bounds){0, 0};
    return (struct stack_bounds){stack->guard + PAGE_SIZE, stack->top};
}

/*
 * A push at the bottom of a full stack writes into the guard page, so an
 * overflow faults with RSP at the bottom or inside the guard page. A
 * function whose locals are larger than a page moves RSP past the guard
 * page in one step; RSP then lies just below it, and the first write into
 * the guard page faults (a write that lands below it goes unnoticed). The
 * stacks are packed together, so "just below" must not be inside the
 * stack underneath, where RSP is ordinary.
 */
const struct kernel_stack *stack_overflowed(uint64_t rsp)
{
    for (int i = 0; i < STACK_COUNT; i++) {
        const struct kernel_stack *stack = &kernel_stacks[i];
        uint64_t bottom = stack->guard + PAGE_SIZE;
        if (rsp >= stack->guard && rsp <= bottom)
            return stack;
        if (rsp < stack->guard && rsp >= stack->guard - PAGE_SIZE && !stack_containing(rsp))
            return stack;
    }
    return NULL;
}

/*
 * Each call needs a real stack frame: the frame pointer, the return
 * address and a buffer the compiler must keep in memory (volatile). The
 * addition after the call keeps the call from becoming a jump (a tail
 * call). Calling through a volatile pointer keeps the compiler from
 * seeing that the recursion never ends (gcc rejects that with
 * -Winfinite-recursion) and from replacing the function with a renamed
 * copy, so that reports say "recurse" whatever the compiler.
 */
static uint64_t recurse(uint64_t depth);
static uint64_t (*volatile recurse_again)(uint64_t) = recurse;

static uint64_t recurse(uint64_t depth)
{
    volatile uint8_t buffer[64];

    buffer[0] = (uint8_t)depth;
    return recurse_again(depth + 1) + buffer[0];
}

void overflow_the_stack(void)
{
    recurse(0);
}
