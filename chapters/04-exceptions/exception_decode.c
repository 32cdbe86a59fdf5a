/* exception_decode.c: vector names and error codes, in words. */
#include "exception_decode.h"
#include "format.h"
#include "trap_frame.h"

/* Intel SDM Vol. 3A, Table 7-1; vectors 28-30 are AMD's (AMD64 APM Vol. 2, 8.2). */
static const struct exception_info exceptions[32] = {
    [0] = {"#DE", "divide error", CLASS_FAULT},
    [1] = {"#DB", "debug exception", CLASS_FAULT_OR_TRAP},
    [2] = {"NMI", "non-maskable interrupt", CLASS_INTERRUPT},
    [3] = {"#BP", "breakpoint", CLASS_TRAP},
    [4] = {"#OF", "overflow", CLASS_TRAP},
    [5] = {"#BR", "bound range exceeded", CLASS_FAULT},
    [6] = {"#UD", "invalid opcode", CLASS_FAULT},
    [7] = {"#NM", "device not available", CLASS_FAULT},
    [8] = {"#DF", "double fault", CLASS_ABORT},
    [9] = {"#CSO", "coprocessor segment overrun", CLASS_ABORT},
    [10] = {"#TS", "invalid TSS", CLASS_FAULT},
    [11] = {"#NP", "segment not present", CLASS_FAULT},
    [12] = {"#SS", "stack-segment fault", CLASS_FAULT},
    [13] = {"#GP", "general protection fault", CLASS_FAULT},
    [14] = {"#PF", "page fault", CLASS_FAULT},
    [15] = {"-", "reserved vector 15", CLASS_RESERVED},
    [16] = {"#MF", "x87 floating-point error", CLASS_FAULT},
    [17] = {"#AC", "alignment check", CLASS_FAULT},
    [18] = {"#MC", "machine check", CLASS_ABORT},
    [19] = {"#XM", "SIMD floating-point exception", CLASS_FAULT},
    [20] = {"#VE", "virtualization exception", CLASS_FAULT},
    [21] = {"#CP", "control protection exception", CLASS_FAULT},
    [22] = {"-", "reserved vector 22", CLASS_RESERVED},
    [23] = {"-", "reserved vector 23", CLASS_RESERVED},
    [24] = {"-", "reserved vector 24", CLASS_RESERVED},
    [25] = {"-", "reserved vector 25", CLASS_RESERVED},
    [26] = {"-", "reserved vector 26", CLASS_RESERVED},
    [27] = {"-", "reserved vector 27", CLASS_RESERVED},
    [28] = {"#HV", "hypervisor injection exception", CLASS_FAULT},
    [29] = {"#VC", "VMM communication exception", CLASS_FAULT},
    [30] = {"#SX", "security exception", CLASS_FAULT},
    [31] = {"-", "reserved vector 31", CLASS_RESERVED},
};

static const struct exception_info not_an_exception = {"-", "not an exception vector",
                                                       CLASS_RESERVED};

const struct exception_info *exception_info(uint64_t vector)
{
    return vector < 32 ? &exceptions[vector] : &not_an_exception;
}

const char *exception_class_name(enum exception_class class)
{
    switch (class) {
    case CLASS_FAULT:
        return "fault";
    case CLASS_TRAP:
        return "trap";
    case CLASS_FAULT_OR_TRAP:
        return "fault or trap";
    case CLASS_ABORT:
        return "abort";
    case CLASS_INTERRUPT:
        return "interrupt";
    case CLASS_RESERVED:
        break;
    }
    return "reserved";
}

bool exception_has_error_code(uint64_t vector)
{
    return vector < 32 && (VECTORS_WITH_ERROR_CODE >> vector) & 1;
}

/* Where the next piece of text goes when `length` characters were wanted so far. */
static size_t used(size_t size, int length)
{
    if ((size_t)length < size)
        return (size_t)length;
    return size > 0 ? size - 1 : 0;
}

