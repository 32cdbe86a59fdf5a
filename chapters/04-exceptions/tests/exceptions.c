/*
 * exceptions: the IDT, the entry stubs and the dispatcher, on the CPU.
 *
 * Most tests cause one exception on purpose with a handler of their own
 * registered for its vector: the handler records the frame it was given
 * and moves RIP past the faulting instruction, and the test checks what
 * the handler saw. One test takes the default path instead: int3 prints
 * its report (see expected/exceptions.serial.txt) and returns.
 */
#include <stdint.h>

#include "backtrace.h"
#include "exception.h"
#include "idt.h"
#include "known_registers.h"
#include "ksyms.h"
#include "ktest.h"
#include "x86.h"

/* ---- the IDT ----------------------------------------------------------- */

TEST(idt_has_an_interrupt_gate_for_each_exception)
{
    struct idt_pointer idtr;
    uint16_t code_selector;

    /* Read back what the CPU uses, not what idt.c meant to write. */
    __asm__ volatile("sidt %0" : "=m"(idtr));
    __asm__ volatile("mov %%cs, %0" : "=r"(code_selector));
    const struct idt_gate *gates = (const struct idt_gate *)idtr.base;

    EXPECT_EQ(IDT_ENTRIES * 16 - 1, idtr.limit);
    EXPECT_EQ(KERNEL_CODE_SELECTOR, code_selector);
    for (int vector = 0; vector < EXCEPTION_VECTORS; vector++) {
        const struct idt_gate *gate = &gates[vector];
        uint64_t offset = gate->offset_low | (uint64_t)gate->offset_middle << 16 |
                          (uint64_t)gate->offset_high << 32;
        EXPECT_EQ((uint64_t)trap_stubs[vector], offset);
        EXPECT_EQ(code_selector, gate->selector);
        EXPECT_EQ(0x8e, gate->type_attributes); /* present, DPL 0, 64-bit interrupt gate */
        EXPECT_EQ(0, gate->ist);
        EXPECT_EQ(0, gate->reserved);
    }
    for (int vector = EXCEPTION_VECTORS; vector < IDT_ENTRIES; vector++)
        EXPECT_EQ(0, gates[vector].type_attributes & IDT_GATE_PRESENT);
}

/* ---- int3 through the default handler ---------------------------------- */

/* Where the asm below stores what it finds after the int3 (non-static: the asm names them). */
uint64_t int3_test_registers[14]; /* rax rbx rcx rdx rsi rdi r8 ... r15 */
uint64_t int3_test_rflags, int3_test_rsp_before, int3_test_rsp_after;
uint64_t int3_test_rbp_before, int3_test_rbp_after;

#define INT3_TEST_RFLAGS 0xcd7 /* CF PF AF ZF SF DF OF set, and bit 1, which is always 1 */

