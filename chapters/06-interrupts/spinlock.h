/*
 * spinlock.h: a lock that waits by spinning.
 *
 * With one CPU, nothing else can take a lock while its holder runs; the
 * lock makes each kprintf one indivisible operation. But an exception or
 * an NMI can arrive while the code it interrupts holds the lock, and a
 * handler that waited for that lock would spin forever: the holder cannot
 * run until the handler returns. Exception and NMI handlers therefore only
 * try the lock (spin_trylock).
 *
 * Hardware interrupts (chapter 06) can be held off: a lock that an IRQ
 * handler takes too is taken with interrupts disabled (spin_lock_irqsave),
 * so no handler can run on this CPU while the lock is held.
 */
#ifndef SPINLOCK_H
#define SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct spinlock {
    bool locked;
};

#define SPINLOCK_INIT                                                                              \
    {                                                                                              \
        false                                                                                      \
    }

void spin_lock(struct spinlock *lock);
void spin_unlock(struct spinlock *lock);

/* Take the lock if it is free and return true; never wait. */
bool spin_trylock(struct spinlock *lock);

/*
 * Disable interrupts, then take the lock; returns RFLAGS as it was.
 * spin_unlock_irqrestore releases the lock, then enables interrupts again
 * only if they were enabled before: the pair nests inside code that had
 * them off already (an IRQ handler).
 */
uint64_t spin_lock_irqsave(struct spinlock *lock);
void spin_unlock_irqrestore(struct spinlock *lock, uint64_t rflags);

#endif
