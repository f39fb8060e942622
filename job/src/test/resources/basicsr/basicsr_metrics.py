"""Independent BasicSR reference (basicsr/metrics/psnr_ssim.py, utils/color_util.py) for the job's tests.

  grey SRC DST ...       write each SRC (read as colour) converted to grey with OpenCV to its DST
  metrics CROP GT SR ... print one JSON object per (GT, SR) pair: psnr, ssim, psnr_y, ssim_y

Images are read as BasicSR's test pipeline reads them: cv2.imread(IMREAD_COLOR), so a grey PNG
becomes three equal channels; GT is cropped to the SR size (PairedImageDataset).
"""
import json
import sys

import cv2
import numpy as np


def to_y_channel(img):
    img = img.astype(np.float32) / 255.
    if img.ndim == 3 and img.shape[2] == 3:
        y = np.dot(img, [24.966, 128.553, 65.481]) + 16.0  # bgr2ycbcr(y_only=True) on float32 input
        y = (y / 255.).astype(np.float32)
        img = y[..., None]
    return img * 255.


def crop(img, c):
    return img[c:-c, c:-c, ...] if c else img


def psnr(a, b, c, y):
    a, b = crop(a, c), crop(b, c)
    if y:
        a, b = to_y_channel(a), to_y_channel(b)
    a, b = a.astype(np.float64), b.astype(np.float64)
    mse = np.mean((a - b) ** 2)
    return float('inf') if mse == 0 else float(10. * np.log10(255. * 255. / mse))


def _ssim(a, b):
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    k = cv2.getGaussianKernel(11, 1.5)
    w = np.outer(k, k.transpose())
    mu1 = cv2.filter2D(a, -1, w)[5:-5, 5:-5]
    mu2 = cv2.filter2D(b, -1, w)[5:-5, 5:-5]
    s1 = cv2.filter2D(a ** 2, -1, w)[5:-5, 5:-5] - mu1 ** 2
    s2 = cv2.filter2D(b ** 2, -1, w)[5:-5, 5:-5] - mu2 ** 2
    s12 = cv2.filter2D(a * b, -1, w)[5:-5, 5:-5] - mu1 * mu2
    m = ((2 * mu1 * mu2 + c1) * (2 * s12 + c2)) / ((mu1 ** 2 + mu2 ** 2 + c1) * (s1 + s2 + c2))
    return m.mean()


def ssim(a, b, c, y):
    a, b = crop(a, c), crop(b, c)
    if y:
        a, b = to_y_channel(a), to_y_channel(b)
    a, b = a.astype(np.float64), b.astype(np.float64)
    return float(np.array([_ssim(a[..., i], b[..., i]) for i in range(a.shape[2])]).mean())


def main(argv):
    if argv[0] == 'grey':
        for src, dst in zip(argv[1::2], argv[2::2]):
            cv2.imwrite(dst, cv2.cvtColor(cv2.imread(src, cv2.IMREAD_COLOR), cv2.COLOR_BGR2GRAY))
        return
    c = int(argv[1])
    files = argv[2:]
    for gt_path, sr_path in zip(files[0::2], files[1::2]):
        gt = cv2.imread(gt_path, cv2.IMREAD_COLOR)
        sr = cv2.imread(sr_path, cv2.IMREAD_COLOR)
        gt = gt[:sr.shape[0], :sr.shape[1], :]
        print(json.dumps({'psnr': psnr(gt, sr, c, False), 'ssim': ssim(gt, sr, c, False),
                          'psnr_y': psnr(gt, sr, c, True), 'ssim_y': ssim(gt, sr, c, True)}))


if __name__ == '__main__':
    main(sys.argv[1:])