TEST(int3_resumes_with_every_register_unchanged)
{
    __asm__ volatile("movq %%rsp, int3_test_rsp_before(%%rip)\n\t"
                     "movq %%rbp, int3_test_rbp_before(%%rip)\n\t" LOAD_KNOWN_REGISTERS
                     "pushq $0xcd7\n\t" /* INT3_TEST_RFLAGS */
                     "popfq\n\t"
                     "int3\n\t"
                     "pushfq\n\t"
                     "popq int3_test_rflags(%%rip)\n\t"
                     "cld\n\t" /* DF was set on purpose; C code needs it clear */
                     "movq %%rax, int3_test_registers+0x00(%%rip)\n\t"
                     "movq %%rbx, int3_test_registers+0x08(%%rip)\n\t"
                     "movq %%rcx, int3_test_registers+0x10(%%rip)\n\t"
                     "movq %%rdx, int3_test_registers+0x18(%%rip)\n\t"
                     "movq %%rsi, int3_test_registers+0x20(%%rip)\n\t"
                     "movq %%rdi, int3_test_registers+0x28(%%rip)\n\t"
                     "movq %%r8, int3_test_registers+0x30(%%rip)\n\t"
                     "movq %%r9, int3_test_registers+0x38(%%rip)\n\t"
                     "movq %%r10, int3_test_registers+0x40(%%rip)\n\t"
                     "movq %%r11, int3_test_registers+0x48(%%rip)\n\t"
                     "movq %%r12, int3_test_registers+0x50(%%rip)\n\t"
                     "movq %%r13, int3_test_registers+0x58(%%rip)\n\t"
                     "movq %%r14, int3_test_registers+0x60(%%rip)\n\t"
                     "movq %%r15, int3_test_registers+0x68(%%rip)\n\t"
                     "movq %%rsp, int3_test_rsp_after(%%rip)\n\t"
                     "movq %%rbp, int3_test_rbp_after(%%rip)"
                     :
                     :
                     : KNOWN_REGISTERS, "cc", "memory");

    static const uint64_t expected[14] = {
        0x1111111111111111, 0x2222222222222222, 0x3333333333333333, 0x4444444444444444,
        0x5555555555555555, 0x6666666666666666, 0x8888888888888888, 0x9999999999999999,
        0xaaaaaaaaaaaaaaaa, 0xbbbbbbbbbbbbbbbb, 0xcccccccccccccccc, 0xdddddddddddddddd,
        0xeeeeeeeeeeeeeeee, 0xffffffffffffffff,
    };
    for (int i = 0; i < 14; i++)
        EXPECT_EQ(expected[i], int3_test_registers[i]);
    EXPECT_EQ(INT3_TEST_RFLAGS, int3_test_rflags);
    EXPECT_EQ(int3_test_rsp_before, int3_test_rsp_after);
    EXPECT_EQ(int3_test_rbp_before, int3_test_rbp_after);
}

/* ---- what a handler sees ------------------------------------------------ */

static struct trap_frame seen;           /* the frame the handler was given */
static uint64_t seen_cr2;                /* CR2 inside the handler */
static uint64_t seen_handler_rflags;     /* RFLAGS inside the handler */
static uint64_t seen_handler_rbp;        /* the handler's own frame pointer */
static const struct trap_frame *seen_at; /* where the frame was on the stack */
static int handler_calls;

/* Set by FAULT_AT just before the instruction that faults: its address, and the one after it. */
uint64_t fault_test_rip, fault_test_resume_rip;

static void record_and_skip(struct trap_frame *frame)
{
    seen = *frame;
    seen_at = frame;
    seen_cr2 = read_cr2();
    seen_handler_rflags = read_rflags();
    seen_handler_rbp = (uint64_t)__builtin_frame_address(0);
    handler_calls++;
    frame->rip = fault_test_resume_rip;
}

/*
 * With record_and_skip registered for `vector`: run `setup`, then
 * `instruction` at label 1; the handler resumes at label 2, right after
 * it, where `cleanup` runs.
 */
#define FAULT_AT(vector, setup, instruction, cleanup)                                              \
    do {                                                                                           \
        exception_handler previous = exception_set_handler(vector, record_and_skip);               \
        handler_calls = 0;                                                                         \
        __asm__ volatile("leaq 1f(%%rip), %%rax\n\t"                                               \
                         "movq %%rax, fault_test_rip(%%rip)\n\t"                                   \
                         "leaq 2f(%%rip), %%rax\n\t"                                               \
                         "movq %%rax, fault_test_resume_rip(%%rip)\n\t" setup "\n"                 \
                         "1:\t" instruction "\n"                                                   \
                         "2:\t" cleanup                                                            \
                         :                                                                         \
                         :                                                                         \
                         : "rax", "rcx", "rdx", "cc", "memory");                                   \
        exception_set_handler(vector, previous);                                                   \
    } while (0)

TEST(divide_error_reports_the_div_instruction)
{
    FAULT_AT(0, "xorl %%ecx, %%ecx\n\tmovl $1, %%eax\n\txorl %%edx, %%edx", "divl %%ecx", "");
    EXPECT_EQ(1, handler_calls);
    EXPECT_EQ(0, seen.vector);
    EXPECT_EQ(fault_test_rip, seen.rip); /* a fault: RIP is the instruction itself */
    EXPECT_EQ(0, seen.error_code);       /* the stub's zero */
}

