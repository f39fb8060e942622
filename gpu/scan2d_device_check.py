"""Device check of the CUDA SelectiveScan2D on a GPU machine with PyTorch and NumPy (no Java, no CUDA toolkit).

Loads the build's PTX (model-runtime/target/cuda/scan2d_kernel.ptx) through the CUDA driver API (ctypes on
libcuda.so.1), launches the seven kernels with the schedule of scan2d_plan.h on PyTorch-allocated memory on a
PyTorch stream (what ONNX Runtime's CUDA provider hands the operator), checks them against the float64 NumPy
reference and times one SS2D call for 16 classic-SR tiles of 64x64 and for one light-SR tile. Writes JSON.

  python3 scan2d_device_check.py --ptx PTX --out RESULT.json
  python3 scan2d_device_check.py --print-plan B E N H W [CHUNK]     (CPU only: the launch schedule as JSON)
"""
import argparse
import ctypes
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

TOLERANCE = 2e-5
SCAN_THREADS = 128           # kMambairScanThreads
TARGET_THREADS = 1 << 17     # kMambairTargetThreads
MIN_CHUNK = 8                # kMambairMinChunk
VARIANTS = {16: "n16", 10: "n10"}


def ceil_div(a, b):
    return (a + b - 1) // b


def plan(batch, channels, states, height, width, chunk_override=0):
    """mambair_scan2d_plan: per axis (chunk, segments), chunk_capacity and the scratch sizes in floats."""
    chunks, segments, capacity = [], [], 0
    for axis in (0, 1):
        lines, line_length = (height, width) if axis == 0 else (width, height)
        chunk = chunk_override
        if chunk <= 0:
            wanted = ceil_div(TARGET_THREADS, batch * 2 * channels * lines)
            most = ceil_div(line_length, MIN_CHUNK)
            chunk = ceil_div(line_length, min(wanted, most))
        chunk = min(chunk, line_length)
        chunks.append(chunk)
        segments.append(ceil_div(line_length, chunk))
        capacity = max(capacity, lines * segments[-1])
    return dict(chunk=chunks, segments=segments, chunk_capacity=capacity,
                y_dirs_floats=batch * 4 * channels * height * width,
                chunk_h_floats=batch * 4 * channels * states * capacity,
                chunk_dt_floats=batch * 4 * channels * capacity)


def schedule(batch, channels, states, height, width, p):
    """mambair_scan2d_schedule: the seven launches as (kernel, grid, block, axis, chunk, segments)."""
    if not 1 <= states <= 32:
        raise ValueError("d_state %d has no kernel (1..32)" % states)
    variant = VARIANTS.get(states, "nx")
    out = []
    for axis in (0, 1):
        lines = height if axis == 0 else width
        scan_blocks = ceil_div(batch * 2 * channels * lines * p["segments"][axis], SCAN_THREADS)
        carry_blocks = ceil_div(batch * 2 * channels * states, SCAN_THREADS)
        for kernel, blocks in (("chunk_end_" + variant, scan_blocks), ("carry", carry_blocks),
                               ("chunk_out_" + variant, scan_blocks)):
            out.append(dict(kernel="mambair_scan2d_" + kernel, grid=[blocks, 1, 1], block=[SCAN_THREADS, 1, 1],
                            axis=axis, chunk=p["chunk"][axis], segments=p["segments"][axis]))
    out.append(dict(kernel="mambair_scan2d_merge", grid=[ceil_div(height * width, 32), ceil_div(channels, 32), batch],
                    block=[32, 8, 1], axis=0, chunk=0, segments=0))
    return out


class Args(ctypes.Structure):
    """MambairScan2DArgs (scan2d_args.h)."""
    _fields_ = [(name, ctypes.c_void_p) for name in
                ("u", "delta", "a", "bs", "cs", "ds", "delta_bias", "y", "y_dirs", "chunk_h", "chunk_dt")] + \
               [(name, ctypes.c_int64) for name in
                ("batch", "channels", "states", "height", "width", "axis", "chunk", "segments", "chunk_capacity")]


