/*
 * test_paging.c: page_walk on the host, over tables built in ordinary
 * memory. Host pointers below 2^47 fit an entry's address field, so the
 * walk follows them like physical addresses under an identity map.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ktest.h"
#include "paging.h"

static uint64_t *new_table(void)
{
    uint64_t *table = aligned_alloc(4096, 4096);
    memset(table, 0, 4096);
    return table;
}

static uint64_t points_to(const uint64_t *table)
{
    return (uintptr_t)table | PTE_PRESENT | PTE_WRITABLE;
}

/* PML4[1] -> PDPT[2] -> PD[3] -> PT[4]: address 1 << 39 | 2 << 30 | 3 << 21 | 4 << 12. */
#define ADDRESS_1_2_3_4 ((1ull << 39) | (2ull << 30) | (3ull << 21) | (4ull << 12))

struct tables {
    uint64_t *pml4, *pdpt, *pd, *pt;
};

static struct tables four_levels(void)
{
    struct tables t = {new_table(), new_table(), new_table(), new_table()};
    t.pml4[1] = points_to(t.pdpt);
    t.pdpt[2] = points_to(t.pd);
    t.pd[3] = points_to(t.pt);
    t.pt[4] = 0x7654000 | PTE_PRESENT;
    return t;
}

static void free_tables(struct tables t)
{
    free(t.pml4);
    free(t.pdpt);
    free(t.pd);
    free(t.pt);
}

TEST(walk_reaches_a_4k_page_through_four_levels)
{
    struct tables t = four_levels();
    struct page_walk walk = page_walk(t.pml4, ADDRESS_1_2_3_4 + 0x123);
    EXPECT_TRUE(page_walk_present(walk));
    EXPECT_EQ(1, walk.level);
    EXPECT_EQ(0x7654000 | PTE_PRESENT, walk.entry);
    EXPECT_EQ(4096, page_walk_size(walk));
    free_tables(t);
}

TEST(walk_stops_at_a_not_present_page)
{
    struct tables t = four_levels();
    struct page_walk walk = page_walk(t.pml4, ADDRESS_1_2_3_4 + 4096); /* PT[5] is empty */
    EXPECT_FALSE(page_walk_present(walk));
    EXPECT_EQ(1, walk.level);
    free_tables(t);
}

TEST(walk_stops_at_the_first_missing_level)
{
    struct tables t = four_levels();
    EXPECT_EQ(4, page_walk(t.pml4, 0).level);                              /* PML4[0] is empty */
    EXPECT_EQ(3, page_walk(t.pml4, 1ull << 39).level);                     /* PDPT[0] */
    EXPECT_EQ(2, page_walk(t.pml4, ADDRESS_1_2_3_4 - (3ull << 21)).level); /* PD[0] */
    EXPECT_FALSE(page_walk_present(page_walk(t.pml4, 1ull << 39)));
    free_tables(t);
}

TEST(walk_stops_at_a_2m_page)
{
    struct tables t = four_levels();
    t.pd[5] = 0x40000000 | PTE_PRESENT | PTE_HUGE;
    struct page_walk walk = page_walk(t.pml4, (1ull << 39) | (2ull << 30) | (5ull << 21) | 0x1234);
    EXPECT_TRUE(page_walk_present(walk));
    EXPECT_EQ(2, walk.level);
    EXPECT_EQ(2 * 1024 * 1024, page_walk_size(walk));
    free_tables(t);
}

TEST(walk_stops_at_a_1g_page)
{
    struct tables t = four_levels();
    t.pdpt[7] = 0x80000000 | PTE_PRESENT | PTE_HUGE;
    struct page_walk walk = page_walk(t.pml4, (1ull << 39) | (7ull << 30) | 0x12345678);
    EXPECT_EQ(3, walk.level);
    EXPECT_EQ(1024 * 1024 * 1024, page_walk_size(walk));
    free_tables(t);
}

TEST(walk_ignores_address_bits_above_47)
{
    struct tables t = four_levels();
    /* The canonical upper-half form of the same index bits. */
    EXPECT_EQ(1, page_walk(t.pml4, ADDRESS_1_2_3_4 | 0xffff000000000000ull).level);
    free_tables(t);
}
