/*
 * test_keyboard.c: the scancode decoder on recorded byte sequences.
 *
 * Each test feeds bytes as port 0x60 delivers them and compares what the
 * decoder made of them, written out as text: "+a" a press of the key
 * named 'a', "-Up" a release of Up, and separately the characters the
 * presses typed. Uses no C library: tests/keyboard_logic.c runs the same
 * tests inside the kernel.
 */
#include <stddef.h>
#include <stdint.h>

#include "keyboard.h"
#include "ktest.h"

#define LENGTH(array) (sizeof(array) / sizeof((array)[0]))

static struct keyboard_decoder decoder;
static struct key_event last;
static char events[512]; /* "+Left Shift +a -a -Left Shift" */
static char typed[128];  /* what the presses typed, control characters as ^X */
static size_t events_used, typed_used;

static void append(char *buffer, size_t size, size_t *used, const char *text)
{
    while (*text != '\0' && *used + 1 < size)
        buffer[(*used)++] = *text++;
    buffer[*used] = '\0';
}

static void record(const struct key_event *event)
{
    char single[2] = {(char)event->key, '\0'};
    const char *name = key_name(event->key);

    if (events_used > 0)
        append(events, sizeof(events), &events_used, " ");
    append(events, sizeof(events), &events_used, event->pressed ? "+" : "-");
    append(events, sizeof(events), &events_used, name != NULL ? name : single);
    if (event->ch != '\0' && (unsigned char)event->ch < 0x20 && event->ch != '\n') {
        char control[3] = {'^', (char)(event->ch + '@'), '\0'};
        append(typed, sizeof(typed), &typed_used, control);
    } else if (event->ch != '\0') {
        char ch[2] = {event->ch, '\0'};
        append(typed, sizeof(typed), &typed_used, ch);
    }
}

/* A fresh decoder and empty records. */
static void start(void)
{
    keyboard_decoder_init(&decoder);
    events_used = typed_used = 0;
    events[0] = typed[0] = '\0';
}

static void feed(const uint8_t *bytes, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (keyboard_decode_byte(&decoder, bytes[i], &last))
            record(&last);
    }
}

#define FEED(...)                                                                                  \
    do {                                                                                           \
        const uint8_t bytes_[] = {__VA_ARGS__};                                                    \
        feed(bytes_, LENGTH(bytes_));                                                              \
    } while (0)

TEST(make_and_break_codes_of_letters_and_digits)
{
    start();
    FEED(0x1e, 0x9e, 0x30, 0xb0, 0x02, 0x82, 0x0b, 0x8b);
    EXPECT_STREQ("+a -a +b -b +1 -1 +0 -0", events);
    EXPECT_STREQ("ab10", typed);
}

TEST(every_row_of_the_us_layout)
{
    start();
    FEED(0x29, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, /* `1-= */
         0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x2b, /* q-\ */
         0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28,             /* a-' */
         0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x39);            /* z-/ */
    EXPECT_STREQ("`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./ ", typed);
}

TEST(shift_gives_capitals_and_the_upper_symbols)
{
    start();
    FEED(0x2a, 0x29, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1a,
         0x1b, 0x2b, 0x27, 0x28, 0x33, 0x34, 0x35, 0x10, 0x2c, 0xaa, 0x10);
    EXPECT_STREQ("~!@#$%^&*()_+{}|:\"<>?QZq", typed);
}

TEST(either_shift_key_holds_shift_until_both_are_up)
{
    start();
    /* Left Shift down, Right Shift down, Left up: still shifted; Right up: not. */
    FEED(0x2a, 0x36, 0xaa, 0x1e, 0x9e, 0xb6, 0x1e, 0x9e);
    EXPECT_STREQ("Aa", typed);
    EXPECT_STREQ("+Left Shift +Right Shift -Left Shift +a -a -Right Shift +a -a", events);
}

TEST(caps_lock_changes_letters_only)
{
    start();
    FEED(0x3a, 0xba, 0x1e, 0x9e, 0x02, 0x82, 0x27, 0xa7, 0x3a, 0xba, 0x1e, 0x9e);
    EXPECT_STREQ("A1;a", typed);
}

TEST(shift_with_caps_lock_gives_lower_case_letters_and_upper_symbols)
{
    start();
    FEED(0x3a, 0xba, 0x2a, 0x1e, 0x9e, 0x02, 0x82, 0xaa);
    EXPECT_STREQ("a!", typed);
    EXPECT_EQ(KEY_MOD_CAPS_LOCK, last.modifiers);
}

TEST(a_held_caps_lock_toggles_once)
{
    start();
    /* A held key repeats its make code; only the first press toggles. */
    FEED(0x3a, 0x3a, 0xba, 0x1e, 0x9e);
    EXPECT_STREQ("A", typed);
}