TEST(invalid_opcode_reports_the_ud2_instruction)
{
    FAULT_AT(6, "", "ud2", "");
    EXPECT_EQ(1, handler_calls);
    EXPECT_EQ(6, seen.vector);
    EXPECT_EQ(fault_test_rip, seen.rip);
    EXPECT_EQ(0, seen.error_code);
}

TEST(breakpoint_is_a_trap_rip_is_after_int3)
{
    FAULT_AT(3, "", "int3", "");
    EXPECT_EQ(1, handler_calls);
    EXPECT_EQ(3, seen.vector);
    EXPECT_EQ(fault_test_rip + 1, seen.rip); /* int3 is one byte, 0xcc */
    EXPECT_EQ(0, seen.error_code);
}

TEST(page_fault_on_a_write_to_unmapped_memory)
{
    /* boot.S maps the first GiB: 0x40000000 is the first byte past it. */
    FAULT_AT(14, "movl $0x40000000, %%ecx", "movb $1, (%%rcx)", "");
    EXPECT_EQ(1, handler_calls);
    EXPECT_EQ(14, seen.vector);
    EXPECT_EQ(fault_test_rip, seen.rip);
    EXPECT_EQ(0x40000000, seen_cr2);
    EXPECT_EQ(0x2, seen.error_code); /* bit 1: a write; bit 0 clear: page not present */
}

TEST(page_fault_on_a_read_of_unmapped_memory)
{
    FAULT_AT(14, "movl $0x40000008, %%ecx", "movb (%%rcx), %%al", "");
    EXPECT_EQ(1, handler_calls);
    EXPECT_EQ(0x40000008, seen_cr2);
    EXPECT_EQ(0x0, seen.error_code); /* a read of a page that is not present */
}

TEST(general_protection_fault_names_the_gdt_selector)
{
    /* Selector 0x53: GDT entry 10 with RPL 3, far past the end of boot.S's three-entry GDT. */
    FAULT_AT(13, "movl $0x53, %%ecx", "movw %%cx, %%ds", "");
    EXPECT_EQ(1, handler_calls);
    EXPECT_EQ(13, seen.vector);
    EXPECT_EQ(fault_test_rip, seen.rip);
    EXPECT_EQ(0x50, seen.error_code); /* index 10, GDT; the RPL bits become EXT and IDT, both 0 */
}

TEST(general_protection_fault_names_an_idt_entry)
{
    /* Gate 0xff is all zeros: not an interrupt or trap gate, so INT raises #GP. */
    FAULT_AT(13, "", "int $0xff", "");
    EXPECT_EQ(1, handler_calls);
    EXPECT_EQ(13, seen.vector);
    EXPECT_EQ(fault_test_rip, seen.rip);
    /*
     * Bit 1 set: the index is an IDT vector; bit 0 clear: not an external
     * event. The SDM puts the vector in bits 3-15 (0x7fa here); QEMU's
     * emulator (TCG, 7.2 at least) puts it one bit higher, 0xff2.
     */
    EXPECT_EQ(0x2, seen.error_code & 0x3);
}

/* ---- the state C code is promised ------------------------------------- */

TEST(handler_runs_on_a_16_byte_aligned_stack)
{
    FAULT_AT(3, "", "int3", "");
    EXPECT_EQ(0, (uint64_t)seen_at & 15); /* RSP at the call into C */
    EXPECT_EQ(0, seen_handler_rbp & 15);  /* and so every frame below it */
    /* Interrupted with RSP 8 bytes off: the CPU realigns before it pushes the frame. */
    FAULT_AT(3, "subq $8, %%rsp", "int3", "addq $8, %%rsp");
    EXPECT_EQ(1, handler_calls);
    EXPECT_EQ(0, (uint64_t)seen_at & 15);
    EXPECT_EQ(0, seen_handler_rbp & 15);
}

