/*
 * kprintf.c: formatted printing to the VGA console and the serial port.
 *
 * Characters are collected in a small buffer and handed to the console a
 * chunk at a time, so the hardware cursor moves once per chunk instead of
 * once per character. The console lock makes one kprintf one operation.
 *
 * Exception handlers and the NMI handler can run while the code they
 * interrupted holds that lock. They must never wait for it (the holder
 * cannot run before they return), so each has its own way in below.
 */
#include <stdbool.h>

#include "kprintf.h"
#include "format.h"
#include "serial.h"
#include "spinlock.h"
#include "vga.h"

#define CHUNK_SIZE 64

struct chunk {
    char text[CHUNK_SIZE];
    int length;
};

/*
 * Not static only so that a test kernel can hold it (tests/console_lock.h);
 * no header of the kernel declares it: everything else goes through kprintf.
 */
struct spinlock console_lock = SPINLOCK_INIT;

static void flush(struct chunk *chunk)
{
    vga_write(chunk->text, chunk->length);
    serial_write(chunk->text, chunk->length);
    chunk->length = 0;
}

static void collect(void *context, char c)
{
    struct chunk *chunk = context;

    chunk->text[chunk->length++] = c;
    if (chunk->length == CHUNK_SIZE)
        flush(chunk);
}

/* The caller holds console_lock (or has taken the console over). */
static int print_locked(uint8_t attribute, const char *fmt, va_list args)
{
    struct chunk chunk = {.length = 0};
    uint8_t saved = vga_console.attribute;

    vga_set_attribute(attribute);
    int count = vformat(collect, &chunk, fmt, args);
    flush(&chunk);
    vga_set_attribute(saved);
    return count;
}

static int print_text_locked(const char *fmt, ...) PRINTF_LIKE(1);

static int print_text_locked(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    int count = print_locked(vga_console.attribute, fmt, args);
    va_end(args);
    return count;
}

/*
 * The NMI handler's text, waiting for the console. Only the NMI handler
 * fills the buffer, and only while nmi_text_waiting is false; only a
 * holder of console_lock empties it, and only while it is true. The two
 * never touch it at the same time.
 */
static char nmi_text[NMI_TEXT_SIZE];
static bool nmi_text_waiting;
static unsigned nmi_texts_lost; /* NMIs that found the buffer still full */

static void print_nmi_text_locked(void)
{
    print_text_locked("%s", nmi_text);
    unsigned lost = __atomic_exchange_n(&nmi_texts_lost, 0, __ATOMIC_RELAXED);
    if (lost != 0)
        print_text_locked("(%u more NMI report%s lost)\n", lost, lost == 1 ? "" : "s");
    __atomic_store_n(&nmi_text_waiting, false, __ATOMIC_RELEASE);
}

static void print_waiting_nmi_text(void)
{
    while (__atomic_load_n(&nmi_text_waiting, __ATOMIC_ACQUIRE)) {
        if (!spin_trylock(&console_lock))
            return; /* whoever holds it prints the text when it unlocks */
        /*
         * Check again with the lock held: an NMI that came after the check
         * above found the lock free, printed the text and cleared the
         * flag, and the next NMI may be writing a new text into the buffer.
         */
        if (__atomic_load_n(&nmi_text_waiting, __ATOMIC_ACQUIRE))
            print_nmi_text_locked();
        spin_unlock(&console_lock);
        /* An NMI may have filled the buffer again while we held the lock: loop. */
    }
}

static void console_unlock(void)
{
    spin_unlock(&console_lock);
    print_waiting_nmi_text();
}

int kvprintf(const char *fmt, va_list args)
{
    spin_lock(&console_lock);
    int count = print_locked(vga_console.attribute, fmt, args);
    console_unlock();
    return count;
}

int kprintf(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    int count = kvprintf(fmt, args);
    va_end(args);
    return count;
}

int kprintf_colour(uint8_t attribute, const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    spin_lock(&console_lock);
    int count = print_locked(attribute, fmt, args);
    console_unlock();
    va_end(args);
    return count;
}

int kprintf_in_exception(const char *fmt, ...)
{
    va_list args;

    /*
     * If the lock is taken, the code this exception interrupted holds it:
     * print anyway, and leave the lock to that code, which still owns it.
     */
    bool locked = spin_trylock(&console_lock);
    va_start(args, fmt);
    int count = print_locked(vga_console.attribute, fmt, args);
    va_end(args);
    if (locked)
        console_unlock();
    return count;
}

void kprint_from_nmi(const char *text)
{
    if (__atomic_load_n(&nmi_text_waiting, __ATOMIC_ACQUIRE)) {
        __atomic_fetch_add(&nmi_texts_lost, 1, __ATOMIC_RELAXED);
    } else {
        snformat(nmi_text, sizeof(nmi_text), "%s", text);
        __atomic_store_n(&nmi_text_waiting, true, __ATOMIC_RELEASE);
    }
    print_waiting_nmi_text();
}

int kvprintf_panic(uint8_t attribute, const char *fmt, va_list args)
{
    /*
     * Whoever held the lock was interrupted on this CPU and will never
     * run again: take it over, and release it afterwards so that the
     * panic hook (a test kernel's report) can print normally.
     */
    spin_trylock(&console_lock);
    int count = print_locked(attribute, fmt, args);
    console_unlock();
    return count;
}