TEST(a_held_key_repeats_its_make_code)
{
    start();
    FEED(0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x9e);
    EXPECT_STREQ("+a +a +a +a +a -a", events);
    EXPECT_STREQ("aaaaa", typed);
}

TEST(control_turns_letters_into_control_codes)
{
    start();
    FEED(0x1d, 0x2e, 0xae, 0x02, 0x82, 0x9d, 0x2e, 0xae);
    EXPECT_STREQ("^C1c", typed);
}

TEST(right_ctrl_and_right_alt_are_e0_keys)
{
    start();
    FEED(0xe0, 0x1d, 0x2e);
    EXPECT_EQ(KEY_MOD_CTRL, last.modifiers);
    FEED(0xae, 0xe0, 0x9d, 0xe0, 0x38, 0x1e);
    EXPECT_EQ(KEY_MOD_ALT, last.modifiers);
    FEED(0x9e, 0xe0, 0xb8, 0x1e);
    EXPECT_EQ(0, last.modifiers);
    EXPECT_STREQ("^Caa", typed);
    EXPECT_STREQ("+Right Ctrl +c -c -Right Ctrl +Right Alt +a -a -Right Alt +a", events);
}

TEST(alt_keeps_the_character)
{
    start();
    FEED(0x38, 0x1e, 0x9e, 0xb8);
    EXPECT_STREQ("a", typed);
    EXPECT_STREQ("+Left Alt +a -a -Left Alt", events);
}

TEST(e0_navigation_keys)
{
    start();
    FEED(0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0x50, 0xe0, 0x4b, 0xe0, 0x4d, 0xe0, 0x52, 0xe0, 0x53, 0xe0,
         0x47, 0xe0, 0x4f, 0xe0, 0x49, 0xe0, 0x51);
    EXPECT_STREQ("+Up -Up +Down +Left +Right +Insert +Delete +Home +End +Page Up +Page Down",
                 events);
    EXPECT_STREQ("", typed);
}

TEST(keypad_enter_and_slash_type_like_their_main_keys)
{
    start();
    FEED(0xe0, 0x1c, 0xe0, 0x9c, 0xe0, 0x35, 0xe0, 0xb5, 0x1c, 0x9c, 0x35, 0xb5);
    EXPECT_STREQ("+Keypad Enter -Keypad Enter +Keypad / -Keypad / +Enter -Enter +/ -/", events);
    EXPECT_STREQ("\n/\n/", typed);
}

TEST(keypad_digits_are_not_the_top_row)
{
    start();
    FEED(0x47, 0xc7, 0x52, 0x37, 0x4a, 0x4e, 0x53);
    EXPECT_STREQ("+Keypad 7 -Keypad 7 +Keypad 0 +Keypad * +Keypad - +Keypad + +Keypad .", events);
    EXPECT_STREQ("70*-+.", typed);
}

TEST(print_screen_is_one_key_without_its_fake_shifts)
{
    start();
    /* E0 2A and E0 AA are the fake shifts: no Shift event, no Shift state. */
    FEED(0xe0, 0x2a, 0xe0, 0x37, 0xe0, 0xb7, 0xe0, 0xaa, 0x1e);
    EXPECT_STREQ("+Print Screen -Print Screen +a", events);
    EXPECT_STREQ("a", typed);
    EXPECT_EQ(0, decoder.unknown);
    EXPECT_EQ(0, decoder.malformed);
}

TEST(print_screen_with_shift_held_sends_no_fake_shift)
{
    start();
    FEED(0x2a, 0xe0, 0x37, 0xe0, 0xb7, 0x1e, 0xaa);
    EXPECT_STREQ("+Left Shift +Print Screen -Print Screen +a -Left Shift", events);
    EXPECT_STREQ("A", typed);
}

TEST(alt_print_screen_is_sysrq)
{
    start();
    FEED(0x38, 0x54, 0xd4, 0xb8);
    EXPECT_STREQ("+Left Alt +SysRq -SysRq -Left Alt", events);
}

TEST(pause_is_one_press_with_no_release)
{
    start();
    /* The 1D and 9D inside are not Left Ctrl: a following c types 'c'. */
    FEED(0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5, 0x2e);
    EXPECT_STREQ("+Pause +c", events);
    EXPECT_STREQ("c", typed);
    EXPECT_EQ(0, decoder.unknown);
    EXPECT_EQ(0, decoder.malformed);
}

TEST(ctrl_pause_is_break)
{
    start();
    FEED(0x1d, 0xe0, 0x46, 0xe0, 0xc6, 0x9d);
    EXPECT_STREQ("+Left Ctrl +Break -Break -Left Ctrl", events);
}

