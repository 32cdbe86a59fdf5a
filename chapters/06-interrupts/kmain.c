/*
 * kmain.c: chapter 06 turns on hardware interrupts. The PIT ticks a
 * thousand times a second, the keyboard interrupts on every key, and the
 * kernel spends its time asleep in hlt, woken by either. A status line
 * shows the uptime; a prompt reads commands, typed with line editing.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdt.h"
#include "idt.h"
#include "irq.h"
#include "keyboard.h"
#include "known_registers.h"
#include "kprintf.h"
#include "line_editor.h"
#include "multiboot2.h"
#include "pit.h"
#include "serial.h"
#include "timer.h"
#include "vga.h"
#include "x86.h"

#define STATUS_COLOUR vga_attribute(VGA_YELLOW, VGA_BLUE)
#define PROMPT        "> "

static uint64_t status_second = UINT64_MAX; /* the uptime the status line shows */

/* The top row. The uptime's field has a fixed width: nothing after it moves. */
static void show_status(uint64_t second)
{
    struct keyboard_stats stats = keyboard_stats();
    kprint_status(STATUS_COLOUR, " Chapter 06: interrupts   uptime %6llu s   keys dropped %u",
                  (unsigned long long)second, stats.dropped);
    status_second = second;
}

static bool status_due(void)
{
    return uptime_ms() / 1000 != status_second;
}

/*
 * Is there anything to do? Checked with interrupts disabled, so that no
 * IRQ can bring work between the check and the hlt that follows it.
 */
static bool work_waiting(void)
{
    return !keyboard_idle() || status_due();
}

/* Sleep until an interrupt brings work: the kernel's idle loop. */
static void wait_for_work(void)
{
    for (;;) {
        cli();
        if (work_waiting())
            break;
        sti_hlt(); /* see x86.h: no IRQ can slip in between the check and the hlt */
    }
    sti();
}

/* ---- commands --------------------------------------------------------- */

static void command_help(const char *argument);

static void command_ticks(const char *argument)
{
    (void)argument;
    struct keyboard_stats stats = keyboard_stats();
    uint64_t ticks = timer_ticks();
    uint32_t rate = pit_rate_millihertz(pit_divisor(TIMER_HZ));
    kprintf("%llu ticks at %u.%03u Hz: uptime %llu ms\n", (unsigned long long)ticks, rate / 1000,
            rate % 1000, (unsigned long long)pit_ticks_to_ms(ticks, rate));
    kprintf("spurious IRQs: %u; keys dropped %u, unknown %u, malformed %u\n", pic_spurious_count,
            stats.dropped, stats.unknown, stats.malformed);
}

/* A decimal number, or -1 if the text is not one. */
static long parse_number(const char *text)
{
    long value = 0;
    if (*text == '\0')
        return -1;
    for (; *text != '\0'; text++) {
        if (*text < '0' || *text > '9' || value > 100000)
            return -1;
        value = value * 10 + (*text - '0');
    }
    return value;
}

static void command_sleep(const char *argument)
{
    long ms = parse_number(argument);
    if (ms < 0 || ms > 60000) {
        kprintf("usage: sleep MILLISECONDS (0-60000)\n");
        return;
    }
    uint64_t start = uptime_ms();
    kprintf("sleeping %ld ms; keys typed meanwhile wait in the queue\n", ms);
    sleep_ms((uint32_t)ms);
    kprintf("woke up after %llu ms\n", (unsigned long long)(uptime_ms() - start));
}

static void print_key_event(const struct key_event *event)
{
    const char *name = key_name(event->key);
    kprintf("%s ", event->pressed ? "press  " : "release");
    if (name != NULL)
        kprintf("%s", name);
    else
        kprintf("%c", (char)event->key);
    if (event->ch >= ' ' && event->ch <= '~')
        kprintf(", types '%c'", event->ch);
    else if (event->ch != '\0' && event->ch != '\n')
        kprintf(", types ^%c", event->ch + '@');
    if (event->modifiers != 0) {
        static const char *const names[] = {"shift", "ctrl", "alt", "caps"}; /* KEY_MOD_* bits */
        const char *separator = " [";
        for (int bit = 0; bit < 4; bit++) {
            if (event->modifiers & (1 << bit)) {
                kprintf("%s%s", separator, names[bit]);
                separator = " ";
            }
        }
        kprintf("]");
    }
    kprintf("\n");
}

