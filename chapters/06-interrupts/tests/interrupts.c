/*
 * interrupts: the PICs, the PIT and the interrupt path, with real IRQs.
 *
 * Two clocks: the PIT on IRQ 0 (master PIC, vector 32) and the CMOS
 * real-time clock's periodic interrupt on IRQ 8 (slave PIC, vector 40),
 * which ticks at 1024 Hz from its own 32.768 kHz crystal. Each checks the
 * other: the PIT's rate is measured against the RTC, and thousands of
 * IRQs on both lines prove that both controllers get their EOIs.
 */
#include <stdbool.h>
#include <stdint.h>

#include "data_breakpoint.h"
#include "exception.h"
#include "irq.h"
#include "kprintf.h"
#include "ktest.h"
#include "pic.h"
#include "pit.h"
#include "screen_text.h"
#include "timer.h"
#include "vga.h"
#include "x86.h"

/* ---- the second clock: the RTC's periodic interrupt -------------------- */

/* CMOS (Motorola MC146818 data sheet; OSDev wiki "RTC"). Bit 7 of the index also masks NMIs. */
#define CMOS_INDEX     0x70
#define CMOS_DATA      0x71
#define CMOS_NMI_OFF   0x80
#define RTC_REGISTER_A 0x0a /* bits 0-3: periodic rate, 6 = 32768 >> 5 = 1024 Hz */
#define RTC_REGISTER_B 0x0b /* bit 6: periodic interrupt enable */
#define RTC_REGISTER_C 0x0c /* reading it acknowledges the interrupt; until then, no other */
#define RTC_RATE_1024  0x06
#define RTC_PIE        0x40
#define RTC_HZ         1024

static volatile uint64_t rtc_interrupts;

static void rtc_irq(void)
{
    outb(CMOS_INDEX, RTC_REGISTER_C);
    inb(CMOS_DATA);
    rtc_interrupts++;
}

static void rtc_start(void)
{
    uint64_t rflags = irq_save();
    outb(CMOS_INDEX, CMOS_NMI_OFF | RTC_REGISTER_A);
    uint8_t a = inb(CMOS_DATA);
    outb(CMOS_INDEX, CMOS_NMI_OFF | RTC_REGISTER_A);
    outb(CMOS_DATA, (uint8_t)((a & 0xf0) | RTC_RATE_1024));
    outb(CMOS_INDEX, CMOS_NMI_OFF | RTC_REGISTER_B);
    uint8_t b = inb(CMOS_DATA);
    outb(CMOS_INDEX, CMOS_NMI_OFF | RTC_REGISTER_B);
    outb(CMOS_DATA, b | RTC_PIE);
    outb(CMOS_INDEX, RTC_REGISTER_C); /* NMIs back on; clear anything pending */
    inb(CMOS_DATA);
    irq_set_handler(8, rtc_irq);
    irq_restore(rflags);
}

/* ---- starting the timer ------------------------------------------------ */

static volatile uint64_t counted_ticks; /* a copy of the tick count for the assembly loops */

static void counting_tick(void)
{
    timer_tick();
    counted_ticks++;
}

static bool timer_running;

static void start_timer(void)
{
    if (!timer_running) {
        timer_init();
        irq_set_handler(IRQ_TIMER, counting_tick);
        timer_running = true;
    }
    sti();
}

/* Idle until *counter reaches value (each IRQ wakes the hlt). */
static void wait_for(volatile uint64_t *counter, uint64_t value)
{
    while (*counter < value)
        sti_hlt();
}

/* ---- the controllers ---------------------------------------------------- */

TEST(irq_init_masks_every_line_and_handlers_open_theirs)
{
    EXPECT_EQ(0xffff, pic_read_masks()); /* ktest_kernel.c ran irq_init */
    start_timer();
    EXPECT_EQ(0xfffe, pic_read_masks());
    rtc_start();
    EXPECT_EQ(0xfefa, pic_read_masks()); /* IRQ 8, and the cascade line 2 on the master */
    EXPECT_EQ(0, pic_read_in_service()); /* every IRQ so far got its EOI */
}

