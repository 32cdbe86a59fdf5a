/*
 * test_gdt.c: the TSS descriptor's bit layout on the host. The kernel's
 * own TSS sits below 4 GiB, so only here do the base's upper 32 bits and
 * the limit's bits 16-19 get checked.
 */
#include <stdint.h>

#include "gdt.h"
#include "ktest.h"

TEST(tss_descriptor_splits_base_and_limit_across_both_slots)
{
    struct system_descriptor d = tss_descriptor(0xffff800012345678, 103);
    /*
     * low:  base 31:24 = 0x12 | limit 19:16 = 0 | P, DPL 0, type 9 = 0x89
     *       | base 23:16 = 0x34 | base 15:0 = 0x5678 | limit 15:0 = 0x0067
     */
    EXPECT_EQ(0x1200893456780067, d.low);
    EXPECT_EQ(0xffff8000, d.high);
}

TEST(tss_descriptor_limit_bits_16_to_19)
{
    struct system_descriptor d = tss_descriptor(0, 0xabcde);
    EXPECT_EQ(0xa, d.low >> 48 & 0xf);
    EXPECT_EQ(0xbcde, d.low & 0xffff);
    EXPECT_EQ(0, d.low >> 55 & 1); /* G: the limit counts bytes */
}

TEST(tss_descriptor_is_a_present_system_descriptor)
{
    struct system_descriptor d = tss_descriptor(0x1000, 103);
    EXPECT_EQ(GDT_TYPE_TSS_AVAILABLE, descriptor_type(d.low));
    EXPECT_EQ(0, d.low & GDT_CODE_OR_DATA);
    EXPECT_TRUE(d.low & GDT_PRESENT);
    EXPECT_EQ(0, d.low >> 45 & 3); /* DPL 0 */
}

TEST(tss_descriptor_fields_read_back)
{
    struct system_descriptor d = tss_descriptor(0xfedcba9876543210, 0x12345);
    EXPECT_EQ(0xfedcba9876543210, system_descriptor_base(d));
    EXPECT_EQ(0x12345, system_descriptor_limit(d));
}
