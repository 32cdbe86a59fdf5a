/*
 * double_fault_setup: everything a double fault will need, read back from
 * the CPU and the page tables rather than from our own variables: the GDT
 * the CPU uses, the selectors it holds, the TSS it loaded, and the guard
 * pages as the page walk sees them. None of it shows on screen while it
 * works; all of it decides whether a stack overflow resets the machine.
 */
#include <stddef.h>
#include <stdint.h>

#include "exception.h"
#include "gdt.h"
#include "ktest.h"
#include "paging.h"
#include "stacks.h"
#include "x86.h"

/* ---- the TSS ----------------------------------------------------------- */

/* A TSS field as the CPU reads it: by byte offset, not by struct member. */
static uint64_t tss_quad_at(size_t offset)
{
    uint64_t value;
    __builtin_memcpy(&value, (const char *)&tss + offset, sizeof(value));
    return value;
}

TEST(tss_interrupt_stacks_are_at_the_cpus_offsets)
{
    EXPECT_EQ(kernel_stacks[STACK_DOUBLE_FAULT].top, tss_quad_at(0x24));  /* IST1 */
    EXPECT_EQ(kernel_stacks[STACK_NMI].top, tss_quad_at(0x2c));           /* IST2 */
    EXPECT_EQ(kernel_stacks[STACK_MACHINE_CHECK].top, tss_quad_at(0x34)); /* IST3 */
    for (size_t offset = 0x3c; offset <= 0x54; offset += 8)
        EXPECT_EQ(0, tss_quad_at(offset)); /* IST4-IST7: unused */
}

TEST(tss_has_no_io_permission_bitmap)
{
    uint16_t iomap_base;
    __builtin_memcpy(&iomap_base, (const char *)&tss + 0x66, sizeof(iomap_base));
    EXPECT_EQ(104, iomap_base); /* at the limit: no bitmap */
}

TEST(interrupt_stacks_are_16_byte_aligned_and_separate)
{
    for (int i = 0; i < 3; i++) {
        uint64_t top = tss.ist[i];
        EXPECT_NE(0, top);
        EXPECT_EQ(0, top & 15);
        /* Each IST stack is a stack of its own, not the boot stack or another IST's. */
        EXPECT_EQ(STACK_DOUBLE_FAULT + i, stack_containing(top - 16) - kernel_stacks);
    }
}

/* ---- the GDT ----------------------------------------------------------- */

TEST(cpu_uses_our_gdt)
{
    struct descriptor_table_pointer gdtr = sgdt();
    EXPECT_EQ((uintptr_t)gdt, gdtr.base);
    EXPECT_EQ(GDT_ENTRIES * 8 - 1, gdtr.limit);
}

TEST(gdt_code_and_data_descriptors)
{
    uint64_t code = gdt[GDT_KERNEL_CODE / 8], data = gdt[GDT_KERNEL_DATA / 8];

    EXPECT_EQ(0, gdt[0]);
    EXPECT_TRUE(code & GDT_PRESENT);
    EXPECT_TRUE(code & GDT_CODE_OR_DATA);
    EXPECT_TRUE(code & GDT_LONG_MODE);
    EXPECT_EQ(0xb, descriptor_type(code)); /* execute/read, accessed */
    EXPECT_EQ(0, code >> 45 & 3);          /* DPL 0 */
    EXPECT_TRUE(data & GDT_PRESENT);
    EXPECT_TRUE(data & GDT_CODE_OR_DATA);
    EXPECT_EQ(0x3, descriptor_type(data)); /* read/write, accessed */
}