TEST(irqs_arrive_on_their_remapped_vectors)
{
    /*
     * irq_dispatch counts vector 32 + n as IRQ n. Any other vector would
     * be an exception here (IRQ 0 on vector 8 would look like a double
     * fault), so counts on lines 0 and 8 alone mean vectors 32 and 40.
     */
    wait_for(&counted_ticks, counted_ticks + 10);
    wait_for(&rtc_interrupts, rtc_interrupts + 10);
    EXPECT_TRUE(irq_count(0) >= 10);
    EXPECT_TRUE(irq_count(8) >= 10);
    for (unsigned irq = 1; irq < PIC_IRQ_COUNT; irq++) {
        if (irq != 8)
            EXPECT_EQ(0, irq_count(irq));
    }
    EXPECT_EQ(0, irq_unhandled);
}

TEST(both_controllers_keep_interrupting_after_thousands_of_irqs)
{
    /* Without its EOI, a line would stop after one IRQ (the slave's after one on each). */
    uint64_t ticks = counted_ticks, rtc = rtc_interrupts;
    wait_for(&counted_ticks, ticks + 3000);
    EXPECT_TRUE(rtc_interrupts - rtc >= 3000);
    EXPECT_EQ(0, pic_read_in_service());
    EXPECT_EQ(0, pic_spurious_count);
}

/* ---- installing and removing a handler --------------------------------- */

#define RFLAGS_TF  (1u << 8) /* trap flag: a debug exception after every instruction */
#define IRQ_UNUSED 5         /* no device raises IRQ 5 here */

static uint64_t irqs_between_steps;
static uint64_t unused_line_irqs;

static void unused_line_irq(void)
{
    unused_line_irqs++;
}

/*
 * Single-step handler. The CPU takes an IRQ at an instruction boundary if
 * IF is set and the PIC passes the line (unmasked). After each instruction
 * of the code under test, deliver IRQ 5 by hand whenever both hold: every
 * point at which a real one could have come, tried in turn.
 */
static void deliver_irq_if_it_could_arrive_here(struct trap_frame *frame)
{
    read_and_clear_dr6();
    if (!(frame->rflags & RFLAGS_IF) || (pic_read_masks() & (1u << IRQ_UNUSED)))
        return;
    struct trap_frame irq = {.vector = PIC_MASTER_VECTOR + IRQ_UNUSED};
    irq_dispatch(&irq);
    irqs_between_steps++;
}

/*
 * After a POPF that sets TF, the first trap comes one instruction later
 * (SDM Vol. 3B, "Single-Step Exception Condition").
 */
static inline void set_trap_flag(void)
{
    __asm__ volatile("pushfq; btsq $8, (%%rsp); popfq" : : : "memory", "cc");
}

static inline void clear_trap_flag(void)
{
    __asm__ volatile("pushfq; btrq $8, (%%rsp); popfq" : : : "memory", "cc");
}

TEST(an_irq_at_any_instruction_of_irq_set_handler_finds_a_handler)
{
    uint64_t unhandled = irq_unhandled;
    exception_handler previous =
        exception_set_handler(VECTOR_DEBUG, deliver_irq_if_it_could_arrive_here);
    sti();
    set_trap_flag();
    irq_set_handler(IRQ_UNUSED, unused_line_irq);
    irq_set_handler(IRQ_UNUSED, NULL);
    clear_trap_flag();
    exception_set_handler(VECTOR_DEBUG, previous);

    EXPECT_TRUE(irqs_between_steps > 0); /* the line was open somewhere in between */
    EXPECT_EQ(irqs_between_steps, unused_line_irqs);
    EXPECT_EQ(unhandled, irq_unhandled);
    EXPECT_TRUE(pic_read_masks() & (1u << IRQ_UNUSED));
}

