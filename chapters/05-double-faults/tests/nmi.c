/*
 * nmi: a real NMI, sent by the local APIC to its own CPU, while the
 * console is free and in the middle of a kprintf.
 *
 * Why a real one: an NMI arrives even with interrupts disabled (this
 * kernel never enables them), at whatever instruction the CPU is on.
 * `int $2` would run the same handler, but as an ordinary instruction at
 * a place of our choosing; it proves nothing about the hardware path. To
 * put the NMI exactly in the middle of a kprintf, a debug register
 * watches one character of the format string: vformat reads it after the
 * first 64 characters have gone out to the screen and the serial port,
 * the CPU raises a debug exception (#DB, a trap) right after that read,
 * and our #DB handler sends the NMI from there, with kprintf's console
 * lock held.
 *
 * If the NMI handler waited for the lock, this kernel would hang (the
 * boot's timeout fails it). If it printed anyway, its line would land
 * between the 64th and 65th character of the kprintf's line, on screen
 * and in the serial transcript.
 */
#include <stdbool.h>
#include <stdint.h>

#include "data_breakpoint.h"
#include "exception.h"
#include "kprintf.h"
#include "ksyms.h"
#include "ktest.h"
#include "screen_text.h"
#include "vga.h"
#include "x86.h"

/* ---- mapping the local APIC -------------------------------------------- */

/* Its registers are memory-mapped here (Intel SDM Vol. 3A, 11.4.1 "The Local APIC Block Diagram").
 */
#define LAPIC_BASE     0xfee00000u
#define LAPIC_ID       0x020 /* bits 24-31: this CPU's APIC ID */
#define LAPIC_ICR_LOW  0x300 /* interrupt command register; writing it sends the IPI */
#define LAPIC_ICR_HIGH 0x310 /* bits 24-31: the destination APIC ID */

#define ICR_DELIVERY_NMI (4u << 8)  /* delivery mode 100: NMI (the vector field is ignored) */
#define ICR_ASSERT       (1u << 14) /* level: assert */

#define PAGE_PRESENT        (1u << 0)
#define PAGE_WRITABLE       (1u << 1)
#define PAGE_WRITE_THROUGH  (1u << 3)
#define PAGE_CACHE_DISABLED (1u << 4) /* device registers must not be cached */
#define PAGE_HUGE           (1u << 7) /* a 2 MiB page in a page directory */
#define ENTRY_ADDRESS       0x000ffffffffff000ull

static uint64_t apic_page_directory[512] __attribute__((aligned(4096)));

/*
 * boot.S identity-maps the first GiB; the APIC sits in the fourth. Give
 * that GiB a page directory with one 2 MiB page, the APIC's, uncached.
 * The page tables are identity-mapped, so their physical addresses work
 * as pointers.
 */
static void map_local_apic(void)
{
    uint64_t *pml4 = (uint64_t *)(read_cr3() & ENTRY_ADDRESS);
    uint64_t *pdpt = (uint64_t *)(pml4[0] & ENTRY_ADDRESS);

    apic_page_directory[(LAPIC_BASE >> 21) & 511] = LAPIC_BASE | PAGE_PRESENT | PAGE_WRITABLE |
                                                    PAGE_WRITE_THROUGH | PAGE_CACHE_DISABLED |
                                                    PAGE_HUGE;
    pdpt[LAPIC_BASE >> 30] = (uint64_t)apic_page_directory | PAGE_PRESENT | PAGE_WRITABLE;
    __asm__ volatile("mov %0, %%cr3" : : "r"(read_cr3()) : "memory"); /* flush the TLB */
}

static inline volatile uint32_t *lapic(unsigned reg)
{
    return (volatile uint32_t *)(uintptr_t)(LAPIC_BASE + reg);
}

/*
 * An NMI to this CPU, addressed by its own APIC ID (the "self" shorthand
 * is not allowed with NMI delivery). Then wait for it: delivery takes a
 * moment on real hardware. noinline: the NMI lands in this function, and
 * its report names it.
 */
static __attribute__((noinline)) void raise_nmi_and_wait(void)
{
    uint64_t before = nmi_count();

    *lapic(LAPIC_ICR_HIGH) = *lapic(LAPIC_ID) & 0xff000000u;
    *lapic(LAPIC_ICR_LOW) = ICR_DELIVERY_NMI | ICR_ASSERT;
    for (int spins = 0; nmi_count() == before && spins < 10000000; spins++)
        __asm__ volatile("pause");
}

static bool starts_with(const char *text, const char *prefix)
{
    while (*prefix != '\0')
        if (*text++ != *prefix++)
            return false;
    return true;
}

TEST(nmi_while_the_console_is_free_is_reported_at_once)
{
    map_local_apic();
    uint64_t before = nmi_count();
    int row = vga_console.row;

    raise_nmi_and_wait();
    EXPECT_EQ(before + 1, nmi_count());
    EXPECT_TRUE(starts_with(screen_row(row), "NMI 1 at 0x"));
    EXPECT_EQ(row + 1, vga_console.row); /* printed already: the cursor moved down a row */
}

