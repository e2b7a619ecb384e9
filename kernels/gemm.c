/* Matrix products for WebAssembly SIMD (128-bit), for mlp inside Pyodide.
 *
 * C (m x n, rows ldc apart, unit column stride) = A (m x k) @ B (k x n)
 * A is addressed as a[i*a_rs + p*a_cs], so a transposed view (x.T) needs no copy.
 * B is addressed as b[p*ldb + j]: its rows must be contiguous (the caller copies
 * a transposed B such as W.T first; that copy is k*n, small next to m*k*n).
 * Strides and sizes count elements, not bytes.
 *
 * The module imports the caller's memory and must not touch any memory other than
 * A, B and C: it has no data, and the loops keep everything in locals (the build
 * checks that no code refers to the stack pointer).
 *
 * Register blocking: each step of the k loop loads one row piece of B (NR values,
 * two vectors) and broadcasts MR values of A, updating an MR x NR block of C held
 * in 2*MR vector locals. 4 x 8 floats keeps 8 accumulators + 2 B vectors + 1
 * broadcast within the 16 vector registers V8 has on x86-64.
 *
 * Built twice: with -mrelaxed-simd, each multiply-add is one relaxed_madd, which the
 * engine turns into a fused multiply-add where the processor has one (half the
 * arithmetic instructions; the result may differ from separate rounding by the last
 * bit, as any summation order does); without it, a multiply then an add, for engines
 * without relaxed SIMD.
 */
#include <wasm_simd128.h>

#define MR 4

#ifdef __wasm_relaxed_simd__
#define F32_MADD(acc, a, b) wasm_f32x4_relaxed_madd(a, b, acc)
#define F64_MADD(acc, a, b) wasm_f64x2_relaxed_madd(a, b, acc)
#else
#define F32_MADD(acc, a, b) wasm_f32x4_add(acc, wasm_f32x4_mul(a, b))
#define F64_MADD(acc, a, b) wasm_f64x2_add(acc, wasm_f64x2_mul(a, b))
#endif

#define DEFINE_GEMM(NAME, T, LANES, SPLAT, LOAD, STORE, MADD, ZERO)                    \
  /* One MR_ x (2*LANES) block of C; MR_ is a compile-time constant after inlining. */     \
  static inline __attribute__((always_inline)) void NAME##_block(                          \
      int MR_, int k, const T *a, int a_rs, int a_cs, const T *b, int ldb, T *c, int ldc) {\
    v128_t acc0[MR], acc1[MR];                                                             \
    for (int r = 0; r < MR_; r++) acc0[r] = acc1[r] = ZERO;                                \
    for (int p = 0; p < k; p++) {                                                          \
      v128_t b0 = LOAD(b + p * ldb), b1 = LOAD(b + p * ldb + LANES);                       \
      for (int r = 0; r < MR_; r++) {                                                      \
        v128_t ar = SPLAT(a[r * a_rs + p * a_cs]);                                         \
        acc0[r] = MADD(acc0[r], ar, b0);                                               \
        acc1[r] = MADD(acc1[r], ar, b1);                                               \
      }                                                                                    \
    }                                                                                      \
    for (int r = 0; r < MR_; r++) {                                                        \
      STORE(c + r * ldc, acc0[r]);                                                         \
      STORE(c + r * ldc + LANES, acc1[r]);                                                 \
    }                                                                                      \
  }                                                                                        \
  /* One MR_ x LANES block (the columns left over by the 2*LANES blocks). */               \
  static inline __attribute__((always_inline)) void NAME##_half(                           \
      int MR_, int k, const T *a, int a_rs, int a_cs, const T *b, int ldb, T *c, int ldc) {\
    v128_t acc[MR];                                                                        \
    for (int r = 0; r < MR_; r++) acc[r] = ZERO;                                           \
    for (int p = 0; p < k; p++) {                                                          \
      v128_t b0 = LOAD(b + p * ldb);                                                       \
      for (int r = 0; r < MR_; r++) acc[r] = MADD(acc[r], SPLAT(a[r * a_rs + p * a_cs]), b0);     \
    }                                                                                      \
    for (int r = 0; r < MR_; r++) STORE(c + r * ldc, acc[r]);                              \
  }                                                                                        \
  /* Single columns (fewer than LANES left): plain scalar dot products. */                 \
  static void NAME##_column(int m, int k, const T *a, int a_rs, int a_cs, const T *b,      \
                            int ldb, T *c, int ldc) {                                      \
    for (int i = 0; i < m; i++) {                                                          \
      T s = 0;                                                                             \
      for (int p = 0; p < k; p++) s += a[i * a_rs + p * a_cs] * b[p * ldb];                \
      c[i * ldc] = s;                                                                      \
    }                                                                                      \
  }                                                                                        \
  /* All rows for one block width; the row remainder gets its own unrolled copy. */        \
  static void NAME##_rows(int wide, int m, int k, const T *a, int a_rs, int a_cs,          \
                          const T *b, int ldb, T *c, int ldc) {                            \
    int i = 0;                                                                             \
    for (; i + MR <= m; i += MR) {                                                         \
      if (wide) NAME##_block(MR, k, a + i * a_rs, a_rs, a_cs, b, ldb, c + i * ldc, ldc);   \
      else NAME##_half(MR, k, a + i * a_rs, a_rs, a_cs, b, ldb, c + i * ldc, ldc);         \
    }                                                                                      \
    const T *ai = a + i * a_rs;                                                            \
    T *ci = c + i * ldc;                                                                   \
    switch (m - i) {                                                                       \
      case 3: if (wide) NAME##_block(3, k, ai, a_rs, a_cs, b, ldb, ci, ldc);               \
              else NAME##_half(3, k, ai, a_rs, a_cs, b, ldb, ci, ldc); break;              \
      case 2: if (wide) NAME##_block(2, k, ai, a_rs, a_cs, b, ldb, ci, ldc);               \
              else NAME##_half(2, k, ai, a_rs, a_cs, b, ldb, ci, ldc); break;              \
      case 1: if (wide) NAME##_block(1, k, ai, a_rs, a_cs, b, ldb, ci, ldc);               \
              else NAME##_half(1, k, ai, a_rs, a_cs, b, ldb, ci, ldc); break;              \
    }                                                                                      \
  }                                                                                        \
  __attribute__((export_name(#NAME))) void NAME(int m, int n, int k, const T *a, int a_rs, \
                                                int a_cs, const T *b, int ldb, T *c, int ldc) { \
    int j = 0;                                                                             \
    for (; j + 2 * LANES <= n; j += 2 * LANES) NAME##_rows(1, m, k, a, a_rs, a_cs, b + j, ldb, c + j, ldc); \
    for (; j + LANES <= n; j += LANES) NAME##_rows(0, m, k, a, a_rs, a_cs, b + j, ldb, c + j, ldc); \
    for (; j < n; j++) NAME##_column(m, k, a, a_rs, a_cs, b + j, ldb, c + j, ldc);         \
  }

DEFINE_GEMM(sgemm, float, 4, wasm_f32x4_splat, wasm_v128_load, wasm_v128_store, F32_MADD,
            wasm_f32x4_const_splat(0.0f))
DEFINE_GEMM(dgemm, double, 2, wasm_f64x2_splat, wasm_v128_load, wasm_v128_store, F64_MADD,
            wasm_f64x2_const_splat(0.0))
