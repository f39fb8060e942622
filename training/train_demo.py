"""Trains the bundled demo model models/mambair_demo_light_x2.pth (MambaIR light SR x2) on CPU.

Data: the photographs in ../shared/data/photos (never committed); LR = MATLAB bicubic x1/2 of the
HR photo (matlab_resize.py, byte-exact with Set5's LR_bicubic files). Photos larger than 2600 px
on their long side are first shrunk x1/2 the same way, so HR detail is sharp at pixel level; HR
images are centre crops of at most 1600x1600.
Random LR crops with flips / 90-degree rotations, L1 loss, Adam, cosine learning rate, fixed seed.
Evaluates Y-PSNR/SSIM on Set5 x2 (BasicSR convention, whole-image forward) at each checkpoint
and saves ``{'params': state_dict}`` (the official format) atomically.

Refuses to run unless check_against_fixtures.py passes (the model equals the official code).
Usage: nice -n 10 /usr/bin/python3 training/train_demo.py --log /tmp/train.log
"""
import argparse
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from check_against_fixtures import check_all  # noqa: E402
from mambair_arch import MambaIR  # noqa: E402
from matlab_resize import check_set5, imresize  # noqa: E402

SCALE = 2
MAX_HR = 1600  # HR training images are centre crops of at most this size (bounds load time)
MODEL_KWARGS = dict(upscale=SCALE, in_chans=3, img_range=1.0, embed_dim=32, depths=[1, 1],
                    d_state=8, mlp_ratio=1.5, upsampler='pixelshuffledirect', resi_connection='1conv')
# 3-tap cubic (a = -0.5) weights for the two x2 sub-pixel phases (HR centres at LR -0.25 / +0.25),
# the 4th tap (-0.0234) dropped and the rest renormalised.
PHASE_TAPS = np.array([[0.2266, 0.8672, -0.0703], [-0.0703, 0.8672, 0.2266]]) / 1.0235


def init_as_interpolator(model):
    """Start from near-bicubic output so training learns a residual (documented in MODEL_CARD.md).

    conv_first passes the three input channels through unchanged in features 0-2, conv_after_body
    and the other upsample weights start small, and upsample.0 maps features 0-2 through 3x3
    cubic-interpolation kernels onto the PixelShuffle phases (channel c*4 + 2i + j).
    """
    with torch.no_grad():
        model.conv_first.weight[:3].zero_()
        model.conv_first.bias[:3].zero_()
        for c in range(3):
            model.conv_first.weight[c, c, 1, 1] = 1.0
        model.conv_after_body.weight.mul_(0.01)
        model.conv_after_body.bias.zero_()
        up = model.upsample[0]
        up.weight.mul_(0.01)
        up.weight[:, :3].zero_()
        up.bias.zero_()
        for c in range(3):
            for i in range(2):
                for j in range(2):
                    up.weight[c * 4 + 2 * i + j, c] = torch.from_numpy(
                        np.outer(PHASE_TAPS[i], PHASE_TAPS[j])).float()


def shared_dir():
    candidate = os.path.join(HERE, '..', '..', 'shared')
    return os.environ.get('MAMBAIR_SHARED', candidate if os.path.isdir(candidate) else '/work/shared')


def load_rgb(path):
    return np.asarray(Image.open(path).convert('RGB'))


