"""Tests of keyboard.py: reading a boot's `keys`, and typing them in order with a
pause after every key event.
"""

import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # common/, whichever way this file is run
from harness import keyboard
from harness.boots import parse_boots
from harness.config import ConfigError
from harness.fixtures import fake_chapter
from harness.keyboard import (KEY_EVENT_INTERVAL, QCODES, TYPEMATIC_INTERVAL, KeyStep, keys_for_character,
                              parse_keys, type_keys)


class KeysTest(unittest.TestCase):
    def test_keys_and_chords(self):
        steps = parse_keys("a shift+b ctrl_r+c kp_enter")
        self.assertEqual([s.keys for s in steps], [("a",), ("shift", "b"), ("ctrl_r", "c"), ("kp_enter",)])
        self.assertEqual({s.action for s in steps}, {"press"})

    def test_type_presses_shift_for_capitals_and_symbols(self):
        steps = parse_keys("type:'Hi !'")
        self.assertEqual([s.keys for s in steps], [("shift", "h"), ("i",), ("spc",), ("shift", "1")])

    def test_shifted_symbols_use_the_keys_of_a_us_keyboard(self):
        steps = parse_keys("type:'~!@#$%^&*()_+{}|:\"<>?'")
        keys = [s.keys[1] for s in steps if s.keys[0] == "shift"]
        self.assertEqual(keys, ["grave_accent", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0",
                                "minus", "equal", "bracket_left", "bracket_right", "backslash",
                                "semicolon", "apostrophe", "comma", "dot", "slash"])  # fmt: skip

    def test_every_printable_character_can_be_typed_with_real_keys(self):
        for code in range(0x20, 0x7F):
            keys = keys_for_character(chr(code))
            self.assertTrue(set(keys) <= QCODES, chr(code))

    def test_hold_wait_until_and_screen(self):
        steps = parse_keys("until:'> ' a*30 wait:0.5 screen:'> '")
        self.assertEqual(steps, [KeyStep("until", text="> "), KeyStep("hold", ("a",), repeats=30),
                                 KeyStep("wait", seconds=0.5), KeyStep("screen", text="> ")])  # fmt: skip

    def test_an_unknown_key_gets_qemus_name_for_it(self):
        with self.assertRaises(ValueError) as caught:
            parse_keys("h i enter")
        self.assertIn("unknown key 'enter'; did you mean 'ret'?", str(caught.exception))

    def test_a_misspelt_key_gets_the_closest_name(self):
        with self.assertRaises(ValueError) as caught:
            parse_keys("kp_entr")
        self.assertIn("did you mean 'kp_enter'?", str(caught.exception))

    def test_mistakes_are_reported(self):
        for text in ("a*1", "a*x", "shift+a*3", "wait:0", "wait:x", "wait:61", "type:",
                     "until:", "screen:", "typo:abc", "type:\u00e9", "'open quote", "shift+", "A"):  # fmt: skip
            with self.assertRaises(ValueError, msg=text):
                parse_keys(text)

    def test_an_empty_value_types_nothing(self):
        self.assertEqual(parse_keys(""), [])

    def test_boots_ini_errors_name_the_boot(self):
        with tempfile.TemporaryDirectory() as tmp:
            chapter = fake_chapter(tmp)
            with self.assertRaises(ConfigError) as caught:
                parse_boots(chapter, "[typing]\ncheck = serial\nkeys = a enter\n")
            self.assertIn("07-example/boots.ini:3: [typing] keys: unknown key 'enter'", str(caught.exception))
            boots = parse_boots(chapter, "[typing]\ncheck = serial\nkeys = a\n  b\n")
            self.assertEqual([s.keys for s in boots[0].keys], [("a",), ("b",)])


class FakeMachine:
    """Records what type_keys asks of a Machine."""

    def __init__(self):
        self.calls = []

    def key_event(self, key, down):
        self.calls.append(("down" if down else "up", key))

    def wait_for_serial(self, text, start, deadline):
        self.calls.append(("until", text, start))
        return start + 10

    def wait_for_screen(self, text, deadline):
        self.calls.append(("screen", text))


class TypeKeysTest(unittest.TestCase):
    def type(self, text):
        machine = FakeMachine()
        with mock.patch.object(keyboard.time, "sleep"):
            type_keys(machine, parse_keys(text), deadline=0)
        return machine.calls

    def test_steps_happen_in_order(self):
        calls = self.type("until:'> ' a shift+b c*3 until:ok screen:ok d")
        self.assertEqual(calls, [("until", "> ", 0), ("down", "a"), ("up", "a"),
                                 ("down", "shift"), ("down", "b"), ("up", "b"), ("up", "shift"),
                                 ("down", "c"), ("down", "c"), ("down", "c"), ("up", "c"),
                                 ("until", "ok", 10), ("screen", "ok"), ("down", "d"), ("up", "d")])  # fmt: skip

    def test_every_key_event_is_followed_by_a_pause(self):
        # QEMU's keyboard buffers only 16 bytes: no two events back to back.
        with mock.patch.object(keyboard.time, "sleep") as sleep:
            type_keys(FakeMachine(), parse_keys("a shift+b c*2"), deadline=0)
        pauses = [call.args[0] for call in sleep.call_args_list]
        self.assertEqual(pauses, [KEY_EVENT_INTERVAL] * 6 + [TYPEMATIC_INTERVAL] * 2
                         + [KEY_EVENT_INTERVAL])  # fmt: skip


if __name__ == "__main__":
    unittest.main()
