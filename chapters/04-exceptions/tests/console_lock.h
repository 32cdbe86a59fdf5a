/*
 * console_lock.h: kprintf.c's lock, for test kernels only. Kernel code never
 * sees it (kprintf.h does not declare it); a test holds it to act out a
 * panic in the middle of a kprintf.
 */
#ifndef TESTS_CONSOLE_LOCK_H
#define TESTS_CONSOLE_LOCK_H

#include "spinlock.h"

extern struct spinlock console_lock;

#endif
