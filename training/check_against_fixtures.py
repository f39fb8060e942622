"""Checks training/mambair_arch.py against the official fixtures (outputs of the official code).

For each case in ../shared/fixtures/official (light_sr_x4, classic_sr_x2, color_dn, car_gray): build
the model from config.json, load model.pth strictly (same keys, same shapes, same order as the
official state_dict), run input.npy and compare with output.npy (max abs difference <= 1e-4).
Also checks the hand-written scan gradient with torch.autograd.gradcheck. Exit status 0 only when
every check passes. Usage: /usr/bin/python3 training/check_against_fixtures.py
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mambair_arch import MambaIR, SelectiveScanCore  # noqa: E402

CASES = ('light_sr_x4', 'classic_sr_x2', 'color_dn', 'car_gray')
TOLERANCE = 1e-4
DEFAULT_FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', '..', 'shared', 'fixtures', 'official')


def fixtures_dir():
    return os.environ.get('MAMBAIR_FIXTURES', DEFAULT_FIXTURES if os.path.isdir(DEFAULT_FIXTURES)
                          else '/work/shared/fixtures/official')


def check_case(root, case):
    folder = os.path.join(root, case)
    config = json.load(open(os.path.join(folder, 'config.json')))
    model = MambaIR(**config['kwargs']).eval()
    state = torch.load(os.path.join(folder, 'model.pth'), map_location='cpu')['params']
    ours = model.state_dict()
    if list(ours.keys()) != list(state.keys()):
        return False, 'state_dict keys or their order differ from the official checkpoint'
    for key, value in state.items():
        if tuple(ours[key].shape) != tuple(value.shape):
            return False, f'{key}: shape {tuple(ours[key].shape)} != official {tuple(value.shape)}'
    model.load_state_dict(state, strict=True)
    x = torch.from_numpy(np.load(os.path.join(folder, 'input.npy')))
    expected = np.load(os.path.join(folder, 'output.npy'))
    with torch.no_grad():
        out = model(x).numpy()
    if out.shape != expected.shape:
        return False, f'output shape {out.shape} != official {expected.shape}'
    diff = float(np.abs(out - expected).max())
    return diff <= TOLERANCE, f'max abs diff {diff:.3g} (tolerance {TOLERANCE})'


def check_scan_gradient():
    """The hand-written backward of the scan against finite differences (float64 gradcheck)."""
    gen = torch.Generator().manual_seed(0)
    length, b, k, e, n = 6, 2, 4, 3, 5
    rand = lambda *s: torch.rand(*s, generator=gen, dtype=torch.float64)
    args = (rand(length, b, k, e) - 0.5, rand(length, b, k, e) + 0.1, -rand(k, e, n) - 0.2,
            rand(length, b, k, n) - 0.5, rand(length, b, k, n) - 0.5)
    args = tuple(a.requires_grad_() for a in args)
    passed = torch.autograd.gradcheck(SelectiveScanCore.apply, args, raise_exception=False)
    return passed, 'scan backward agrees with finite differences' if passed else 'scan backward is wrong'


def check_all(verbose=True):
    """True when every fixture case matches the official output and the scan gradient is right."""
    root = fixtures_dir()
    ok, detail = check_scan_gradient()
    if verbose:
        print(f"{'PASS' if ok else 'FAIL'} gradient: {detail}")
    for case in CASES:
        passed, detail = check_case(root, case)
        ok &= passed
        if verbose:
            print(f"{'PASS' if passed else 'FAIL'} {case}: {detail}")
    return ok


if __name__ == '__main__':
    sys.exit(0 if check_all() else 1)