class Driver:
    """The driver API functions the check needs, from libcuda.so.1."""

    def __init__(self):
        self.lib = ctypes.CDLL("libcuda.so.1")
        self.check(self.lib.cuInit(0), "cuInit")

    def check(self, result, call):
        if result != 0:
            text = ctypes.c_char_p()
            self.lib.cuGetErrorString(result, ctypes.byref(text))
            raise RuntimeError("%s failed: %s (code %d)" % (call, (text.value or b"?").decode(), result))

    def version(self):
        v = ctypes.c_int()
        self.check(self.lib.cuDriverGetVersion(ctypes.byref(v)), "cuDriverGetVersion")
        return v.value

    def load(self, ptx):
        """cuModuleLoadDataEx in the current (PyTorch's primary) context, with the JIT error log on failure."""
        module = ctypes.c_void_p()
        log = ctypes.create_string_buffer(8192)
        keys = (ctypes.c_int * 2)(5, 6)  # CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES
        values = (ctypes.c_void_p * 2)(ctypes.cast(log, ctypes.c_void_p), ctypes.c_void_p(len(log)))
        result = self.lib.cuModuleLoadDataEx(ctypes.byref(module), ctypes.c_char_p(ptx + b"\0"), 2, keys, values)
        if result != 0:
            raise RuntimeError("PTX JIT failed (code %d): %s" % (result, log.value.decode(errors="replace")))
        return module

    def function(self, module, name):
        f = ctypes.c_void_p()
        self.check(self.lib.cuModuleGetFunction(ctypes.byref(f), module, name.encode()), "cuModuleGetFunction " + name)
        return f

    def launch(self, function, grid, block, args, stream):
        params = (ctypes.c_void_p * 1)(ctypes.addressof(args))
        self.check(self.lib.cuLaunchKernel(function, grid[0], grid[1], grid[2], block[0], block[1], block[2], 0,
                                           ctypes.c_void_p(stream), params, None), "cuLaunchKernel")


