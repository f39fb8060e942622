"""MATLAB ``imresize(img, scale, 'bicubic')`` for uint8 images, in numpy.

Hand-written because neither PyTorch nor numpy has it and PIL / torch antialiased bicubic differ
in rounding: MATLAB resizes height first, then width, each pass in double precision followed by
rounding half up and clamping to 0..255; when shrinking the cubic kernel (a = -0.5) is stretched
by 1/scale (antialiasing) and borders are mirrored (symmetric padding). This reproduces the Set5
``LR_bicubic`` files byte for byte (``check_set5`` below).
"""
import numpy as np


def _cubic(x):
    ax = np.abs(x)
    ax2, ax3 = ax * ax, ax * ax * ax
    return ((1.5 * ax3 - 2.5 * ax2 + 1) * (ax <= 1)
            + (-0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2) * ((ax > 1) & (ax <= 2)))


def _contributions(in_len, out_len, scale):
    kernel_width = 4.0 / scale if scale < 1 else 4.0
    x = np.arange(1, out_len + 1, dtype=np.float64)
    u = x / scale + 0.5 * (1 - 1 / scale)
    left = np.floor(u - kernel_width / 2)
    taps = int(np.ceil(kernel_width)) + 2
    ind = left[:, None] + np.arange(taps)[None, :]
    dist = u[:, None] - ind
    w = scale * _cubic(scale * dist) if scale < 1 else _cubic(dist)
    w = w / w.sum(axis=1, keepdims=True)
    mirror = np.concatenate([np.arange(in_len), np.arange(in_len - 1, -1, -1)])
    ind = mirror[np.mod(ind.astype(np.int64) - 1, mirror.size)]
    keep = np.any(w != 0, axis=0)
    return w[:, keep], ind[:, keep]


def _resize_axis(img, axis, out_len, scale):
    w, ind = _contributions(img.shape[axis], out_len, scale)
    moved = np.moveaxis(img.astype(np.float64), axis, 0)
    out = np.zeros((out_len,) + moved.shape[1:], dtype=np.float64)
    for k in range(w.shape[1]):
        out += w[:, k].reshape((-1,) + (1,) * (moved.ndim - 1)) * moved[ind[:, k]]
    out = np.clip(np.floor(out + 0.5), 0, 255).astype(np.uint8)
    return np.moveaxis(out, 0, axis)


def imresize(img, scale):
    """uint8 HxW or HxWxC image resized by ``scale`` like MATLAB imresize(img, scale, 'bicubic')."""
    if img.dtype != np.uint8:
        raise ValueError(f'expected a uint8 image, got {img.dtype}')
    out_h = int(np.ceil(img.shape[0] * scale))
    out_w = int(np.ceil(img.shape[1] * scale))
    return _resize_axis(_resize_axis(img, 0, out_h, scale), 1, out_w, scale)


def check_set5(set5_dir, scale=2):
    """True when imresize(HR, 1/scale) equals every LR_bicubic/X{scale} file of Set5 exactly."""
    import os
    from PIL import Image
    for name in sorted(os.listdir(os.path.join(set5_dir, 'HR'))):
        stem = os.path.splitext(name)[0]
        hr = np.asarray(Image.open(os.path.join(set5_dir, 'HR', name)).convert('RGB'))
        lr = np.asarray(Image.open(os.path.join(set5_dir, 'LR_bicubic', f'X{scale}',
                                                f'{stem}x{scale}.png')).convert('RGB'))
        hr = hr[:lr.shape[0] * scale, :lr.shape[1] * scale]
        if not np.array_equal(imresize(hr, 1.0 / scale), lr):
            return False
    return True
