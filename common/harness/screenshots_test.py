"""Tests of screenshots.py: a PPM screendump becomes a valid PNG."""

import struct
import sys
import tempfile
import unittest
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # common/, whichever way this file is run
from harness.screenshots import read_ppm, write_png


class PngTest(unittest.TestCase):
    def test_ppm_to_png_round_trip(self):
        rgb = bytes(range(2 * 2 * 3))
        width, height, pixels = read_ppm(b"P6\n2 2\n255\n" + rgb)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "x.png"
            write_png(path, width, height, pixels)
            data = path.read_bytes()
        self.assertTrue(data.startswith(b"\x89PNG\r\n\x1a\n"))
        self.assertEqual(struct.unpack(">II", data[16:24]), (2, 2))
        idat = data.index(b"IDAT")
        length = struct.unpack(">I", data[idat - 4 : idat])[0]
        raw = zlib.decompress(data[idat + 4 : idat + 4 + length])
        self.assertEqual(raw, b"\0" + rgb[:6] + b"\0" + rgb[6:])


if __name__ == "__main__":
    unittest.main()
