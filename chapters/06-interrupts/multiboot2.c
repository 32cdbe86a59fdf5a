/*
 * multiboot2.c: the boot information is a u32 total size, a u32 reserved,
 * then tags, each a u32 type and a u32 size (header included), padded to
 * 8 bytes, up to a tag of type 0. The walk never leaves total_size, so a
 * damaged structure ends it instead of sending it through memory.
 */
#include <stddef.h>

#include "multiboot2.h"

struct tag_header {
    uint32_t type;
    uint32_t size;
};

bool multiboot2_has_tag(const void *info, uint32_t type)
{
    const uint8_t *start = info;
    uint32_t total_size = *(const uint32_t *)start;
    size_t offset = 8;

    while (offset + sizeof(struct tag_header) <= total_size) {
        const struct tag_header *tag = (const struct tag_header *)(start + offset);
        if (tag->type == MULTIBOOT2_TAG_END || tag->size < sizeof(struct tag_header))
            return false;
        if (tag->type == type)
            return true;
        offset += (tag->size + 7) & ~(size_t)7;
    }
    return false;
}
