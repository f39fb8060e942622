// The part of the ONNX Runtime C ABI (onnxruntime_c_api.h) that the SelectiveScan custom operator uses.
//
// Hand-written instead of vendoring the 150 kB upstream header: the Maven ORT jar ships no headers, and
// this file pins exactly what we depend on. Both structs below are append-only upstream, so a library built
// against API version 17 (ONNX Runtime 1.17) keeps working with every newer runtime. Each function pointer
// sits at a fixed slot of OrtApi; unused slots are padding, and the static_asserts at the end check every
// slot we call against its upstream index (index = byte offset / 8 on 64-bit targets).
#pragma once

#include <stddef.h>
#include <stdint.h>

#define MAMBAIR_ORT_API_VERSION 17

extern "C" {

typedef struct OrtStatus OrtStatus;
typedef struct OrtValue OrtValue;
typedef struct OrtSessionOptions OrtSessionOptions;
typedef struct OrtCustomOpDomain OrtCustomOpDomain;
typedef struct OrtTensorTypeAndShapeInfo OrtTensorTypeAndShapeInfo;
typedef struct OrtKernelInfo OrtKernelInfo;
typedef struct OrtKernelContext OrtKernelContext;
typedef struct OrtShapeInferContext OrtShapeInferContext;

typedef enum ONNXTensorElementDataType {
  ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED = 0,
  ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT = 1,
} ONNXTensorElementDataType;

typedef enum OrtErrorCode {
  ORT_OK = 0,
  ORT_FAIL = 1,
  ORT_INVALID_ARGUMENT = 2,
} OrtErrorCode;

typedef enum OrtMemType {
  OrtMemTypeDefault = 0,
} OrtMemType;

typedef enum OrtCustomOpInputOutputCharacteristic {
  INPUT_OUTPUT_REQUIRED = 0,
} OrtCustomOpInputOutputCharacteristic;

struct OrtApi;

typedef struct OrtApiBase {
  const struct OrtApi* (*GetApi)(uint32_t version);
  const char* (*GetVersionString)(void);
} OrtApiBase;

typedef struct OrtApi {
  OrtStatus* (*CreateStatus)(OrtErrorCode code, const char* msg);                                    // 0
  void* unused_1_25[25];
  OrtStatus* (*CreateCustomOpDomain)(const char* domain, OrtCustomOpDomain** out);                  // 26
  OrtStatus* (*CustomOpDomain_Add)(OrtCustomOpDomain* domain, const struct OrtCustomOp* op);         // 27
  OrtStatus* (*AddCustomOpDomain)(OrtSessionOptions* options, OrtCustomOpDomain* domain);           // 28
  void* unused_29_50[22];
  OrtStatus* (*GetTensorMutableData)(OrtValue* value, void** out);                                   // 51
  void* unused_52_59[8];
  OrtStatus* (*GetTensorElementType)(const OrtTensorTypeAndShapeInfo* info, ONNXTensorElementDataType* out);  // 60
  OrtStatus* (*GetDimensionsCount)(const OrtTensorTypeAndShapeInfo* info, size_t* out);             // 61
  OrtStatus* (*GetDimensions)(const OrtTensorTypeAndShapeInfo* info, int64_t* dims, size_t count);  // 62
  void* unused_63;
  OrtStatus* (*GetTensorShapeElementCount)(const OrtTensorTypeAndShapeInfo* info, size_t* out);     // 64
  OrtStatus* (*GetTensorTypeAndShape)(const OrtValue* value, OrtTensorTypeAndShapeInfo** out);      // 65
  void* unused_66_87[22];
  OrtStatus* (*KernelContext_GetInputCount)(const OrtKernelContext* context, size_t* out);          // 88
  OrtStatus* (*KernelContext_GetOutputCount)(const OrtKernelContext* context, size_t* out);         // 89
  OrtStatus* (*KernelContext_GetInput)(const OrtKernelContext* context, size_t index, const OrtValue** out);  // 90
  OrtStatus* (*KernelContext_GetOutput)(OrtKernelContext* context, size_t index, const int64_t* dims,
                                        size_t dim_count, OrtValue** out);                           // 91
  void* unused_92;
  void (*ReleaseStatus)(OrtStatus* status);                                                          // 93
  void* unused_94_98[5];
  void (*ReleaseTensorTypeAndShapeInfo)(OrtTensorTypeAndShapeInfo* info);                            // 99
  void* unused_100_267[168];
  OrtStatus* (*ShapeInferContext_GetInputTypeShape)(const OrtShapeInferContext* context, size_t index,
                                                    OrtTensorTypeAndShapeInfo** info);               // 268
  void* unused_269;
  OrtStatus* (*ShapeInferContext_SetOutputTypeShape)(const OrtShapeInferContext* context, size_t index,
                                                     const OrtTensorTypeAndShapeInfo* info);         // 270
  void* unused_271_273[3];
  OrtStatus* (*KernelContext_ParallelFor)(const OrtKernelContext* context, void (*fn)(void*, size_t),
                                          size_t total, size_t num_batch, void* user_data);          // 274
} OrtApi;

// Custom operator description, layout of API version 17 (fields up to GetEndVersion).
typedef struct OrtCustomOp {
  uint32_t version;
  void* (*CreateKernel)(const struct OrtCustomOp* op, const OrtApi* api, const OrtKernelInfo* info);
  const char* (*GetName)(const struct OrtCustomOp* op);
  const char* (*GetExecutionProviderType)(const struct OrtCustomOp* op);
  ONNXTensorElementDataType (*GetInputType)(const struct OrtCustomOp* op, size_t index);
  size_t (*GetInputTypeCount)(const struct OrtCustomOp* op);
  ONNXTensorElementDataType (*GetOutputType)(const struct OrtCustomOp* op, size_t index);
  size_t (*GetOutputTypeCount)(const struct OrtCustomOp* op);
  void (*KernelCompute)(void* kernel, OrtKernelContext* context);
  void (*KernelDestroy)(void* kernel);
  OrtCustomOpInputOutputCharacteristic (*GetInputCharacteristic)(const struct OrtCustomOp* op, size_t index);
  OrtCustomOpInputOutputCharacteristic (*GetOutputCharacteristic)(const struct OrtCustomOp* op, size_t index);
  OrtMemType (*GetInputMemoryType)(const struct OrtCustomOp* op, size_t index);
  int (*GetVariadicInputMinArity)(const struct OrtCustomOp* op);
  int (*GetVariadicInputHomogeneity)(const struct OrtCustomOp* op);
  int (*GetVariadicOutputMinArity)(const struct OrtCustomOp* op);
  int (*GetVariadicOutputHomogeneity)(const struct OrtCustomOp* op);
  OrtStatus* (*CreateKernelV2)(const struct OrtCustomOp* op, const OrtApi* api, const OrtKernelInfo* info,
                               void** kernel);
  OrtStatus* (*KernelComputeV2)(void* kernel, OrtKernelContext* context);
  OrtStatus* (*InferOutputShapeFn)(const struct OrtCustomOp* op, OrtShapeInferContext* context);
  int (*GetStartVersion)(const struct OrtCustomOp* op);
  int (*GetEndVersion)(const struct OrtCustomOp* op);
} OrtCustomOp;

}  // extern "C"

