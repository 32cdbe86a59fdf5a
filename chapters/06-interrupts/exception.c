/*
 * exception.c: the C half of exception handling. trap_entry.S calls
 * exception_dispatch with the saved registers; it runs the handler for
 * the vector, then returns to trap_entry.S, which resumes the
 * interrupted code.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exception.h"
#include "exception_decode.h"
#include "format.h"
#include "idt.h"
#include "irq.h"
#include "ksyms.h"
#include "kprintf.h"
#include "panic.h"
#include "pic.h"
#include "stacks.h"
#include "x86.h"

#define VECTOR_NMI          2
#define VECTOR_BREAKPOINT   3
#define VECTOR_DOUBLE_FAULT 8
#define VECTOR_PAGE_FAULT   14

static exception_handler handlers[EXCEPTION_VECTORS];

uint64_t nmis_seen;

exception_handler exception_set_handler(uint8_t vector, exception_handler handler)
{
    kassert(vector < EXCEPTION_VECTORS);
    exception_handler previous = handlers[vector];
    handlers[vector] = handler;
    return previous;
}

/* "0x0000000000101234 <kmain+0x2a>" */
static const char *address_text(char *buffer, size_t size, uint64_t address)
{
    format_address(buffer, size, &kernel_symbol_table, address, false);
    return buffer;
}

static void print_registers(backtrace_printer print, const struct trap_frame *frame)
{
    char text[96];

    print("RIP %s\n", address_text(text, sizeof(text), frame->rip));
    print("RSP %s\n", address_text(text, sizeof(text), frame->rsp));
    print("RBP %s\n", address_text(text, sizeof(text), frame->rbp));
    print("CS 0x%04llx  SS 0x%04llx  RFLAGS 0x%016llx\n", (unsigned long long)frame->cs,
          (unsigned long long)frame->ss, (unsigned long long)frame->rflags);
    print("RAX 0x%016llx  RBX 0x%016llx  RCX 0x%016llx\n", (unsigned long long)frame->rax,
          (unsigned long long)frame->rbx, (unsigned long long)frame->rcx);
    print("RDX 0x%016llx  RSI 0x%016llx  RDI 0x%016llx\n", (unsigned long long)frame->rdx,
          (unsigned long long)frame->rsi, (unsigned long long)frame->rdi);
    print("R8  0x%016llx  R9  0x%016llx  R10 0x%016llx\n", (unsigned long long)frame->r8,
          (unsigned long long)frame->r9, (unsigned long long)frame->r10);
    print("R11 0x%016llx  R12 0x%016llx  R13 0x%016llx\n", (unsigned long long)frame->r11,
          (unsigned long long)frame->r12, (unsigned long long)frame->r13);
    print("R14 0x%016llx  R15 0x%016llx\n", (unsigned long long)frame->r14,
          (unsigned long long)frame->r15);
}

void exception_report(backtrace_printer print, const struct trap_frame *frame, uint64_t cr2)
{
    const struct exception_info *info = exception_info(frame->vector);
    char text[96];

    print("%s %s, vector %llu (%s)\n", info->mnemonic, info->name,
          (unsigned long long)frame->vector, exception_class_name(info->class));
    if (exception_has_error_code(frame->vector)) {
        describe_error_code(text, sizeof(text), frame->vector, frame->error_code);
        print("error code 0x%llx%s%s\n", (unsigned long long)frame->error_code,
              text[0] != '\0' ? ": " : "", text);
    }
    if (frame->vector == VECTOR_PAGE_FAULT)
        print("CR2 0x%016llx: the address that was accessed\n", (unsigned long long)cr2);
    print_registers(print, frame);
    /* The interrupted instruction first, then its callers from the frame-pointer chain. */
    print("backtrace:\n  %s\n", address_text(text, sizeof(text), frame->rip));
    backtrace_print(print, &kernel_symbol_table, frame->rbp, stack_bounds_at(frame->rbp));
}

/*
 * An NMI can arrive between any two instructions, kprintf's included, and
 * cli does not hold it off. So: count it, format one line into a buffer,
 * and let kprint_from_nmi print it now or when the console is free.
 */
