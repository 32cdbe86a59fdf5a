/*
 * test_format.c: vformat on the host. Every conversion, flag, width and
 * length modifier, the extremes of every integer width, NULL strings,
 * unknown conversions and output longer than the buffer.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "format.h"
#include "ktest.h"

struct capture {
    char text[256];
    int used;
};

static void capture_char(void *context, char c)
{
    struct capture *capture = context;

    if (capture->used + 1 < (int)sizeof(capture->text))
        capture->text[capture->used++] = c;
    capture->text[capture->used] = '\0';
}

static struct capture result;
static int result_count;

/*
 * The format comes in as a variable, so the compiler's format checker does
 * not reject the deliberately odd ones; vformat must cope with them.
 */
static const char *format(const char *fmt, ...)
{
    va_list args;

    result.used = 0;
    result.text[0] = '\0';
    va_start(args, fmt);
    result_count = vformat(capture_char, &result, fmt, args);
    va_end(args);
    return result.text;
}

TEST(plain_text_and_percent)
{
    EXPECT_STREQ("hello, world", format("hello, world"));
    EXPECT_STREQ("100%", format("100%%"));
    EXPECT_EQ(4, result_count);
}

TEST(characters_and_strings)
{
    EXPECT_STREQ("A", format("%c", 'A'));
    EXPECT_STREQ("[ x][x ]", format("[%2c][%-2c]", 'x', 'x'));
    EXPECT_STREQ("kernel", format("%s", "kernel"));
    EXPECT_STREQ("(null)", format("%s", (const char *)NULL));
    EXPECT_STREQ("[   ab][ab   ]", format("[%5s][%-5s]", "ab", "ab"));
    EXPECT_STREQ("[   ab]", format("[%05s]", "ab"));     /* '0' pads numbers only */
    EXPECT_STREQ("[abcdef]", format("[%3s]", "abcdef")); /* width never truncates */
}

TEST(signed_decimal)
{
    EXPECT_STREQ("0", format("%d", 0));
    EXPECT_STREQ("-1 42", format("%d %i", -1, 42));
    EXPECT_STREQ("2147483647 -2147483648", format("%d %d", INT_MAX, INT_MIN));
    EXPECT_STREQ("-9223372036854775808", format("%ld", LONG_MIN));
    EXPECT_STREQ("9223372036854775807", format("%lld", LLONG_MAX));
    EXPECT_STREQ("-9223372036854775808", format("%lli", LLONG_MIN));
}

TEST(unsigned_and_hex)
{
    EXPECT_STREQ("4294967295", format("%u", UINT_MAX));
    EXPECT_STREQ("18446744073709551615", format("%lu", ULONG_MAX));
    EXPECT_STREQ("18446744073709551615", format("%llu", ULLONG_MAX));
    EXPECT_STREQ("ffffffff FFFFFFFF", format("%x %X", UINT_MAX, UINT_MAX));
    EXPECT_STREQ("ffffffffffffffff", format("%llx", ULLONG_MAX));
    EXPECT_STREQ("0 0", format("%x %u", 0u, 0u));
    EXPECT_STREQ("DEADBEEF", format("%lX", 0xdeadbeefUL));
}

TEST(size_t_modifier)
{
    EXPECT_STREQ("18446744073709551615", format("%zu", SIZE_MAX));
    EXPECT_STREQ("-5", format("%zd", (size_t)-5));
    EXPECT_STREQ("1f", format("%zx", (size_t)31));
}

TEST(int_arguments_are_not_read_as_64_bit)
{
    /* %d of -1 must not come out as 4294967295 or 18446744073709551615. */
    EXPECT_STREQ("-1 4294967295", format("%d %u", -1, -1));
}

TEST(pointers)
{
    EXPECT_STREQ("0x00000000000b8000", format("%p", (void *)0xb8000));
    EXPECT_STREQ("0x0000000000000000", format("%p", (void *)NULL));
    EXPECT_STREQ("0xffffffffffffffff", format("%p", (void *)UINTPTR_MAX));
}

TEST(width_zero_padding_and_alignment)
{
    EXPECT_STREQ("[   42]", format("[%5d]", 42));
    EXPECT_STREQ("[42   ]", format("[%-5d]", 42));
    EXPECT_STREQ("[00042]", format("[%05d]", 42));
    EXPECT_STREQ("[-0042]", format("[%05d]", -42)); /* sign before the zeros */
    EXPECT_STREQ("[  -42]", format("[%5d]", -42));
    EXPECT_STREQ("[42   ]", format("[%-05d]", 42)); /* '-' wins over '0' */
    EXPECT_STREQ("[000000ff]", format("[%08x]", 255));
    EXPECT_STREQ("[123456]", format("[%3d]", 123456));
}

TEST(unknown_conversions_are_printed_as_written)
{
    EXPECT_STREQ("%q", format("%q"));
    EXPECT_STREQ("[%-5q] %d", format("[%-5q] %d", 7));
    /* After an unknown conversion no argument is read: %s must not take 42 as a pointer. */
    EXPECT_STREQ("%#x %s 5%", format("%#x %s 5%", 42, 42));
    EXPECT_STREQ("1 %q %d%d", format("%d %q %d%d", 1, 2, 3));
    EXPECT_STREQ("%", format("%"));
    EXPECT_STREQ("50%", format("50%"));
    EXPECT_STREQ("%ll", format("%ll"));
    EXPECT_STREQ("%.3s", format("%.3s", "abcdef"));
}

TEST(huge_width_does_not_overflow)
{
    /* The width is capped while parsing; the output is cut by our buffer. */
    format("%99999999999d", 1);
    EXPECT_EQ(255, result.used);
    EXPECT_TRUE(result_count > 255);
}

TEST(snformat_truncates_and_terminates)
{
    char small[8];

    EXPECT_EQ(12, snformat(small, sizeof(small), "%s", "hello, world"));
    EXPECT_STREQ("hello, ", small);
    EXPECT_EQ(3, snformat(small, 1, "abc"));
    EXPECT_STREQ("", small);
    EXPECT_EQ(3, snformat(NULL, 0, "abc"));
}

TEST(long_output_is_counted_whole)
{
    char big[600];

    for (int i = 0; i < 599; i++)
        big[i] = 'a' + i % 26;
    big[599] = '\0';
    format("%s%s", big, big);
    EXPECT_EQ(1198, result_count);
    EXPECT_EQ(255, result.used);
}
