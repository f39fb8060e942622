"""Writes the selective-scan test case used by SelectiveScanReferenceTest.

The expected output y.npy comes from PyTorch, following mamba_ssm's selective_scan_ref (the official
reference the MambaIR CUDA kernel is tested against) with delta_softplus=True, grouped B/C (B, G, N, L)
and no z, evaluated in float64. Inputs include |A| up to 1e3, delta beyond softplus' threshold 20 and
very negative delta. Run: /usr/bin/python3 make_reference_case.py (PyTorch 1.13, numpy).
"""
import numpy as np
import torch
import torch.nn.functional as F

rng = np.random.default_rng(20240924)
batch, dim, groups, dstate, length = 2, 12, 3, 5, 40

u = rng.standard_normal((batch, dim, length)).astype(np.float32)
delta = rng.standard_normal((batch, dim, length)).astype(np.float32)
delta[:, 1, :] += 40.0   # softplus threshold: dt = delta + bias
delta[:, 2, :] -= 30.0   # dt of order 1e-13
delta[0, 5, ::3] = 95.0  # dt near 1e2: every decay underflows
a = (-np.exp(rng.standard_normal((dim, dstate)))).astype(np.float32)
a[3, :] = -1000.0 * rng.random(dstate).astype(np.float32) - 1.0
a[5, :] = -np.linspace(1.0, 1000.0, dstate).astype(np.float32)
bs = rng.standard_normal((batch, groups, dstate, length)).astype(np.float32)
cs = rng.standard_normal((batch, groups, dstate, length)).astype(np.float32)
ds = rng.standard_normal(dim).astype(np.float32)
delta_bias = (0.5 * rng.standard_normal(dim)).astype(np.float32)


def selective_scan_ref(u, delta, A, B, C, D, delta_bias):
    delta = F.softplus(delta + delta_bias[..., None])
    repeats = A.shape[0] // B.shape[1]
    B = B.repeat_interleave(repeats, dim=1)   # "B G N L -> B (G H) N L"
    C = C.repeat_interleave(repeats, dim=1)
    delta_a = torch.exp(torch.einsum('bdl,dn->bdln', delta, A))
    delta_b_u = torch.einsum('bdl,bdnl,bdl->bdln', delta, B, u)
    x = A.new_zeros((u.shape[0], A.shape[0], A.shape[1]))
    ys = []
    for i in range(u.shape[2]):
        x = delta_a[:, :, i] * x + delta_b_u[:, :, i]
        ys.append(torch.einsum('bdn,bdn->bd', x, C[:, :, :, i]))
    return torch.stack(ys, dim=2) + u * D[:, None]


t = lambda v: torch.from_numpy(v).double()
y = selective_scan_ref(t(u), t(delta), t(a), t(bs), t(cs), t(ds), t(delta_bias)).numpy()
for name, value in dict(u=u, delta=delta, A=a, Bs=bs, Cs=cs, Ds=ds, delta_bias=delta_bias,
                        y=y.astype(np.float32)).items():
    np.save(f"{name}.npy", value)
