/*
 * keyboard.h: the PS/2 keyboard, read in the IRQ 1 handler, decoded from
 * scancode set 1 into key events.
 *
 * The decoder is a state machine fed one byte at a time, with no hardware
 * access, so the host unit tests (unit/test_keyboard.c) feed it recorded
 * byte sequences.
 */
#ifndef KEYBOARD_H
#define KEYBOARD_H

#include <stdbool.h>
#include <stdint.h>

/*
 * What a key event names. A key that types a character on a US keyboard
 * without Shift is named by that character ('a', '1', '\n' for Enter, '\b'
 * for Backspace); every other key has a name from 0x80 up.
 */
enum key_code {
    KEY_NONE = 0,
    KEY_LEFT_SHIFT = 0x80,
    KEY_RIGHT_SHIFT,
    KEY_LEFT_CTRL,
    KEY_RIGHT_CTRL,
    KEY_LEFT_ALT,
    KEY_RIGHT_ALT,
    KEY_CAPS_LOCK,
    KEY_NUM_LOCK,
    KEY_SCROLL_LOCK,
    KEY_F1,
    KEY_F2,
    KEY_F3,
    KEY_F4,
    KEY_F5,
    KEY_F6,
    KEY_F7,
    KEY_F8,
    KEY_F9,
    KEY_F10,
    KEY_F11,
    KEY_F12,
    KEY_UP,
    KEY_DOWN,
    KEY_LEFT,
    KEY_RIGHT,
    KEY_HOME,
    KEY_END,
    KEY_PAGE_UP,
    KEY_PAGE_DOWN,
    KEY_INSERT,
    KEY_DELETE,
    KEY_KEYPAD_0,
    KEY_KEYPAD_1,
    KEY_KEYPAD_2,
    KEY_KEYPAD_3,
    KEY_KEYPAD_4,
    KEY_KEYPAD_5,
    KEY_KEYPAD_6,
    KEY_KEYPAD_7,
    KEY_KEYPAD_8,
    KEY_KEYPAD_9,
    KEY_KEYPAD_DOT,
    KEY_KEYPAD_PLUS,
    KEY_KEYPAD_MINUS,
    KEY_KEYPAD_STAR,
    KEY_KEYPAD_SLASH,
    KEY_KEYPAD_ENTER,
    KEY_PRINT_SCREEN,
    KEY_SYSRQ, /* Alt+Print Screen */
    KEY_PAUSE,
    KEY_BREAK, /* Ctrl+Pause */
    KEY_LEFT_GUI,
    KEY_RIGHT_GUI,
    KEY_MENU,
    KEY_LAST_NAMED = KEY_MENU,
};

/* Which modifiers are in effect (key_event.modifiers). */
#define KEY_MOD_SHIFT     0x01
#define KEY_MOD_CTRL      0x02
#define KEY_MOD_ALT       0x04
#define KEY_MOD_CAPS_LOCK 0x08

struct key_event {
    uint16_t key;      /* enum key_code, or the key's unshifted character */
    char ch;           /* what a press types with the modifiers in effect; 0: nothing */
    bool pressed;      /* a make code (a held key repeats it) or a break code */
    uint8_t modifiers; /* KEY_MOD_* after this event */
};

struct keyboard_decoder {
    uint8_t state;      /* where in a multi-byte sequence the next byte lands */
    uint8_t held;       /* modifier keys down, one bit per key: left and right apart */
    bool caps_lock;     /* toggled by each press (not each repeat) of Caps Lock */
    uint32_t unknown;   /* codes that name no key: ignored */
    uint32_t malformed; /* prefix sequences broken off by an unexpected byte: ignored */
};

void keyboard_decoder_init(struct keyboard_decoder *decoder);

/*
 * Feed one byte read from port 0x60. Returns true and fills *event when the
 * byte completes a key's make or break code; false while a sequence is
 * incomplete and for bytes that are ignored (fake shifts, unknown codes).
 */
bool keyboard_decode_byte(struct keyboard_decoder *decoder, uint8_t byte, struct key_event *event);

/* A key's name ("Up", "Print Screen", "Enter", "Space"); NULL for a printable character's key. */
/*
 * The PS/2 keyboard behind the 8042 controller: keyboard_init empties the
 * controller and installs the IRQ 1 handler, which decodes every byte the
 * controller has and queues the key events (presses and releases) for
 * keyboard_read. Interrupts must still be disabled when it is called.
 */
void keyboard_init(void);

/* The next key event, in the order typed; false when none is waiting. */
bool keyboard_read(struct key_event *event);

/* Whether keyboard_read would find nothing (for the idle loop). */
bool keyboard_idle(void);

struct keyboard_stats {
    uint32_t dropped;   /* events lost because the queue was full */
    uint32_t unknown;   /* codes of no key we know */
    uint32_t malformed; /* broken prefix sequences */
};

struct keyboard_stats keyboard_stats(void);

const char *key_name(uint16_t key);

#endif
