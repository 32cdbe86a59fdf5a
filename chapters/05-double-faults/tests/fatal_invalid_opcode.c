/*
 * fatal_invalid_opcode: ud2, the instruction that is defined to be
 * undefined, with no handler registered. The report names #UD and the
 * test function, then the kernel stops through the panic path.
 */
#include "known_registers.h"
#include "ktest.h"

TEST_SHOULD_PANIC(unhandled_invalid_opcode_stops_the_kernel)
{
    __asm__ volatile(LOAD_KNOWN_REGISTERS "ud2" : : : KNOWN_REGISTERS, "cc", "memory");
}
