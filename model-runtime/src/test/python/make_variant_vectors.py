#!/usr/bin/python3
"""Writes official-model test vectors for MambaIR configurations the shared fixtures do not cover.

    /usr/bin/python3 model-runtime/src/test/python/make_variant_vectors.py OFFICIAL_DIR [--fixtures DIR] [--only NAME ...]

OFFICIAL_DIR holds the two official source files, unmodified apart from being copied there:
  mambair_arch.py      csguoh/MambaIR basicsr/archs/mambair_arch.py (commit c308c30, unchanged at 33d7b34)
  mambairunet_arch.py  csguoh/MambaIR realDenoising/basicsr/models/archs/mambairunet_arch.py, the version with
                       d_state 16 at every level (a09fd79), which is the one the shared real_dn_unet fixture matches.
The official code is never copied into this repository. What it imports but does not need on CPU is stood in for
here (see install_stand_ins): mamba_ssm's CUDA selective_scan_fn by mamba_ssm's own sequential pure-PyTorch
reference semantics, basicsr's registry by a no-op, timm's DropPath by the identity (eval only), einops by the
few patterns the two files use.

With --fixtures (the shared fixtures/official folder) the harness is first checked: every shared fixture must be
reproduced to 1e-5 from its config.json kwargs and model.pth, else nothing is written.

Each case folder under src/test/resources/variants/ gets model.pth (torch.save({'params': state_dict}) as the
official training code saves), input.npy (float32 NCHW, k/255), output.npy (the official forward in eval mode,
float32 scan, not clamped) and config.json (constructor kwargs, seeds, shapes, randomisation, checks).

Weights are randomised as the shared fixtures describe (RANDOMIZATION below) so that every tensor matters and the
output has a realistic range. Two things keep the resources small (under 2 MB for all cases):
- every weight is rounded to a float16 value before the official forward runs, and the checkpoint stores float16
  tensors: the float32 model and the half-precision checkpoint are the same model (load_state_dict converts exactly);
- conv weights of 16,000 or more elements (the 64-feature pixel-shuffle convs, whose size the official code
  hard-codes, and the UNet's wide up/down/reduce convs) are saved as torch.as_strided views of a shorter random
  storage: output channel o reads the window [11*o, 11*o + fan_in) of it, so each filter is a full random vector and
  neighbouring filters are shifted windows. torch.save keeps such views as (storage, offset, size, stride) and
  the official model loads them with load_state_dict like any tensor.
"""
import argparse
import json
import math
import os
import sys
import types

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "variants")
SHARED_CASES = ["classic_sr_x2", "light_sr_x4", "color_dn", "car_gray", "real_dn_unet"]
COMPACT_MIN_NUMEL = 16_000
COMPACT_STRIDE = 11
SR_TARGET_STD = 0.12
RESIDUAL_TARGET_STD = 0.05

RANDOMIZATION = {
    "Conv2d.weight": "N(0, 1/sqrt(in_ch/groups*kh*kw))",
    "Conv2d.bias / Linear.bias": "N(0, 0.1^2)",
    "ChannelAttention squeeze conv weight (attention.1.weight)": "N(0, 3/sqrt(C)) (3x the conv rule)",
    "Linear.weight": "N(0, 1/sqrt(in_features))",
    "LayerNorm.weight": "1 + N(0, 0.1^2)",
    "LayerNorm.bias": "N(0, 0.1^2)",
    "SS2D.x_proj_weight (K, R+2N, d_inner)": "N(0, 1/sqrt(d_inner))",
    "SS2D.dt_projs_weight (K, d_inner, R)": "U(-R^-0.5, R^-0.5)",
    "SS2D.dt_projs_bias (K, d_inner)": "inverse_softplus(dt), dt log-uniform in [1e-3, 0.5]",
    "SS2D.A_logs (K*d_inner, N)": "log(U(0.5, 20))",
    "SS2D.Ds (K*d_inner)": "N(1, 0.5^2)",
    "VSSBlock.skip_scale / skip_scale2": "U(0.5, 1.5)",
    "ChannelAttention squeeze conv bias (attention.1.bias)":
        "then set so that each hidden unit is U(0.5, 1.5) before its ReLU for the case input",
    "final conv (conv_last, upsample.0 or output)":
        "then rescaled: weight*s, bias=(bias-mean_c)*s so its output has zero mean per channel and the chosen std",
    "conv weights with >= 16000 elements":
        "same distribution, saved as an as_strided view: filter o = base[11*o : 11*o + fan_in], base i.i.d.",
}
EXTREME_SCAN = {
    "SS2D.dt_projs_bias (K, d_inner)": "inverse_softplus(dt), dt log-uniform in [1e-3, 50] (trained-like large steps)",
    "SS2D.A_logs (K*d_inner, N)": "log(U(0.5, 200)) (trained-like large |A|)",
}