/*
 * 1000 Hz asked, 1000.153 Hz delivered (pit.c): over 1024 RTC interrupts
 * (one second by the RTC's crystal) the PIT must tick 1000 times, within
 * 2 %. The tolerance covers an IRQ lost while QEMU waited for the host
 * CPU; a wrong divisor (100 Hz, 18.2 Hz, the bytes swapped) is far off.
 */
TEST(the_timer_runs_at_1000_hz_by_the_rtc)
{
    wait_for(&rtc_interrupts, rtc_interrupts + 1); /* start on an RTC edge */
    uint64_t rtc = rtc_interrupts, ticks = counted_ticks;
    wait_for(&rtc_interrupts, rtc + RTC_HZ);
    uint64_t measured = counted_ticks - ticks;
    EXPECT_TRUE(measured >= 980 && measured <= 1020);
    if (measured < 980 || measured > 1020)
        kprintf("# %llu PIT ticks in one RTC second\n", (unsigned long long)measured);
}

/*
 * By its own clock, exactly: more ticks than 250 ms hold, since the sleep
 * began part-way through a tick. By the RTC, roughly: QEMU replays the
 * ticks a busy host delayed, each device in its own way, and with 14
 * boots sharing two cores a 250 ms sleep measured 247 ms by the RTC.
 */
TEST(sleep_ms_sleeps_as_long_as_asked)
{
    uint32_t rate = pit_rate_millihertz(pit_divisor(TIMER_HZ));
    uint64_t rflags = irq_save(); /* both clocks read at one instant */
    uint64_t ticks = timer_ticks(), rtc = rtc_interrupts;
    irq_restore(rflags);
    sleep_ms(250);
    uint64_t slept_ticks = timer_ticks() - ticks;
    uint64_t slept = (rtc_interrupts - rtc) * 1000 / RTC_HZ; /* by the other clock */
    EXPECT_TRUE(slept_ticks > pit_ms_to_ticks(250, rate));
    EXPECT_TRUE(slept >= 240 && slept <= 265);
    EXPECT_TRUE(interrupts_enabled());
}

TEST(uptime_counts_milliseconds_at_the_real_rate)
{
    /* With interrupts on, a tick could land between the two reads. */
    uint64_t rflags = irq_save();
    uint64_t ticks = timer_ticks(), ms = uptime_ms();
    irq_restore(rflags);
    EXPECT_EQ(pit_ticks_to_ms(ticks, pit_rate_millihertz(pit_divisor(TIMER_HZ))), ms);
}

/* ---- the interrupted code's registers ------------------------------------ */

static uint64_t loop_until;          /* the asm below waits for counted_ticks to reach it */
static uint64_t register_difference; /* OR of (register XOR its value before the loop) */
static uint64_t flags_after_loop;

#define LOAD(value, reg) "movabsq $" #value ", %%" #reg "\n\t"
#define CHECK(value, reg)                                                                          \
    "movabsq $" #value ", %%rax\n\t"                                                               \
    "xorq %%" #reg ", %%rax\n\t"                                                                   \
    "orq %%rax, %[difference]\n\t"

/*
 * Every general-purpose register but RSP holds a known value, and DF is
 * set, while the CPU spins until 2000 more timer ticks have come and
 * gone. Each of those IRQs ran trap_entry.S, C code and iretq in the
 * middle of the loop; afterwards every register must hold its value.
 */
