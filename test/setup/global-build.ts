// Integration tests run the bundled hosts (out/main) and the real Wasm module: build them first
// when the sources changed (a no-op when `npm test` has just built).
// @ts-expect-error: plain ESM script without types
import { ensureBuild } from '../../scripts/ensure-build.mjs';

export default function setup(): void {
  ensureBuild();
}
