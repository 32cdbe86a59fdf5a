/*
 * ktest.c: the test runner, shared by test kernels and host unit tests.
 *
 * The linker collects every TEST's entry in the "ktests" section and
 * defines __start_ktests and __stop_ktests around it (GNU ld and lld do
 * this for any section whose name is a C identifier; the kernel's
 * linker.ld defines them itself).
 */
#include <stddef.h>
#include <stdint.h>

#include "ktest.h"

extern const struct ktest *const __start_ktests[];
extern const struct ktest *const __stop_ktests[];

static const struct ktest *current;
static int current_number;
static bool current_failed;
static int passed;
static int failed;

static int say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int say(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    int count = ktest_vprintf(fmt, args);
    va_end(args);
    return count;
}

bool ktest_strings_equal(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

void ktest_fail(const char *file, int line, const char *fmt, ...)
{
    va_list args;

    current_failed = true;
    say("# %s:%d: ", file, line);
    va_start(args, fmt);
    ktest_vprintf(fmt, args);
    va_end(args);
    say("\n");
}

/*
 * The two symbols are separate objects as far as C knows, and subtracting
 * pointers into different objects is undefined: count with addresses.
 */
static int test_count(void)
{
    return (int)(((uintptr_t)__stop_ktests - (uintptr_t)__start_ktests) /
                 sizeof(__start_ktests[0]));
}

static void report(bool ok, const char *directive)
{
    say("%s %d %s%s\n", ok ? "ok" : "not ok", current_number, current->name, directive);
    if (ok)
        passed++;
    else
        failed++;
}

/* A KTAP comment with the counts, then one plain sentence for people. */
static _Noreturn void finish(void)
{
    int total = test_count();
    int not_run = total - passed - failed;

    say("# Totals: pass:%d fail:%d not-run:%d total:%d\n", passed, failed, not_run, total);
    if (failed == 0 && not_run == 0)
        say("All %d test%s passed.\n", total, total == 1 ? "" : "s");
    else if (not_run == 0)
        say("FAILED: %d of %d tests failed (the \"not ok\" lines above).\n", failed, total);
    else
        say("FAILED: %d of %d tests failed and %d did not run after a panic.\n", failed, total,
            not_run);
    ktest_exit(failed == 0 && not_run == 0);
}

/* A should-panic test ends the run when it panics, so it cannot share a kernel. */
static bool should_panic_tests_are_alone(void)
{
    for (int i = 0; i < test_count(); i++) {
        if (__start_ktests[i]->expect_panic && test_count() != 1) {
            say("# %s: a TEST_SHOULD_PANIC must be the only test in its kernel\n",
                __start_ktests[i]->name);
            return false;
        }
    }
    return true;
}

_Noreturn void ktest_run_all(void)
{
    say("KTAP version 1\n1..%d\n", test_count());
    if (test_count() == 0 || !should_panic_tests_are_alone()) {
        say("# nothing to run: no tests, or a misplaced should-panic test\n");
        ktest_exit(false);
    }
    for (int i = 0; i < test_count(); i++) {
        current = __start_ktests[i];
        current_number = i + 1;
        current_failed = false;
        current->run();
        if (current->expect_panic)
            ktest_fail(current->file, current->line, "%s returned without panicking",
                       current->name);
        report(!current_failed, "");
    }
    current = NULL;
    finish();
}

_Noreturn void ktest_panicked(const char *file, int line, bool nested)
{
    if (nested)
        ktest_exit(false); /* panic.c has printed where; printing more may panic again */
    if (current == NULL) {
        say("# %s:%d: panic outside of any test\n", file, line);
        ktest_exit(false);
    }
    if (!current->expect_panic)
        ktest_fail(file, line, "unexpected panic (message above)");
    bool ok = current->expect_panic && !current_failed;
    report(ok, ok ? "" : " # panicked");
    current = NULL;
    finish();
}
