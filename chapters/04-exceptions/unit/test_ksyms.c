/*
 * test_ksyms.c: symbol lookup on the host, over tables built here: the
 * first and last byte of a symbol, the gap between two, and everything
 * outside the table.
 */
#include <stdint.h>
#include <stdlib.h>

#include "ksyms.h"
#include "ktest.h"

/* alpha [0x1000, 0x1010), beta [0x1010, 0x1030), a gap, gamma [0x1040, 0x1048) */
static const struct ksym three[] = {
    {0x1000, 0x10, 0},
    {0x1010, 0x20, 6},
    {0x1040, 0x08, 11},
};
static const struct symbol_table table = {three, 3, "alpha\0beta\0gamma"};

static struct symbol found;

static const char *lookup(uint64_t address)
{
    return ksym_lookup(&table, address, &found) ? found.name : "(none)";
}

TEST(lookup_at_start_inside_and_last_byte)
{
    EXPECT_STREQ("alpha", lookup(0x1000));
    EXPECT_EQ(0, found.offset);
    EXPECT_STREQ("alpha", lookup(0x1005));
    EXPECT_EQ(5, found.offset);
    EXPECT_STREQ("alpha", lookup(0x100f));
    EXPECT_EQ(0xf, found.offset);
    EXPECT_STREQ("beta", lookup(0x1010)); /* one past alpha's end is beta's first byte */
    EXPECT_EQ(0, found.offset);
    EXPECT_STREQ("gamma", lookup(0x1047));
    EXPECT_EQ(7, found.offset);
}

TEST(lookup_fails_in_a_gap_and_outside)
{
    const uint64_t outside[] = {0, 0xfff, 0x1030, 0x103f, 0x1048, UINT64_MAX};

    for (unsigned i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
        found.name = "stale";
        EXPECT_FALSE(ksym_lookup(&table, outside[i], &found));
        EXPECT_TRUE(found.name == NULL);
        EXPECT_EQ(0, found.offset);
    }
}

TEST(lookup_in_an_empty_table_fails)
{
    const struct symbol_table empty = {NULL, 0, ""};

    EXPECT_FALSE(ksym_lookup(&empty, 0x1000, &found));
}

/* 1000 symbols of 12 bytes, 16 apart: every address agrees with a linear search. */
TEST(binary_search_agrees_with_a_linear_one)
{
    enum { COUNT = 1000 };
    struct ksym *symbols = malloc(COUNT * sizeof(*symbols));
    char *names = malloc(COUNT * 2);

    for (int i = 0; i < COUNT; i++) {
        symbols[i] = (struct ksym){0x100000 + 16 * (uint64_t)i, 12, (uint32_t)(2 * i)};
        names[2 * i] = (char)('A' + i % 26);
        names[2 * i + 1] = '\0';
    }
    struct symbol_table big = {symbols, COUNT, names};
    int mismatches = 0;
    for (uint64_t address = 0xffff0; address < 0x100000 + 16 * COUNT + 16; address++) {
        int expected = -1;
        for (int i = 0; i < COUNT; i++)
            if (address >= symbols[i].address && address < symbols[i].address + 12)
                expected = i;
        bool ok = ksym_lookup(&big, address, &found);
        if (ok != (expected >= 0) || (ok && (found.name != names + 2 * expected ||
                                             found.offset != address - symbols[expected].address)))
            mismatches++;
    }
    EXPECT_EQ(0, mismatches);
    free(symbols);
    free(names);
}