def centre_crop(img, size):
    y = max(0, (img.shape[0] - size) // 2)
    x = max(0, (img.shape[1] - size) // 2)
    return img[y:y + size, x:x + size]


def load_pairs(photo_dir, log):
    """(HR, LR) uint8 pairs, HR cropped to 2x the LR size."""
    pairs = []
    for name in sorted(os.listdir(photo_dir)):
        if not name.lower().endswith(('.jpg', '.png')):
            continue
        hr = load_rgb(os.path.join(photo_dir, name))
        if max(hr.shape[:2]) > 2600:
            hr = imresize(centre_crop(hr, 2 * MAX_HR), 0.5)
        hr = centre_crop(hr, MAX_HR)
        hr = hr[:hr.shape[0] // SCALE * SCALE, :hr.shape[1] // SCALE * SCALE]
        pairs.append((hr, imresize(hr, 1.0 / SCALE)))
        log(f'data {name}: HR {hr.shape[1]}x{hr.shape[0]}')
    return pairs


def random_batch(pairs, rng, batch, patch):
    lrs, hrs = [], []
    weights = np.array([p[1].shape[0] * p[1].shape[1] for p in pairs], dtype=np.float64)
    picks = rng.choice(len(pairs), size=batch, p=weights / weights.sum())
    for i in picks:
        hr, lr = pairs[i]
        y = rng.integers(0, lr.shape[0] - patch + 1)
        x = rng.integers(0, lr.shape[1] - patch + 1)
        lr_c = lr[y:y + patch, x:x + patch]
        hr_c = hr[SCALE * y:SCALE * (y + patch), SCALE * x:SCALE * (x + patch)]
        if rng.random() < 0.5:
            lr_c, hr_c = lr_c[:, ::-1], hr_c[:, ::-1]
        if rng.random() < 0.5:
            lr_c, hr_c = lr_c[::-1], hr_c[::-1]
        if rng.random() < 0.5:
            lr_c, hr_c = lr_c.transpose(1, 0, 2), hr_c.transpose(1, 0, 2)
        lrs.append(np.ascontiguousarray(lr_c))
        hrs.append(np.ascontiguousarray(hr_c))
    to_t = lambda a: torch.from_numpy(np.stack(a)).permute(0, 3, 1, 2).float() / 255.0
    return to_t(lrs), to_t(hrs)


def y_channel(rgb_uint8):
    """BasicSR Y: 16 + (65.481 R + 128.553 G + 24.966 B) / 255, unrounded."""
    img = rgb_uint8.astype(np.float32) / 255.0
    return (img @ np.array([65.481, 128.553, 24.966], dtype=np.float32) + 16.0).astype(np.float64)


def psnr(a, b):
    mse = np.mean((a - b) ** 2)
    return float('inf') if mse == 0 else 20 * math.log10(255.0 / math.sqrt(mse))


def ssim(a, b):
    """BasicSR calculate_ssim on one plane (11x11 Gaussian sigma 1.5, 'valid' window)."""
    g = np.exp(-((np.arange(11) - 5) ** 2) / (2 * 1.5 ** 2))
    g /= g.sum()
    win = torch.from_numpy(np.outer(g, g))[None, None]
    filt = lambda x: F.conv2d(torch.from_numpy(x)[None, None], win)[0, 0].numpy()
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mu1, mu2 = filt(a), filt(b)
    s11, s22, s12 = filt(a * a) - mu1 ** 2, filt(b * b) - mu2 ** 2, filt(a * b) - mu1 * mu2
    m = ((2 * mu1 * mu2 + c1) * (2 * s12 + c2)) / ((mu1 ** 2 + mu2 ** 2 + c1) * (s11 + s22 + c2))
    return float(m.mean())


def evaluate_set5(model, set5_dir):
    """Mean Y-PSNR / SSIM on Set5 x2 (whole-image forward, output rounded to 8 bits, crop 2)."""
    model.eval()
    ps, ss = [], []
    with torch.no_grad():
        for name in sorted(os.listdir(os.path.join(set5_dir, 'HR'))):
            stem = os.path.splitext(name)[0]
            lr = load_rgb(os.path.join(set5_dir, 'LR_bicubic', f'X{SCALE}', f'{stem}x{SCALE}.png'))
            hr = load_rgb(os.path.join(set5_dir, 'HR', name))[:lr.shape[0] * SCALE, :lr.shape[1] * SCALE]
            x = torch.from_numpy(lr.copy()).permute(2, 0, 1)[None].float() / 255.0
            out = model(x)[0].clamp(0, 1).permute(1, 2, 0).numpy()
            sr = np.round(out * 255.0).astype(np.uint8)
            a = y_channel(sr)[SCALE:-SCALE, SCALE:-SCALE]
            b = y_channel(hr)[SCALE:-SCALE, SCALE:-SCALE]
            ps.append(psnr(a, b))
            ss.append(ssim(a, b))
    model.train()
    return float(np.mean(ps)), float(np.mean(ss))


def save(model, path):
    """Atomic torch.save in the official layout (the zip's folder is named after the file stem)."""
    tmp_dir = os.path.join(os.path.dirname(os.path.abspath(path)), '.saving')
    os.makedirs(tmp_dir, exist_ok=True)
    tmp = os.path.join(tmp_dir, os.path.basename(path))
    torch.save({'params': model.state_dict()}, tmp)
    os.replace(tmp, path)
    os.rmdir(tmp_dir)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default=os.path.join(HERE, '..', 'models', 'mambair_demo_light_x2.pth'))
    ap.add_argument('--log', required=True, help='log file (keep it outside the repository)')
    ap.add_argument('--iters', type=int, default=400)
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--patch', type=int, default=24, help='LR crop size')
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--minutes', type=float, default=35.0, help='wall-time budget; stops early')
    ap.add_argument('--eval-every', type=int, default=100)
    ap.add_argument('--resume', help='start from this checkpoint instead of the interpolator init '
                                     '(a further phase: fresh Adam state and learning-rate schedule)')
    args = ap.parse_args()

    logf = open(args.log, 'a')

    def log(msg):
        line = f'{time.strftime("%H:%M:%S")} {msg}'
        print(line, flush=True)
        logf.write(line + '\n')
        logf.flush()

    if not check_all(verbose=True):
        log('REFUSED: mambair_arch.py does not reproduce the official fixtures')
        sys.exit(1)
    shared = shared_dir()
    set5 = os.path.join(shared, 'data', 'benchmarks', 'Set5')
    if not check_set5(set5, SCALE):
        log('REFUSED: matlab_resize.py does not reproduce Set5 LR_bicubic/X2')
        sys.exit(1)
    log(f'fixtures and MATLAB resize checks passed; args {vars(args)}; model {MODEL_KWARGS}')

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    model = MambaIR(**MODEL_KWARGS)
    if args.resume:
        model.load_state_dict(torch.load(args.resume, map_location='cpu')['params'], strict=True)
        log(f'resumed from {args.resume}')
    else:
        init_as_interpolator(model)
    log(f'parameters: {sum(p.numel() for p in model.parameters())}')
    pairs = load_pairs(os.path.join(shared, 'data', 'photos'), log)

    opt = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.99))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda i: 0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * min(i, args.iters) / args.iters)))
    start = time.time()
    running = 0.0
    it = 0
    for it in range(1, args.iters + 1):
        lr_t, hr_t = random_batch(pairs, rng, args.batch, args.patch)
        loss = F.l1_loss(model(lr_t), hr_t)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        running += loss.item()
        out_of_time = time.time() - start > args.minutes * 60
        if it % 50 == 0:
            log(f'iter {it} loss {running / 50:.5f} lr {sched.get_last_lr()[0]:.2e} '
                f'elapsed {time.time() - start:.0f}s')
            running = 0.0
        if it % args.eval_every == 0 or it == args.iters or out_of_time:
            save(model, args.out)
            p, s = evaluate_set5(model, set5)
            log(f'checkpoint iter {it}: Set5 x2 Y-PSNR {p:.4f} SSIM {s:.6f} (whole image); saved {args.out}')
        if out_of_time:
            log(f'time budget of {args.minutes} min reached at iter {it}')
            break
    log(f'done: {it} iterations in {time.time() - start:.0f}s')


if __name__ == '__main__':
    main()
