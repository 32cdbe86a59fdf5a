/*
 * multiboot2.h: reading the boot information GRUB hands to kmain (the
 * Multiboot2 specification, 3.6 "Boot information format").
 */
#ifndef MULTIBOOT2_H
#define MULTIBOOT2_H

#include <stdbool.h>
#include <stdint.h>

/* Tag types (Multiboot2 specification, 3.6.1 and on). */
#define MULTIBOOT2_TAG_END                0
#define MULTIBOOT2_TAG_EFI64_SYSTEM_TABLE 12 /* only when UEFI firmware loaded GRUB */

/* Whether the boot information at info has a tag of this type. */
bool multiboot2_has_tag(const void *info, uint32_t type);

#endif
