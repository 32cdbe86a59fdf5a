/*
 * spinlock.h: a lock that waits by spinning.
 *
 * With one CPU and no interrupts yet, nothing can contend for a lock in this
 * chapter; the lock makes each kprintf one indivisible operation, and the
 * interrupts chapter (06) revisits it: an interrupt handler that prints
 * while the code it interrupted holds the lock would spin forever.
 */
#ifndef SPINLOCK_H
#define SPINLOCK_H

#include <stdbool.h>

struct spinlock {
    bool locked;
};

#define SPINLOCK_INIT                                                                              \
    {                                                                                              \
        false                                                                                      \
    }

void spin_lock(struct spinlock *lock);
void spin_unlock(struct spinlock *lock);

#endif
