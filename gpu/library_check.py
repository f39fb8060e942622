"""Checks the shipped libmambair_scan.so's CUDA SelectiveScan2D (launcher and embedded PTX) through a stand-in of
ONNX Runtime's kernel API (ort_standin.py) on the CUDA driver: real device memory and streams on a GPU, or the
test's fake libcuda.so.1 (model-runtime/src/test/native/cuda_fake_driver) without one. No Java, ORT or CUDA toolkit.

  python3 library_check.py --lib libmambair_scan.so [--out DIR] [--small] [--timing] [--jit-report PTX] [--fault F]
                           [--ort-api 17]

Cases: results against the float64 reference (scan2d_reference.py) and the library's CPU operator; the context
current on the calling thread (none, the stream's, another one); a second context; a null stream; two runs on two
streams back to back sharing the scratch pool; two threads at once; a failed allocation; shape errors; with
--timing one SS2D call for 16 classic 64x64 tiles (CUDA events); with --jit-report the JIT's registers and spills.
--fault jit|launch|sticky (with the fake driver's FAKE_CUDA_* faults set) checks how a failure is reported.
Prints one line per case, "CASE <id> ok|FAIL <detail>", appends each result to DIR/library-check.jsonl as it
finishes (a timeout keeps what ran) and writes DIR/library-check.json. Exit 0 when every case met its expectation.
"""
import argparse
import ctypes as C
import json
import os
import re
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ort_standin as ort  # noqa: E402

TOLERANCE = 2e-5
NAMES = ["u", "delta", "a", "bs", "cs", "ds", "delta_bias"]


