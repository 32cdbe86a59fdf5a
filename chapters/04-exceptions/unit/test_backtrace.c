/*
 * test_backtrace.c: the frame-pointer walk over a fake stack (a host
 * array whose frame records point into itself), and the text of a
 * backtrace. AddressSanitizer stops the run if the walk ever reads
 * outside the array.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "backtrace.h"
#include "ktest.h"

#define WORDS 128

static uint64_t *stack;
static struct backtrace trace;

static const struct ksym symbols[] = {{0x1000, 0x10, 0}, {0x1010, 0x20, 6}};
static const struct symbol_table table = {symbols, 2, "alpha\0beta"};

static uint64_t at(int index)
{
    return (uint64_t)(uintptr_t)&stack[index];
}

static struct stack_bounds bounds(void)
{
    return (struct stack_bounds){at(0), at(WORDS)};
}

/* A fresh heap stack (ASan guards its ends) with a frame record at `index`. */
static void fresh_stack(void)
{
    free(stack);
    stack = calloc(WORDS, sizeof(*stack));
}

static void record(int index, uint64_t saved_rbp, uint64_t return_address)
{
    stack[index] = saved_rbp;
    stack[index + 1] = return_address;
}

TEST(walk_follows_the_chain_to_the_zero_at_the_bottom)
{
    fresh_stack();
    record(10, at(20), 0x1005);
    record(20, at(30), 0x1012);
    record(30, 0, 0x1041);
    backtrace_walk(&trace, at(10), bounds());
    EXPECT_EQ(BACKTRACE_COMPLETE, trace.end);
    EXPECT_EQ(3, trace.count);
    EXPECT_EQ(0x1005, trace.return_addresses[0]);
    EXPECT_EQ(0x1012, trace.return_addresses[1]);
    EXPECT_EQ(0x1041, trace.return_addresses[2]);
}

TEST(walk_from_a_zero_frame_pointer_is_empty)
{
    fresh_stack();
    backtrace_walk(&trace, 0, bounds());
    EXPECT_EQ(BACKTRACE_COMPLETE, trace.end);
    EXPECT_EQ(0, trace.count);
}

TEST(walk_stops_at_a_frame_pointer_off_the_stack)
{
    fresh_stack();
    backtrace_walk(&trace, 0x10, bounds()); /* would crash the test if it were read */
    EXPECT_EQ(BACKTRACE_BAD_FRAME, trace.end);
    EXPECT_EQ(0, trace.count);
    EXPECT_EQ(0x10, trace.bad_frame);
    record(10, at(WORDS), 0x1005); /* the next record would start just past the end */
    backtrace_walk(&trace, at(10), bounds());
    EXPECT_EQ(BACKTRACE_BAD_FRAME, trace.end);
    EXPECT_EQ(1, trace.count);
    EXPECT_EQ(at(WORDS), trace.bad_frame);
}

TEST(walk_needs_the_whole_record_on_the_stack)
{
    fresh_stack();
    record(WORDS - 2, 0, 0x1005); /* the last two words: fine */
    backtrace_walk(&trace, at(WORDS - 2), bounds());
    EXPECT_EQ(BACKTRACE_COMPLETE, trace.end);
    EXPECT_EQ(1, trace.count);
    backtrace_walk(&trace, at(WORDS - 1), bounds()); /* its second word would be past the end */
    EXPECT_EQ(BACKTRACE_BAD_FRAME, trace.end);
    EXPECT_EQ(0, trace.count);
}

TEST(walk_stops_at_a_misaligned_frame_pointer)
{
    fresh_stack();
    record(10, at(20) + 4, 0x1005);
    backtrace_walk(&trace, at(10), bounds());
    EXPECT_EQ(BACKTRACE_BAD_FRAME, trace.end);
    EXPECT_EQ(1, trace.count);
    EXPECT_EQ(at(20) + 4, trace.bad_frame);
}

