#!/usr/bin/env python3
"""Makes gradient_rgba.png (24x16 RGBA, written with zlib only) and its lossless WebP twin
gradient_rgba.webp (libwebp's cwebp -lossless -exact), the reference pair of ImageDecoderTest."""
import struct, subprocess, zlib

W, H = 24, 16
rows = []
for y in range(H):
    row = bytearray([0])
    for x in range(W):
        row += bytes([(x * 11) % 256, (y * 17) % 256, (x * y * 5 + 40) % 256, 255 if x < 12 else (x * 20) % 256])
    rows.append(bytes(row))

def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)

png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', W, H, 8, 6, 0, 0, 0)) \
    + chunk(b'IDAT', zlib.compress(b''.join(rows))) + chunk(b'IEND', b'')
open('gradient_rgba.png', 'wb').write(png)
subprocess.run(['cwebp', '-quiet', '-lossless', '-exact', 'gradient_rgba.png', '-o', 'gradient_rgba.webp'], check=True)
