#!/usr/bin/python3
"""Writes the small checkpoint test resources under src/test/resources/checkpoint/.

Run with the Debian Python 3 + PyTorch 1.13 (the tests themselves need no Python):
    /usr/bin/python3 model-runtime/src/test/python/make_checkpoint_fixtures.py

Good checkpoints are written by the real torch.save; each has a companion *.expected.json holding, per
state-dict key, the shape and the float32 values as torch itself converts them (tensor.float().tolist()),
so the Java reader is checked against torch, not against itself. Hostile and broken files are written
with Python's own pickle/zipfile in the layout torch.save uses.
"""
import collections
import io
import json
import os
import pickle
import struct
import zipfile

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "checkpoint")
# The command the malicious pickles would run if anything executed them; the Java test checks it never appears.
MARKER = "/tmp/mambair-malicious-checkpoint-marker"


def path(name):
    return os.path.join(OUT, name)


def expected(name, state):
    """Writes the float32 values torch gives for every tensor of a flat state dict."""
    doc = {k: {"shape": list(v.shape), "values": v.detach().float().flatten().tolist()} for k, v in state.items()}
    with open(path(name), "w") as f:
        json.dump(doc, f, indent=0)


def gen(seed):
    g = torch.Generator().manual_seed(seed)
    return lambda *shape: torch.randn(*shape, generator=g)


def views():
    """float32 tensors that are non-contiguous views, offset views and views sharing one storage."""
    r = gen(1)
    base = r(4, 6)
    other = r(3, 5, 2)
    state = collections.OrderedDict()
    state["contiguous"] = r(2, 3, 3, 3)
    state["transposed"] = base.t()                 # stride (1, 6)
    state["offset_rows"] = base[1:3]               # storage_offset 6, shares base's storage
    state["every_other_column"] = base[:, ::2]     # stride (6, 2)
    state["whole_base"] = base                     # the shared storage itself
    state["permuted"] = other.permute(2, 0, 1)     # 3-d non-contiguous
    state["narrow_offset"] = other[1, 2:, 1]       # offset + stride, 1-d
    state["scalar_like"] = torch.tensor([0.25])
    state["empty"] = torch.zeros(0, 4)
    assert not state["transposed"].is_contiguous() and state["offset_rows"].storage_offset() == 6
    torch.save({"params": state}, path("views.pth"))
    expected("views.expected.json", state)


def dtypes():
    """float16, bfloat16 and float64 storages (plus a half-precision strided view)."""
    r = gen(2)
    half = (r(5, 4) * 3).half()
    state = collections.OrderedDict()
    state["half"] = half
    state["half_transposed"] = half.t()
    state["bfloat16"] = (r(3, 7) * 100).bfloat16()
    state["double"] = r(2, 2, 3).double() / 7
    state["float"] = r(6)
    state["half_extremes"] = torch.tensor([65504.0, -65504.0, 6.1e-05, 5.96e-08, 0.0, -0.0, 1.0 / 3], dtype=torch.float16)
    torch.save({"params": state}, path("dtypes.pth"))
    expected("dtypes.expected.json", state)


class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv_first = torch.nn.Conv2d(3, 4, 3, padding=1)
        self.norm = torch.nn.LayerNorm(4)


def wrappers():
    """BasicSR-style key handling: params_ema preferred, module. prefixes, plain state dicts, Parameters."""
    torch.manual_seed(3)
    ema = torch.nn.DataParallel(Tiny())  # real DataParallel state dict: keys start with "module."
    plain = Tiny()
    ema_state = ema.state_dict()
    assert all(k.startswith("module.") for k in ema_state)
    torch.save({"params": plain.state_dict(), "params_ema": ema_state}, path("params_ema_module.pth"))
    expected("params_ema_module.expected.json", collections.OrderedDict((k[len("module."):], v) for k, v in ema_state.items()))

    torch.save(plain.state_dict(), path("plain_state_dict.pth"))
    expected("plain_state_dict.expected.json", plain.state_dict())

    params = collections.OrderedDict(plain.named_parameters())  # torch.nn.Parameter -> _rebuild_parameter
    torch.save({"params": params}, path("parameters.pth"))
    expected("parameters.expected.json", params)

    torch.save({"state_dict": plain.state_dict(), "epoch": 7}, path("wrong_top_level_key.pth"))
    torch.save({"params": {"conv_first.weight": torch.ones(2, 2), "iteration": 5}}, path("non_tensor_value.pth"))
    torch.save({"params": {"counter": torch.arange(4)}}, path("int64_tensor.pth"))
    torch.save({"params": plain.state_dict()}, path("legacy_format.pth"), _use_new_zipfile_serialization=False)

    with zipfile.ZipFile(path("params_ema_module.pth")) as src, \
            zipfile.ZipFile(path("compressed_entries.pth"), "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED)


class SystemCall:
    def __reduce__(self):
        return os.system, ("touch " + MARKER,)


class EvalCall:
    def __reduce__(self):
        return eval, ("__import__('os').system('touch " + MARKER + "')",)


def malicious():
    """Real torch.save files whose pickle calls os.system / eval when loaded by an unsafe unpickler."""
    torch.save({"params": collections.OrderedDict([("conv_first.weight", torch.ones(2, 2)), ("conv_first.bias", SystemCall())])},
               path("malicious_os_system.pth"))
    torch.save({"params": {"conv_first.weight": torch.ones(2)}, "hook": EvalCall()}, path("malicious_eval.pth"))
    # Protocol 4 names globals with STACK_GLOBAL instead of GLOBAL.
    torch.save({"params": {"w": torch.ones(2), "x": SystemCall()}}, path("malicious_protocol4.pth"), pickle_protocol=4)
    # INST (protocol 0) instantiates a class named inline: MARK, "true", INST os system, STOP.
    raw_pickle_zip("malicious_inst.pth", b"(X\x04\x00\x00\x00trueios\nsystem\n.")


class _Storage:
    """Stand-in for a storage; persistent_id turns it into torch's ('storage', ...) record."""

    def __init__(self, key, numel, storage_type=torch.FloatStorage):
        self.key, self.numel, self.storage_type = key, numel, storage_type


class _Tensor:
    def __init__(self, storage, offset, size, stride):
        self.args = (storage, offset, size, stride, False, collections.OrderedDict())

    def __reduce__(self):
        return torch._utils._rebuild_tensor_v2, self.args


class _TorchPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, _Storage):
            return ("storage", obj.storage_type, obj.key, "cpu", obj.numel)
        return None


