// io.mambair:SelectiveScan2D on ONNX Runtime's CUDA execution provider: the kernels of scan2d_kernel.cu (PTX
// embedded in the library), launched through the CUDA driver API on the provider's compute stream.
#pragma once

#include "../ort_custom_op_abi.h"

// Adds the CUDA SelectiveScan2D (same name, versions, inputs and output as the CPU one) to domain; nothing when
// the library was built without its PTX (no clang). Call once. api_base tells which scratch allocation the ORT
// version offers (cuda_scratch.h).
OrtStatus* mambair_cuda_add_ops(const OrtApiBase* api_base, const OrtApi* api, OrtCustomOpDomain* domain);
