/*
 * keyboard.c: scancode set 1 to key events.
 *
 * The keyboard itself speaks scancode set 2; the 8042 controller translates
 * to set 1 (the IBM PC/XT's codes) unless told not to, and firmware leaves
 * translation on. In set 1 a key's make code is one byte below 0x80 and its
 * break code is the same byte with bit 7 set. Keys added after the XT are
 * reached through prefixes:
 *
 *   E0 xx                    a second table: arrows, right Ctrl/Alt, keypad Enter and /, ...
 *   E0 2A E0 37              Print Screen (make), E0 B7 E0 AA (break): the E0 2A and E0 AA
 *                            are "fake shifts" that only confused old software, ignored here
 *   E1 1D 45 E1 9D C5        Pause: make and break at once, no break code of its own
 *
 * (OSDev wiki, "PS/2 Keyboard", scancode set 1; Microsoft's "Keyboard Scan
 * Code Specification" lists the fake shifts.)
 */
#include "keyboard.h"
#include "irq.h"
#include "key_queue.h"
#include "x86.h"

#define BREAK_BIT 0x80
#define PREFIX_E0 0xe0
#define PREFIX_E1 0xe1

/* Decoder states: waiting for a code, after E0, or inside the E1 Pause sequence. */
enum {
    DECODE_START,
    DECODE_AFTER_E0,
    DECODE_PAUSE, /* DECODE_PAUSE + n: n bytes of pause_tail already matched */
};

/* The Pause key's bytes after its leading E1. */
static const uint8_t pause_tail[] = {0x1d, 0x45, 0xe1, 0x9d, 0xc5};
#define PAUSE_TAIL_LENGTH ((uint8_t)sizeof(pause_tail))

/* Bits of keyboard_decoder.held. */
enum {
    HELD_LEFT_SHIFT = 0x01,
    HELD_RIGHT_SHIFT = 0x02,
    HELD_LEFT_CTRL = 0x04,
    HELD_RIGHT_CTRL = 0x08,
    HELD_LEFT_ALT = 0x10,
    HELD_RIGHT_ALT = 0x20,
    HELD_CAPS_LOCK = 0x40, /* the key, not the lock: its repeats must not toggle */
};

/* A code's key, and the characters it types without and with Shift. */
struct key_map {
    uint16_t key;
    char plain;
    char shifted;
};

/* Keys named by the character they type (key code = plain character). */
#define TYPES(plain, shifted)                                                                      \
    {                                                                                              \
        (uint8_t)(plain), plain, shifted                                                           \
    }
/* Keys with a name that type nothing, or always the same character. */
#define NAMED(key)                                                                                 \
    {                                                                                              \
        key, 0, 0                                                                                  \
    }
#define NAMED_TYPES(key, ch)                                                                       \
    {                                                                                              \
        key, ch, ch                                                                                \
    }

/* The E0 codes of the fake shifts around Print Screen (and Num Lock keys). */
#define FAKE_SHIFT 0xffff