/* ---- an NMI in the middle of a kprintf --------------------------------- */

/* 78 characters: the first 64 are flushed before vformat reads the one at WATCHED. */
static const char watched_line[] =
    "One kprintf, one line: an NMI arrives in the middle and waits for the end (%d).\n";
#define WATCHED 70

/* kprintf(line, n) with handler on the #DB that line[WATCHED] raises; returns the first row. */
static int kprintf_with_breakpoint(exception_handler handler, const char *line, int n)
{
    exception_handler previous = exception_set_handler(VECTOR_DEBUG, handler);
    watch_byte(&line[WATCHED]);

    int row = vga_console.row;
    kprintf(line, n);

    stop_watching();
    exception_set_handler(VECTOR_DEBUG, previous);
    return row;
}

static int debug_exceptions;
static uint64_t nmis_seen_in_handler;
static int column_before_nmi, column_after_nmi;

/* The #DB handler: the CPU is inside kprintf, which holds the console lock. */
static void send_nmi_from_inside_kprintf(struct trap_frame *frame)
{
    (void)frame;
    stop_watching(); /* once is enough */
    if (!(read_and_clear_dr6() & DR6_B0))
        return;
    debug_exceptions++;
    column_before_nmi = vga_console.column;
    uint64_t before = nmi_count();
    raise_nmi_and_wait();
    nmis_seen_in_handler = nmi_count() - before;
    column_after_nmi = vga_console.column;
}

TEST(nmi_in_the_middle_of_kprintf_neither_deadlocks_nor_tears_the_line)
{
    int row = kprintf_with_breakpoint(send_nmi_from_inside_kprintf, watched_line, 2);
    EXPECT_EQ(1, debug_exceptions);
    EXPECT_EQ(1, nmis_seen_in_handler); /* the NMI came while kprintf was stopped */
    EXPECT_EQ(64, column_before_nmi);   /* the first chunk was on screen */
    EXPECT_EQ(64, column_after_nmi);    /* and the NMI added nothing to it */
    EXPECT_STREQ("One kprintf, one line: an NMI arrives in the middle and waits for the end (2).  ",
                 screen_row(row));
    EXPECT_TRUE(starts_with(screen_row(row + 1), "NMI 2 at 0x"));
}

/* ---- an NMI just as kprintf goes to print a waiting report ------------- */

/*
 * kprintf, as it releases the lock, finds a report waiting (kprintf.c's
 * nmi_text_waiting set) and takes the lock again to print it. An NMI that
 * arrives between that check and the trylock finds the report waiting
 * and the lock free: it prints the report itself and clears the flag.
 * kprintf, resumed, must not print it a second time. Two breakpoints in
 * a row put the NMIs there: the first, on the format as above, sends one
 * while kprintf holds the lock (its report waits); the second, on the
 * flag, sends one right after kprintf has read it.
 */
static const char flag_line[] =
    "A report waits for this line; an NMI comes between the check and the lock (%d).\n";

static const char *waiting_flag;
static int flag_breakpoints;

/* A variable by name, from the kernel's own symbol table (nmi_text_waiting is static). */
static const char *variable_named(const char *name)
{
    const struct symbol_table *table = &kernel_symbol_table;

    for (uint64_t i = 0; i < table->count; i++)
        if (ktest_strings_equal(table->names + table->symbols[i].name, name))
            return (const char *)(uintptr_t)table->symbols[i].address;
    return NULL;
}

static void send_nmis_around_the_check(struct trap_frame *frame)
{
    (void)frame;
    stop_watching();
    if (!(read_and_clear_dr6() & DR6_B0))
        return;
    flag_breakpoints++;
    raise_nmi_and_wait();
    if (flag_breakpoints == 1)
        watch_byte(waiting_flag); /* its next reader: kprintf, once it has unlocked */
}

TEST(nmi_between_the_check_for_a_waiting_report_and_the_lock_prints_it_once)
{
    waiting_flag = variable_named("nmi_text_waiting");
    EXPECT_TRUE(waiting_flag != NULL);
    if (waiting_flag == NULL)
        return;
    uint64_t before = nmi_count();
    int row = kprintf_with_breakpoint(send_nmis_around_the_check, flag_line, 3);
    EXPECT_EQ(2, flag_breakpoints);
    EXPECT_EQ(before + 2, nmi_count());
    EXPECT_TRUE(starts_with(screen_row(row + 1), "NMI 3 at 0x"));
    EXPECT_TRUE(starts_with(screen_row(row + 2), "(1 more NMI report lost)"));
    EXPECT_EQ(row + 3, vga_console.row); /* and nothing more: NMI 3's report once */
}
