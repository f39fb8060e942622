"""A minimal stand-in of ONNX Runtime's C kernel API (ctypes) that drives libmambair_scan.so's operators the way
ORT's CPU and CUDA execution providers call them, on the CUDA driver API (libcuda.so.1: the NVIDIA driver, or the
test's fake). Only the OrtApi slots the library uses are filled; any other slot stops the process naming it.

Scratch pools like ORT's arenas: the provider allocator (KernelContext_GetAllocator, slot 253) hands a freed block
out again at once, whichever stream asks; KernelContext_GetScratchBuffer (slot 277, C API 18) binds the block to the
compute stream, and a freed block is reused only by that stream (ORT's stream-aware arena). Every allocation and
free is recorded in the call's events.
"""
import ctypes as C
import os
import sys
import threading

VP = C.c_void_p
NAN32 = 0x7FC00000
SLOTS = 300


class Cuda:
    """The driver functions the check needs (ctypes on libcuda.so.1)."""

    def __init__(self):
        self.lib = C.CDLL("libcuda.so.1", mode=C.RTLD_GLOBAL)
        lib = self.lib
        lib.cuMemcpyHtoD_v2.argtypes = [C.c_uint64, VP, C.c_size_t]
        lib.cuMemcpyDtoH_v2.argtypes = [VP, C.c_uint64, C.c_size_t]
        lib.cuMemsetD32_v2.argtypes = [C.c_uint64, C.c_uint, C.c_size_t]
        lib.cuMemAlloc_v2.argtypes = [C.POINTER(C.c_uint64), C.c_size_t]
        lib.cuMemFree_v2.argtypes = [C.c_uint64]
        for f in ("cuCtxPushCurrent_v2", "cuCtxSetCurrent", "cuStreamSynchronize"):
            getattr(lib, f).argtypes = [VP]
        self.check(lib.cuInit(0), "cuInit")

    def text(self, r):
        s = C.c_char_p()
        if self.lib.cuGetErrorString(r, C.byref(s)) != 0 or not s.value:
            return "code %d" % r
        return "%s (code %d)" % (s.value.decode(), r)

    def check(self, r, what):
        if r != 0:
            raise RuntimeError("%s failed: %s" % (what, self.text(r)))

    def push(self, ctx):
        self.check(self.lib.cuCtxPushCurrent_v2(ctx), "cuCtxPushCurrent")

    def pop(self):
        c = VP()
        self.check(self.lib.cuCtxPopCurrent_v2(C.byref(c)), "cuCtxPopCurrent")

    def current(self):
        c = VP()
        self.check(self.lib.cuCtxGetCurrent(C.byref(c)), "cuCtxGetCurrent")
        return c.value

    def alloc(self, ctx, nbytes, fill=NAN32):
        p = C.c_uint64()
        self.push(ctx)
        try:
            self.check(self.lib.cuMemAlloc_v2(C.byref(p), max(nbytes, 4)), "cuMemAlloc")
            if fill is not None:
                self.check(self.lib.cuMemsetD32_v2(p.value, fill, max(nbytes, 4) // 4), "cuMemsetD32")
        finally:
            self.pop()
        return p.value

    def upload(self, ctx, array):
        p = self.alloc(ctx, array.nbytes, None)
        self.push(ctx)
        try:
            self.check(self.lib.cuMemcpyHtoD_v2(p, array.ctypes.data, array.nbytes), "cuMemcpyHtoD")
        finally:
            self.pop()
        return p

    def download(self, ctx, pointer, array):
        self.push(ctx)
        try:
            self.check(self.lib.cuMemcpyDtoH_v2(array.ctypes.data, pointer, array.nbytes), "cuMemcpyDtoH")
        finally:
            self.pop()
        return array

    def stream(self, ctx):
        s = VP()
        self.push(ctx)
        try:
            self.check(self.lib.cuStreamCreate(C.byref(s), 1), "cuStreamCreate")  # non-blocking, as ORT's
        finally:
            self.pop()
        return s.value

    def synchronize(self, ctx, stream):
        self.push(ctx)
        try:
            if stream:
                self.check(self.lib.cuStreamSynchronize(stream), "cuStreamSynchronize")
            self.check(self.lib.cuCtxSynchronize(), "cuCtxSynchronize (a kernel fault shows here)")
        finally:
            self.pop()


class OrtAllocator(C.Structure):
    pass


ALLOC_FN = C.CFUNCTYPE(VP, C.POINTER(OrtAllocator), C.c_size_t)
FREE_FN = C.CFUNCTYPE(None, C.POINTER(OrtAllocator), VP)
INFO_FN = C.CFUNCTYPE(VP, C.POINTER(OrtAllocator))
OrtAllocator._fields_ = [("version", C.c_uint32), ("Alloc", ALLOC_FN), ("Free", FREE_FN), ("Info", INFO_FN)]


class OrtApiBase(C.Structure):
    _fields_ = [("GetApi", C.CFUNCTYPE(VP, C.c_uint32)), ("GetVersionString", C.CFUNCTYPE(VP))]


class Pool:
    """The provider's device memory as ORT's arena keeps it: freed blocks by size, each with the stream it is bound
    to (None: any stream may take it at once)."""

    def __init__(self, cuda, ctx):
        self.cuda, self.ctx = cuda, ctx
        self.free_blocks = []  # (pointer, size, stream)
        self.live = {}         # pointer -> (size, stream)
        self.fail_next = False

    def take(self, size, stream, events, how):
        if self.fail_next:
            self.fail_next = False
            events.append("%s %d failed (injected)" % (how, size))
            return None
        for i, (p, s, bound) in enumerate(self.free_blocks):
            if s == size and (bound is None or bound == stream):
                del self.free_blocks[i]
                events.append("%s %d reused block %#x freed earlier" % (how, size, p))
                self.live[p] = (size, stream)
                return p
        p = self.cuda.alloc(self.ctx, size)
        events.append("%s %d new block %#x" % (how, size, p))
        self.live[p] = (size, stream)
        return p

    def give_back(self, p, events):
        size, stream = self.live.pop(p)
        self.free_blocks.append((p, size, stream))
        events.append("Free %#x%s" % (p, "" if stream is None else " (bound to its stream)"))


class Call:
    """One KernelComputeV2: the input values, the output made on request, the stream, what happened."""

    def __init__(self, inputs, dims, device, stream, pool):
        self.inputs, self.dims, self.device, self.stream, self.pool = inputs, dims, device, stream, pool
        self.output = None   # (pointer or host array, dims)
        self.events = []


class OrtStandIn:
    def __init__(self, cuda, api_version=24):
        self.cuda, self.api_version = cuda, api_version
        self.keep, self.statuses, self.ops = [], {}, []
        self.local = threading.local()  # the call being computed on each thread (concurrent Runs)
        self.table = (VP * SLOTS)()
        for i in range(SLOTS):
            self.table[i] = self.fn(C.CFUNCTYPE(VP), self.trap(i))
        s = self.slot
        s(0, C.CFUNCTYPE(VP, C.c_int, C.c_char_p), self.create_status)
        s(26, C.CFUNCTYPE(VP, C.c_char_p, C.POINTER(VP)), lambda name, out: self.put(out, 0xD0))
        s(27, C.CFUNCTYPE(VP, VP, VP), lambda domain, op: self.ops.append(op))
        s(28, C.CFUNCTYPE(VP, VP, VP), lambda options, domain: None)
        s(51, C.CFUNCTYPE(VP, VP, C.POINTER(VP)), lambda v, out: self.put(out, self.value(v)[0]))
        s(60, C.CFUNCTYPE(VP, VP, C.POINTER(C.c_int)), lambda info, out: self.put(out, 1))  # float
        s(61, C.CFUNCTYPE(VP, VP, C.POINTER(C.c_size_t)), lambda info, out: self.put(out, len(self.value(info)[1])))
        s(62, C.CFUNCTYPE(VP, VP, C.POINTER(C.c_int64), C.c_size_t), self.get_dims)
        s(64, C.CFUNCTYPE(VP, VP, C.POINTER(C.c_size_t)), self.element_count)
        s(65, C.CFUNCTYPE(VP, VP, C.POINTER(VP)), lambda v, out: self.put(out, v))
        s(88, C.CFUNCTYPE(VP, VP, C.POINTER(C.c_size_t)), lambda ctx, out: self.put(out, len(self.call.inputs)))
        s(89, C.CFUNCTYPE(VP, VP, C.POINTER(C.c_size_t)), lambda ctx, out: self.put(out, 1))
        s(90, C.CFUNCTYPE(VP, VP, C.c_size_t, C.POINTER(VP)), lambda ctx, i, out: self.put(out, 0x100 + i))
        s(91, C.CFUNCTYPE(VP, VP, C.c_size_t, C.POINTER(C.c_int64), C.c_size_t, C.POINTER(VP)), self.get_output)
        s(93, C.CFUNCTYPE(None, VP), lambda st: self.statuses.pop(st, None) and None)
        s(99, C.CFUNCTYPE(None, VP), lambda info: None)
        s(132, C.CFUNCTYPE(None, VP), lambda a: self.call.events.append("ReleaseAllocator"))
        s(193, C.CFUNCTYPE(VP, VP, C.POINTER(VP)), lambda ctx, out: self.put(out, self.call.stream or 0))
        s(194, C.CFUNCTYPE(VP, VP, C.POINTER(VP)), lambda v, out: self.put(out, 0xE0))
        s(253, C.CFUNCTYPE(VP, VP, VP, C.POINTER(VP)), self.get_allocator)
        s(274, C.CFUNCTYPE(VP, VP, C.CFUNCTYPE(None, VP, C.c_size_t), C.c_size_t, C.c_size_t, VP), self.parallel_for)
        s(277, C.CFUNCTYPE(VP, VP, VP, C.c_size_t, C.POINTER(VP)), self.get_scratch_buffer)
        self.allocator = OrtAllocator(1, ALLOC_FN(self.alloc), FREE_FN(self.free), INFO_FN(lambda a: 0xE0))
        version = C.c_char_p(b"1.24.2 (stand-in, C API %d)" % api_version)
        self.base = OrtApiBase(OrtApiBase._fields_[0][1](lambda v: C.addressof(self.table) if v <= api_version else None),
                               OrtApiBase._fields_[1][1](lambda: C.cast(version, VP).value))
        self.keep += [self.allocator, self.base, version]

    @property
    def call(self):
        return self.local.call

    # plumbing
    def fn(self, proto, py):
        f = proto(py)
        self.keep.append(f)
        return C.cast(f, VP).value

    def slot(self, i, proto, py):
        self.table[i] = self.fn(proto, py)

    @staticmethod
    def trap(i):
        def t(*args):
            sys.stderr.write("ort_standin: the library called OrtApi slot %d, which the stand-in does not provide\n" % i)
            sys.stderr.flush()
            os._exit(3)
        return t

    @staticmethod
    def put(out, value):
        out[0] = value
        return None

    def value(self, handle):
        if handle == 0x200:
            return self.call.output
        return self.call.inputs[handle - 0x100], self.call.dims[handle - 0x100]

    def create_status(self, code, msg):
        buf = C.create_string_buffer(16)
        self.keep.append(buf)
        self.statuses[C.addressof(buf)] = (code, msg.decode(errors="replace"))
        return C.addressof(buf)

    def get_dims(self, info, out, count):
        for i, d in enumerate(self.value(info)[1][:count]):
            out[i] = d

    def element_count(self, info, out):
        n = 1
        for d in self.value(info)[1]:
            n *= d
        out[0] = n

    def get_output(self, ctx, index, dims, count, out):
        shape = [dims[i] for i in range(count)]
        n = 1
        for d in shape:
            n *= d
        call = self.call
        if call.output is not None and call.output[1] == shape:  # a repeated call (timing): the same output tensor
            out[0] = 0x200
            return
        if call.device is None:  # CPU op: host memory
            import numpy as np
            host = np.full(max(n, 1), np.nan, np.float32)
            call.output = (host.ctypes.data, shape, host)
        else:
            call.output = (self.cuda.alloc(call.device, 4 * n), shape)
        out[0] = 0x200

    def get_allocator(self, ctx, info, out):
        self.call.events.append("GetAllocator")
        out[0] = C.addressof(self.allocator)

    def alloc(self, a, size):
        return self.call.pool.take(size, None, self.call.events, "Alloc")

    def free(self, a, p):
        self.call.pool.give_back(p, self.call.events)

    def get_scratch_buffer(self, ctx, info, size, out):
        if not self.call.stream:  # ORT dereferences the compute stream here: a null one would crash it
            self.call.events.append("GetScratchBuffer without a stream (ORT would crash)")
            return self.create_status(1, b"stand-in: GetScratchBuffer needs a compute stream")
        out[0] = self.call.pool.take(size, self.call.stream, self.call.events, "GetScratchBuffer")

    @staticmethod
    def parallel_for(ctx, fn, total, batches, user):
        for i in range(total):
            fn(user, i)

    # driving the library
    def register(self, lib_path):
        lib = C.CDLL(os.path.abspath(lib_path))
        lib.RegisterCustomOps.restype = VP
        lib.RegisterCustomOps.argtypes = [VP, VP]
        st = lib.RegisterCustomOps(0xA0, C.addressof(self.base))
        if st:
            raise RuntimeError("RegisterCustomOps failed: %s" % (self.statuses.get(st),))
        self.lib = lib
        found = {}
        for op in self.ops:
            slots = C.cast(op, C.POINTER(VP))
            name = C.CFUNCTYPE(C.c_char_p, VP)(slots[2])(op).decode()
            ep = C.CFUNCTYPE(C.c_char_p, VP)(slots[3])(op)
            found[(name, (ep or b"CPU").decode())] = op
        return found

    def kernel(self, op):
        slots = C.cast(op, C.POINTER(VP))
        create = C.CFUNCTYPE(VP, VP, VP, VP, C.POINTER(VP))(slots[17])
        compute = C.CFUNCTYPE(VP, VP, VP)(slots[18])
        k = VP()
        st = create(op, C.addressof(self.table), None, C.byref(k))
        if st:
            raise RuntimeError("CreateKernelV2 failed: %s" % (self.statuses.get(st)[1],))
        self.keep.append(compute)
        return lambda call: self.compute(compute, k, call)

    def compute(self, compute, kernel, call):
        self.local.call = call
        st = compute(kernel, 0xC0)
        return None if not st else self.statuses.get(st, (-1, "unknown status"))[1]