/* Set 1 make codes without a prefix: the US layout. */
static const struct key_map plain_codes[0x80] = {
    [0x01] = TYPES('\x1b', '\x1b'),
    [0x02] = TYPES('1', '!'),
    [0x03] = TYPES('2', '@'),
    [0x04] = TYPES('3', '#'),
    [0x05] = TYPES('4', '$'),
    [0x06] = TYPES('5', '%'),
    [0x07] = TYPES('6', '^'),
    [0x08] = TYPES('7', '&'),
    [0x09] = TYPES('8', '*'),
    [0x0a] = TYPES('9', '('),
    [0x0b] = TYPES('0', ')'),
    [0x0c] = TYPES('-', '_'),
    [0x0d] = TYPES('=', '+'),
    [0x0e] = TYPES('\b', '\b'),
    [0x0f] = TYPES('\t', '\t'),
    [0x10] = TYPES('q', 'Q'),
    [0x11] = TYPES('w', 'W'),
    [0x12] = TYPES('e', 'E'),
    [0x13] = TYPES('r', 'R'),
    [0x14] = TYPES('t', 'T'),
    [0x15] = TYPES('y', 'Y'),
    [0x16] = TYPES('u', 'U'),
    [0x17] = TYPES('i', 'I'),
    [0x18] = TYPES('o', 'O'),
    [0x19] = TYPES('p', 'P'),
    [0x1a] = TYPES('[', '{'),
    [0x1b] = TYPES(']', '}'),
    [0x1c] = TYPES('\n', '\n'),
    [0x1d] = NAMED(KEY_LEFT_CTRL),
    [0x1e] = TYPES('a', 'A'),
    [0x1f] = TYPES('s', 'S'),
    [0x20] = TYPES('d', 'D'),
    [0x21] = TYPES('f', 'F'),
    [0x22] = TYPES('g', 'G'),
    [0x23] = TYPES('h', 'H'),
    [0x24] = TYPES('j', 'J'),
    [0x25] = TYPES('k', 'K'),
    [0x26] = TYPES('l', 'L'),
    [0x27] = TYPES(';', ':'),
    [0x28] = TYPES('\'', '"'),
    [0x29] = TYPES('`', '~'),
    [0x2a] = NAMED(KEY_LEFT_SHIFT),
    [0x2b] = TYPES('\\', '|'),
    [0x2c] = TYPES('z', 'Z'),
    [0x2d] = TYPES('x', 'X'),
    [0x2e] = TYPES('c', 'C'),
    [0x2f] = TYPES('v', 'V'),
    [0x30] = TYPES('b', 'B'),
    [0x31] = TYPES('n', 'N'),
    [0x32] = TYPES('m', 'M'),
    [0x33] = TYPES(',', '<'),
    [0x34] = TYPES('.', '>'),
    [0x35] = TYPES('/', '?'),
    [0x36] = NAMED(KEY_RIGHT_SHIFT),
    [0x37] = NAMED_TYPES(KEY_KEYPAD_STAR, '*'),
    [0x38] = NAMED(KEY_LEFT_ALT),
    [0x39] = TYPES(' ', ' '),
    [0x3a] = NAMED(KEY_CAPS_LOCK),
    [0x3b] = NAMED(KEY_F1),
    [0x3c] = NAMED(KEY_F2),
    [0x3d] = NAMED(KEY_F3),
    [0x3e] = NAMED(KEY_F4),
    [0x3f] = NAMED(KEY_F5),
    [0x40] = NAMED(KEY_F6),
    [0x41] = NAMED(KEY_F7),
    [0x42] = NAMED(KEY_F8),
    [0x43] = NAMED(KEY_F9),
    [0x44] = NAMED(KEY_F10),
    [0x45] = NAMED(KEY_NUM_LOCK),
    [0x46] = NAMED(KEY_SCROLL_LOCK),
    /* The keypad as with Num Lock on: digits (Num Lock's state is not tracked). */
    [0x47] = NAMED_TYPES(KEY_KEYPAD_7, '7'),
    [0x48] = NAMED_TYPES(KEY_KEYPAD_8, '8'),
    [0x49] = NAMED_TYPES(KEY_KEYPAD_9, '9'),
    [0x4a] = NAMED_TYPES(KEY_KEYPAD_MINUS, '-'),
    [0x4b] = NAMED_TYPES(KEY_KEYPAD_4, '4'),
    [0x4c] = NAMED_TYPES(KEY_KEYPAD_5, '5'),
    [0x4d] = NAMED_TYPES(KEY_KEYPAD_6, '6'),
    [0x4e] = NAMED_TYPES(KEY_KEYPAD_PLUS, '+'),
    [0x4f] = NAMED_TYPES(KEY_KEYPAD_1, '1'),
    [0x50] = NAMED_TYPES(KEY_KEYPAD_2, '2'),
    [0x51] = NAMED_TYPES(KEY_KEYPAD_3, '3'),
    [0x52] = NAMED_TYPES(KEY_KEYPAD_0, '0'),
    [0x53] = NAMED_TYPES(KEY_KEYPAD_DOT, '.'),
    [0x54] = NAMED(KEY_SYSRQ),
    [0x57] = NAMED(KEY_F11),
    [0x58] = NAMED(KEY_F12),
};

