/*
 * exception_decode.h: what the CPU tells a handler, in words. Names of
 * the 32 exception vectors and the meaning of their error codes. Pure
 * functions: the host unit tests run them too.
 */
#ifndef EXCEPTION_DECODE_H
#define EXCEPTION_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * What the saved RIP points at, by class (Intel SDM Vol. 3A, 7.5
 * "Exception Classifications"): a fault reports the instruction that
 * caused it, so returning runs it again; a trap reports the instruction
 * after it; an abort may not report a usable address at all.
 */
enum exception_class {
    CLASS_FAULT,
    CLASS_TRAP,
    CLASS_FAULT_OR_TRAP, /* #DB: depends on the breakpoint condition */
    CLASS_ABORT,
    CLASS_INTERRUPT, /* NMI: RIP is where it interrupted */
    CLASS_RESERVED,
};

struct exception_info {
    const char *mnemonic; /* "#PF" */
    const char *name;     /* "page fault" */
    enum exception_class class;
};

/* The entry for vectors 0-31; any other vector gets a "not an exception" entry. */
const struct exception_info *exception_info(uint64_t vector);

/* "fault", "trap", ... */
const char *exception_class_name(enum exception_class class);

/* Whether the CPU pushes an error code for this vector (trap_frame.h's list). */
bool exception_has_error_code(uint64_t vector);

/*
 * The error code in words, into buffer (snformat rules: always
 * terminated, cut short if it does not fit):
 *   #PF:             "page not present, write, kernel mode"
 *   #TS #NP #SS #GP: "GDT entry 10 (selector 0x50)", "IDT vector 128, external event"
 *   others:          "" (no meaning beyond the number)
 * Returns the length of the whole description.
 */
int describe_error_code(char *buffer, size_t size, uint64_t vector, uint64_t error_code);

int describe_page_fault_error(char *buffer, size_t size, uint64_t error_code);
int describe_selector_error(char *buffer, size_t size, uint64_t error_code);

#endif
