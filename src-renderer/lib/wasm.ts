/**
 * The renderer's own copy of the Wasm module (for in-page previews). Loaded lazily with an
 * ArrayBuffer fetch, which works over app:// and http alike, so the UI never waits on it.
 */
import wasmUrl from '../../build/wasm/retile.wasm?url';

export interface RendererWasm {
  abiVersion(): number;
}

let loading: Promise<RendererWasm> | null = null;

export function loadRendererWasm(): Promise<RendererWasm> {
  loading ??= (async () => {
    const bytes = await (await fetch(wasmUrl)).arrayBuffer();
    const { instance } = await WebAssembly.instantiate(bytes, { env: { abort: () => { throw new Error('wasm abort'); } } });
    return instance.exports as unknown as RendererWasm;
  })();
  return loading;
}