/* Page-fault error code bits (SDM Vol. 3A, 5.7 "Page-Fault Exceptions"). */
#define PF_PRESENT     (1u << 0)  /* 0: the page was not present; 1: a protection violation */
#define PF_WRITE       (1u << 1)  /* 0: read; 1: write */
#define PF_USER        (1u << 2)  /* 0: kernel (CPL 0-2); 1: user mode (CPL 3) */
#define PF_RESERVED    (1u << 3)  /* a reserved bit was set in a paging-structure entry */
#define PF_INSTRUCTION (1u << 4)  /* an instruction fetch (with NX or SMEP enabled) */
#define PF_PROT_KEY    (1u << 5)  /* protection keys forbade the access */
#define PF_SHADOW      (1u << 6)  /* a shadow-stack access */
#define PF_HLAT        (1u << 7)  /* during HLAT paging */
#define PF_SGX         (1u << 15) /* an SGX access-control violation */
#define PF_KNOWN                                                                                   \
    (PF_PRESENT | PF_WRITE | PF_USER | PF_RESERVED | PF_INSTRUCTION | PF_PROT_KEY | PF_SHADOW |    \
     PF_HLAT | PF_SGX)

int describe_page_fault_error(char *buffer, size_t size, uint64_t error_code)
{
    const char *access = error_code & PF_INSTRUCTION ? "instruction fetch"
                         : error_code & PF_WRITE     ? "write"
                                                     : "read";
    uint64_t unknown = error_code & ~(uint64_t)PF_KNOWN;

    int length =
        snformat(buffer, size, "%s, %s, %s mode%s%s%s%s%s",
                 error_code & PF_PRESENT ? "protection violation" : "page not present", access,
                 error_code & PF_USER ? "user" : "kernel",
                 error_code & PF_RESERVED ? ", reserved bit set in a page-table entry" : "",
                 error_code & PF_PROT_KEY ? ", protection key" : "",
                 error_code & PF_SHADOW ? ", shadow stack" : "",
                 error_code & PF_HLAT ? ", HLAT paging" : "", error_code & PF_SGX ? ", SGX" : "");
    if (unknown != 0)
        length += snformat(buffer + used(size, length), size - used(size, length),
                           ", unknown bits 0x%llx", (unsigned long long)unknown);
    return length;
}

/*
 * A selector error code (SDM Vol. 3A, 7.13 "Error Code"): bit 0 EXT, the
 * exception happened while delivering an external event; bit 1 IDT, the
 * index is an IDT vector; otherwise bit 2 TI picks the LDT (1) or the GDT
 * (0). Bits 3-15 are the index, so for the GDT and LDT the code with
 * bits 0-1 cleared is the selector itself (with RPL 0).
 */
#define SELECTOR_EXTERNAL (1u << 0)
#define SELECTOR_IDT      (1u << 1)
#define SELECTOR_LDT      (1u << 2)

int describe_selector_error(char *buffer, size_t size, uint64_t error_code)
{
    unsigned index = (error_code >> 3) & 0x1fff;
    const char *external = error_code & SELECTOR_EXTERNAL ? ", external event" : "";

    if (error_code == 0)
        return snformat(buffer, size, "no selector involved");
    if (error_code & SELECTOR_IDT)
        return snformat(buffer, size, "IDT vector %u%s", index, external);
    return snformat(buffer, size, "%s entry %u (selector 0x%x)%s",
                    error_code & SELECTOR_LDT ? "LDT" : "GDT", index,
                    (unsigned)(error_code & 0xfffc), external);
}

int describe_error_code(char *buffer, size_t size, uint64_t vector, uint64_t error_code)
{
    switch (vector) {
    case 14:
        return describe_page_fault_error(buffer, size, error_code);
    case 10:
    case 11:
    case 12:
    case 13:
        return describe_selector_error(buffer, size, error_code);
    }
    return snformat(buffer, size, "%s", "");
}
