"""MambaIR (csguoh/MambaIR, basicsr/archs/mambair_arch.py at 33d7b34) in plain PyTorch.

Module and parameter names, shapes and registration order equal the official ones, so
``model.state_dict()`` is interchangeable with the official checkpoints (``{'params': state_dict}``).
The only difference is the selective scan: the official code calls the CUDA kernel of ``mamba_ssm``;
here it is the same recurrence run step by step on CPU (``SelectiveScanCore``), exact in float32 and
trainable through a hand-written backward pass (a reverse scan), so no graph is kept per time step.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class SelectiveScanCore(torch.autograd.Function):
    """y[t] = sum_n C[t,n] h[t,n], h[t] = exp(dt[t] A) h[t-1] + dt[t] u[t] B[t], h[-1] = 0.

    Tensors are time-major: u, dt (L, b, K, E); A (K, E, N); B, C (L, b, K, N); y (L, b, K, E).
    Hand-written (forward and a reverse-scan backward) because PyTorch has no scan operator and
    materialising every (L, b, K, E, N) intermediate for autograd is memory-bound and slow on CPU;
    here each step works on one (b, K, E, N) slice that stays in cache. Decays are exp of
    non-positive numbers only (dt >= 0, A < 0), so the recurrence is exact and stable.
    """

    @staticmethod
    def forward(ctx, u, dt, A, B, C):
        length = u.shape[0]
        dtu = dt * u
        hs = torch.empty(u.shape + (A.shape[-1],), dtype=u.dtype)
        y = torch.empty_like(u)
        decay = torch.empty_like(hs[0])
        for t in range(length):
            torch.exp(dt[t].unsqueeze(-1) * A, out=decay)
            drive = dtu[t].unsqueeze(-1) * B[t].unsqueeze(2)
            if t == 0:
                hs[0].copy_(drive)
            else:
                torch.addcmul(drive, decay, hs[t - 1], out=hs[t])
            torch.sum(hs[t] * C[t].unsqueeze(2), dim=-1, out=y[t])
        ctx.save_for_backward(u, dt, A, B, C, hs)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        u, dt, A, B, C, hs = ctx.saved_tensors
        grad_y = grad_y.contiguous()
        length = u.shape[0]
        dtu = dt * u
        grad_u = torch.empty_like(u)
        grad_dt = torch.empty_like(dt)
        grad_B = torch.empty_like(B)
        grad_C = torch.empty_like(C)
        grad_A = torch.zeros_like(hs[0])
        gh = torch.zeros_like(hs[0])
        for t in range(length - 1, -1, -1):
            gy = grad_y[t].unsqueeze(-1)
            gh.addcmul_(gy, C[t].unsqueeze(2))
            torch.sum(gy * hs[t], dim=2, out=grad_C[t])
            gdtu = torch.sum(gh * B[t].unsqueeze(2), dim=-1)
            torch.sum(gh * dtu[t].unsqueeze(-1), dim=2, out=grad_B[t])
            torch.mul(gdtu, dt[t], out=grad_u[t])
            torch.mul(gdtu, u[t], out=grad_dt[t])
            if t > 0:
                decay = torch.exp(dt[t].unsqueeze(-1) * A)
                g_log = gh * hs[t - 1] * decay              # gradient w.r.t. dt[t] * A
                grad_dt[t].add_(torch.sum(g_log * A, dim=-1))
                grad_A.addcmul_(g_log, dt[t].unsqueeze(-1))
                gh.mul_(decay)
        return grad_u, grad_dt, grad_A.sum(0), grad_B, grad_C


def selective_scan(u, delta, A, B, C, D, delta_bias):
    """Selective scan as ``mamba_ssm.selective_scan_fn(..., z=None, delta_softplus=True)``.

    u, delta: (b, K*E, L); A: (K*E, N); B, C: (b, K, N, L); D, delta_bias: (K*E,). Returns (b, K*E, L).
    """
    b, ke, length = u.shape
    k, n = B.shape[1], B.shape[2]
    e = ke // k
    dt = F.softplus(delta + delta_bias[None, :, None])              # (b, KE, L)
    time_major = lambda x, c: x.permute(2, 0, 1).reshape(length, b, k, c).contiguous()
    y = SelectiveScanCore.apply(time_major(u, e), time_major(dt, e), A.view(k, e, n),
                                B.permute(3, 0, 1, 2).contiguous(), C.permute(3, 0, 1, 2).contiguous())
    y = y.reshape(length, b, ke).permute(1, 2, 0)
    return y + u * D[None, :, None]


class ChannelAttention(nn.Module):
    def __init__(self, num_feat, squeeze_factor=16):
        super().__init__()
        self.attention = nn.Sequential(
            nn.AdaptiveAvgPool2d(1),
            nn.Conv2d(num_feat, num_feat // squeeze_factor, 1, padding=0),
            nn.ReLU(inplace=True),
            nn.Conv2d(num_feat // squeeze_factor, num_feat, 1, padding=0),
            nn.Sigmoid())

    def forward(self, x):
        return x * self.attention(x)


class CAB(nn.Module):
    def __init__(self, num_feat, is_light_sr=False, compress_ratio=3, squeeze_factor=30):
        super().__init__()
        if is_light_sr:
            compress_ratio = 2
            self.cab = nn.Sequential(
                nn.Conv2d(num_feat, num_feat // compress_ratio, 1, 1, 0),
                nn.Conv2d(num_feat // compress_ratio, num_feat // compress_ratio, 3, 1, 1,
                          groups=num_feat // compress_ratio),
                nn.GELU(),
                nn.Conv2d(num_feat // compress_ratio, num_feat, 1, 1, 0),
                nn.Conv2d(num_feat, num_feat, 3, 1, padding=2, groups=num_feat, dilation=2),
                ChannelAttention(num_feat, squeeze_factor))
        else:
            self.cab = nn.Sequential(
                nn.Conv2d(num_feat, num_feat // compress_ratio, 3, 1, 1),
                nn.GELU(),
                nn.Conv2d(num_feat // compress_ratio, num_feat, 3, 1, 1),
                ChannelAttention(num_feat, squeeze_factor))

    def forward(self, x):
        return self.cab(x)


class SS2D(nn.Module):
    def __init__(self, d_model, d_state=16, d_conv=3, expand=2., dt_rank="auto", dt_min=0.001,
                 dt_max=0.1, dt_init_floor=1e-4, conv_bias=True, bias=False):
        super().__init__()
        self.d_model = d_model
        self.d_state = d_state
        self.d_inner = int(expand * d_model)
        self.dt_rank = math.ceil(d_model / 16) if dt_rank == "auto" else dt_rank
        k = 4
        self.in_proj = nn.Linear(d_model, self.d_inner * 2, bias=bias)
        self.conv2d = nn.Conv2d(self.d_inner, self.d_inner, d_conv, padding=(d_conv - 1) // 2,
                                groups=self.d_inner, bias=conv_bias)
        self.act = nn.SiLU()
        x_proj = [nn.Linear(self.d_inner, self.dt_rank + 2 * d_state, bias=False) for _ in range(k)]
        self.x_proj_weight = nn.Parameter(torch.stack([p.weight for p in x_proj], 0))
        dt_projs = [self._dt_init(dt_min, dt_max, dt_init_floor) for _ in range(k)]
        self.dt_projs_weight = nn.Parameter(torch.stack([p.weight for p in dt_projs], 0))
        self.dt_projs_bias = nn.Parameter(torch.stack([p.bias for p in dt_projs], 0))
        a = torch.arange(1, d_state + 1, dtype=torch.float32).repeat(k * self.d_inner, 1)
        self.A_logs = nn.Parameter(torch.log(a))
        self.Ds = nn.Parameter(torch.ones(k * self.d_inner))
        self.out_norm = nn.LayerNorm(self.d_inner)
        self.out_proj = nn.Linear(self.d_inner, d_model, bias=bias)

    def _dt_init(self, dt_min, dt_max, dt_init_floor):
        """The official initialisation: weight U(+-rank^-0.5), bias = softplus^-1(log-uniform dt)."""
        proj = nn.Linear(self.dt_rank, self.d_inner, bias=True)
        std = self.dt_rank ** -0.5
        nn.init.uniform_(proj.weight, -std, std)
        dt = torch.exp(torch.rand(self.d_inner) * (math.log(dt_max) - math.log(dt_min))
                       + math.log(dt_min)).clamp(min=dt_init_floor)
        with torch.no_grad():
            proj.bias.copy_(dt + torch.log(-torch.expm1(-dt)))
        return proj

    def forward_core(self, x):
        b, c, h, w = x.shape
        length = h * w
        k = 4
        x_hwwh = torch.stack([x.view(b, -1, length),
                              torch.transpose(x, 2, 3).contiguous().view(b, -1, length)], 1)
        xs = torch.cat([x_hwwh, torch.flip(x_hwwh, dims=[-1])], 1)          # (b, 4, E, L)
        x_dbl = torch.einsum("bkdl,kcd->bkcl", xs, self.x_proj_weight)
        dts, bs, cs = torch.split(x_dbl, [self.dt_rank, self.d_state, self.d_state], 2)
        dts = torch.einsum("bkrl,kdr->bkdl", dts, self.dt_projs_weight)
        out_y = selective_scan(xs.reshape(b, -1, length), dts.reshape(b, -1, length),
                               -torch.exp(self.A_logs), bs.contiguous(), cs.contiguous(),
                               self.Ds, self.dt_projs_bias.view(-1)).view(b, k, -1, length)
        inv_y = torch.flip(out_y[:, 2:4], dims=[-1])
        wh_y = torch.transpose(out_y[:, 1].reshape(b, -1, w, h), 2, 3).reshape(b, -1, length)
        invwh_y = torch.transpose(inv_y[:, 1].reshape(b, -1, w, h), 2, 3).reshape(b, -1, length)
        return out_y[:, 0] + inv_y[:, 0] + wh_y + invwh_y

    def forward(self, x):
        b, h, w, _ = x.shape
        x, z = self.in_proj(x).chunk(2, dim=-1)
        x = self.act(self.conv2d(x.permute(0, 3, 1, 2).contiguous()))
        y = self.forward_core(x)
        y = torch.transpose(y, 1, 2).contiguous().view(b, h, w, -1)
        return self.out_proj(self.out_norm(y) * F.silu(z))


class VSSBlock(nn.Module):
    def __init__(self, hidden_dim, d_state=16, expand=2., is_light_sr=False):
        super().__init__()
        self.ln_1 = nn.LayerNorm(hidden_dim)
        self.self_attention = SS2D(hidden_dim, d_state=d_state, expand=expand)
        self.skip_scale = nn.Parameter(torch.ones(hidden_dim))
        self.conv_blk = CAB(hidden_dim, is_light_sr)
        self.ln_2 = nn.LayerNorm(hidden_dim)
        self.skip_scale2 = nn.Parameter(torch.ones(hidden_dim))

    def forward(self, x, x_size):
        b, _, c = x.shape
        x = x.view(b, *x_size, c)
        x = x * self.skip_scale + self.self_attention(self.ln_1(x))
        cab = self.conv_blk(self.ln_2(x).permute(0, 3, 1, 2).contiguous()).permute(0, 2, 3, 1)
        x = x * self.skip_scale2 + cab
        return x.reshape(b, -1, c)


class BasicLayer(nn.Module):
    def __init__(self, dim, depth, d_state, mlp_ratio, is_light_sr):
        super().__init__()
        self.blocks = nn.ModuleList(
            [VSSBlock(dim, d_state=d_state, expand=mlp_ratio, is_light_sr=is_light_sr)
             for _ in range(depth)])

    def forward(self, x, x_size):
        for blk in self.blocks:
            x = blk(x, x_size)
        return x


def _to_tokens(x):
    return x.flatten(2).transpose(1, 2)


def _to_image(x, x_size):
    return x.transpose(1, 2).reshape(x.shape[0], -1, x_size[0], x_size[1])


def _resi_conv(dim, resi_connection):
    if resi_connection == '1conv':
        return nn.Conv2d(dim, dim, 3, 1, 1)
    if resi_connection == '3conv':
        return nn.Sequential(
            nn.Conv2d(dim, dim // 4, 3, 1, 1), nn.LeakyReLU(negative_slope=0.2, inplace=True),
            nn.Conv2d(dim // 4, dim // 4, 1, 1, 0), nn.LeakyReLU(negative_slope=0.2, inplace=True),
            nn.Conv2d(dim // 4, dim, 3, 1, 1))
    raise ValueError(f"resi_connection must be '1conv' or '3conv', got {resi_connection!r}")


class ResidualGroup(nn.Module):
    def __init__(self, dim, depth, d_state, mlp_ratio, resi_connection, is_light_sr):
        super().__init__()
        self.residual_group = BasicLayer(dim, depth, d_state, mlp_ratio, is_light_sr)
        self.conv = _resi_conv(dim, resi_connection)

    def forward(self, x, x_size):
        y = _to_image(self.residual_group(x, x_size), x_size)
        return _to_tokens(self.conv(y)) + x


class PatchEmbed(nn.Module):
    def __init__(self, embed_dim):
        super().__init__()
        self.norm = nn.LayerNorm(embed_dim)

    def forward(self, x):
        return self.norm(_to_tokens(x))


class UpsampleOneStep(nn.Sequential):
    def __init__(self, scale, num_feat, num_out_ch):
        super().__init__(nn.Conv2d(num_feat, (scale ** 2) * num_out_ch, 3, 1, 1), nn.PixelShuffle(scale))


class Upsample(nn.Sequential):
    def __init__(self, scale, num_feat):
        m = []
        if (scale & (scale - 1)) == 0:
            for _ in range(int(math.log(scale, 2))):
                m.append(nn.Conv2d(num_feat, 4 * num_feat, 3, 1, 1))
                m.append(nn.PixelShuffle(2))
        elif scale == 3:
            m.append(nn.Conv2d(num_feat, 9 * num_feat, 3, 1, 1))
            m.append(nn.PixelShuffle(3))
        else:
            raise ValueError(f'scale {scale} is not supported. Supported scales: 2^n and 3.')
        super().__init__(*m)


class MambaIR(nn.Module):
    """The official MambaIR network (eval behaviour; drop path and dropout are not modelled)."""

    def __init__(self, in_chans=3, embed_dim=96, depths=(6, 6, 6, 6), d_state=16, mlp_ratio=2.,
                 upscale=2, img_range=1., upsampler='', resi_connection='1conv', **_unused):
        super().__init__()
        num_out_ch = in_chans
        num_feat = 64
        self.img_range = img_range
        self.mean = (torch.Tensor((0.4488, 0.4371, 0.4040)).view(1, 3, 1, 1) if in_chans == 3
                     else torch.zeros(1, 1, 1, 1))
        self.upscale = upscale
        self.upsampler = upsampler
        is_light_sr = upsampler == 'pixelshuffledirect'
        self.conv_first = nn.Conv2d(in_chans, embed_dim, 3, 1, 1)
        self.patch_embed = PatchEmbed(embed_dim)
        self.layers = nn.ModuleList(
            [ResidualGroup(embed_dim, depth, d_state, mlp_ratio, resi_connection, is_light_sr)
             for depth in depths])
        self.norm = nn.LayerNorm(embed_dim)
        self.conv_after_body = _resi_conv(embed_dim, resi_connection)
        if upsampler == 'pixelshuffle':
            self.conv_before_upsample = nn.Sequential(nn.Conv2d(embed_dim, num_feat, 3, 1, 1),
                                                      nn.LeakyReLU(inplace=True))
            self.upsample = Upsample(upscale, num_feat)
            self.conv_last = nn.Conv2d(num_feat, num_out_ch, 3, 1, 1)
        elif upsampler == 'pixelshuffledirect':
            self.upsample = UpsampleOneStep(upscale, embed_dim, num_out_ch)
        else:
            self.conv_last = nn.Conv2d(embed_dim, num_out_ch, 3, 1, 1)
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(m):
        """The official initialisation of Linear and LayerNorm layers."""
        if isinstance(m, nn.Linear):
            nn.init.trunc_normal_(m.weight, std=.02)
            if m.bias is not None:
                nn.init.constant_(m.bias, 0)
        elif isinstance(m, nn.LayerNorm):
            nn.init.constant_(m.bias, 0)
            nn.init.constant_(m.weight, 1.0)

    def forward_features(self, x):
        x_size = (x.shape[2], x.shape[3])
        x = self.patch_embed(x)
        for layer in self.layers:
            x = layer(x, x_size)
        return _to_image(self.norm(x), x_size)

    def forward(self, x):
        mean = self.mean.type_as(x)
        x = (x - mean) * self.img_range
        if self.upsampler == 'pixelshuffle':
            x = self.conv_first(x)
            x = self.conv_after_body(self.forward_features(x)) + x
            x = self.conv_last(self.upsample(self.conv_before_upsample(x)))
        elif self.upsampler == 'pixelshuffledirect':
            x = self.conv_first(x)
            x = self.conv_after_body(self.forward_features(x)) + x
            x = self.upsample(x)
        else:
            x_first = self.conv_first(x)
            res = self.conv_after_body(self.forward_features(x_first)) + x_first
            x = x + self.conv_last(res)
        return x / self.img_range + mean
