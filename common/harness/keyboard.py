"""Keyboard input: a boot's `keys`, typed on QEMU's PS/2 keyboard through QMP

  keys = until:'> ' type:help ret shift+a kp_enter ctrl_r+c a*30 wait:0.5

  KEY          press and release one key, by QEMU's name for it (its "qcode":
               a, 1, ret, spc, backspace, shift, ctrl_r, up, kp_enter, print, pause ...)
  KEY+KEY      a chord: press in order, release in reverse (shift+a, ctrl_r+c)
  KEY*N        hold a key: N make codes, as a keyboard repeats a held key, then one break
  type:TEXT    press what types TEXT on a US keyboard, Shift where needed
  wait:SECONDS do nothing for a while
  until:TEXT   wait for TEXT in the serial output, after what the last until: found
  screen:TEXT  wait for TEXT on the VGA screen (for a machine without a serial port)

The value is split like a shell line: quote text with spaces (type:'a b').
Every key event goes to QEMU on its own (QMP's input-send-event), one every
KEY_EVENT_INTERVAL; QEMU's keyboard holds 16 bytes the kernel has not read
yet, a few dozen events' worth. (QMP's send-key would queue the events in
QEMU instead, but that queue takes about 50 entries and drops the rest
without a word when QEMU is slower to send them than we are to add them.)
"""

import difflib
import shlex
import time
from dataclasses import dataclass
from typing import List, Tuple


# QEMU's names for the keys of a PC keyboard (QAPI's QKeyCode).
QCODES = frozenset("""
    esc f1 f2 f3 f4 f5 f6 f7 f8 f9 f10 f11 f12 print sysrq scroll_lock pause
    grave_accent 1 2 3 4 5 6 7 8 9 0 minus equal backspace
    tab q w e r t y u i o p bracket_left bracket_right backslash
    caps_lock a s d f g h j k l semicolon apostrophe ret
    shift less z x c v b n m comma dot slash shift_r
    ctrl meta_l alt spc alt_r meta_r menu ctrl_r
    insert delete home end pgup pgdn up down left right
    num_lock kp_divide kp_multiply kp_subtract kp_add kp_enter kp_decimal
    kp_0 kp_1 kp_2 kp_3 kp_4 kp_5 kp_6 kp_7 kp_8 kp_9
""".split())  # fmt: skip

# Names people try first, and QEMU's for the same key.
QCODE_HINTS = {"enter": "ret", "return": "ret", "space": "spc", "escape": "esc",
               "control": "ctrl", "lctrl": "ctrl", "rctrl": "ctrl_r", "lshift": "shift",
               "rshift": "shift_r", "lalt": "alt", "ralt": "alt_r", "altgr": "alt_r",
               "del": "delete", "ins": "insert", "pageup": "pgup", "pagedown": "pgdn",
               "printscreen": "print", "prtsc": "print", "capslock": "caps_lock",
               "period": "dot", "backtick": "grave_accent", "quote": "apostrophe"}  # fmt: skip

# type:TEXT on a US layout: the key for each character without Shift ...
US_PLAIN = {" ": "spc", "`": "grave_accent", "-": "minus", "=": "equal", "[": "bracket_left",
            "]": "bracket_right", "\\": "backslash", ";": "semicolon", "'": "apostrophe",
            ",": "comma", ".": "dot", "/": "slash", "\n": "ret", "\t": "tab"}  # fmt: skip
# ... and the unshifted character whose key types each shifted one.
US_SHIFTED = dict(zip('~!@#$%^&*()_+{}|:"<>?', "`1234567890-=[]\\;',./"))

KEY_EVENT_INTERVAL = 0.030  # between two key events: still faster than anyone types
TYPEMATIC_INTERVAL = 0.033  # a held key repeats about 30 times a second


class KeyInputError(Exception):
    """The keys could not all be typed: the kernel never printed what until: waits for."""


