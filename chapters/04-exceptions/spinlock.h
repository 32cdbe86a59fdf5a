/*
 * spinlock.h: a lock that waits by spinning.
 *
 * With one CPU, nothing else can take a lock while its holder runs; the
 * lock makes each kprintf one indivisible operation. But an exception or
 * an NMI can arrive while the code it interrupts holds the lock, and a
 * handler that waited for that lock would spin forever: the holder cannot
 * run until the handler returns. Handlers therefore only try the lock
 * (spin_trylock), and chapter 06 revisits this for interrupts.
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

/* Take the lock if it is free and return true; never wait. */
bool spin_trylock(struct spinlock *lock);

#endif