/* Set 1 make codes after an E0 prefix. */
static const struct key_map e0_codes[0x80] = {
    [0x1c] = NAMED_TYPES(KEY_KEYPAD_ENTER, '\n'),
    [0x1d] = NAMED(KEY_RIGHT_CTRL),
    [0x2a] = NAMED(FAKE_SHIFT),
    [0x35] = NAMED_TYPES(KEY_KEYPAD_SLASH, '/'),
    [0x36] = NAMED(FAKE_SHIFT),
    [0x37] = NAMED(KEY_PRINT_SCREEN),
    [0x38] = NAMED(KEY_RIGHT_ALT),
    [0x46] = NAMED(KEY_BREAK),
    [0x47] = NAMED(KEY_HOME),
    [0x48] = NAMED(KEY_UP),
    [0x49] = NAMED(KEY_PAGE_UP),
    [0x4b] = NAMED(KEY_LEFT),
    [0x4d] = NAMED(KEY_RIGHT),
    [0x4f] = NAMED(KEY_END),
    [0x50] = NAMED(KEY_DOWN),
    [0x51] = NAMED(KEY_PAGE_DOWN),
    [0x52] = NAMED(KEY_INSERT),
    [0x53] = NAMED(KEY_DELETE),
    [0x5b] = NAMED(KEY_LEFT_GUI),
    [0x5c] = NAMED(KEY_RIGHT_GUI),
    [0x5d] = NAMED(KEY_MENU),
};

void keyboard_decoder_init(struct keyboard_decoder *decoder)
{
    *decoder = (struct keyboard_decoder){.state = DECODE_START};
}

/* The held-bit of a modifier key, 0 for every other key. */
static uint8_t modifier_bit(uint16_t key)
{
    switch (key) {
    case KEY_LEFT_SHIFT:
        return HELD_LEFT_SHIFT;
    case KEY_RIGHT_SHIFT:
        return HELD_RIGHT_SHIFT;
    case KEY_LEFT_CTRL:
        return HELD_LEFT_CTRL;
    case KEY_RIGHT_CTRL:
        return HELD_RIGHT_CTRL;
    case KEY_LEFT_ALT:
        return HELD_LEFT_ALT;
    case KEY_RIGHT_ALT:
        return HELD_RIGHT_ALT;
    case KEY_CAPS_LOCK:
        return HELD_CAPS_LOCK;
    default:
        return 0;
    }
}

static uint8_t modifiers(const struct keyboard_decoder *decoder)
{
    uint8_t held = decoder->held, mods = 0;
    if (held & (HELD_LEFT_SHIFT | HELD_RIGHT_SHIFT))
        mods |= KEY_MOD_SHIFT;
    if (held & (HELD_LEFT_CTRL | HELD_RIGHT_CTRL))
        mods |= KEY_MOD_CTRL;
    if (held & (HELD_LEFT_ALT | HELD_RIGHT_ALT))
        mods |= KEY_MOD_ALT;
    if (decoder->caps_lock)
        mods |= KEY_MOD_CAPS_LOCK;
    return mods;
}

static void track_modifiers(struct keyboard_decoder *decoder, uint16_t key, bool pressed)
{
    uint8_t bit = modifier_bit(key);
    if (key == KEY_CAPS_LOCK && pressed && !(decoder->held & HELD_CAPS_LOCK))
        decoder->caps_lock = !decoder->caps_lock;
    if (pressed)
        decoder->held |= bit;
    else
        decoder->held &= (uint8_t)~bit;
}

/* What a press types: Caps Lock inverts Shift for letters only; Ctrl + letter: a control code. */
static char typed_char(const struct key_map *map, uint8_t mods)
{
    bool shift = mods & KEY_MOD_SHIFT;
    bool letter = map->plain >= 'a' && map->plain <= 'z';
    if (letter && (mods & KEY_MOD_CTRL))
        return (char)(map->plain & 0x1f);
    if (letter && (mods & KEY_MOD_CAPS_LOCK))
        shift = !shift;
    return shift ? map->shifted : map->plain;
}

