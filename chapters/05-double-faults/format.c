/*
 * format.c: the formatting core behind kprintf.
 *
 * A conversion is parsed into a struct conversion_spec, its argument is
 * fetched with va_arg at the type the length modifier names, and the text is
 * padded to the field width.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format.h"

enum length { LENGTH_INT, LENGTH_LONG, LENGTH_LONG_LONG, LENGTH_SIZE };

struct conversion_spec {
    bool left_align;
    bool zero_pad;
    int width;
    enum length length;
};

struct sink {
    format_output output;
    void *context;
    int count;
};

static void emit(struct sink *sink, char c)
{
    sink->output(sink->context, c);
    sink->count++;
}

static void emit_repeated(struct sink *sink, char c, int times)
{
    for (int i = 0; i < times; i++)
        emit(sink, c);
}

static void emit_text(struct sink *sink, const char *s, int length)
{
    for (int i = 0; i < length; i++)
        emit(sink, s[i]);
}

static int string_length(const char *s)
{
    int length = 0;
    while (s[length] != '\0')
        length++;
    return length;
}

/* Text padded with spaces to the field width ('0' does not apply). */
static void emit_field(struct sink *sink, const char *s, int length,
                       const struct conversion_spec *spec)
{
    int padding = spec->width > length ? spec->width - length : 0;

    if (!spec->left_align)
        emit_repeated(sink, ' ', padding);
    emit_text(sink, s, length);
    if (spec->left_align)
        emit_repeated(sink, ' ', padding);
}

/*
 * A number is its sign, then zeros or spaces up to the width, then the
 * digits: "-0042" with %05d, "  -42" with %5d, "-42  " with %-5d.
 */
static void emit_number(struct sink *sink, uint64_t magnitude, bool negative, unsigned base,
                        bool upper_case, const struct conversion_spec *spec)
{
    const char *digits = upper_case ? "0123456789ABCDEF" : "0123456789abcdef";
    char reversed[64];
    int count = 0;

    do {
        reversed[count++] = digits[magnitude % base];
        magnitude /= base;
    } while (magnitude != 0);

    int length = count + (negative ? 1 : 0);
    int padding = spec->width > length ? spec->width - length : 0;
    bool zeros = spec->zero_pad && !spec->left_align;

    if (!spec->left_align && !zeros)
        emit_repeated(sink, ' ', padding);
    if (negative)
        emit(sink, '-');
    if (zeros)
        emit_repeated(sink, '0', padding);
    while (count > 0)
        emit(sink, reversed[--count]);
    if (spec->left_align)
        emit_repeated(sink, ' ', padding);
}

static int64_t fetch_signed(va_list *args, enum length length)
{
    switch (length) {
    case LENGTH_LONG:
        return va_arg(*args, long);
    case LENGTH_LONG_LONG:
        return va_arg(*args, long long);
    case LENGTH_SIZE:
        return (int64_t)va_arg(*args, size_t);
    default:
        return va_arg(*args, int);
    }
}

static uint64_t fetch_unsigned(va_list *args, enum length length)
{
    switch (length) {
    case LENGTH_LONG:
        return va_arg(*args, unsigned long);
    case LENGTH_LONG_LONG:
        return va_arg(*args, unsigned long long);
    case LENGTH_SIZE:
        return va_arg(*args, size_t);
    default:
        return va_arg(*args, unsigned int);
    }
}

/* Flags, width and length modifier; returns where the conversion letter is. */
static const char *parse_spec(const char *p, struct conversion_spec *spec)
{
    *spec = (struct conversion_spec){0};
    for (;; p++) {
        if (*p == '-')
            spec->left_align = true;
        else if (*p == '0')
            spec->zero_pad = true;
        else
            break;
    }
    while (*p >= '0' && *p <= '9') {
        if (spec->width < 1000) /* a silly width must not overflow an int */
            spec->width = spec->width * 10 + (*p - '0');
        p++;
    }
    if (p[0] == 'l' && p[1] == 'l') {
        spec->length = LENGTH_LONG_LONG;
        p += 2;
    } else if (*p == 'l') {
        spec->length = LENGTH_LONG;
        p++;
    } else if (*p == 'z') {
        spec->length = LENGTH_SIZE;
        p++;
    }
    return p;
}

/* Format one conversion; false if the letter is not one we know. */
static bool convert(struct sink *sink, char letter, const struct conversion_spec *spec,
                    va_list *args)
{
    switch (letter) {
    case 'c': {
        char c = (char)va_arg(*args, int); /* char is promoted to int in varargs */
        emit_field(sink, &c, 1, spec);
        return true;
    }
    case 's': {
        const char *s = va_arg(*args, const char *);
        if (s == NULL)
            s = "(null)";
        emit_field(sink, s, string_length(s), spec);
        return true;
    }
    case 'd':
    case 'i': {
        int64_t value = fetch_signed(args, spec->length);
        /* Negate as unsigned: -INT64_MIN does not fit in int64_t. */
        uint64_t magnitude = value < 0 ? -(uint64_t)value : (uint64_t)value;
        emit_number(sink, magnitude, value < 0, 10, false, spec);
        return true;
    }
    case 'u':
        emit_number(sink, fetch_unsigned(args, spec->length), false, 10, false, spec);
        return true;
    case 'x':
    case 'X':
        emit_number(sink, fetch_unsigned(args, spec->length), false, 16, letter == 'X', spec);
        return true;
    case 'p': {
        struct conversion_spec pointer = {.zero_pad = true, .width = 16};
        emit_text(sink, "0x", 2);
        emit_number(sink, (uintptr_t)va_arg(*args, void *), false, 16, false, &pointer);
        return true;
    }
    case '%':
        emit(sink, '%');
        return true;
    default:
        return false;
    }
}

int vformat(format_output output, void *context, const char *fmt, va_list args)
{
    struct sink sink = {output, context, 0};
    bool lost_track = false;
    va_list copy;

    /* A va_list is passed on by pointer; copying it keeps that portable. */
    va_copy(copy, args);
    for (const char *p = fmt; *p != '\0'; p++) {
        if (*p != '%' || lost_track) {
            emit(&sink, *p);
            continue;
        }
        struct conversion_spec spec;
        const char *letter = parse_spec(p + 1, &spec);
        if (*letter != '\0' && convert(&sink, *letter, &spec, &copy)) {
            p = letter;
        } else {
            /*
             * Unknown: print it as written. We cannot know whether it was
             * meant to take an argument (%o would, %m would not), so every
             * later argument might be the wrong one: a %s could read an
             * integer as a pointer. The rest of the format is printed as
             * written too.
             */
            emit(&sink, '%');
            lost_track = true;
        }
    }
    va_end(copy);
    return sink.count;
}

struct buffer_sink {
    char *buffer;
    size_t size;
    size_t used;
};

static void store(void *context, char c)
{
    struct buffer_sink *sink = context;

    if (sink->used + 1 < sink->size)
        sink->buffer[sink->used++] = c;
}

int snformat(char *buffer, size_t size, const char *fmt, ...)
{
    struct buffer_sink sink = {buffer, size, 0};
    va_list args;

    va_start(args, fmt);
    int length = vformat(store, &sink, fmt, args);
    va_end(args);
    if (size > 0)
        buffer[sink.used] = '\0';
    return length;
}
