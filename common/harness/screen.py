"""The VGA text screen: the 80x25 cells of character and attribute bytes
at 0xB8000, decoded as code page 437 into the screen transcript (the text)
and the colors transcript (every run of cells not in the default colour),
and the check that nothing was written past the visible screen.
"""

from typing import List, Optional


SCREEN_COLUMNS = 80
SCREEN_ROWS = 25
SCREEN_BYTES = SCREEN_COLUMNS * SCREEN_ROWS * 2
TEXT_WINDOW_BYTES = 0x8000  # 0xB8000-0xBFFFF: what the kernel could write to by mistake
BLANK_CELL = b"\x20\x07"  # how SeaBIOS and GRUB leave the cells past the visible 80x25
DEFAULT_ATTRIBUTE = 0x07  # light grey on black

COLOUR_NAMES = (
    "black", "blue", "green", "cyan", "red", "magenta", "brown", "light grey",
    "dark grey", "light blue", "light green", "light cyan", "light red",
    "light magenta", "yellow", "white",
)  # fmt: skip

# Code page 437, the VGA's character set: bytes 0x01-0x1F and 0x7F are
# pictures, not control characters. 0x00 looks blank on screen, but a
# console that writes it instead of a space is wrong, so it shows as ␀.
CP437_LOW = "␀☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼"


def cp437_char(byte: int) -> str:
    if byte < 0x20:
        return CP437_LOW[byte]
    if byte == 0x7F:
        return "⌂"
    return bytes([byte]).decode("cp437")


def screen_cells(raw: bytes) -> List[List[tuple]]:
    """Rows of (character, attribute) pairs from the 4000-byte text buffer."""
    if len(raw) != SCREEN_BYTES:
        raise ValueError(f"a VGA text screen is {SCREEN_BYTES} bytes, got {len(raw)}")
    cells = [(cp437_char(raw[i]), raw[i + 1]) for i in range(0, SCREEN_BYTES, 2)]
    return [cells[r * SCREEN_COLUMNS : (r + 1) * SCREEN_COLUMNS] for r in range(SCREEN_ROWS)]


def screen_text(raw: bytes) -> str:
    """The characters on screen: trailing blanks and trailing empty rows trimmed."""
    rows = ["".join(c for c, _ in row).rstrip() for row in screen_cells(raw)]
    while rows and not rows[-1]:
        rows.pop()
    return "".join(row + "\n" for row in rows)


def first_offscreen_write(window: bytes) -> Optional[int]:
    """The address of the first cell after the visible screen that is not a
    blank, or None. The console must never write past its 4000 bytes."""
    for offset in range(SCREEN_BYTES, len(window) - 1, 2):
        if window[offset : offset + 2] != BLANK_CELL:
            return 0xB8000 + offset
    return None


def colour_name(attribute: int) -> str:
    return f"{COLOUR_NAMES[attribute & 0x0F]} on {COLOUR_NAMES[attribute >> 4]}"


def screen_colours(raw: bytes) -> str:
    """Every run of cells whose colour is not the default, one line each."""
    lines = [
        f"# Cells not in {colour_name(DEFAULT_ATTRIBUTE)} (0x{DEFAULT_ATTRIBUTE:02x}).",
        "# row, first-last column: colour (attribute byte): the text in that colour",
    ]
    runs = 0
    for r, row in enumerate(screen_cells(raw)):
        start = 0
        while start < SCREEN_COLUMNS:
            attribute = row[start][1]
            end = start
            while end + 1 < SCREEN_COLUMNS and row[end + 1][1] == attribute:
                end += 1
            if attribute != DEFAULT_ATTRIBUTE:
                text = "".join(c for c, _ in row[start : end + 1])
                quoted = "'" + text + "'"  # not repr(): a quote in the text stays as it is
                lines.append(f"{r}, {start}-{end}: {colour_name(attribute)} (0x{attribute:02x}): {quoted}")
                runs += 1
            start = end + 1
    if runs == 0:
        lines.append("(none)")
    return "\n".join(lines) + "\n"
