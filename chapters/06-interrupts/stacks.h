/*
 * stacks.h: the kernel's stacks, each directly above a guard page.
 *
 * boot.S sets the stacks aside in .bss and leaves the page just below each
 * one not present in the page tables. A stack that grows past its bottom
 * then writes into that page, which raises a page fault, instead of quietly
 * overwriting whatever lies below it.
 *
 *   guard (not present) | boot stack | guard | #DF stack | guard | NMI stack | guard | #MC stack
 *
 * boot.S includes this file too, for the sizes.
 */
#ifndef STACKS_H
#define STACKS_H

#define PAGE_SIZE  4096
#define STACK_SIZE 16384 /* each stack; a multiple of PAGE_SIZE */

#ifndef __ASSEMBLER__
#include <stdint.h>

#include "backtrace.h"

enum kernel_stack_id {
    STACK_BOOT,          /* kmain and everything it calls run here */
    STACK_DOUBLE_FAULT,  /* interrupt stack table entry 1 (gdt.c) */
    STACK_NMI,           /* entry 2 */
    STACK_MACHINE_CHECK, /* entry 3 */
    STACK_COUNT
};

struct kernel_stack {
    const char *name;
    uintptr_t guard; /* the not-present page just below the stack */
    uintptr_t top;   /* one past the highest byte: the first RSP, 16-byte aligned */
};

extern const struct kernel_stack kernel_stacks[STACK_COUNT];

/* The stack whose guard page rsp points into or just below (an overflow), or NULL. */
const struct kernel_stack *stack_overflowed(uint64_t rsp);

/* The stack that holds address (its guard page excluded), or NULL. */
const struct kernel_stack *stack_containing(uint64_t address);

/* That stack as bounds for a backtrace starting at address (empty if none). */
struct stack_bounds stack_bounds_at(uint64_t address);

/* Recurse until the boot stack runs out: for kmain's demo and tests/stack_overflow.c. */
void overflow_the_stack(void);
#endif

#endif