def case(name, arch, kwargs, hw, seed, description, extreme=False):
    return {"name": name, "arch": arch, "kwargs": kwargs, "hw": hw, "seed": seed, "description": description,
            "extreme": extreme}


def mambair(upscale, in_chans, embed_dim, depths, d_state, mlp_ratio, upsampler, resi_connection):
    return {"upscale": upscale, "in_chans": in_chans, "img_size": 64, "img_range": 1.0, "embed_dim": embed_dim,
            "depths": depths, "d_state": d_state, "mlp_ratio": mlp_ratio, "upsampler": upsampler,
            "resi_connection": resi_connection}


VARIANTS = [
    case("classic_sr_x3", "MambaIR", mambair(3, 3, 30, [1], 16, 2.0, "pixelshuffle", "1conv"), (13, 61), 3001,
         "classic SR x3: Conv(64, 576) + PixelShuffle(3); non-square 13x61 input (793 tokens)"),
    case("classic_sr_x4_3conv", "MambaIR", mambair(4, 3, 36, [1], 16, 2.0, "pixelshuffle", "3conv"), (11, 14), 3002,
         "classic SR x4: two Conv(64, 256) + PixelShuffle(2) stages; resi_connection '3conv'"),
    case("light_sr_x2", "MambaIR", mambair(2, 3, 42, [1], 10, 1.2, "pixelshuffledirect", "1conv"), (19, 26), 3003,
         "light SR x2 (pixelshuffledirect, light CAB); embed 42 x mlp_ratio 1.2 = 50.4 truncates to d_inner 50"),
    case("light_sr_x3_3conv", "MambaIR", mambair(3, 3, 40, [2], 10, 1.2, "pixelshuffledirect", "3conv"), (15, 18), 3004,
         "light SR x3 with resi_connection '3conv'"),
    case("color_dn_three_groups", "MambaIR", mambair(1, 3, 31, [1, 2, 1], 8, 1.5, "", "1conv"), (21, 17), 3015,
         "colour denoising: three residual groups of depths 1, 2, 1; d_state 8; 31 x 1.5 = 46.5 truncates to 46"),
    case("car_gray_long", "MambaIR", mambair(1, 1, 30, [1], 16, 2.0, "", "1conv"), (40, 52), 3006,
         "one-channel CAR on a 40x52 input: sequences of 2080 tokens"),
    case("color_dn_extreme_scan", "MambaIR", mambair(1, 3, 30, [1, 1], 16, 2.0, "", "1conv"), (40, 52), 3007,
         "colour denoising, 2080 tokens, with trained-like large |A| (up to 200) and large steps (dt up to 50)",
         extreme=True),
    case("real_dn_unet_level1", "MambaIRUNet",
         {"inp_channels": 3, "out_channels": 3, "dim": 30, "num_blocks": [1, 0, 0, 0], "num_refinement_blocks": 1,
          "mlp_ratio": 1.5, "bias": False, "dual_pixel_task": False}, (32, 48), 3008,
         "real-denoising UNet with level-1 blocks: dim 30 (channel attention 30 -> 1), encoder level 1 at 30, "
         "decoder level 1 and a refinement block at 60 on the concatenated skip; 32x48 input (1536 tokens)"),
]


# ----------------------------------------------------------------------------------------------- stand-ins

