/* Helpers that compile both as C11 and as CUDA C++: CP_HD marks functions usable on host and
 * device. */
#ifndef CP_KERNELS_COMMON_HD_H
#define CP_KERNELS_COMMON_HD_H

#ifdef __CUDACC__
#define CP_HD __host__ __device__ static inline
#else
#define CP_HD static inline
#endif

#endif