TEST(registers_and_flags_survive_thousands_of_interrupts)
{
    start_timer();
    loop_until = counted_ticks + 2000;
    register_difference = 0;
    __asm__ volatile(
        "pushq %%rbp\n\t" LOAD(0x2222222222222222, rbx) LOAD(0x3333333333333333, rcx) LOAD(
            0x5555555555555555, rsi) LOAD(0x6666666666666666, rdi) LOAD(0x7777777777777777, rbp)
            LOAD(0x8888888888888888, r8) LOAD(0x9999999999999999, r9) LOAD(
                0xaaaaaaaaaaaaaaaa, r10) LOAD(0xbbbbbbbbbbbbbbbb, r11) LOAD(0xcccccccccccccccc, r12)
                LOAD(0xdddddddddddddddd, r13) LOAD(0xeeeeeeeeeeeeeeee, r14) LOAD(
                    0xffffffffffffffff,
                    r15) "std\n\t"
                         "1: movq %[until], %%rax\n\t"
                         "cmpq %%rax, (%%rdx)\n\t"
                         "jb 1b\n\t"
                         "pushfq\n\t"
                         "popq %[flags]\n\t"
                         "cld\n\t" CHECK(0x2222222222222222, rbx) CHECK(0x3333333333333333, rcx)
                             CHECK(0x5555555555555555, rsi) CHECK(0x6666666666666666, rdi)
                                 CHECK(0x7777777777777777, rbp) CHECK(0x8888888888888888, r8) CHECK(
                                     0x9999999999999999, r9) CHECK(0xaaaaaaaaaaaaaaaa, r10)
                                     CHECK(0xbbbbbbbbbbbbbbbb, r11) CHECK(0xcccccccccccccccc, r12)
                                         CHECK(0xdddddddddddddddd, r13)
                                             CHECK(0xeeeeeeeeeeeeeeee, r14)
                                                 CHECK(0xffffffffffffffff, r15) "popq %%rbp\n\t"
        : [difference] "+m"(register_difference), [flags] "=m"(flags_after_loop)
        : [until] "m"(loop_until), "d"(&counted_ticks)
        : "rax", "rbx", "rcx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
          "cc", "memory");
    EXPECT_EQ(0, register_difference);
    EXPECT_TRUE(flags_after_loop & RFLAGS_DF); /* iretq gave DF back, though C ran with DF = 0 */
    EXPECT_TRUE(flags_after_loop & RFLAGS_IF);
    EXPECT_TRUE(counted_ticks >= loop_until);
}

/*
 * The System V ABI lets a function keep 128 bytes below RSP without
 * moving RSP (the red zone). An interrupt pushes its frame right there,
 * so the kernel is built with -mno-red-zone. Shown for real: fill the
 * red zone, let timer IRQs come, and find it overwritten; meanwhile a
 * buffer above RSP, where -mno-red-zone code keeps its data, is intact.
 */
static uint64_t red_zone_changed; /* quadwords below RSP that no longer hold the pattern */

TEST(interrupts_overwrite_the_red_zone_but_not_the_stack_frame)
{
    volatile uint64_t frame_data[16];
    for (int i = 0; i < 16; i++)
        frame_data[i] = 0x5a5a5a5a5a5a5a5aull;
    start_timer();
    loop_until = counted_ticks + 20;
    __asm__ volatile("movabsq $0x5a5a5a5a5a5a5a5a, %%rax\n\t"
                     "leaq -128(%%rsp), %%rdi\n\t"
                     "movl $16, %%ecx\n\t"
                     "rep stosq\n\t" /* the 128 bytes below RSP */
                     "1: movq %[until], %%rax\n\t"
                     "cmpq %%rax, (%%rdx)\n\t"
                     "jb 1b\n\t"
                     "movabsq $0x5a5a5a5a5a5a5a5a, %%rax\n\t"
                     "leaq -128(%%rsp), %%rdi\n\t"
                     "movl $16, %%ecx\n\t"
                     "2: cmpq %%rax, (%%rdi)\n\t"
                     "je 3f\n\t"
                     "incq %[changed]\n\t"
                     "3: addq $8, %%rdi\n\t"
                     "decl %%ecx\n\t"
                     "jnz 2b\n\t"
                     : [changed] "+m"(red_zone_changed)
                     : [until] "m"(loop_until), "d"(&counted_ticks)
                     : "rax", "rcx", "rdi", "cc", "memory");
    EXPECT_TRUE(red_zone_changed >= 5); /* at least the CPU's own frame: SS, RSP, RFLAGS, CS, RIP */
    for (int i = 0; i < 16; i++)
        EXPECT_EQ(0x5a5a5a5a5a5a5a5aull, frame_data[i]);
}