@dataclass(frozen=True)
class KeyStep:
    action: str  # "press" (a key or a chord), "hold", "wait", "until" or "screen"
    keys: Tuple[str, ...] = ()
    repeats: int = 0  # hold: make codes before the one break code
    seconds: float = 0.0  # wait
    text: str = ""  # until, screen


def parse_keys(text: str) -> List[KeyStep]:
    """A boot's `keys` value as steps; ValueError names the first mistake."""
    try:
        words = shlex.split(text)
    except ValueError as error:
        raise ValueError(f"{error} (quote text with spaces like this: type:'two words')")
    steps: List[KeyStep] = []
    for word in words:
        steps += parse_key_word(word)
    return steps


def parse_key_word(word: str) -> List[KeyStep]:
    action, colon, argument = word.partition(":")
    if not colon:
        return [parse_key_press(word)]
    if action in ("type", "until", "screen") and not argument:
        raise ValueError(f"{word!r}: {action}: needs text, e.g. {action}:help")
    if action == "type":
        return [KeyStep("press", keys_for_character(c)) for c in argument]
    if action in ("until", "screen"):
        return [KeyStep(action, text=argument)]
    if action == "wait":
        try:
            seconds = float(argument)
        except ValueError:
            seconds = -1.0
        if 0 < seconds <= 60:
            return [KeyStep("wait", seconds=seconds)]
        raise ValueError(f"{word!r}: wait: takes a number of seconds, more than 0 and at most 60")
    raise ValueError(f"{word!r} is none of KEY, KEY+KEY, KEY*N, type:TEXT, wait:SECONDS, until:TEXT, "
                     "screen:TEXT")  # fmt: skip


def parse_key_press(word: str) -> KeyStep:
    name, star, count = word.partition("*")
    if star:
        if not count.isdigit() or not 2 <= int(count) <= 200:
            raise ValueError(f"{word!r}: hold a key 2 to 200 times, e.g. a*30")
        if "+" in name:
            raise ValueError(f"{word!r}: only a single key can be held, not a chord")
        return KeyStep("hold", (known_qcode(name),), repeats=int(count))
    return KeyStep("press", tuple(known_qcode(key) for key in word.split("+")))


def known_qcode(name: str) -> str:
    if name in QCODES:
        return name
    hint = QCODE_HINTS.get(name.lower()) or next(iter(difflib.get_close_matches(name, QCODES, 1)), None)
    suggestion = f"; did you mean {hint!r}?" if hint else ""
    raise ValueError(f"unknown key {name!r}{suggestion} (keys are QEMU's qcodes: a, ret, spc, "
                     "shift, ctrl_r, up, kp_enter ...)")  # fmt: skip


def keys_for_character(c: str) -> Tuple[str, ...]:
    if c.isascii() and (c.islower() or c.isdigit()):
        return (c,)
    if c.isascii() and c.isupper():
        return ("shift", c.lower())
    if c in US_PLAIN:
        return (US_PLAIN[c],)
    if c in US_SHIFTED:
        return ("shift",) + keys_for_character(US_SHIFTED[c])
    raise ValueError(f"type: cannot type {c!r} on a US keyboard")


def type_keys(machine: "Machine", steps: List[KeyStep], deadline: float) -> None:
    """Carry out a boot's key steps in order."""
    serial_seen = 0  # serial output already matched by an until:
    for step in steps:
        if step.action == "press":
            for key in step.keys:
                machine.key_event(key, down=True)
                time.sleep(KEY_EVENT_INTERVAL)
            for key in reversed(step.keys):
                machine.key_event(key, down=False)
                time.sleep(KEY_EVENT_INTERVAL)
        elif step.action == "hold":
            for _ in range(step.repeats):
                machine.key_event(step.keys[0], down=True)
                time.sleep(TYPEMATIC_INTERVAL)
            machine.key_event(step.keys[0], down=False)
            time.sleep(KEY_EVENT_INTERVAL)
        elif step.action == "wait":
            time.sleep(step.seconds)
        elif step.action == "screen":
            machine.wait_for_screen(step.text, deadline)
        else:
            serial_seen = machine.wait_for_serial(step.text, serial_seen, deadline)
