/*
 * test_exception_decode.c: vector names and error-code decoding on the
 * host, for every bit the decoders know and some they do not.
 */
#include <stdint.h>

#include "exception_decode.h"
#include "ktest.h"

static char text[128];

static const char *page_fault(uint64_t error_code)
{
    describe_page_fault_error(text, sizeof(text), error_code);
    return text;
}

static const char *selector(uint64_t error_code)
{
    describe_selector_error(text, sizeof(text), error_code);
    return text;
}

TEST(page_fault_access_kind_and_mode)
{
    EXPECT_STREQ("page not present, read, kernel mode", page_fault(0x0));
    EXPECT_STREQ("page not present, write, kernel mode", page_fault(0x2));
    EXPECT_STREQ("protection violation, write, user mode", page_fault(0x7));
    EXPECT_STREQ("protection violation, read, user mode", page_fault(0x5));
    EXPECT_STREQ("page not present, instruction fetch, kernel mode", page_fault(0x10));
}

TEST(page_fault_rarer_bits)
{
    EXPECT_STREQ("protection violation, read, kernel mode, reserved bit set in a page-table entry",
                 page_fault(0x9));
    EXPECT_STREQ("protection violation, write, user mode, protection key", page_fault(0x27));
    EXPECT_STREQ("protection violation, write, kernel mode, shadow stack", page_fault(0x43));
    EXPECT_STREQ("page not present, read, kernel mode, HLAT paging", page_fault(0x80));
    EXPECT_STREQ("protection violation, read, kernel mode, SGX", page_fault(0x8001));
}

TEST(page_fault_unknown_bits_are_shown_not_dropped)
{
    EXPECT_STREQ("page not present, write, kernel mode, unknown bits 0x10100", page_fault(0x10102));
}

TEST(selector_error_codes)
{
    EXPECT_STREQ("no selector involved", selector(0));
    EXPECT_STREQ("GDT entry 10 (selector 0x50)", selector(0x50));
    EXPECT_STREQ("GDT entry 10 (selector 0x50), external event", selector(0x51));
    EXPECT_STREQ("LDT entry 2 (selector 0x14)", selector(0x14));
    EXPECT_STREQ("IDT vector 128", selector(0x402));
    EXPECT_STREQ("IDT vector 8, external event", selector(0x43));
    EXPECT_STREQ("GDT entry 8191 (selector 0xfff8)", selector(0xfff8));
}

TEST(error_code_meaning_depends_on_the_vector)
{
    describe_error_code(text, sizeof(text), 14, 0x2);
    EXPECT_STREQ("page not present, write, kernel mode", text);
    for (int vector = 10; vector <= 13; vector++) {
        describe_error_code(text, sizeof(text), vector, 0x50);
        EXPECT_STREQ("GDT entry 10 (selector 0x50)", text);
    }
    describe_error_code(text, sizeof(text), 17, 0);
    EXPECT_STREQ("", text);
}

TEST(a_short_buffer_is_cut_and_terminated)
{
    char small[10];

    int length = describe_page_fault_error(small, sizeof(small), 0x10102);
    EXPECT_STREQ("page not ", small);
    EXPECT_EQ(58, length); /* what the whole text needs */
    EXPECT_EQ(14, describe_selector_error(small, 4, 0x402));
    EXPECT_STREQ("IDT", small);
}

TEST(vectors_with_an_error_code)
{
    uint32_t mask = 0;

    for (int vector = 0; vector < 32; vector++)
        if (exception_has_error_code(vector))
            mask |= 1u << vector;
    /* #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX: SDM Vol. 3A, Table 7-1 */
    EXPECT_EQ((1u << 8) | (1u << 10) | (1u << 11) | (1u << 12) | (1u << 13) | (1u << 14) |
                  (1u << 17) | (1u << 21) | (1u << 29) | (1u << 30),
              mask);
    EXPECT_FALSE(exception_has_error_code(32));
    EXPECT_FALSE(exception_has_error_code(UINT64_MAX));
}

TEST(vector_names_and_classes)
{
    EXPECT_STREQ("#DE", exception_info(0)->mnemonic);
    EXPECT_STREQ("divide error", exception_info(0)->name);
    EXPECT_STREQ("#PF", exception_info(14)->mnemonic);
    EXPECT_STREQ("page fault", exception_info(14)->name);
    EXPECT_STREQ("fault", exception_class_name(exception_info(14)->class));
    EXPECT_STREQ("trap", exception_class_name(exception_info(3)->class));
    EXPECT_STREQ("abort", exception_class_name(exception_info(8)->class));
    EXPECT_STREQ("interrupt", exception_class_name(exception_info(2)->class));
    EXPECT_STREQ("reserved vector 15", exception_info(15)->name);
    EXPECT_STREQ("not an exception vector", exception_info(32)->name);
    for (int vector = 0; vector < 32; vector++) {
        EXPECT_TRUE(exception_info(vector)->mnemonic != NULL);
        EXPECT_TRUE(exception_info(vector)->name != NULL);
    }
}
