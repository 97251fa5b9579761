// Retile's Wasm module: the simulator's event loop and the crossbar MAC kernel.
// Built with `npm run build:wasm` (asc, runtime stub: the module allocates once per call and
// keeps its state in linear memory; so no managed allocation and no garbage collector run during a simulation).

import { SIM_ABI_VERSION } from './layout';

export { macProgram, macRun, macExact } from './mac';
export { simBegin, simResume } from './sim';

/** The ABI version (src-main/engine/sim/layout.ts, generated into ./layout); the driver checks it on load. */
export function abiVersion(): i32 {
  return SIM_ABI_VERSION;
}

/** Grow linear memory so that [0, bytes) is addressable; returns the first free byte offset (after static data). */
export function reserve(bytes: usize): usize {
  const base = (__heap_base + 15) & ~15;
  const needed = base + bytes;
  const have = <usize>memory.size() << 16;
  if (needed > have) {
    const pages = <i32>((needed - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) return 0;
  }
  return base;
}
