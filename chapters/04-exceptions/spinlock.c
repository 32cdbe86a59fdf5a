/*
 * spinlock.c: acquire with an atomic exchange, release with a store.
 *
 * __atomic_exchange_n compiles to XCHG, which is atomic on x86 even without
 * a LOCK prefix (Intel SDM Vol. 3A, 9.1.2.1). Acquire and release ordering
 * keep the compiler from moving the protected accesses out of the locked
 * region; the CPU itself does not reorder stores with older loads or
 * stores (SDM Vol. 3A, 9.2.2).
 */
#include "spinlock.h"

void spin_lock(struct spinlock *lock)
{
    while (__atomic_exchange_n(&lock->locked, true, __ATOMIC_ACQUIRE)) {
        /* Wait on a plain read so the cache line is not bounced around. */
        while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED))
            __asm__ volatile("pause");
    }
}

void spin_unlock(struct spinlock *lock)
{
    __atomic_store_n(&lock->locked, false, __ATOMIC_RELEASE);
}

bool spin_trylock(struct spinlock *lock)
{
    return !__atomic_exchange_n(&lock->locked, true, __ATOMIC_ACQUIRE);
}