TEST(unknown_codes_are_counted_and_ignored)
{
    start();
    /* 0x55 and 0x59 are no key of a US keyboard; E0 10 is a media key we do not name. */
    FEED(0x55, 0xd5, 0x59, 0xe0, 0x10, 0xe0, 0x90, 0x1e);
    EXPECT_STREQ("+a", events);
    EXPECT_EQ(5, decoder.unknown);
    EXPECT_EQ(0, decoder.malformed);
}

TEST(a_prefix_cut_short_loses_only_itself)
{
    start();
    FEED(0xe0, 0xe0, 0x48);                         /* a doubled E0: the second one counts */
    FEED(0xe1, 0x1d, 0x1e);                         /* Pause broken off by an 'a' press */
    FEED(0xe1, 0x1d, 0x45, 0xe0, 0x50);             /* ... or by an E0 key */
    FEED(0xe0, 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5); /* E0 then a whole Pause */
    EXPECT_STREQ("+Up +a +Down +Pause", events);
    EXPECT_EQ(4, decoder.malformed);
    EXPECT_EQ(0, decoder.unknown);
}

/* xorshift32: the same "random" bytes on every run. */
static uint32_t next_random(uint32_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state;
}

TEST(no_byte_sequence_leaves_it_stuck)
{
    uint32_t seed = 0x12345678;
    int recovered = 0;
    for (int round = 0; round < 2000; round++) {
        start();
        int length = (int)(next_random(&seed) % 24);
        for (int i = 0; i < length; i++) {
            uint8_t byte = (uint8_t)next_random(&seed);
            keyboard_decode_byte(&decoder, byte, &last);
        }
        /* Whatever came before, a second Space press is a Space press. */
        FEED(0x39);
        last.key = KEY_NONE;
        FEED(0x39);
        recovered += last.key == ' ' && last.pressed;
    }
    EXPECT_EQ(2000, recovered);
}

TEST(every_key_code_has_a_name_or_is_a_character)
{
    EXPECT_STREQ("Up", key_name(KEY_UP));
    EXPECT_STREQ("Enter", key_name('\n'));
    EXPECT_STREQ("Space", key_name(' '));
    EXPECT_TRUE(key_name('a') == NULL);
    EXPECT_TRUE(key_name(0xffff) == NULL);
    for (uint16_t key = KEY_LEFT_SHIFT; key <= KEY_LAST_NAMED; key++)
        EXPECT_TRUE(key_name(key) != NULL);
}

TEST(a_session_recorded_from_qemu)
{
    /*
     * What QEMU 7.2's PS/2 keyboard delivered through port 0x60 for the
     * harness's keys "a shift+b ret kp_enter ctrl_r+c up delete print pause
     * ctrl+pause shift+print alt+print a*5 type:'Hi!' caps_lock esc".
     * (For Alt+Print Screen it releases Alt before SysRq's make code and
     * presses it again after SysRq's break code.)
     */
    start();
    FEED(0x1e, 0x9e, 0x2a, 0x30, 0xb0, 0xaa, 0x1c, 0x9c, 0xe0, 0x1c, 0xe0, 0x9c, 0xe0, 0x1d, 0x2e,
         0xae, 0xe0, 0x9d, 0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0x53, 0xe0, 0xd3, 0xe0, 0x2a, 0xe0, 0x37,
         0xe0, 0xb7, 0xe0, 0xaa, 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5, 0x1d, 0xe0, 0x46, 0xe0, 0xc6,
         0x9d, 0x2a, 0xe0, 0x37, 0xe0, 0xb7, 0xaa, 0x38, 0xb8, 0x38, 0x54, 0xd4, 0xb8, 0x38, 0xb8,
         0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x9e, 0x2a, 0x23, 0xa3, 0xaa, 0x17, 0x97, 0x2a, 0x02, 0x82,
         0xaa, 0x3a, 0xba, 0x01, 0x81);
    EXPECT_STREQ(
        "+a -a +Left Shift +b -b -Left Shift +Enter -Enter +Keypad Enter -Keypad Enter "
        "+Right Ctrl +c -c -Right Ctrl +Up -Up +Delete -Delete +Print Screen -Print Screen "
        "+Pause +Left Ctrl +Break -Break -Left Ctrl +Left Shift +Print Screen -Print Screen "
        "-Left Shift +Left Alt -Left Alt +Left Alt +SysRq -SysRq -Left Alt +Left Alt -Left Alt "
        "+a +a +a +a +a -a "
        "+Left Shift +h -h -Left Shift +i -i +Left Shift +1 -1 -Left Shift +Caps Lock "
        "-Caps Lock +Escape -Escape",
        events);
    EXPECT_STREQ("aB\n\n^CaaaaaHi!^[", typed);
    EXPECT_EQ(0, decoder.unknown);
    EXPECT_EQ(0, decoder.malformed);
}