#define MAMBAIR_ORT_SLOT(name, index) \
  static_assert(offsetof(OrtApi, name) == (index) * sizeof(void*), "OrtApi slot of " #name)
MAMBAIR_ORT_SLOT(CreateStatus, 0);
MAMBAIR_ORT_SLOT(CreateCustomOpDomain, 26);
MAMBAIR_ORT_SLOT(CustomOpDomain_Add, 27);
MAMBAIR_ORT_SLOT(AddCustomOpDomain, 28);
MAMBAIR_ORT_SLOT(GetTensorMutableData, 51);
MAMBAIR_ORT_SLOT(GetTensorElementType, 60);
MAMBAIR_ORT_SLOT(GetDimensionsCount, 61);
MAMBAIR_ORT_SLOT(GetDimensions, 62);
MAMBAIR_ORT_SLOT(GetTensorShapeElementCount, 64);
MAMBAIR_ORT_SLOT(GetTensorTypeAndShape, 65);
MAMBAIR_ORT_SLOT(KernelContext_GetInputCount, 88);
MAMBAIR_ORT_SLOT(KernelContext_GetOutputCount, 89);
MAMBAIR_ORT_SLOT(KernelContext_GetInput, 90);
MAMBAIR_ORT_SLOT(KernelContext_GetOutput, 91);
MAMBAIR_ORT_SLOT(ReleaseStatus, 93);
MAMBAIR_ORT_SLOT(ReleaseTensorTypeAndShapeInfo, 99);
MAMBAIR_ORT_SLOT(ShapeInferContext_GetInputTypeShape, 268);
MAMBAIR_ORT_SLOT(ShapeInferContext_SetOutputTypeShape, 270);
MAMBAIR_ORT_SLOT(KernelContext_ParallelFor, 274);
static_assert(offsetof(OrtCustomOp, GetEndVersion) == 21 * sizeof(void*), "OrtCustomOp layout of version 17");
