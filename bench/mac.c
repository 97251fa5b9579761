/* Native ceiling of the bit-sliced crossbar MAC kernel: the same loops as assembly/mac.ts
 * (macRun, no variation), compiled with gcc -O3. Reads operands written by bench/mac.ts:
 *   i32 rows, cols, weightBits, cellBits, polarity, actBits, dacBits, adcBits, nVec, reps
 *   i32 w[rows*cols], i32 x[nVec*rows]
 * and prints {"seconds":..., "reps":..., "checksum":...} (checksum = sum of the last outputs). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void mac_run(const double *restrict g, int stride, const int *restrict x, int nVec, int rows, int cols,
                    int weightBits, int cellBits, int polarity, int actBits, int dacBits, int adcBits,
                    double *restrict acc, double *restrict out) {
  const int S = (weightBits + cellBits - 1) / cellBits;
  const int P = polarity == 2 ? 2 : 1;
  const int cycles = (actBits + dacBits - 1) / dacBits;
  const int dacMask = (1 << dacBits) - 1;
  const double maxSum = (double)rows * dacMask * ((1 << cellBits) - 1);
  int need = 0;
  double cap = 1.0;
  while (cap <= maxSum) { cap *= 2.0; need++; }
  double step = 1.0;
  for (int b = adcBits; b < need; b++) step *= 2.0;
  double levels = 1.0;
  for (int b = 0; b < adcBits; b++) levels *= 2.0;
  const double topLevel = levels - 1.0;
  const double offset = (double)(1 << (weightBits - 1));
  for (int v = 0; v < nVec; v++) {
    const int *xv = x + (size_t)v * rows;
    double *ov = out + (size_t)v * cols;
    for (int c = 0; c < cols; c++) ov[c] = 0.0;
    double cycleScale = 1.0;
    for (int k = 0; k < cycles; k++) {
      const int shift = k * dacBits;
      for (int p = 0; p < stride; p++) acc[p] = 0.0;
      for (int r = 0; r < rows; r++) {
        const int d = (xv[r] >> shift) & dacMask;
        if (d == 0) continue;
        const double dd = (double)d;
        const double *gp = g + (size_t)r * stride;
        for (int p = 0; p < stride; p++) acc[p] += gp[p] * dd;
      }
      for (int c = 0; c < cols; c++) {
        double total = ov[c];
        double sliceScale = cycleScale;
        for (int j = 0; j < S; j++) {
          for (int pol = 0; pol < P; pol++) {
            const double a = acc[(c * S + j) * P + pol];
            double q = floor(a / step + 0.5);
            if (q > topLevel) q = topLevel;
            if (q < 0.0) q = 0.0;
            const double val = q * step * sliceScale;
            if (pol == 0) total += val; else total -= val;
          }
          sliceScale *= (double)(1 << cellBits);
        }
        ov[c] = total;
      }
      cycleScale *= (double)(1 << dacBits);
    }
    if (P == 1) {
      double xs = 0.0;
      for (int r = 0; r < rows; r++) xs += xv[r];
      for (int c = 0; c < cols; c++) ov[c] -= offset * xs;
    }
  }
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: mac <operands.bin>\n"); return 2; }
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror("open"); return 2; }
  int h[10];
  if (fread(h, sizeof(int), 10, f) != 10) return 2;
  const int rows = h[0], cols = h[1], wb = h[2], cb = h[3], pol = h[4], ab = h[5], db = h[6], adc = h[7], nVec = h[8], reps = h[9];
  int *w = malloc(sizeof(int) * rows * cols);
  int *x = malloc(sizeof(int) * nVec * rows);
  if (fread(w, sizeof(int), (size_t)rows * cols, f) != (size_t)rows * cols) return 2;
  if (fread(x, sizeof(int), (size_t)nVec * rows, f) != (size_t)nVec * rows) return 2;
  fclose(f);
  const int S = (wb + cb - 1) / cb, P = pol == 2 ? 2 : 1;
  const int phys = cols * S * P, stride = phys + (phys & 1);
  double *g = aligned_alloc(16, sizeof(double) * ((size_t)rows * stride + 2));
  double *acc = aligned_alloc(16, sizeof(double) * (stride + 2));
  double *out = malloc(sizeof(double) * nVec * cols);
  const int mask = (1 << cb) - 1, off = 1 << (wb - 1);
  memset(g, 0, sizeof(double) * rows * stride);
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++) {
      const int wv = w[r * cols + c];
      for (int j = 0; j < S; j++)
        for (int p = 0; p < P; p++) {
          const int mag = P == 2 ? (p == 0 ? (wv > 0 ? wv : 0) : (wv < 0 ? -wv : 0)) : wv + off;
          g[(size_t)r * stride + (c * S + j) * P + p] = (double)((mag >> (j * cb)) & mask);
        }
    }
  mac_run(g, stride, x, nVec, rows, cols, wb, cb, pol, ab, db, adc, acc, out); /* warm-up */
  const double t0 = now_s();
  for (int i = 0; i < reps; i++) mac_run(g, stride, x, nVec, rows, cols, wb, cb, pol, ab, db, adc, acc, out);
  const double t1 = now_s();
  double sum = 0.0;
  for (int i = 0; i < nVec * cols; i++) sum += out[i];
  printf("{\"seconds\": %.9f, \"reps\": %d, \"checksum\": %.17g}\n", t1 - t0, reps, sum);
  return 0;
}