def selective_scan_ref(u, delta, A, B, C, D=None, z=None, delta_bias=None, delta_softplus=False,
                       return_last_state=False, dtype=torch.float32):
    """mamba_ssm.ops.selective_scan_interface.selective_scan_ref for real A, sequential over L, in `dtype`."""
    dtype_in = u.dtype
    u, delta, A, B, C = (t.to(dtype) for t in (u, delta, A, B, C))
    if delta_bias is not None:
        delta = delta + delta_bias[..., None].to(dtype)
    if delta_softplus:
        delta = F.softplus(delta)
    batch, dim, dstate = u.shape[0], A.shape[0], A.shape[1]
    assert B.dim() == 4 and C.dim() == 4, "MambaIR passes grouped B and C of shape (b, k, n, l)"
    B = B.repeat_interleave(dim // B.shape[1], dim=1)   # einops "B G N L -> B (G H) N L"
    C = C.repeat_interleave(dim // C.shape[1], dim=1)
    delta_a = torch.exp(torch.einsum("bdl,dn->bdln", delta, A))
    delta_b_u = torch.einsum("bdl,bdnl,bdl->bdln", delta, B, u)
    x = A.new_zeros((batch, dim, dstate))
    ys = []
    for i in range(u.shape[2]):
        x = delta_a[:, :, i] * x + delta_b_u[:, :, i]
        ys.append(torch.einsum("bdn,bdn->bd", x, C[:, :, :, i]))
    y = torch.stack(ys, dim=2)
    out = y if D is None else y + u * D.to(dtype)[..., None]
    if z is not None:
        out = out * F.silu(z.to(dtype))
    out = out.to(dtype=dtype_in)
    return (out, x) if return_last_state else out


def selective_scan_chunked(u, delta, A, B, C, D=None, z=None, delta_bias=None, delta_softplus=False,
                           return_last_state=False, chunk=32):
    """The same scan in float64, a chunk of steps at a time: h_t = exp(S_t) h_0 + sum_{s<=t} exp(S_t - S_s) dt_s u_s B_s
    with S the running sum of dt*A inside the chunk (every exponent <= 0): an independent cross-check of the scan."""
    dtype_in = u.dtype
    u, delta, A, B, C = (t.double() for t in (u, delta, A, B, C))
    if delta_bias is not None:
        delta = delta + delta_bias[..., None].double()
    if delta_softplus:
        delta = F.softplus(delta)
    dim, length = A.shape[0], u.shape[2]
    B = B.repeat_interleave(dim // B.shape[1], dim=1)
    C = C.repeat_interleave(dim // C.shape[1], dim=1)
    log_decay = delta[..., None] * A[:, None, :]                       # (b, d, l, n)
    drive = (delta * u)[..., None] * B.transpose(2, 3)                 # (b, d, l, n)
    h = u.new_zeros((u.shape[0], dim, A.shape[1]))
    ys = []
    for start in range(0, length, chunk):
        s = torch.cumsum(log_decay[:, :, start:start + chunk], dim=2)
        t = s.shape[2]
        causal = torch.ones(t, t, dtype=torch.bool).tril()[None, None, :, :, None]
        weights = torch.exp((s[:, :, :, None, :] - s[:, :, None, :, :]).masked_fill(~causal, -math.inf))
        states = torch.exp(s) * h[:, :, None, :] + torch.einsum("bdtsn,bdsn->bdtn", weights, drive[:, :, start:start + t])
        ys.append(torch.einsum("bdtn,bdnt->bdt", states, C[:, :, :, start:start + t]))
        h = states[:, :, -1]
    y = torch.cat(ys, dim=2)
    out = y if D is None else y + u * D.double()[..., None]
    if z is not None:
        out = out * F.silu(z.double())
    out = out.to(dtype=dtype_in)
    return (out, h) if return_last_state else out


SCAN = {"dtype": torch.float32, "chunked": False}


def selective_scan_fn(*args, **kwargs):
    """The CUDA kernel's stand-in: the sequential reference in SCAN['dtype'] (float32 like the kernel)."""
    if SCAN["chunked"]:
        return selective_scan_chunked(*args, **kwargs)
    return selective_scan_ref(*args, **kwargs, dtype=SCAN["dtype"])


class DropPath(nn.Module):
    """timm DropPath; only eval mode is used here, where it is the identity."""

    def __init__(self, drop_prob=0.0):
        super().__init__()
        self.drop_prob = drop_prob

    def forward(self, x):
        assert not self.training, "the DropPath stand-in supports eval mode only"
        return x


def to_2tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x, x)


def rearrange(x, pattern, **sizes):
    """The two einops patterns the UNet uses."""
    pattern = " ".join(pattern.split())
    if pattern == "b c h w -> b (h w) c":
        return x.flatten(2).transpose(1, 2)
    if pattern == "b (h w) c -> b c h w":
        assert sizes["h"] * sizes["w"] == x.shape[1]
        return x.transpose(1, 2).reshape(x.shape[0], x.shape[2], sizes["h"], sizes["w"])
    raise NotImplementedError(pattern)


def repeat(x, pattern, **sizes):
    """The einops repeat patterns of SS2D's initialisers."""
    pattern = " ".join(pattern.split())
    name = {"n -> d n": "d", "d n -> r d n": "r", "n1 -> r n1": "r"}.get(pattern)
    if name is None:
        raise NotImplementedError(pattern)
    return x.unsqueeze(0).expand(sizes[name], *x.shape)


class _Registry:
    def register(self, obj=None):
        return obj if obj is not None else (lambda o: o)


def module(name, **attrs):
    m = types.ModuleType(name)
    m.__dict__.update(attrs)
    sys.modules[name] = m
    return m


def install_stand_ins():
    for pkg in ["basicsr", "basicsr.utils", "timm", "timm.models", "mamba_ssm", "mamba_ssm.ops"]:
        module(pkg, __path__=[])
    module("basicsr.utils.registry", ARCH_REGISTRY=_Registry())
    module("timm.models.layers", DropPath=DropPath, to_2tuple=to_2tuple,
           trunc_normal_=lambda t, mean=0.0, std=1.0, a=-2.0, b=2.0: nn.init.trunc_normal_(t, mean, std, a, b))
    module("mamba_ssm.ops.selective_scan_interface", selective_scan_fn=selective_scan_fn,
           selective_scan_ref=selective_scan_ref)
    module("einops", rearrange=rearrange, repeat=repeat)


def load_official(folder):
    install_stand_ins()
    sys.path.insert(0, os.path.abspath(folder))
    import mambair_arch
    import mambairunet_arch
    return {"MambaIR": mambair_arch.MambaIR, "MambaIRUNet": mambairunet_arch.MambaIRUNet}


def forward(model, x, scan_dtype=torch.float32, chunked=False):
    SCAN["dtype"], SCAN["chunked"] = scan_dtype, chunked
    try:
        with torch.no_grad():
            return model(x)
    finally:
        SCAN["dtype"], SCAN["chunked"] = torch.float32, False


# -------------------------------------------------------------------------------------- harness check

def check_shared_fixtures(archs, folder):
    for name in SHARED_CASES:
        d = os.path.join(folder, name)
        cfg = json.load(open(os.path.join(d, "config.json")))
        model = archs[cfg["arch"]](**cfg["kwargs"]).eval()
        model.load_state_dict(torch.load(os.path.join(d, "model.pth"), map_location="cpu")["params"], strict=True)
        diff = (forward(model, torch.from_numpy(np.load(os.path.join(d, "input.npy")))).numpy()
                - np.load(os.path.join(d, "output.npy")))
        err = float(np.abs(diff).max())
        print(f"shared fixture {name}: max abs diff {err:.2e}")
        if not err <= 1e-5:
            sys.exit(f"the harness does not reproduce the shared fixture {name} ({err}); nothing written")


# ------------------------------------------------------------------------------------------ randomise

class Randomizer:
    def __init__(self, seed, extreme):
        self.g = torch.Generator().manual_seed(seed)
        self.extreme = extreme
        self.compact = {}   # state-dict key -> (base storage tensor, size, stride)

    def normal(self, shape, std, mean=0.0):
        return torch.randn(*shape, generator=self.g) * std + mean

    def uniform(self, shape, lo, hi):
        return torch.rand(*shape, generator=self.g) * (hi - lo) + lo

    def conv_weight(self, key, w, std):
        if w.numel() < COMPACT_MIN_NUMEL:
            return self.normal(w.shape, std)
        fan = w[0].numel()
        base = self.normal((COMPACT_STRIDE * (w.shape[0] - 1) + fan,), std)
        size = tuple(w.shape)
        stride = (COMPACT_STRIDE,) + tuple(w[0].stride())
        self.compact[key] = (base, size, stride)
        return base.as_strided(size, stride).clone()

    def apply(self, model):
        done = set()

        def put(key, value):
            p = dict(model.named_parameters())[key]
            assert p.shape == value.shape, key
            with torch.no_grad():
                p.copy_(value)
            done.add(key)

        for name, m in model.named_modules():
            pre = name + "." if name else ""
            if isinstance(m, nn.Conv2d):
                fan = m.in_channels // m.groups * m.kernel_size[0] * m.kernel_size[1]
                std = (3.0 if name.endswith("attention.1") else 1.0) / math.sqrt(fan)
                put(pre + "weight", self.conv_weight(pre + "weight", m.weight, std))
                if m.bias is not None:
                    put(pre + "bias", self.normal(m.bias.shape, 0.1))
            elif isinstance(m, nn.Linear):
                put(pre + "weight", self.normal(m.weight.shape, 1.0 / math.sqrt(m.in_features)))
                if m.bias is not None:
                    put(pre + "bias", self.normal(m.bias.shape, 0.1))
            elif isinstance(m, nn.LayerNorm):
                put(pre + "weight", self.normal(m.weight.shape, 0.1, 1.0))
                put(pre + "bias", self.normal(m.bias.shape, 0.1))
            elif type(m).__name__ == "SS2D":
                e, r = m.d_inner, m.dt_rank
                put(pre + "x_proj_weight", self.normal(m.x_proj_weight.shape, 1.0 / math.sqrt(e)))
                put(pre + "dt_projs_weight", self.uniform(m.dt_projs_weight.shape, -r ** -0.5, r ** -0.5))
                dt_max, a_max = (50.0, 200.0) if self.extreme else (0.5, 20.0)
                dt = torch.exp(self.uniform(m.dt_projs_bias.shape, math.log(1e-3), math.log(dt_max)))
                put(pre + "dt_projs_bias", dt + torch.log(-torch.expm1(-dt)))
                put(pre + "A_logs", torch.log(self.uniform(m.A_logs.shape, 0.5, a_max)))
                put(pre + "Ds", self.normal(m.Ds.shape, 0.5, 1.0))
            elif type(m).__name__ == "VSSBlock":
                put(pre + "skip_scale", self.uniform(m.skip_scale.shape, 0.5, 1.5))
                put(pre + "skip_scale2", self.uniform(m.skip_scale2.shape, 0.5, 1.5))
        missed = [k for k, _ in model.named_parameters() if k not in done]
        assert not missed, f"parameters not randomised: {missed}"

    def calibrate_channel_attention(self, model, x):
        """Sets each squeeze bias so its hidden units are U(0.5, 1.5) before the ReLU, in forward order."""
        count = [0]

        def hook(conv, inputs):
            with torch.no_grad():
                pre_act = F.conv2d(inputs[0], conv.weight).flatten()
                conv.bias.copy_(self.uniform(pre_act.shape, 0.5, 1.5) - pre_act)
            count[0] += 1

        convs = [m.attention[1] for m in model.modules() if type(m).__name__ == "ChannelAttention"]
        handles = [c.register_forward_pre_hook(hook) for c in convs]
        forward(model, x)
        for h in handles:
            h.remove()
        assert count[0] == len(convs)
        return count[0]

    def round_to_half(self, model):
        """Puts every weight (and every compact storage) on the float16 grid, so the half checkpoint is exact."""
        with torch.no_grad():
            for p in model.parameters():
                p.copy_(p.half().float())
        self.compact = {k: (b.half().float(), size, stride) for k, (b, size, stride) in self.compact.items()}

    @staticmethod
    def calibrate_final(model, x, layer, target_std):
        """Rescales the final conv: zero mean per output channel (when it has a bias) and std target_std."""
        conv = dict(model.named_modules())[layer]
        seen = {}
        handle = conv.register_forward_hook(lambda m, i, o: seen.setdefault("out", o))
        forward(model, x)
        handle.remove()
        out = seen["out"]
        mean_c = out.mean(dim=(0, 2, 3))
        centred = out - mean_c.view(1, -1, 1, 1) if conv.bias is not None else out
        std = float(centred.std())
        s = target_std / std
        with torch.no_grad():
            conv.weight.mul_(s)
            if conv.bias is not None:
                conv.bias.copy_((conv.bias - mean_c) * s)
        return {"final_layer": layer, "scale": s, "pre_scale_std": std, "target_std": target_std}


def final_layer(spec):
    if spec["arch"] == "MambaIRUNet":
        return "output", RESIDUAL_TARGET_STD
    up = spec["kwargs"]["upsampler"]
    if up == "pixelshuffle":
        return "conv_last", SR_TARGET_STD
    if up == "pixelshuffledirect":
        return "upsample.0", SR_TARGET_STD
    return "conv_last", RESIDUAL_TARGET_STD


def make_input(seed, channels, h, w):
    """A smooth random pattern plus noise, quantised to k/255 like an 8-bit image."""
    g = torch.Generator().manual_seed(seed)
    yy, xx = torch.meshgrid(torch.linspace(0, 1, h), torch.linspace(0, 1, w), indexing="ij")
    img = torch.full((channels, h, w), 0.5)
    for c in range(channels):
        for _ in range(3):
            fy, fx, phase = (torch.rand(3, generator=g) * torch.tensor([3.0, 3.0, 2 * math.pi])).tolist()
            img[c] += 0.15 * torch.sin(2 * math.pi * (fy * yy + fx * xx) + phase)
    img += torch.randn(channels, h, w, generator=g) * 0.08
    k = torch.round(img.clamp(0, 1) * 255)
    return (k / 255).unsqueeze(0).float()


# ------------------------------------------------------------------------------------------------ checks

def sensitivity(model, x):
    """Max output change when each tensor alone gets += 0.1*(mean|v|+1e-3)*n (n unit-RMS noise)."""
    ref = forward(model, x)
    g = torch.Generator().manual_seed(12345)
    changes = []
    for key, p in model.named_parameters():
        saved = p.detach().clone()
        n = torch.randn(p.shape, generator=g)
        n = n / n.pow(2).mean().sqrt()
        with torch.no_grad():
            p.add_(0.1 * (saved.abs().mean() + 1e-3) * n)
        changes.append((key, float((forward(model, x) - ref).abs().max())))
        with torch.no_grad():
            p.copy_(saved)
    changes.sort(key=lambda kv: kv[1])
    return changes


def state_dict_to_save(model, compact):
    """model.state_dict() (an OrderedDict with _metadata) with float16 tensors; compact ones as strided views."""
    sd = model.state_dict()
    for key in sd:
        if key in compact:
            base, size, stride = compact[key]
            view = base.half().as_strided(size, stride)
            assert torch.equal(view.float(), sd[key]), key
            sd[key] = view
        else:
            half = sd[key].half()
            assert torch.equal(half.float(), sd[key]), key
            sd[key] = half
    return sd


def derived(model, spec):
    blocks = [m for m in model.modules() if type(m).__name__ == "SS2D"]
    widths = {}
    for b in blocks:
        widths[b.d_model] = {"d_model": b.d_model, "d_inner": b.d_inner, "dt_rank": b.dt_rank, "d_state": b.d_state}
    out = {"num_vss_blocks": len(blocks), "ss2d": [widths[k] for k in sorted(widths)]}
    if spec["arch"] == "MambaIR":
        out["is_light_sr"] = model.is_light_sr
        out["mean"] = model.mean.flatten().tolist()
    else:
        out["hw_multiple_of"] = 8
    return out


def generate(archs, spec):
    d = os.path.join(OUT, spec["name"])
    os.makedirs(d, exist_ok=True)
    h, w = spec["hw"]
    channels = spec["kwargs"].get("in_chans", spec["kwargs"].get("inp_channels"))
    x = make_input(spec["seed"] + 1000, channels, h, w)

    torch.manual_seed(spec["seed"])            # the official constructor's own initialisation (all overwritten)
    model = archs[spec["arch"]](**spec["kwargs"]).eval()
    rnd = Randomizer(spec["seed"], spec["extreme"])
    rnd.apply(model)
    ca = rnd.calibrate_channel_attention(model, x)
    layer, target = final_layer(spec)
    calibration = rnd.calibrate_final(model, x, layer, target)
    calibration["channel_attention_squeeze_biases_set"] = ca
    rnd.round_to_half(model)
    for key, (base, size, stride) in rnd.compact.items():
        assert key != layer + ".weight", "the final conv is rescaled, so it must stay dense"

    y = forward(model, x)
    y64 = forward(model, x, torch.float64)
    chunked = forward(model, x, chunked=True)
    path = os.path.join(d, "model.pth")
    torch.save({"params": state_dict_to_save(model, rnd.compact)}, path)

    fresh = archs[spec["arch"]](**spec["kwargs"]).eval()
    fresh.load_state_dict(torch.load(path, map_location="cpu")["params"], strict=True)
    reload_diff = float((forward(fresh, x) - y).abs().max())
    assert reload_diff == 0.0, reload_diff
    changes = sensitivity(model, x)
    dead = [k for k, v in changes if v < 1e-5]
    assert not dead, f"{spec['name']}: tensors without effect: {dead}"
    assert torch.isfinite(y).all()

    np.save(os.path.join(d, "input.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(d, "output.npy"), y.numpy().astype(np.float32))
    randomization = dict(RANDOMIZATION)
    if spec["extreme"]:
        randomization.update(EXTREME_SCAN)
    config = {
        "case": spec["name"],
        "description": spec["description"],
        "arch": spec["arch"],
        "arch_file": "basicsr/archs/mambair_arch.py" if spec["arch"] == "MambaIR"
        else "realDenoising/basicsr/models/archs/mambairunet_arch.py",
        "official_commit": "33d7b3460c4665229334cc8de38c7f4c766ed3be",
        "kwargs": spec["kwargs"],
        "derived": derived(model, spec),
        "input_shape": list(x.shape),
        "output_shape": list(y.shape),
        "input_encoding": "input.npy = uint8 / 255 (float32): a smooth random pattern plus noise",
        "output": "official forward in eval mode, float32 selective scan (mamba_ssm reference semantics), not clamped",
        "seeds": {"params": spec["seed"], "input": spec["seed"] + 1000},
        "randomization": randomization,
        "checkpoint": {
            "file": "model.pth",
            "format": "torch.save({'params': state_dict}) zip (default), state_dict an OrderedDict with _metadata",
            "dtype": "float16 (every weight was rounded to float16 before the official float32 forward)",
            "compact_storage": {k: {"storage_numel": b.numel(), "size": list(s), "stride": list(st)}
                                for k, (b, s, st) in rnd.compact.items()},
        },
        "calibration": calibration,
        "param_count": sum(p.numel() for p in model.parameters()),
        "state_dict_tensors": len(model.state_dict()),
        "output_stats": {"min": float(y.min()), "max": float(y.max()), "mean": float(y.mean()), "std": float(y.std())},
        "checks": {
            "reload_max_abs_diff": reload_diff,
            "float64_scan_vs_float32_scan_max_abs_diff": float((y64 - y).abs().max()),
            "chunked_float64_scan_vs_sequential_max_abs_diff": float((chunked - y).abs().max()),
            "sensitivity": {
                "perturbation": "each tensor += 0.1*(mean|v|+1e-3)*n, n = N(0,1) noise scaled to unit RMS; "
                                "one tensor at a time; value = max |output change|",
                "tensors_checked": len(changes),
                "tensors_without_effect": dead,
                "smallest_max_abs_output_change": changes[:5],
                "threshold_asserted": 1e-5,
            },
        },
        "torch_version": torch.__version__,
    }
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
    size = sum(os.path.getsize(os.path.join(d, n)) for n in os.listdir(d))
    print(f"{spec['name']}: output {tuple(y.shape)} range [{float(y.min()):.3f}, {float(y.max()):.3f}], "
          f"f64-f32 scan {config['checks']['float64_scan_vs_float32_scan_max_abs_diff']:.1e}, "
          f"least sensitive {changes[0][1]:.1e}, {size / 1024:.0f} KiB")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("official_dir", help="folder holding mambair_arch.py and mambairunet_arch.py")
    ap.add_argument("--fixtures", help="shared fixtures/official folder: check the harness against it first")
    ap.add_argument("--only", nargs="*", help="generate only these cases")
    args = ap.parse_args()
    torch.set_num_threads(1)   # the many tiny per-step ops of the sequential scan run fastest on one thread
    archs = load_official(args.official_dir)
    if args.fixtures:
        check_shared_fixtures(archs, args.fixtures)
    for spec in VARIANTS:
        if not args.only or spec["name"] in args.only:
            generate(archs, spec)


if __name__ == "__main__":
    main()
