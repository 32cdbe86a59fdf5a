/*
 * fatal_general_protection: loading DS with a selector past the end of
 * the GDT, with no handler registered. The report decodes the selector
 * error code (GDT entry 10), then the kernel stops through the panic path.
 */
#include "known_registers.h"
#include "ktest.h"

TEST_SHOULD_PANIC(unhandled_general_protection_fault_stops_the_kernel)
{
    /* Selector 0x53: GDT entry 10, RPL 3. boot.S's GDT has three entries. */
    __asm__ volatile(LOAD_KNOWN_REGISTERS "movl $0x53, %%ecx\n\t"
                                          "movw %%cx, %%ds"
                     :
                     :
                     : KNOWN_REGISTERS, "cc", "memory");
}
