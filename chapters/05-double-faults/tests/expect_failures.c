/*
 * expect_failures: every test here fails on purpose, one for each EXPECT_
 * macro. The kernel must exit QEMU with failure (status 35), and the serial
 * transcript shows what each failure reports. Without this kernel, an
 * EXPECT_ macro that never fails would go unnoticed: every other test
 * would still pass.
 */
#include "ktest.h"

TEST(expect_true_fails)
{
    int zero = 0;
    EXPECT_TRUE(zero == 1);
}

TEST(expect_false_fails)
{
    EXPECT_FALSE(2 + 2 == 4);
}

TEST(expect_eq_fails_and_shows_both_values)
{
    EXPECT_EQ(-1, 0xff);
}

TEST(expect_ne_fails)
{
    EXPECT_NE(42, 6 * 7);
}

TEST(expect_streq_fails_and_shows_both_strings)
{
    EXPECT_STREQ("kernel", "kern3l");
}

TEST(expect_streq_fails_on_null)
{
    /* volatile: a NULL the compiler can see would be a -Wformat-overflow error */
    const char *volatile nothing = 0;
    EXPECT_STREQ("text", nothing);
}

TEST(a_failed_expect_lets_the_test_continue)
{
    EXPECT_EQ(1, 2);
    EXPECT_EQ(3, 4); /* reported too: EXPECT_ does not stop the test */
}

TEST(a_passing_test_between_failures_still_passes)
{
    EXPECT_EQ(4, 2 + 2);
}
