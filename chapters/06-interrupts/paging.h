/*
 * paging.h: reading the page tables back, the way the CPU walks them.
 *
 * boot.S builds the tables; nothing changes them afterwards. The walk is
 * how checks find out what the CPU will do with an address: the page
 * tables are the only record of a guard page, since QEMU never complains
 * about one until something touches it.
 */
#ifndef PAGING_H
#define PAGING_H

#include <stdbool.h>
#include <stdint.h>

/* Page-table entry bits (SDM Vol. 3A, "4-Level Paging"). */
#define PTE_PRESENT  (1ull << 0)
#define PTE_WRITABLE (1ull << 1)
#define PTE_HUGE     (1ull << 7)           /* in a PDPT or PD entry: maps a 1 GiB or 2 MiB page */
#define PTE_ADDRESS  0x000ffffffffff000ull /* bits 12-51: the next table or the page */

struct page_walk {
    uint64_t entry; /* the last entry read: the one that maps the page, or a not-present one */
    int level;      /* where it stopped: 4 PML4, 3 PDPT, 2 page directory, 1 page table */
};

/*
 * Walk the 4-level tables rooted at pml4 for a linear address. Table
 * addresses in entries are physical; this kernel maps memory one to one,
 * so they are usable as pointers.
 */
struct page_walk page_walk(const uint64_t *pml4, uint64_t address);

/* Bytes mapped by the entry a successful walk ended at: 4 KiB, 2 MiB or 1 GiB. */
uint64_t page_walk_size(struct page_walk walk);

static inline bool page_walk_present(struct page_walk walk)
{
    return walk.entry & PTE_PRESENT;
}

#endif
