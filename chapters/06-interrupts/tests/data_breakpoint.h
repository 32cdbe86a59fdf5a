/*
 * data_breakpoint.h: debug register breakpoint 0 on one byte of data, for
 * test kernels that must stop the CPU at an exact point inside kernel
 * code (SDM Vol. 3B, "Debug Registers"). The CPU raises a debug exception
 * (#DB, vector 1, a trap) right after the instruction that touched it.
 */
#ifndef TESTS_DATA_BREAKPOINT_H
#define TESTS_DATA_BREAKPOINT_H

#include <stdint.h>

#define VECTOR_DEBUG 1

/* DR7 bits for breakpoint 0: L0 (enabled), R/W0 = 11 (data reads or writes), LEN0 = 00 (1 byte). */
#define DR7_L0            (1u << 0)
#define DR7_RW0_READWRITE (3u << 16)
#define DR6_B0            (1u << 0) /* breakpoint 0 was hit */

/* "memory": no load or store may move across the arming or disarming. */
static inline void set_dr7(uint64_t value)
{
    __asm__ volatile("mov %0, %%dr7" : : "r"(value) : "memory");
}

/* DR0 holds the address; DR7 arms it for any read or write of that one byte. */
static inline void watch_byte(const void *address)
{
    __asm__ volatile("mov %0, %%dr0" : : "r"(address) : "memory");
    set_dr7(DR7_L0 | DR7_RW0_READWRITE);
}

static inline void stop_watching(void)
{
    set_dr7(0);
}

/* Which breakpoints were hit (DR6); cleared, as the CPU never clears DR6 itself. */
static inline uint64_t read_and_clear_dr6(void)
{
    uint64_t dr6;

    __asm__ volatile("mov %%dr6, %0" : "=r"(dr6));
    __asm__ volatile("mov %0, %%dr6" : : "r"(0ull));
    return dr6;
}

#endif
