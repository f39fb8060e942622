"""Float64 NumPy reference of io.mambair:SelectiveScan2D (the official SS2D four-direction scan and merge).

Direction 0 visits the H x W positions row by row, 1 column by column, 2 and 3 are 0 and 1 backwards; each scans
from zero state: dt = softplus(delta + delta_bias) (PyTorch's, threshold 20), h = exp(dt A) h + dt u Bs,
y_k = sum_n Cs h + Ds u; y (B, H, W, E) is the sum of the four directions at each position.
Vectorised over batch, channels and states; sequential over the L steps of each direction.
"""
import numpy as np


def visiting_order(direction, height, width):
    """Positions (row-major index) in the order direction k visits them."""
    rows = np.arange(height * width)
    columns = np.arange(height * width).reshape(height, width).T.reshape(-1)
    return [rows, columns, rows[::-1], columns[::-1]][direction]


def softplus(x):
    return np.where(x > 20.0, x, np.log1p(np.exp(np.minimum(x, 20.0))))


def scan2d(u, delta, a, bs, cs, ds, delta_bias):
    """u (B, E, H, W), delta (B, 4, E, L), a (4E, N), bs/cs (B, 4, N, L), ds/delta_bias (4E) -> y (B, H, W, E)."""
    u = np.asarray(u, np.float64)
    batch, channels, height, width = u.shape
    length = height * width
    states = a.shape[1]
    u = u.reshape(batch, channels, length)
    y = np.zeros((batch, length, channels))
    for k in range(4):
        rows = slice(k * channels, (k + 1) * channels)
        a_k = np.asarray(a[rows], np.float64)                      # (E, N)
        dt_all = softplus(np.asarray(delta[:, k], np.float64) + np.asarray(delta_bias[rows], np.float64)[None, :, None])
        h = np.zeros((batch, channels, states))
        for pos in visiting_order(k, height, width):
            dt = dt_all[:, :, pos]                                    # (B, E)
            ut = u[:, :, pos]
            b_t = np.asarray(bs[:, k, :, pos], np.float64)            # (B, N)
            c_t = np.asarray(cs[:, k, :, pos], np.float64)
            h = np.exp(dt[:, :, None] * a_k[None]) * h + (dt * ut)[:, :, None] * b_t[:, None, :]
            y[:, pos, :] += np.einsum("ben,bn->be", h, c_t) + np.asarray(ds[rows], np.float64)[None] * ut
    return y.reshape(batch, height, width, channels)


def random_inputs(rng, batch, channels, states, height, width, a_max=1.0, delta_range=(-1.0, 1.0)):
    """Inputs of the operator's shapes: A = -exp(uniform) scaled to at most a_max, delta in delta_range."""
    length = height * width
    f = np.float32
    return dict(
        u=rng.uniform(-1, 1, (batch, channels, height, width)).astype(f),
        delta=rng.uniform(delta_range[0], delta_range[1], (batch, 4, channels, length)).astype(f),
        a=(-rng.uniform(0.0, 1.0, (4 * channels, states)) * a_max).astype(f),
        bs=rng.uniform(-1, 1, (batch, 4, states, length)).astype(f),
        cs=rng.uniform(-1, 1, (batch, 4, states, length)).astype(f),
        ds=rng.uniform(-1, 1, 4 * channels).astype(f),
        delta_bias=rng.uniform(-1, 1, 4 * channels).astype(f),
    )