TEST(gdt_tss_descriptor_points_at_the_tss_and_is_busy)
{
    struct system_descriptor d = {gdt[GDT_TSS / 8], gdt[GDT_TSS / 8 + 1]};

    EXPECT_EQ((uintptr_t)&tss, system_descriptor_base(d));
    EXPECT_EQ(103, system_descriptor_limit(d));
    EXPECT_TRUE(d.low & GDT_PRESENT);
    EXPECT_EQ(0, d.low & GDT_CODE_OR_DATA);
    /* LTR marked it busy: proof that the CPU loaded this descriptor. */
    EXPECT_EQ(GDT_TYPE_TSS_BUSY, descriptor_type(d.low));
    EXPECT_EQ(0, d.high >> 32); /* reserved, must be zero */
}

/* ---- the selectors ----------------------------------------------------- */

static void expect_kernel_selectors(void)
{
    struct selectors now = read_selectors();

    EXPECT_EQ(GDT_KERNEL_CODE, now.cs);
    EXPECT_EQ(GDT_KERNEL_DATA, now.ss);
    EXPECT_EQ(GDT_KERNEL_DATA, now.ds);
    EXPECT_EQ(GDT_KERNEL_DATA, now.es);
    EXPECT_EQ(GDT_KERNEL_DATA, now.fs);
    EXPECT_EQ(GDT_KERNEL_DATA, now.gs);
    EXPECT_EQ(GDT_TSS, now.tr);
}

TEST(selectors_after_boot)
{
    expect_kernel_selectors();
}

/*
 * After boot every register already holds the value gdt_init loads, so a
 * missing reload would go unseen. Move them all elsewhere first: a GDT of
 * the test's own with data at 0x08 and code at 0x10, the other way round.
 */
TEST(gdt_init_reloads_every_segment_register)
{
    uint64_t swapped[3] = {0, gdt[GDT_KERNEL_DATA / 8], gdt[GDT_KERNEL_CODE / 8]};
    struct descriptor_table_pointer pointer = {sizeof(swapped) - 1, (uintptr_t)swapped};

    cli(); /* nothing may use the IDT's selector 0x08 while it is data */
    lgdt(&pointer);
    load_code_segment(0x10);
    load_data_segments(0x08);
    struct selectors moved = read_selectors();
    gdt_init();

    EXPECT_EQ(0x10, moved.cs);
    EXPECT_EQ(0x08, moved.ss);
    EXPECT_EQ(0x08, moved.gs);
    expect_kernel_selectors();
}

/* ---- the guard pages --------------------------------------------------- */

static const uint64_t *pml4(void)
{
    return (const uint64_t *)(uintptr_t)(read_cr3() & PTE_ADDRESS);
}

TEST(guard_page_below_each_stack_is_not_present)
{
    for (int i = 0; i < STACK_COUNT; i++) {
        const struct kernel_stack *stack = &kernel_stacks[i];
        struct page_walk guard = page_walk(pml4(), stack->guard);
        struct page_walk bottom = page_walk(pml4(), stack->guard + PAGE_SIZE);

        EXPECT_EQ(0, stack->guard & (PAGE_SIZE - 1));
        EXPECT_FALSE(page_walk_present(guard));
        EXPECT_EQ(1, guard.level); /* a 4 KiB page-table entry, not a hole in a larger table */
        EXPECT_TRUE(page_walk_present(bottom));
        EXPECT_EQ(1, bottom.level);
        EXPECT_EQ(STACK_SIZE, stack->top - stack->guard - PAGE_SIZE);
    }
}

TEST(stack_pages_are_present_and_writable)
{
    for (int i = 0; i < STACK_COUNT; i++) {
        const struct kernel_stack *stack = &kernel_stacks[i];
        for (uint64_t page = stack->guard + PAGE_SIZE; page < stack->top; page += PAGE_SIZE) {
            struct page_walk walk = page_walk(pml4(), page);
            EXPECT_TRUE(page_walk_present(walk) && walk.entry & PTE_WRITABLE);
            EXPECT_EQ(page, walk.entry & PTE_ADDRESS); /* identity mapped */
        }
    }
}

