/*
 * kprintf.c: formatted printing to the VGA console and the serial port.
 *
 * Characters are collected in a small buffer and handed to the console a
 * chunk at a time, so the hardware cursor moves once per chunk instead of
 * once per character. The console lock makes one kprintf one operation.
 */
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

int kvprintf(const char *fmt, va_list args)
{
    spin_lock(&console_lock);
    int count = print_locked(vga_console.attribute, fmt, args);
    spin_unlock(&console_lock);
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
    spin_unlock(&console_lock);
    va_end(args);
    return count;
}

int kvprintf_panic(uint8_t attribute, const char *fmt, va_list args)
{
    console_lock = (struct spinlock)SPINLOCK_INIT;
    return print_locked(attribute, fmt, args);
}