/* A complete make or break code: the event, or false if it names no key. */
static bool key_code_event(struct keyboard_decoder *decoder, const struct key_map *table,
                           uint8_t code, struct key_event *event)
{
    const struct key_map *map = &table[code & ~BREAK_BIT];
    bool pressed = !(code & BREAK_BIT);
    if (map->key == FAKE_SHIFT)
        return false;
    if (map->key == KEY_NONE) {
        decoder->unknown++;
        return false;
    }
    track_modifiers(decoder, map->key, pressed);
    event->key = map->key;
    event->pressed = pressed;
    event->modifiers = modifiers(decoder);
    event->ch = pressed ? typed_char(map, event->modifiers) : 0;
    return true;
}

static bool pause_event(struct keyboard_decoder *decoder, struct key_event *event)
{
    event->key = KEY_PAUSE;
    event->pressed = true;
    event->modifiers = modifiers(decoder);
    event->ch = 0;
    return true;
}

static bool decode_start(struct keyboard_decoder *decoder, uint8_t byte, struct key_event *event)
{
    if (byte == PREFIX_E0) {
        decoder->state = DECODE_AFTER_E0;
        return false;
    }
    if (byte == PREFIX_E1) {
        decoder->state = DECODE_PAUSE;
        return false;
    }
    return key_code_event(decoder, plain_codes, byte, event);
}

bool keyboard_decode_byte(struct keyboard_decoder *decoder, uint8_t byte, struct key_event *event)
{
    uint8_t state = decoder->state;
    decoder->state = DECODE_START;
    if (state == DECODE_START)
        return decode_start(decoder, byte, event);
    if (state == DECODE_AFTER_E0 && byte != PREFIX_E0 && byte != PREFIX_E1)
        return key_code_event(decoder, e0_codes, byte, event);
    if (state >= DECODE_PAUSE && byte == pause_tail[state - DECODE_PAUSE]) {
        if (state - DECODE_PAUSE + 1 == PAUSE_TAIL_LENGTH)
            return pause_event(decoder, event);
        decoder->state = state + 1;
        return false;
    }
    /*
     * A prefix followed by a byte that cannot follow it (a lost byte, or a
     * new prefix): drop the broken sequence and read this byte afresh, so
     * the key it starts is not lost too.
     */
    decoder->malformed++;
    return decode_start(decoder, byte, event);
}

