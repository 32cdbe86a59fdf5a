/* ksyms.c: look an address up in a sorted symbol table. */
#include "ksyms.h"

bool ksym_lookup(const struct symbol_table *table, uint64_t address, struct symbol *found)
{
    /* Binary search for the last symbol that starts at or before address. */
    uint64_t low = 0, high = table->count;

    while (low < high) {
        uint64_t middle = low + (high - low) / 2;
        if (table->symbols[middle].address <= address)
            low = middle + 1;
        else
            high = middle;
    }
    found->name = NULL;
    found->offset = 0;
    if (low == 0)
        return false; /* below the first symbol */
    const struct ksym *symbol = &table->symbols[low - 1];
    if (address - symbol->address >= symbol->size)
        return false; /* past its end */
    found->name = table->names + symbol->name;
    found->offset = address - symbol->address;
    return true;
}