class Check:
    def __init__(self, args, np, reference):
        self.a, self.np, self.reference = args, np, reference
        self.cuda = ort.Cuda()
        self.rng = np.random.default_rng(2026)
        self.results = []
        out = args.out or os.environ.get("OUT") or "."
        os.makedirs(out, exist_ok=True)
        self.jsonl = os.path.join(out, "library-check.jsonl")
        self.json = os.path.join(out, "library-check.json")
        open(self.jsonl, "w").close()
        dev = C.c_int()
        self.cuda.check(self.cuda.lib.cuDeviceGet(C.byref(dev), 0), "cuDeviceGet")
        self.primary = self.context_of(0)
        name = C.create_string_buffer(128)
        self.cuda.lib.cuDeviceGetName(name, 128, dev)
        version = C.c_int()
        self.cuda.lib.cuDriverGetVersion(C.byref(version))
        self.header = dict(device=name.value.decode(), driver=version.value, lib=args.lib)
        self.standin = ort.OrtStandIn(self.cuda, args.ort_api)
        ops = self.standin.register(args.lib)
        self.header["ops"] = sorted("%s on %s" % k for k in ops)
        if ("SelectiveScan2D", "CUDAExecutionProvider") not in ops:
            raise SystemExit("no CUDA SelectiveScan2D registered (library built without its PTX?): %s" % self.header["ops"])
        self.gpu_op = self.standin.kernel(ops[("SelectiveScan2D", "CUDAExecutionProvider")])
        self.cpu_op = self.standin.kernel(ops[("SelectiveScan2D", "CPU")])
        self.pool = ort.Pool(self.cuda, self.primary)
        self.log(dict(step="start", **self.header))

    def context_of(self, ordinal):
        dev, ctx = C.c_int(), C.c_void_p()
        if self.cuda.lib.cuDeviceGet(C.byref(dev), ordinal) != 0:
            return None
        self.cuda.check(self.cuda.lib.cuDevicePrimaryCtxRetain(C.byref(ctx), dev), "cuDevicePrimaryCtxRetain")
        return ctx.value

    def log(self, entry):
        with open(self.jsonl, "a") as f:
            f.write(json.dumps(entry) + "\n")

    def report(self, case, ok, **detail):
        entry = dict(case=case, ok=bool(ok), **detail)
        self.results.append(entry)
        self.log(entry)
        print("CASE %s %s %s" % (case, "ok" if ok else "FAIL", json.dumps(detail)[:600]), flush=True)

    # problems
    def inputs(self, b, e, n, h, w):
        return self.reference.random_inputs(self.rng, b, e, n, h, w, 16.0, (-4.0, 2.0))

    def device_call(self, inputs, ctx, stream, pool=None, dims=None):
        arrays = [self.np.ascontiguousarray(inputs[k], self.np.float32) for k in NAMES]
        pointers = [self.cuda.upload(ctx, x) for x in arrays]
        return ort.Call(pointers, dims or [list(x.shape) for x in arrays], ctx, stream, pool or ort.Pool(self.cuda, ctx))

    def output(self, call):
        p, dims = call.output[0], call.output[1]
        y = self.np.empty(dims, self.np.float32)
        return self.cuda.download(call.device, p, y).astype(self.np.float64)

    def cpu_result(self, inputs):
        arrays = [self.np.ascontiguousarray(inputs[k], self.np.float32) for k in NAMES]
        call = ort.Call([x.ctypes.data for x in arrays], [list(x.shape) for x in arrays], None, None, None)
        status = self.cpu_op(call)
        if status:
            raise RuntimeError("CPU op: " + status)
        return call.output[2].reshape(call.output[1]).astype(self.np.float64)

    def errors(self, inputs, y):
        np = self.np
        expected = self.reference.scan2d(**inputs)
        scale = np.max(np.abs(expected))
        cpu = self.cpu_result(inputs)
        return dict(nan=int(np.isnan(y).sum()), error_of_scale=float(np.nanmax(np.abs(y - expected)) / scale),
                    diff_to_cpu_op_of_scale=float(np.nanmax(np.abs(y - cpu)) / scale))

    def correct(self, e):
        return e["nan"] == 0 and e["error_of_scale"] <= TOLERANCE and e["diff_to_cpu_op_of_scale"] <= TOLERANCE

    def run_on_thread(self, current, call):
        """KernelComputeV2 on a fresh OS thread with `current` as its current context (None: nothing current)."""
        box = {}

        def body():
            if current is not None:
                self.cuda.check(self.cuda.lib.cuCtxSetCurrent(current), "cuCtxSetCurrent")
            box["status"] = self.gpu_op(call)
        t = threading.Thread(target=body)
        t.start()
        t.join()
        return box["status"]

    def single(self, case, shape, current, ctx=None, use_stream=True, expect=None, dims=None, fail_alloc=False):
        ctx = ctx or self.primary
        inputs = self.inputs(*shape)
        stream = self.cuda.stream(ctx) if use_stream else None
        call = self.device_call(inputs, ctx, stream, dims=dims)
        call.pool.fail_next = fail_alloc
        status = self.run_on_thread(current, call)
        if expect is not None:
            if fail_alloc and status is None and not call.events:  # scratch from the driver (async): no pool to fail
                self.report(case + "-not-applicable", True, note="scratch came from cuMemAllocAsync, not the pool")
                return
            self.report(case, status is not None and expect in status, status=status, events=call.events)
            return
        if status is not None:
            self.report(case, False, status=status, events=call.events)
            return
        self.cuda.synchronize(ctx, stream)
        e = self.errors(inputs, self.output(call))
        self.report(case, self.correct(e), shape=shape, events=call.events, **e)

    # cases
    def correctness(self):
        shapes = [(1, 8, 16, 17, 20), (1, 8, 10, 9, 12), (2, 5, 7, 6, 9)] if self.a.small else \
            [(2, 360, 16, 64, 64), (1, 72, 10, 64, 64), (3, 216, 16, 17, 9), (1, 40, 7, 6, 9)]
        for s in shapes:
            self.single("correct-B%dE%dN%d-%dx%d" % s, s, self.primary)
        return shapes

    def contexts(self, shape):
        self.single("no-context-current", shape, None)
        other = self.context_of(1)
        kind = "another-gpu" if other else "second-context"
        if not other:
            c = C.c_void_p()
            self.cuda.check(self.cuda.lib.cuCtxCreate_v2(C.byref(c), 0, 0), "cuCtxCreate")
            self.cuda.pop()  # the driver pushed it
            other = c.value
        self.single("other-context-current-%s" % kind, shape, other)
        self.single("stream-of-%s" % kind, shape, self.primary, ctx=other)
        self.single("null-stream", shape, self.primary, use_stream=False)

    def shared_scratch(self, shape):
        """Two runs back to back on two streams from one thread, one scratch pool (ORT's arena): the second run may
        be handed the first run's block only when the first run's kernels cannot still be using it."""
        a, b = self.inputs(*shape), self.inputs(*shape)
        sa, sb = self.cuda.stream(self.primary), self.cuda.stream(self.primary)
        ca = self.device_call(a, self.primary, sa, self.pool)
        cb = self.device_call(b, self.primary, sb, self.pool)
        statuses = []

        def body():
            self.cuda.check(self.cuda.lib.cuCtxSetCurrent(self.primary), "cuCtxSetCurrent")
            statuses.append(self.gpu_op(ca))
            statuses.append(self.gpu_op(cb))
        t = threading.Thread(target=body)
        t.start()
        t.join()
        if any(statuses):
            self.report("two-streams-shared-scratch", False, statuses=statuses)
            return
        self.cuda.synchronize(self.primary, sa)
        self.cuda.synchronize(self.primary, sb)
        ea, eb = self.errors(a, self.output(ca)), self.errors(b, self.output(cb))
        reused = any("reused" in e for e in cb.events)
        bound = any("bound to its stream" in e for e in ca.events)
        # a block bound to the first run's stream must not go to the second stream while the first may still run
        self.report("two-streams-shared-scratch", self.correct(ea) and self.correct(eb) and not (bound and reused),
                    first=ea, second=eb, second_reused_first_block=reused, events=ca.events + ["--"] + cb.events)

    def threads(self, shape):
        """Two threads computing at once on their own streams (concurrent Runs of one session)."""
        problems = [self.inputs(*shape) for _ in range(2)]
        calls = [self.device_call(p, self.primary, self.cuda.stream(self.primary)) for p in problems]
        statuses = [None, None]
        barrier = threading.Barrier(2)

        def body(i):
            barrier.wait()
            statuses[i] = self.gpu_op(calls[i])
        ts = [threading.Thread(target=body, args=(i,)) for i in range(2)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        if any(statuses):
            self.report("two-threads-at-once", False, statuses=statuses)
            return
        errs = []
        for p, c in zip(problems, calls):
            self.cuda.synchronize(self.primary, c.stream)
            errs.append(self.errors(p, self.output(c)))
        self.report("two-threads-at-once", all(self.correct(e) for e in errs), errors=errs)

    def errors_cases(self, shape):
        self.single("allocation-fails", shape, self.primary, expect="cannot allocate", fail_alloc=True)
        self.single("d-state-40", (1, 4, 40, 3, 3), self.primary, expect="not supported on CUDA")
        # a batch beyond the driver's grid limit (65535 blocks in z): refused from the shapes alone, before any
        # memory is touched (the buffers are the small problem's)
        big = [[65536, 1, 1, 1], [65536, 4, 1, 1], [4, 16], [65536, 4, 16, 1], [65536, 4, 16, 1], [4], [4]]
        self.single("batch-beyond-grid-limit", (1, 1, 16, 1, 1), self.primary, expect="exceed the kernels' launch limits",
                    dims=big)
        b, e, n, h, w = shape
        self.single("delta-wrong-shape", shape, self.primary, expect="delta must be",
                    dims=[[b, e, h, w], [b, 4, e, h * w + 1], [4 * e, n], [b, 4, n, h * w], [b, 4, n, h * w],
                          [4 * e], [4 * e]])

    def faults(self, kind, shape):
        """Two calls under the fake driver's injected fault; what each returned."""
        statuses = []
        for _ in range(2):
            call = self.device_call(self.inputs(*shape), self.primary, self.cuda.stream(self.primary))
            statuses.append(self.run_on_thread(self.primary, call))
        loads = self.fake_count("load")
        if kind == "jit":
            ok = all(s and "JIT log: ptxas fatal   : fake JIT failure line 2 of the log" in s for s in statuses) \
                and statuses[0] == statuses[1] and loads == 1
        elif kind == "launch":
            ok = statuses[0] is not None and "cuLaunchKernel(mambair_scan2d_carry) failed: too many resources" in statuses[0] \
                and "device fault" not in statuses[0] and statuses[1] is None
        else:
            ok = all(s and s.startswith("SelectiveScan2D (CUDA): CUDA device fault: cuLaunchKernel(") for s in statuses)
        self.report("fault-" + kind, ok, statuses=statuses, module_loads=loads)

    def fake_count(self, what):
        try:
            f = self.cuda.lib.fake_cuda_count
        except AttributeError:
            return None
        f.restype = C.c_long
        return f(what.encode())

    def timing(self):
        b, e, n, h, w = (2, 8, 16, 16, 16) if self.a.small else (16, 360, 16, 64, 64)
        inputs = self.inputs(b, e, n, h, w)
        stream = self.cuda.stream(self.primary)
        call = self.device_call(inputs, self.primary, stream, self.pool)
        lib = self.cuda.lib
        start, end = C.c_void_p(), C.c_void_p()
        self.cuda.push(self.primary)
        try:
            self.cuda.check(lib.cuEventCreate(C.byref(start), 0), "cuEventCreate")
            self.cuda.check(lib.cuEventCreate(C.byref(end), 0), "cuEventCreate")
            times = []
            for i in range(33):
                lib.cuEventRecord(start, C.c_void_p(stream))
                status = self.gpu_op(call)
                lib.cuEventRecord(end, C.c_void_p(stream))
                self.cuda.check(lib.cuEventSynchronize(end), "cuEventSynchronize")
                if status:
                    raise RuntimeError(status)
                ms = C.c_float()
                lib.cuEventElapsedTime(C.byref(ms), start, end)
                if i >= 3:
                    times.append(ms.value)
        finally:
            self.cuda.pop()
        times.sort()
        e_ = self.errors(inputs, self.output(call))
        self.report("timing-B%dE%dN%d-%dx%d" % (b, e, n, h, w), self.correct(e_), median_ms=times[len(times) // 2], min_ms=times[0],
                    calls=len(times), goal_ms=1.5, official_kernel_ms=3.1, **e_)

    def jit_report(self, ptx_path):
        with open(ptx_path, "rb") as f:
            ptx = f.read() + b"\0"
        info, err = C.create_string_buffer(65536), C.create_string_buffer(8192)
        keys = (C.c_int * 5)(3, 4, 5, 6, 12)  # INFO_LOG(_SIZE), ERROR_LOG(_SIZE), LOG_VERBOSE
        vals = (C.c_void_p * 5)(C.cast(info, C.c_void_p), C.c_void_p(len(info)), C.cast(err, C.c_void_p),
                                C.c_void_p(len(err)), C.c_void_p(1))
        module = C.c_void_p()
        self.cuda.push(self.primary)
        try:
            r = self.cuda.lib.cuModuleLoadDataEx(C.byref(module), C.c_char_p(ptx), 5, keys, vals)
            kernels = {}
            if r == 0:
                for name in re.findall(rb"\.entry (\w+)\(", ptx):
                    f, attrs = C.c_void_p(), {}
                    self.cuda.check(self.cuda.lib.cuModuleGetFunction(C.byref(f), module, name), "cuModuleGetFunction")
                    for label, code in (("registers", 4), ("local_bytes", 3), ("max_threads_per_block", 0)):
                        v = C.c_int()
                        attrs[label] = v.value if self.cuda.lib.cuFuncGetAttribute(C.byref(v), code, f) == 0 else None
                    kernels[name.decode()] = attrs
        finally:
            self.cuda.pop()
        self.report("jit-report", r == 0, result=self.cuda.text(r) if r else "ok", kernels=kernels,
                    info_log=info.value.decode(errors="replace").splitlines(), error_log=err.value.decode(errors="replace"))

    def finish(self):
        out = dict(self.header, cases=self.results, ok=all(r["ok"] for r in self.results))
        with open(self.json, "w") as f:
            json.dump(out, f, indent=2)
        print("library check: %d of %d cases as expected" % (sum(r["ok"] for r in self.results), len(self.results)))
        return 0 if out["ok"] else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lib", required=True)
    ap.add_argument("--out")
    ap.add_argument("--small", action="store_true", help="small shapes (for the emulating fake driver)")
    ap.add_argument("--timing", action="store_true")
    ap.add_argument("--jit-report", metavar="PTX")
    ap.add_argument("--fault", choices=["jit", "launch", "sticky"])
    ap.add_argument("--ort-api", type=int, default=24, help="C API version the stand-in offers (17: no GetScratchBuffer)")
    a = ap.parse_args()
    import numpy as np
    import scan2d_reference as reference
    check = Check(a, np, reference)
    small = (1, 8, 10, 9, 12)
    steps = []
    if a.fault:
        steps = [lambda: check.faults(a.fault, small)]
    else:
        if a.jit_report:
            steps.append(lambda: check.jit_report(a.jit_report))
        # first call of the process on a fresh thread with no context current: the module is not loaded yet
        steps += [lambda: check.contexts(small if a.small else (1, 72, 10, 64, 64)), check.correctness,
                  lambda: check.shared_scratch((2, 5, 7, 6, 9) if a.small else (16, 360, 16, 64, 64)),
                  lambda: check.threads(small if a.small else (4, 360, 16, 64, 64)),
                  lambda: check.errors_cases(small)]
        if a.timing:
            steps.append(check.timing)
    for step in steps:
        try:
            step()
        except Exception as e:  # a driver error outside the operator: recorded, and the next step runs
            check.report("step-error", False, exception="%s: %s" % (type(e).__name__, e))
    if check.fake_count("load") is not None:
        check.log(dict(step="fake driver counts", **{k: check.fake_count(k) for k in
                  ("load", "get_function", "launch", "alloc_async", "free_async", "stream_sync")}))
        check.header["fake_driver_counts"] = {k: check.fake_count(k) for k in
                                              ("load", "get_function", "launch", "alloc_async", "free_async", "stream_sync")}
        print("COUNTS " + json.dumps(check.header["fake_driver_counts"]))
    return check.finish()


if __name__ == "__main__":
    sys.exit(main())