/* ---- an IRQ handler that prints, while kprintf holds the console ------- */

/*
 * A debug register watches one character of a kprintf format, as in
 * chapter 04's NMI test: vformat reads it with the console lock held and
 * the first 64 characters out, and the #DB handler then makes the 8042
 * keyboard controller raise IRQ 1 (command 0xD2 puts a byte in its output
 * buffer, as if the keyboard had sent it). The IRQ 1 handler below prints
 * a line of its own.
 *
 * kprintf took the lock with interrupts disabled, so IRQ 1 waits until
 * the line is complete and the lock free, and then prints below it. Had
 * kprintf taken the lock with interrupts on, the IRQ would have arrived
 * right after the #DB, inside kprintf, and its handler would spin on the
 * lock forever: this kernel would hang, and the boot's timeout fail it.
 */
#define PS2_STATUS       0x64
#define PS2_DATA         0x60
#define PS2_INPUT_FULL   0x02 /* status bit 1: the controller has not taken the last write */
#define PS2_WRITE_OUTPUT 0xd2 /* "write keyboard output buffer" */

static const char watched_line[] = "kprintf holds the console; IRQ 1 comes now "
                                   "and prints after this line (%d).\n";
#define WATCHED 70

static volatile int irq_lines_printed;
static int column_at_debug_exception;
static int column_after_debug_exception;

static void keyboard_controller_write(uint16_t port, uint8_t value)
{
    while (inb(PS2_STATUS) & PS2_INPUT_FULL)
        ;
    outb(port, value);
}

static void raise_irq1_from_inside_kprintf(struct trap_frame *frame)
{
    (void)frame;
    stop_watching();
    read_and_clear_dr6();
    column_at_debug_exception = vga_console.column;
    keyboard_controller_write(PS2_STATUS, PS2_WRITE_OUTPUT);
    keyboard_controller_write(PS2_DATA, 0x1e);
    /* Long enough for QEMU to raise the line; with IF = 1 the IRQ would be taken here. */
    for (int i = 0; i < 100000; i++)
        __asm__ volatile("pause");
    column_after_debug_exception = vga_console.column;
}

static void printing_irq1(void)
{
    inb(PS2_DATA);
    kprintf("IRQ 1's handler printed this line, after the whole line above.\n");
    irq_lines_printed++;
}

TEST(an_irq_handler_that_prints_waits_for_the_line_it_interrupted)
{
    start_timer();
    irq_set_handler(IRQ_KEYBOARD, printing_irq1);
    exception_handler previous =
        exception_set_handler(VECTOR_DEBUG, raise_irq1_from_inside_kprintf);
    watch_byte(&watched_line[WATCHED]);

    int row = vga_console.row;
    kprintf(watched_line, 1);
    for (int i = 0; i < 1000 && irq_lines_printed == 0; i++)
        sti_hlt();

    stop_watching();
    exception_set_handler(VECTOR_DEBUG, previous);
    irq_set_handler(IRQ_KEYBOARD, NULL);
    EXPECT_EQ(1, irq_lines_printed);
    EXPECT_EQ(64, column_at_debug_exception);
    EXPECT_EQ(64, column_after_debug_exception); /* nothing printed in the middle */
    EXPECT_STREQ("kprintf holds the console; IRQ 1 comes now and prints after "
                 "this line (1).      ",
                 screen_row(row));
    EXPECT_STREQ("IRQ 1's handler printed this line, after the whole line above. "
                 "                 ",
                 screen_row(row + 1));
}
