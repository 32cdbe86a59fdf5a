/* backtrace.c: walk the frame-pointer chain and name each return address. */
#include "backtrace.h"
#include "format.h"

/* A frame record is two 8-byte words, aligned, entirely inside the stack. */
static bool frame_on_stack(uint64_t rbp, struct stack_bounds stack)
{
    return rbp % 8 == 0 && rbp >= stack.bottom && stack.top >= 16 && rbp <= stack.top - 16;
}

void backtrace_walk(struct backtrace *trace, uint64_t rbp, struct stack_bounds stack)
{
    trace->count = 0;
    trace->end = BACKTRACE_COMPLETE;
    trace->bad_frame = 0;
    while (rbp != 0) {
        if (!frame_on_stack(rbp, stack)) {
            trace->end = BACKTRACE_BAD_FRAME;
            trace->bad_frame = rbp;
            return;
        }
        if (trace->count == BACKTRACE_MAX_FRAMES) {
            trace->end = BACKTRACE_TOO_DEEP;
            return;
        }
        const uint64_t *record = (const uint64_t *)(uintptr_t)rbp;
        trace->return_addresses[trace->count++] = record[1];
        /* Callers' frames lie above their callees': a chain that goes down loops or is garbage. */
        if (record[0] != 0 && record[0] <= rbp) {
            trace->end = BACKTRACE_BAD_FRAME;
            trace->bad_frame = record[0];
            return;
        }
        rbp = record[0];
    }
}

int format_address(char *buffer, size_t size, const struct symbol_table *table, uint64_t address,
                   bool return_address)
{
    struct symbol symbol;
    uint64_t probe = return_address ? address - 1 : address;

    if (!ksym_lookup(table, probe, &symbol))
        return snformat(buffer, size, "0x%016llx", (unsigned long long)address);
    return snformat(buffer, size, "0x%016llx <%s+0x%llx>", (unsigned long long)address, symbol.name,
                    (unsigned long long)(symbol.offset + (address - probe)));
}

void backtrace_print(backtrace_printer print, const struct symbol_table *table, uint64_t rbp,
                     struct stack_bounds stack)
{
    struct backtrace trace;
    char line[128];

    backtrace_walk(&trace, rbp, stack);
    for (int i = 0; i < trace.count; i++) {
        format_address(line, sizeof(line), table, trace.return_addresses[i], true);
        print("  %s\n", line);
        /* A recursion returns to the same address in every frame: say so once. */
        int repeats = 0;
        while (i + 1 < trace.count && trace.return_addresses[i + 1] == trace.return_addresses[i]) {
            repeats++;
            i++;
        }
        if (repeats > 0)
            print("  (the same return address %d more time%s)\n", repeats, repeats == 1 ? "" : "s");
    }
    if (trace.end == BACKTRACE_BAD_FRAME)
        print("  (stopped: frame pointer 0x%016llx is not a frame on the stack)\n",
              (unsigned long long)trace.bad_frame);
    else if (trace.end == BACKTRACE_TOO_DEEP)
        print("  (stopped after %d frames)\n", BACKTRACE_MAX_FRAMES);
}