TEST(handler_runs_with_the_direction_flag_clear)
{
    FAULT_AT(3, "std", "int3", "cld");
    EXPECT_EQ(1, handler_calls);
    EXPECT_EQ(RFLAGS_DF, seen.rflags & RFLAGS_DF); /* the interrupted code had it set */
    EXPECT_EQ(0, seen_handler_rflags & RFLAGS_DF); /* trap_entry.S cleared it for C */
}

/* ---- the symbol table and backtraces ----------------------------------- */

/* A function whose size we know exactly: four bytes, then a label just past its end. */
__asm__(".pushsection .text\n"
        ".type lookup_probe, @function\n"
        "lookup_probe:\n"
        "    nop\n"
        "    nop\n"
        "    nop\n"
        "    ret\n"
        ".size lookup_probe, . - lookup_probe\n"
        "lookup_probe_end:\n"
        ".popsection");
extern const char lookup_probe[], lookup_probe_end[];

void kmain(uint32_t multiboot_magic, uint32_t multiboot_info);

TEST(symbol_lookup_inside_at_start_and_at_end)
{
    struct symbol symbol;

    EXPECT_TRUE(ksym_lookup(&kernel_symbol_table, (uint64_t)lookup_probe, &symbol));
    EXPECT_STREQ("lookup_probe", symbol.name);
    EXPECT_EQ(0, symbol.offset);
    EXPECT_TRUE(ksym_lookup(&kernel_symbol_table, (uint64_t)lookup_probe + 2, &symbol));
    EXPECT_STREQ("lookup_probe", symbol.name);
    EXPECT_EQ(2, symbol.offset);
    EXPECT_TRUE(ksym_lookup(&kernel_symbol_table, (uint64_t)lookup_probe_end - 1, &symbol));
    EXPECT_STREQ("lookup_probe", symbol.name);
    EXPECT_EQ(3, symbol.offset); /* the ret, its last byte */
    /* One past the end belongs to whatever comes next, never to lookup_probe. */
    if (ksym_lookup(&kernel_symbol_table, (uint64_t)lookup_probe_end, &symbol))
        EXPECT_FALSE(ktest_strings_equal("lookup_probe", symbol.name));
    EXPECT_TRUE(ksym_lookup(&kernel_symbol_table, (uint64_t)kmain, &symbol));
    EXPECT_STREQ("kmain", symbol.name);
    EXPECT_EQ(0, symbol.offset);
}

TEST(symbol_lookup_fails_cleanly_outside_the_kernel)
{
    struct symbol symbol;
    const uint64_t outside[] = {
        0,          0xb8000,
        0xfffff,    0x40000000,
        UINT64_MAX, (uint64_t)&kernel_symbol_table}; /* the table lists nothing of its own */

    for (unsigned i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
        EXPECT_FALSE(ksym_lookup(&kernel_symbol_table, outside[i], &symbol));
        EXPECT_TRUE(symbol.name == NULL);
    }
}

static struct backtrace trace;

static __attribute__((noinline)) void backtrace_from_here(void)
{
    backtrace_walk(&trace, (uint64_t)__builtin_frame_address(0), boot_stack());
}

static __attribute__((noinline)) void backtrace_caller(void)
{
    backtrace_from_here();
    __asm__ volatile("" ::: "memory"); /* not a tail call: keep this frame */
}

/* The name of return address i, or "?" */
static const char *caller_name(int i)
{
    struct symbol symbol;

    if (i >= trace.count ||
        !ksym_lookup(&kernel_symbol_table, trace.return_addresses[i] - 1, &symbol))
        return "?";
    return symbol.name;
}

TEST(backtrace_names_every_caller_down_to_boot)
{
    backtrace_caller();
    EXPECT_EQ(BACKTRACE_COMPLETE, trace.end);
    EXPECT_EQ(5, trace.count);
    EXPECT_STREQ("backtrace_caller", caller_name(0));
    EXPECT_STREQ("ktest_backtrace_names_every_caller_down_to_boot", caller_name(1));
    EXPECT_STREQ("ktest_run_all", caller_name(2));
    EXPECT_STREQ("kmain", caller_name(3));
    EXPECT_STREQ("long_mode_start", caller_name(4));
}
