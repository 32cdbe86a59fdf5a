/*
 * fatal_page_fault: a write to unmapped memory with no handler registered.
 * The default action reports the fault and stops the kernel through the
 * panic path, which in a test kernel ends the run: this kernel passes
 * only by that panic, and its transcript pins the whole report (the error
 * code and CR2 decoded, every register, the backtrace).
 */
#include "known_registers.h"
#include "ktest.h"

TEST_SHOULD_PANIC(unhandled_page_fault_stops_the_kernel)
{
    /* RCX holds the address: the report shows it there and in CR2. */
    __asm__ volatile(LOAD_KNOWN_REGISTERS "movl $0xdeadbeef, %%ecx\n\t"
                                          "movb $1, (%%rcx)"
                     :
                     :
                     : KNOWN_REGISTERS, "cc", "memory");
}
