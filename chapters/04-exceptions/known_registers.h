/*
 * known_registers.h: inline assembly that puts a value you can recognise
 * into every general-purpose register except RSP and RBP (the stack and
 * frame pointers), and a known RFLAGS. An exception report printed right
 * after it is then the same on every run and with every compiler.
 *
 *   __asm__ volatile(LOAD_KNOWN_REGISTERS "int3" : : : KNOWN_REGISTERS, "cc", "memory");
 */
#ifndef KNOWN_REGISTERS_H
#define KNOWN_REGISTERS_H

#define LOAD_KNOWN_REGISTERS                                                                       \
    "movabsq $0x1111111111111111, %%rax\n\t"                                                       \
    "movabsq $0x2222222222222222, %%rbx\n\t"                                                       \
    "movabsq $0x3333333333333333, %%rcx\n\t"                                                       \
    "movabsq $0x4444444444444444, %%rdx\n\t"                                                       \
    "movabsq $0x5555555555555555, %%rsi\n\t"                                                       \
    "movabsq $0x6666666666666666, %%rdi\n\t"                                                       \
    "movabsq $0x8888888888888888, %%r8\n\t"                                                        \
    "movabsq $0x9999999999999999, %%r9\n\t"                                                        \
    "movabsq $0xaaaaaaaaaaaaaaaa, %%r10\n\t"                                                       \
    "movabsq $0xbbbbbbbbbbbbbbbb, %%r11\n\t"                                                       \
    "movabsq $0xcccccccccccccccc, %%r12\n\t"                                                       \
    "movabsq $0xdddddddddddddddd, %%r13\n\t"                                                       \
    "movabsq $0xeeeeeeeeeeeeeeee, %%r14\n\t"                                                       \
    "movabsq $0xffffffffffffffff, %%r15\n\t"                                                       \
    "pushq $0x2\n\t" /* RFLAGS: all flags clear (bit 1 always reads as 1) */                       \
    "popfq\n\t"

/* The clobber list for the above: the compiler saves what it needs around the asm. */
#define KNOWN_REGISTERS                                                                            \
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"

#endif