/* Every key event as it comes, releases too, until Escape is pressed. */
static void command_keys(const char *argument)
{
    struct key_event event;
    (void)argument;
    kprintf("Showing key events; Escape ends.\n");
    for (;;) {
        wait_for_work();
        while (keyboard_read(&event)) {
            print_key_event(&event);
            if (event.pressed && event.key == '\x1b')
                return;
        }
        if (status_due())
            show_status(uptime_ms() / 1000);
    }
}

static __attribute__((noinline)) void breakpoint_with_known_registers(void)
{
    /* Interrupts stay on: sti after the known RFLAGS (0x2) makes it 0x202. */
    __asm__ volatile(LOAD_KNOWN_REGISTERS "sti\n\tint3" : : : KNOWN_REGISTERS, "cc", "memory");
}

static void command_breakpoint(const char *argument)
{
    (void)argument;
    kprintf("int3 with interrupts on:\n");
    breakpoint_with_known_registers();
    kprintf("Back from the breakpoint; the timer kept ticking.\n");
}

static void command_echo(const char *argument)
{
    kprintf("%s\n", argument);
}

static void command_halt(const char *argument)
{
    (void)argument;
    kprintf("Halting with interrupts off: nothing will wake the CPU.\n");
    halt_forever();
}

static const struct command {
    const char *name;
    void (*run)(const char *argument);
    const char *help;
} commands[] = {
    {"help", command_help, "list the commands"},
    {"ticks", command_ticks, "timer ticks, uptime, spurious IRQs, keyboard counters"},
    {"sleep", command_sleep, "sleep MS: idle in hlt for MS milliseconds"},
    {"keys", command_keys, "show every key event until Escape"},
    {"echo", command_echo, "echo TEXT: print TEXT"},
    {"breakpoint", command_breakpoint, "int3 with interrupts on: the handler still works"},
    {"halt", command_halt, "stop the CPU for good"},
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static void command_help(const char *argument)
{
    (void)argument;
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        kprintf("  %-10s %s\n", commands[i].name, commands[i].help);
}

static bool same_text(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* "sleep 500": the name, then what follows one space. */
static void run_command(char *line)
{
    char *argument = line;
    while (*argument != '\0' && *argument != ' ')
        argument++;
    if (*argument == ' ')
        *argument++ = '\0';
    if (*line == '\0')
        return;
    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        if (same_text(line, commands[i].name)) {
            commands[i].run(argument);
            return;
        }
    }
    kprintf("unknown command '%s': try help\n", line);
}

/* ---- the prompt -------------------------------------------------------- */

static void echo_to_console(const char *text)
{
    kprintf("%s", text);
}

static void handle_key(struct line_editor *line, const struct key_event *event)
{
    if (!event->pressed || event->ch == '\0')
        return;
    enum line_status status = line_editor_type(line, event->ch, echo_to_console);
    if (status == LINE_EDITING)
        return;
    if (status == LINE_ENTERED)
        run_command(line->text);
    line_editor_clear(line);
    kprintf(PROMPT);
}

void kmain(uint32_t multiboot_magic, uint32_t multiboot_info)
{
    struct line_editor line;
    struct key_event event;
    (void)multiboot_magic; /* boot.S checked it */

    /* UEFI firmware leaves no VGA text mode behind: the serial port is the console. */
    bool uefi = multiboot2_has_tag((const void *)(uintptr_t)multiboot_info,
                                   MULTIBOOT2_TAG_EFI64_SYSTEM_TABLE);
    if (uefi)
        vga_disable();
    else
        vga_init();
    bool have_serial = serial_init();
    gdt_init(); /* first: the IDT's IST entries point into the TSS */
    idt_init();
    irq_init();
    timer_init();
    irq_set_handler(IRQ_TIMER, timer_tick);
    keyboard_init();
    show_status(0);
    kprintf("Chapter 06: hardware interrupts. The PICs deliver IRQ 0-15 on "
            "vectors 32-47;\n");
    kprintf("the timer ticks at %u Hz and the keyboard interrupts on every key.\n", TIMER_HZ);
    if (uefi)
        kprintf("firmware: UEFI, so no VGA text mode: COM1 is the console.\n");
    if (!have_serial)
        kprintf("serial: no UART answered on COM1; the screen is the only console.\n");
    kprintf("Type a command and press Enter (help lists them).\n");
    line_editor_clear(&line);
    kprintf(PROMPT);
    sti();
    for (;;) {
        wait_for_work();
        while (keyboard_read(&event))
            handle_key(&line, &event);
        if (status_due())
            show_status(uptime_ms() / 1000);
    }
}
