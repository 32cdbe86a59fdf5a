"""Serial output as transcript text: what the kernel sent to COM1, with
every byte still visible, and where a boot's comparison starts (serial_from).
"""


def visible_char(c: str) -> str:
    """One character of serial output as transcript text."""
    code = ord(c)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if c == "\\":
        return "\\\\"
    if c != "\t" and (code < 0x20 or code == 0x7F):
        return f"\\x{code:02x}"
    return c


def normalise_serial(raw: bytes) -> str:
    """Serial output as plain, unambiguous text. Only the UART's "\\r\\n" ends
    a transcript line, so a kernel that forgets the "\\r" shows up as "\\x0a".
    Every other control byte, and every byte that is not UTF-8, is written as
    \\xNN; a backslash the kernel sent is written as two."""
    text = raw.decode("utf-8", errors="surrogateescape")
    return "\n".join("".join(map(visible_char, line)) for line in text.split("\r\n"))


def serial_from(raw: bytes, start: str) -> bytes:
    """The serial output from the first `start` text on. Under UEFI the
    firmware and GRUB write to COM1 before the kernel does (screen clears,
    boot manager lines): a boot's serial_from names the kernel's first words,
    and what precedes them is not compared. Without them, nothing is cut, so
    a diff shows the whole output."""
    found = raw.find(start.encode()) if start else -1
    return raw[found:] if found >= 0 else raw