static void report_nmi(const struct trap_frame *frame)
{
    char where[96], text[NMI_TEXT_SIZE];
    uint64_t number = __atomic_add_fetch(&nmis_seen, 1, __ATOMIC_RELAXED);

    snformat(text, sizeof(text), "NMI %llu at %s, handled\n", (unsigned long long)number,
             address_text(where, sizeof(where), frame->rip));
    kprint_from_nmi(text);
}

/* Whether RSP shows a stack overflow, in plain words. */
static void explain_double_fault(uint64_t rsp)
{
    const struct kernel_stack *stack = stack_overflowed(rsp);

    if (stack != NULL) {
        panic_print("stack overflow: the %s is full and RSP has run into its guard page.\n",
                    stack->name);
        panic_print("The CPU could not push the page fault's frame there: a double fault.\n");
    } else {
        panic_print("not a stack overflow (RSP is at no guard page): a second exception struck\n"
                    "while the CPU was starting the handler of a first (a missing IDT gate?).\n");
    }
}

/*
 * A double fault is an abort: the CPU could not start the handler of an
 * earlier exception, and there is no instruction to go back to (SDM Vol.
 * 3A, 7.15, "Interrupt 8-Double Fault Exception"). Its error code is
 * always 0 and its saved RIP, in the SDM's words, undefined: in practice
 * it is the instruction of the first exception. The IDT gate sends it to
 * IST1, a stack of its own, so this runs even when the kernel stack is
 * full. Report, then stop for good.
 */
static _Noreturn void double_fault(const struct trap_frame *frame, uint64_t cr2)
{
    char text[96];
    uint64_t rsp;

    __asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
    const struct kernel_stack *here = stack_containing(rsp);
    panic_begin();
    panic_print("#DF double fault, vector %llu (abort), error code %llu, on the %s\n",
                (unsigned long long)frame->vector, (unsigned long long)frame->error_code,
                here != NULL ? here->name : "unknown stack");
    panic_print("RIP %s\n", address_text(text, sizeof(text), frame->rip));
    panic_print("RSP %s\n", address_text(text, sizeof(text), frame->rsp));
    panic_print("CR2 %s: the last page-fault address\n", address_text(text, sizeof(text), cr2));
    panic_print("backtrace:\n  %s\n", address_text(text, sizeof(text), frame->rip));
    backtrace_print(panic_print, &kernel_symbol_table, frame->rbp, stack_bounds_at(frame->rbp));
    explain_double_fault(frame->rsp);
    panic_print("a double fault cannot be resumed: the kernel stops here\n");
    panic_end(__FILE__, __LINE__);
}

/* Every other exception: report and stop, through the panic path (test kernels exit there). */
static _Noreturn void report_and_stop(const struct trap_frame *frame, uint64_t cr2)
{
    panic_begin();
    exception_report(panic_print, frame, cr2);
    panic_print("no handler for %s: the kernel stops here\n",
                exception_info(frame->vector)->mnemonic);
    panic_end(__FILE__, __LINE__);
}

void exception_dispatch(struct trap_frame *frame)
{
    if (frame->vector >= PIC_MASTER_VECTOR) {
        irq_dispatch(frame);
        return;
    }
    /*
     * First: anything that faults from here on would overwrite CR2. A
     * double fault often follows a page fault, so its report shows CR2 too.
     */
    bool uses_cr2 = frame->vector == VECTOR_PAGE_FAULT || frame->vector == VECTOR_DOUBLE_FAULT;
    uint64_t cr2 = uses_cr2 ? read_cr2() : 0;

    if (frame->vector < EXCEPTION_VECTORS && handlers[frame->vector] != NULL) {
        handlers[frame->vector](frame);
        return;
    }
    switch (frame->vector) {
    case VECTOR_NMI:
        report_nmi(frame);
        return;
    case VECTOR_DOUBLE_FAULT:
        double_fault(frame, cr2);
    case VECTOR_BREAKPOINT:
        /* A trap: RIP already points past the int3, so returning carries on. */
        exception_report(kprintf_in_exception, frame, cr2);
        kprintf_in_exception("breakpoint handled: returning to the next instruction\n");
        return;
    default:
        report_and_stop(frame, cr2);
    }
}
