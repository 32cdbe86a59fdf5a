/* x86.h: the few privileged instructions C code needs, as inline functions. */
#ifndef X86_H
#define X86_H

/* Clear RFLAGS.IF: maskable interrupts are no longer delivered. */
static inline void cli(void)
{
    __asm__ volatile("cli" ::: "memory");
}

/* Stop the CPU until the next interrupt (or forever with IF = 0). */
static inline void hlt(void)
{
    __asm__ volatile("hlt" ::: "memory");
}

/* Halt for good. NMIs and SMIs can still wake the CPU, hence the loop. */
static inline _Noreturn void halt_forever(void)
{
    for (;;) {
        cli();
        hlt();
    }
}

#endif