class Scan2D:
    """One problem's tensors on the GPU and its launches, ready to run on a PyTorch stream."""

    def __init__(self, torch, driver, module, inputs):
        self.torch, self.driver = torch, driver
        b, e, h, w = inputs["u"].shape
        n = inputs["a"].shape[1]
        self.shape = (b, e, n, h, w)
        self.tensors = {k: torch.from_numpy(v).cuda() for k, v in inputs.items()}
        self.y = torch.empty((b, h, w, e), device="cuda", dtype=torch.float32)
        p = plan(b, e, n, h, w)
        self.plan = p
        self.scratch = torch.empty(p["y_dirs_floats"] + p["chunk_h_floats"] + p["chunk_dt_floats"], device="cuda",
                                   dtype=torch.float32)
        base = self.scratch.data_ptr()
        pointers = dict((k, t.data_ptr()) for k, t in self.tensors.items())
        self.launches = []
        for l in schedule(b, e, n, h, w, p):
            args = Args(pointers["u"], pointers["delta"], pointers["a"], pointers["bs"], pointers["cs"],
                        pointers["ds"], pointers["delta_bias"], self.y.data_ptr(), base,
                        base + 4 * p["y_dirs_floats"], base + 4 * (p["y_dirs_floats"] + p["chunk_h_floats"]),
                        b, e, n, h, w, l["axis"], l["chunk"], l["segments"], p["chunk_capacity"])
            self.launches.append((driver.function(module, l["kernel"]), l["grid"], l["block"], args))

    def run(self, stream):
        for function, grid, block, args in self.launches:
            self.driver.launch(function, grid, block, args, stream.cuda_stream)

    def time_ms(self, stream, iterations):
        torch = self.torch
        for _ in range(3):
            self.run(stream)
        times = []
        for _ in range(iterations):
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record(stream)
            self.run(stream)
            end.record(stream)
            end.synchronize()
            times.append(start.elapsed_time(end))
        times.sort()
        return dict(median_ms=times[len(times) // 2], min_ms=times[0], iterations=iterations)


ACCURACY_CASES = [  # B, E, N, H, W, |A| max, delta range
    (2, 360, 16, 64, 64, 16.0, (-4.0, 2.0)),
    (1, 72, 10, 64, 64, 16.0, (-4.0, 2.0)),
    (3, 216, 16, 17, 9, 16.0, (-4.0, 2.0)),
    (16, 96, 16, 7, 13, 16.0, (-4.0, 2.0)),
    (1, 80, 16, 16, 24, 1e4, (-30.0, 60.0)),
    (1, 40, 7, 6, 9, 16.0, (-4.0, 2.0)),
]
TIMING_CASES = [("classic SR x2, 16 tiles 64x64", (16, 360, 16, 64, 64)), ("light SR x2, 1 tile 64x64", (1, 72, 10, 64, 64))]


def device_check(ptx_path, out_path):
    import numpy as np
    import torch
    import scan2d_reference as reference

    started = time.time()
    result = dict(ptx=ptx_path, tolerance=TOLERANCE, accuracy=[], timing=[])
    torch.cuda.init()
    stream = torch.cuda.Stream()
    result["gpu"] = torch.cuda.get_device_name()
    result["torch"] = torch.__version__
    with torch.cuda.stream(stream):
        torch.zeros(1, device="cuda")  # makes PyTorch's primary context current on this thread
        driver = Driver()
        result["driver_version"] = driver.version()
        with open(ptx_path, "rb") as f:
            ptx = f.read()
        result["ptx_header"] = [l for l in ptx.decode().splitlines() if l.startswith((".version", ".target"))]
        module = driver.load(ptx)
        rng = np.random.default_rng(2026)
        for b, e, n, h, w, a_max, delta_range in ACCURACY_CASES:
            inputs = reference.random_inputs(rng, b, e, n, h, w, a_max, delta_range)
            problem = Scan2D(torch, driver, module, inputs)
            problem.run(stream)
            stream.synchronize()
            y = problem.y.cpu().numpy().astype(np.float64)
            expected = reference.scan2d(**inputs)
            error = float(np.max(np.abs(y - expected)) / np.max(np.abs(expected)))
            result["accuracy"].append(dict(shape=dict(B=b, E=e, N=n, H=h, W=w), a_max=a_max, delta=delta_range,
                                           plan=problem.plan, max_error_of_scale=error, ok=bool(error <= TOLERANCE)))
        for name, (b, e, n, h, w) in TIMING_CASES:
            inputs = reference.random_inputs(rng, b, e, n, h, w, 16.0, (-4.0, 2.0))
            problem = Scan2D(torch, driver, module, inputs)
            entry = dict(name=name, shape=dict(B=b, E=e, N=n, H=h, W=w), plan=problem.plan)
            entry.update(problem.time_ms(stream, 50))
            result["timing"].append(entry)
    result["ok"] = all(c["ok"] for c in result["accuracy"])
    result["seconds"] = round(time.time() - started, 1)
    with open(out_path, "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps(result, indent=2))
    return 0 if result["ok"] else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ptx")
    parser.add_argument("--out")
    parser.add_argument("--print-plan", nargs="+", type=int, metavar="B E N H W [CHUNK]")
    a = parser.parse_args()
    if a.print_plan:
        b, e, n, h, w = a.print_plan[:5]
        p = plan(b, e, n, h, w, a.print_plan[5] if len(a.print_plan) > 5 else 0)
        print(json.dumps(dict(plan=p, launches=schedule(b, e, n, h, w, p)), sort_keys=True))
        return 0
    if not a.ptx or not a.out:
        parser.error("--ptx and --out are required")
    return device_check(a.ptx, a.out)


if __name__ == "__main__":
    sys.exit(main())
