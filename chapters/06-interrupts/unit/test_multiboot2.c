/* test_multiboot2.c: walking the boot information's tags, well-formed and damaged. */
#include <stdint.h>

#include "ktest.h"
#include "multiboot2.h"

/* Boot information as GRUB lays it out: 8-byte aligned u32 words. */
static uint32_t info[16] __attribute__((aligned(8)));

/* total size, reserved, a 12-byte tag of type 1 (padded to 16), a type 12 tag, the end tag. */
static void fill_uefi_info(void)
{
    const uint32_t words[] = {48, 0, 1, 12, 0x41414141, 0, 12, 16, 0, 0, 0, 8};
    for (unsigned i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        info[i] = words[i];
}

TEST(finds_a_tag_after_a_padded_one)
{
    fill_uefi_info();
    EXPECT_TRUE(multiboot2_has_tag(info, MULTIBOOT2_TAG_EFI64_SYSTEM_TABLE));
    EXPECT_TRUE(multiboot2_has_tag(info, 1));
}

TEST(a_missing_tag_is_not_found)
{
    fill_uefi_info();
    EXPECT_FALSE(multiboot2_has_tag(info, 6));
}

TEST(the_walk_stops_at_the_end_tag)
{
    fill_uefi_info();
    info[6] = MULTIBOOT2_TAG_END; /* the EFI tag becomes the end */
    EXPECT_FALSE(multiboot2_has_tag(info, MULTIBOOT2_TAG_EFI64_SYSTEM_TABLE));
}

TEST(the_walk_stays_within_the_total_size)
{
    fill_uefi_info();
    info[0] = 24; /* only the first tag is inside */
    EXPECT_FALSE(multiboot2_has_tag(info, MULTIBOOT2_TAG_EFI64_SYSTEM_TABLE));
    info[0] = 48;
    info[3] = 4; /* a tag shorter than its own header would loop forever */
    EXPECT_FALSE(multiboot2_has_tag(info, MULTIBOOT2_TAG_EFI64_SYSTEM_TABLE));
}