static const char *const key_names[] = {
    [KEY_LEFT_SHIFT] = "Left Shift",
    [KEY_RIGHT_SHIFT] = "Right Shift",
    [KEY_LEFT_CTRL] = "Left Ctrl",
    [KEY_RIGHT_CTRL] = "Right Ctrl",
    [KEY_LEFT_ALT] = "Left Alt",
    [KEY_RIGHT_ALT] = "Right Alt",
    [KEY_CAPS_LOCK] = "Caps Lock",
    [KEY_NUM_LOCK] = "Num Lock",
    [KEY_SCROLL_LOCK] = "Scroll Lock",
    [KEY_F1] = "F1",
    [KEY_F2] = "F2",
    [KEY_F3] = "F3",
    [KEY_F4] = "F4",
    [KEY_F5] = "F5",
    [KEY_F6] = "F6",
    [KEY_F7] = "F7",
    [KEY_F8] = "F8",
    [KEY_F9] = "F9",
    [KEY_F10] = "F10",
    [KEY_F11] = "F11",
    [KEY_F12] = "F12",
    [KEY_UP] = "Up",
    [KEY_DOWN] = "Down",
    [KEY_LEFT] = "Left",
    [KEY_RIGHT] = "Right",
    [KEY_HOME] = "Home",
    [KEY_END] = "End",
    [KEY_PAGE_UP] = "Page Up",
    [KEY_PAGE_DOWN] = "Page Down",
    [KEY_INSERT] = "Insert",
    [KEY_DELETE] = "Delete",
    [KEY_KEYPAD_0] = "Keypad 0",
    [KEY_KEYPAD_1] = "Keypad 1",
    [KEY_KEYPAD_2] = "Keypad 2",
    [KEY_KEYPAD_3] = "Keypad 3",
    [KEY_KEYPAD_4] = "Keypad 4",
    [KEY_KEYPAD_5] = "Keypad 5",
    [KEY_KEYPAD_6] = "Keypad 6",
    [KEY_KEYPAD_7] = "Keypad 7",
    [KEY_KEYPAD_8] = "Keypad 8",
    [KEY_KEYPAD_9] = "Keypad 9",
    [KEY_KEYPAD_DOT] = "Keypad .",
    [KEY_KEYPAD_PLUS] = "Keypad +",
    [KEY_KEYPAD_MINUS] = "Keypad -",
    [KEY_KEYPAD_STAR] = "Keypad *",
    [KEY_KEYPAD_SLASH] = "Keypad /",
    [KEY_KEYPAD_ENTER] = "Keypad Enter",
    [KEY_PRINT_SCREEN] = "Print Screen",
    [KEY_SYSRQ] = "SysRq",
    [KEY_PAUSE] = "Pause",
    [KEY_BREAK] = "Break",
    [KEY_LEFT_GUI] = "Left GUI",
    [KEY_RIGHT_GUI] = "Right GUI",
    [KEY_MENU] = "Menu",
    ['\n'] = "Enter",
    ['\b'] = "Backspace",
    ['\t'] = "Tab",
    ['\x1b'] = "Escape",
    [' '] = "Space",
};

const char *key_name(uint16_t key)
{
    if (key >= sizeof(key_names) / sizeof(key_names[0]))
        return 0;
    return key_names[key];
}

/*
 * The hardware side: the 8042 PS/2 controller (OSDev wiki "8042 PS/2
 * Controller"). It raises IRQ 1 when its output buffer holds a byte from
 * the keyboard, and sends the next byte only after this one is read: a
 * byte left unread, even of a key we ignore, stops the keyboard for good.
 */
#define PS2_DATA        0x60 /* read: the byte from the device */
#define PS2_STATUS      0x64 /* read: the controller's status register */
#define PS2_OUTPUT_FULL 0x01 /* status bit 0: a byte waits in PS2_DATA */
#define PS2_MAX_PER_IRQ 16   /* a controller that never empties cannot keep us here */

static struct keyboard_decoder decoder;
static struct key_queue events;

/* IRQ 1: read every byte the controller has, decode it, queue the events. Never waits. */
static void keyboard_irq(void)
{
    for (int i = 0; i < PS2_MAX_PER_IRQ && (inb(PS2_STATUS) & PS2_OUTPUT_FULL); i++) {
        struct key_event event;
        if (keyboard_decode_byte(&decoder, inb(PS2_DATA), &event))
            key_queue_put(&events, &event);
    }
}

void keyboard_init(void)
{
    keyboard_decoder_init(&decoder);
    key_queue_init(&events);
    /* Keys pressed before now (in GRUB, say) belong to nobody. */
    for (int i = 0; i < PS2_MAX_PER_IRQ && (inb(PS2_STATUS) & PS2_OUTPUT_FULL); i++)
        inb(PS2_DATA);
    irq_set_handler(IRQ_KEYBOARD, keyboard_irq);
}

bool keyboard_read(struct key_event *event)
{
    return key_queue_get(&events, event);
}

bool keyboard_idle(void)
{
    return key_queue_empty(&events);
}

struct keyboard_stats keyboard_stats(void)
{
    return (struct keyboard_stats){
        .dropped = __atomic_load_n(&events.dropped, __ATOMIC_RELAXED),
        .unknown = __atomic_load_n(&decoder.unknown, __ATOMIC_RELAXED),
        .malformed = __atomic_load_n(&decoder.malformed, __ATOMIC_RELAXED),
    };
}
