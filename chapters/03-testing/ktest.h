/*
 * ktest.h: a small test framework for the kernel and for the host.
 *
 *   TEST(console_wraps_at_column_80)
 *   {
 *       EXPECT_EQ(1, console.row);
 *   }
 *
 * TEST registers the function in the "ktests" linker section; the runner
 * walks that section, so a test needs no list to be added to. Results are
 * printed in KTAP, the Linux kernel's test output format:
 *
 *   KTAP version 1
 *   1..2
 *   ok 1 console_wraps_at_column_80
 *   # tests/unit.c:40: EXPECT_EQ(3, 1 + 1): expected 3 (0x3), got 2 (0x2)
 *   not ok 2 arithmetic
 *
 * A failed EXPECT_* reports the file, the line, the expression and both
 * values, marks the test failed and lets it continue.
 */
#ifndef KTEST_H
#define KTEST_H

#include <stdarg.h>
#include <stdbool.h>

struct ktest {
    const char *name;
    const char *file;
    int line;
    void (*run)(void);
    bool expect_panic; /* passes only if it panics; must be alone in its kernel */
};

/*
 * gcc emits a file's variables in reverse order unless told not to; the
 * tests should run in the order they are written. (clang keeps the order.)
 */
#if defined(__has_attribute) && __has_attribute(no_reorder)
#define KTEST_IN_ORDER __attribute__((no_reorder))
#else
#define KTEST_IN_ORDER
#endif

#define KTEST_DEFINE(test_name, panics)                                                            \
    static void ktest_##test_name(void);                                                           \
    static const struct ktest ktest_##test_name##_info = {#test_name, __FILE__, __LINE__,          \
                                                          ktest_##test_name, panics};              \
    __attribute__((used, section("ktests")))                                                       \
    KTEST_IN_ORDER static const struct ktest *const ktest_##test_name##_entry =                    \
        &ktest_##test_name##_info;                                                                 \
    static void ktest_##test_name(void)

#define TEST(test_name)              KTEST_DEFINE(test_name, false)
#define TEST_SHOULD_PANIC(test_name) KTEST_DEFINE(test_name, true)

#define EXPECT_TRUE(condition)                                                                     \
    do {                                                                                           \
        if (!(condition))                                                                          \
            ktest_fail(__FILE__, __LINE__, "EXPECT_TRUE(%s): it is false", #condition);            \
    } while (0)

#define EXPECT_FALSE(condition)                                                                    \
    do {                                                                                           \
        if (condition)                                                                             \
            ktest_fail(__FILE__, __LINE__, "EXPECT_FALSE(%s): it is true", #condition);            \
    } while (0)

/* Integers of any width, compared as 64-bit values and shown in decimal and hex. */
#define EXPECT_EQ(expected, actual) KTEST_COMPARE(expected, actual, ==, "EXPECT_EQ")
#define EXPECT_NE(expected, actual) KTEST_COMPARE(expected, actual, !=, "EXPECT_NE")

#define KTEST_COMPARE(expected, actual, op, macro)                                                 \
    do {                                                                                           \
        long long ktest_e = (long long)(expected), ktest_a = (long long)(actual);                  \
        if (!(ktest_e op ktest_a))                                                                 \
            ktest_fail(__FILE__, __LINE__,                                                         \
                       "%s(%s, %s): expected %lld (0x%llx), got %lld (0x%llx)", macro, #expected,  \
                       #actual, ktest_e, (unsigned long long)ktest_e, ktest_a,                     \
                       (unsigned long long)ktest_a);                                               \
    } while (0)

#define EXPECT_STREQ(expected, actual)                                                             \
    do {                                                                                           \
        const char *ktest_e = (expected), *ktest_a = (actual);                                     \
        if (!ktest_strings_equal(ktest_e, ktest_a))                                                \
            ktest_fail(__FILE__, __LINE__, "EXPECT_STREQ(%s, %s): expected \"%s\", got \"%s\"",    \
                       #expected, #actual, ktest_e, ktest_a);                                      \
    } while (0)

void ktest_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool ktest_strings_equal(const char *a, const char *b);

/* Run every registered test, print KTAP and a summary, then ktest_exit. */
_Noreturn void ktest_run_all(void);

/*
 * The test kernels' panic_hook: reports the running test and ends the run.
 * A nested panic (one inside this report) ends the run at once, failed.
 */
_Noreturn void ktest_panicked(const char *file, int line, bool nested);

/* Provided by the platform: ktest_kernel.c in a test kernel, unit/host.c on the host. */
int ktest_vprintf(const char *fmt, va_list args);
_Noreturn void ktest_exit(bool all_passed);

#endif