TEST(walk_stops_when_the_chain_does_not_go_up)
{
    fresh_stack();
    record(10, at(10), 0x1005); /* a loop */
    backtrace_walk(&trace, at(10), bounds());
    EXPECT_EQ(BACKTRACE_BAD_FRAME, trace.end);
    EXPECT_EQ(1, trace.count);
    record(20, at(40), 0x1005);
    record(40, at(30), 0x1012); /* goes back down */
    backtrace_walk(&trace, at(20), bounds());
    EXPECT_EQ(BACKTRACE_BAD_FRAME, trace.end);
    EXPECT_EQ(2, trace.count);
    EXPECT_EQ(at(30), trace.bad_frame);
}

TEST(walk_stops_after_the_maximum_depth)
{
    fresh_stack();
    for (int i = 0; i < 40; i++)
        record(2 * i, at(2 * i + 2), 0x1000 + (uint64_t)i);
    backtrace_walk(&trace, at(0), bounds());
    EXPECT_EQ(BACKTRACE_TOO_DEEP, trace.end);
    EXPECT_EQ(BACKTRACE_MAX_FRAMES, trace.count);
    EXPECT_EQ(0x1000 + BACKTRACE_MAX_FRAMES - 1, trace.return_addresses[BACKTRACE_MAX_FRAMES - 1]);
}

static char line[128];

static const char *address(uint64_t value, bool return_address)
{
    format_address(line, sizeof(line), &table, value, return_address);
    return line;
}

TEST(addresses_are_named_with_an_offset)
{
    EXPECT_STREQ("0x0000000000001005 <alpha+0x5>", address(0x1005, false));
    EXPECT_STREQ("0x0000000000001010 <beta+0x0>", address(0x1010, false));
    EXPECT_STREQ("0x0000000000000fff", address(0xfff, false));
    EXPECT_STREQ("0x0000000000001030", address(0x1030, false));
}

TEST(a_return_address_belongs_to_the_call_before_it)
{
    /* A call as alpha's last instruction returns to beta's first byte. */
    EXPECT_STREQ("0x0000000000001010 <alpha+0x10>", address(0x1010, true));
    EXPECT_STREQ("0x0000000000001030 <beta+0x20>", address(0x1030, true));
    EXPECT_STREQ("0x0000000000001000", address(0x1000, true));
    EXPECT_STREQ("0x0000000000000000", address(0, true));
}

static char printed[1024];
static size_t printed_length;

static int capture(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    int count = vsnprintf(printed + printed_length, sizeof(printed) - printed_length, fmt, args);
    va_end(args);
    printed_length += (size_t)count;
    return count;
}

static const char *print_backtrace(uint64_t rbp)
{
    printed_length = 0;
    printed[0] = '\0';
    backtrace_print(capture, &table, rbp, bounds());
    return printed;
}

TEST(printed_backtrace_one_line_per_caller)
{
    fresh_stack();
    record(10, at(20), 0x1010);
    record(20, 0, 0x1041);
    EXPECT_STREQ("  0x0000000000001010 <alpha+0x10>\n"
                 "  0x0000000000001041\n",
                 print_backtrace(at(10)));
}

TEST(printed_backtrace_says_why_it_stopped)
{
    char expected[160];

    fresh_stack();
    record(10, at(10), 0x1005);
    snprintf(expected, sizeof(expected),
             "  0x0000000000001005 <alpha+0x5>\n"
             "  (stopped: frame pointer 0x%016llx is not a frame on the stack)\n",
             (unsigned long long)at(10));
    EXPECT_STREQ(expected, print_backtrace(at(10)));
    for (int i = 0; i < 40; i++)
        record(2 * i, at(2 * i + 2), 0x1001);
    const char *last_line = "  (stopped after 32 frames)\n";
    const char *text = print_backtrace(at(0));
    EXPECT_STREQ(last_line, text + printed_length - 28);
}
