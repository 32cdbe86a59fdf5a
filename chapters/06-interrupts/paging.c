/* paging.c: a software page walk over the tables CR3 points to. */
#include <stdint.h>

#include "paging.h"

/* Bits 47-39, 38-30, 29-21 and 20-12 of the address index the four levels. */
static unsigned table_index(uint64_t address, int level)
{
    return (unsigned)(address >> (12 + 9 * (level - 1)) & 511);
}

struct page_walk page_walk(const uint64_t *pml4, uint64_t address)
{
    const uint64_t *table = pml4;

    for (int level = 4;; level--) {
        uint64_t entry = table[table_index(address, level)];
        struct page_walk walk = {entry, level};
        /*
         * A not-present entry ends the walk, and so does one that maps a
         * page: every page-table entry, or a PDPT or PD entry with PS set
         * (in a PML4 entry that bit is reserved, always 0).
         */
        if (!(entry & PTE_PRESENT) || level == 1 || entry & PTE_HUGE)
            return walk;
        table = (const uint64_t *)(uintptr_t)(entry & PTE_ADDRESS);
    }
}

uint64_t page_walk_size(struct page_walk walk)
{
    return 1ull << (12 + 9 * (walk.level - 1));
}
