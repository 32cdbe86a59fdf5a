/*
 * boot_state: what boot.S leaves behind for kmain, read back from the CPU.
 * QEMU hides most of it: GRUB leaves CR0.WP clear, so a page table entry
 * without the writable bit still lets the kernel write, and a stale SS only
 * faults at the first iretq (chapter 04). Only reading the state back
 * catches a mistake here.
 */
#include <stdbool.h>
#include <stdint.h>

#include "ktest.h"
#include "stacks.h"
#include "x86.h"

/* Constants, not macros, so that a failed EXPECT shows their names. */

/* The selectors boot.S loads from boot_gdt, and gdt_init again from gdt.c's GDT. */
enum { KERNEL_CS = 0x08, KERNEL_DS = 0x10 };

/* Page table entry bits (Intel SDM Vol. 3A, 5.5 "4-Level Paging", the entry formats). */
enum {
    PTE_PRESENT = 1 << 0,
    PTE_WRITABLE = 1 << 1,
    PTE_ACCESSED = 1 << 5, /* set by the CPU when it uses the entry */
    PTE_DIRTY = 1 << 6,    /* set by the CPU on a write through a 2 MiB page */
    PTE_HUGE = 1 << 7,
};
#define PTE_ADDRESS 0x000ffffffffff000ull /* bits 12-51 */

#define ENTRIES 512
#define PAGE_2M (2ull << 20)

#define read_segment(name)                                                                         \
    ({                                                                                             \
        uint16_t selector;                                                                         \
        __asm__ volatile("mov %%" #name ", %0" : "=r"(selector));                                  \
        selector;                                                                                  \
    })

/* The entry as boot.S wrote it: the two bits the CPU sets itself masked out. */
static uint64_t as_written(uint64_t entry)
{
    return entry & ~(uint64_t)(PTE_ACCESSED | PTE_DIRTY);
}

/* The flag bits of an entry as boot.S wrote it, without the address. */
static uint64_t flags_of(uint64_t entry)
{
    return as_written(entry) & ~PTE_ADDRESS;
}

/* The first GiB is identity mapped, so a table's physical address is its address. */
static const uint64_t *table_at(uint64_t physical)
{
    return (const uint64_t *)(uintptr_t)(physical & PTE_ADDRESS);
}

/* Every entry after the first must be not present; returns how many are. */
static int present_after_the_first(const uint64_t *table)
{
    int present = 0;
    for (int i = 1; i < ENTRIES; i++)
        present += (table[i] & PTE_PRESENT) != 0;
    return present;
}

TEST(cr3_points_at_the_pml4_with_no_cache_flags)
{
    EXPECT_EQ(0, read_cr3() & ~PTE_ADDRESS); /* PWT, PCD and the reserved bits clear */
}

TEST(pml4_has_one_entry_present_and_writable)
{
    const uint64_t *pml4 = table_at(read_cr3());

    EXPECT_EQ(PTE_PRESENT | PTE_WRITABLE, flags_of(pml4[0]));
    EXPECT_EQ(0, present_after_the_first(pml4));
}

TEST(pdpt_has_one_entry_present_and_writable)
{
    const uint64_t *pdpt = table_at(table_at(read_cr3())[0]);

    EXPECT_EQ(PTE_PRESENT | PTE_WRITABLE, flags_of(pdpt[0]));
    EXPECT_EQ(0, present_after_the_first(pdpt));
}

/*
 * Entry 0 points to a page table of 4 KiB pages (chapter 05: the guard
 * pages); entries 1-511 map 2 MiB each: entry i physical i * 2 MiB,
 * present, writable, huge.
 */
TEST(page_directory_identity_maps_the_first_gib)
{
    const uint64_t *pd = table_at(table_at(table_at(read_cr3())[0])[0]);
    int wrong = 0;

    EXPECT_EQ(PTE_PRESENT | PTE_WRITABLE, flags_of(pd[0]));
    for (int i = 1; i < ENTRIES; i++) {
        uint64_t expected = i * PAGE_2M | PTE_PRESENT | PTE_WRITABLE | PTE_HUGE;
        if (as_written(pd[i]) != expected && wrong++ == 0)
            EXPECT_EQ(expected, as_written(pd[i])); /* the first wrong one, in full */
    }
    EXPECT_EQ(0, wrong);
}

/* boot.S's guard pages, one below each stack (stacks.h). */
static bool is_guard_page(uint64_t address)
{
    for (int i = 0; i < STACK_COUNT; i++)
        if (kernel_stacks[i].guard == address)
            return true;
    return false;
}

/* The first 2 MiB, 4 KiB at a time: entry i maps physical i * 4 KiB, except the guard pages. */
TEST(page_table_identity_maps_the_first_2_mib_but_the_guard_pages)
{
    const uint64_t *pt = table_at(table_at(table_at(table_at(read_cr3())[0])[0])[0]);
    int wrong = 0, guards = 0;

    for (int i = 0; i < ENTRIES; i++) {
        uint64_t page = (uint64_t)i * PAGE_SIZE;
        uint64_t expected = is_guard_page(page) ? 0 : page | PTE_PRESENT | PTE_WRITABLE;
        guards += is_guard_page(page);
        if (as_written(pt[i]) != expected && wrong++ == 0)
            EXPECT_EQ(expected, as_written(pt[i]));
    }
    EXPECT_EQ(0, wrong);
    EXPECT_EQ(STACK_COUNT, guards);
}

TEST(cs_holds_the_kernel_code_selector)
{
    uint16_t cs = read_segment(cs);

    EXPECT_EQ(KERNEL_CS, cs);
}

TEST(every_data_segment_register_holds_the_kernel_data_selector)
{
    uint16_t ss = read_segment(ss), ds = read_segment(ds), es = read_segment(es);
    uint16_t fs = read_segment(fs), gs = read_segment(gs);

    EXPECT_EQ(KERNEL_DS, ss);
    EXPECT_EQ(KERNEL_DS, ds);
    EXPECT_EQ(KERNEL_DS, es);
    EXPECT_EQ(KERNEL_DS, fs);
    EXPECT_EQ(KERNEL_DS, gs);
}