def _put(z, name, data):
    """Adds a stored entry with a fixed timestamp, so regenerating gives identical files."""
    z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)


def raw_pickle_zip(name, pickle_bytes):
    archive = os.path.splitext(name)[0]
    with zipfile.ZipFile(path(name), "w", zipfile.ZIP_STORED) as z:
        _put(z, archive + "/data.pkl", pickle_bytes)
        _put(z, archive + "/version", "3\n")


def torch_like_zip(name, state, storages, byteorder=None):
    """A zip laid out like torch.save output (archive/data.pkl, archive/data/<key>, archive/version)."""
    buf = io.BytesIO()
    _TorchPickler(buf, protocol=2).dump({"params": state})
    archive = os.path.splitext(name)[0]
    with zipfile.ZipFile(path(name), "w", zipfile.ZIP_STORED) as z:
        _put(z, archive + "/data.pkl", buf.getvalue())
        for key, data in storages.items():
            _put(z, archive + "/data/" + key, data)
        _put(z, archive + "/version", "3\n")
        if byteorder:
            _put(z, archive + "/byteorder", byteorder)


def hostile_layouts():
    """Declared sizes that do not fit the stored bytes: absurd numel and a view past its storage's end."""
    four_floats = struct.pack("<4f", 1, 2, 3, 4)
    torch_like_zip("absurd_numel.pth", {"w": _Tensor(_Storage("0", 1 << 40), 0, (2, 2), (2, 1))}, {"0": four_floats})
    torch_like_zip("absurd_tensor_size.pth", {"w": _Tensor(_Storage("0", 4), 0, (1 << 20, 1 << 20), (0, 0))},
                   {"0": four_floats})
    torch_like_zip("view_out_of_bounds.pth", {"w": _Tensor(_Storage("0", 4), 2, (2, 2), (2, 1))}, {"0": four_floats})
    torch_like_zip("missing_storage.pth", {"w": _Tensor(_Storage("7", 4), 0, (4,), (1,))}, {"0": four_floats})
    # A torch-like zip produced by our own pickler must read back exactly (guards the helper above).
    torch_like_zip("handmade_ok.pth", {"w": _Tensor(_Storage("0", 4), 1, (3,), (1,))}, {"0": four_floats})
    # torch >= 2.1 records the byte order; a big-endian writer stores big-endian elements.
    torch_like_zip("big_endian.pth", {"w": _Tensor(_Storage("0", 4), 1, (3,), (1,))}, {"0": struct.pack(">4f", 1, 2, 3, 4)}, "big")


def protocol4():
    """A good checkpoint pickled with protocol 4 (STACK_GLOBAL, FRAME, MEMOIZE)."""
    state = collections.OrderedDict([("a", gen(5)(2, 3)), ("b", gen(6)(4).half())])
    torch.save({"params": state}, path("protocol4.pth"), pickle_protocol=4)
    expected("protocol4.expected.json", state)


def safetensors():
    """A .safetensors file written per the format spec (the safetensors package is not installed here):
    8-byte little-endian header length, JSON header {name: {dtype, shape, data_offsets}}, raw LE data."""
    r = gen(4)
    state = collections.OrderedDict()
    state["module.f32"] = r(3, 4)
    state["f16"] = (r(2, 5) * 2).half()
    state["bf16"] = (r(4,) * 50).bfloat16()
    state["f64"] = r(2, 3).double() / 3
    names = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64"}
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for k, v in state.items():
        raw = v.contiguous().view(torch.uint8).numpy().tobytes() if v.dtype != torch.bfloat16 \
            else v.contiguous().view(torch.int16).numpy().tobytes()
        header[k] = {"dtype": names[v.dtype], "shape": list(v.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path("tensors.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
    expected("tensors.expected.json", collections.OrderedDict((k.replace("module.", ""), v) for k, v in state.items()))


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    views()
    dtypes()
    wrappers()
    malicious()
    hostile_layouts()
    protocol4()
    safetensors()
    assert not os.path.exists(MARKER)
    for name in sorted(os.listdir(OUT)):
        print(f"{os.path.getsize(path(name)):8d}  {name}")
