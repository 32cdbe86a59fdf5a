/*
 * ksyms.h: the kernel's own symbol table, for turning an address into
 * "kmain+0x2a".
 *
 * The build links every kernel twice (common/kernel.mk, as Linux does
 * for its kallsyms): the first link has an empty table; `nm` lists the
 * first kernel's symbols, common/kallsyms.py turns the list into
 * assembly that defines kernel_symbol_table, and the second link puts
 * that table at the very end of the kernel, so nothing else moves. The
 * table lists every function and variable whose size the assembler
 * knows: all of C's, and the assembly ones that declare theirs with
 * .size.
 */
#ifndef KSYMS_H
#define KSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One symbol. Sorted by address; kallsyms.py writes them in this layout. */
struct ksym {
    uint64_t address;
    uint32_t size;
    uint32_t name; /* offset of the name in the table's names */
};

_Static_assert(sizeof(struct ksym) == 16, "kallsyms.py writes 16-byte entries");

struct symbol_table {
    const struct ksym *symbols;
    uint64_t count;
    const char *names; /* the names, each ending in '\0' */
};

_Static_assert(sizeof(struct symbol_table) == 24, "kallsyms.py writes a 24-byte header");

/* The table of the running kernel (the file kallsyms.py generates). */
extern const struct symbol_table kernel_symbol_table;

struct symbol {
    const char *name;
    uint64_t offset; /* address - start of the symbol */
};

/*
 * The symbol whose bytes [address, address + size) contain `address`.
 * False, with found->name NULL, when no symbol does (padding between
 * functions, or anything outside the kernel).
 */
bool ksym_lookup(const struct symbol_table *table, uint64_t address, struct symbol *found);

#endif