TEST(rest_of_memory_keeps_its_identity_map)
{
    struct page_walk vga = page_walk(pml4(), 0xb8000);
    struct page_walk high = page_walk(pml4(), 0x3fe00000); /* the last 2 MiB of the first GiB */

    EXPECT_TRUE(page_walk_present(vga));
    EXPECT_EQ(0xb8000, vga.entry & PTE_ADDRESS);
    EXPECT_TRUE(page_walk_present(high));
    EXPECT_EQ(2, high.level);
    EXPECT_EQ(0x3fe00000, high.entry & PTE_ADDRESS);
}

TEST(boot_stack_is_the_one_in_use)
{
    uint64_t rsp;
    __asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
    EXPECT_EQ(STACK_BOOT, stack_containing(rsp) - kernel_stacks);
    EXPECT_TRUE(stack_overflowed(rsp) == NULL);
}

/* ---- the interrupt stacks in use ---------------------------------------- */

static uint64_t handler_rsp, interrupted_rsp;

static void record_stacks(struct trap_frame *frame)
{
    __asm__ volatile("mov %%rsp, %0" : "=r"(handler_rsp));
    interrupted_rsp = frame->rsp;
}

/*
 * INT n goes through the same gate as the real event, IST switch
 * included. (Not for #DF: the CPU pushes an error code for a real double
 * fault but never for INT 8, so vector 8's stub would build a frame that
 * is off by 8 bytes.)
 */
#define EXPECT_GATE_SWITCHES_TO(vector, stack)                                                     \
    do {                                                                                           \
        exception_handler previous = exception_set_handler(vector, record_stacks);                 \
        handler_rsp = interrupted_rsp = 0;                                                         \
        __asm__ volatile("int %0" : : "i"(vector) : "memory");                                     \
        exception_set_handler(vector, previous);                                                   \
        EXPECT_TRUE(stack_containing(handler_rsp) == &kernel_stacks[stack]);                       \
        EXPECT_TRUE(stack_containing(interrupted_rsp) == &kernel_stacks[STACK_BOOT]);              \
    } while (0)

TEST(nmi_gate_switches_to_the_nmi_stack_and_returns)
{
    EXPECT_GATE_SWITCHES_TO(2, STACK_NMI);
}

TEST(machine_check_gate_switches_to_its_stack_and_returns)
{
    EXPECT_GATE_SWITCHES_TO(18, STACK_MACHINE_CHECK);
}

TEST(breakpoint_gate_stays_on_the_interrupted_stack)
{
    EXPECT_GATE_SWITCHES_TO(3, STACK_BOOT);
}

/* ---- a fault inside a handler is not a double fault -------------------- */

/* Where the page-fault handler resumes: right after the faulting load. */
uint64_t handler_fault_resume;
static int page_faults;

static void skip_faulting_load(struct trap_frame *frame)
{
    page_faults++;
    frame->rip = handler_fault_resume;
}

/* A #BP handler that reads unmapped memory (1 GiB: boot.S maps only the first GiB). */
static void breakpoint_handler_that_faults(struct trap_frame *frame)
{
    (void)frame;
    __asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
                     "movq %%rax, handler_fault_resume(%%rip)\n\t"
                     "movb 0x40000000, %%al\n"
                     "1:"
                     :
                     :
                     : "rax", "memory");
}

/*
 * A double fault needs the second exception while the CPU is still
 * delivering the first. Once the #BP handler runs, delivery is over: its
 * page fault is an ordinary one, delivered through the #PF gate.
 */
TEST(fault_inside_a_handler_is_delivered_normally)
{
    exception_handler previous_bp = exception_set_handler(3, breakpoint_handler_that_faults);
    exception_handler previous_pf = exception_set_handler(14, skip_faulting_load);

    page_faults = 0;
    __asm__ volatile("int3" ::: "memory");
    exception_set_handler(3, previous_bp);
    exception_set_handler(14, previous_pf);
    EXPECT_EQ(1, page_faults);
}
