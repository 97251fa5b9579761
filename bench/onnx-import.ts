/**
 * ONNX import throughput on a large file (a 500 MB model must import in under 3 s
 * without a second copy of the weight payload). Writes a VGG-16 with real-size fp32 payloads
 * (138,357,544 params x 4 bytes = 553 MB) to os.tmpdir(), streaming the payload in chunks,
 * reads it once, imports it, checks the figures against the zoo, and deletes the file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import protobuf from 'protobufjs/minimal.js';
import { importOnnx, summarize, zooGraph } from '../src-main/engine/workload';
import { encodeGraph, encodeModelHeader, writeTensor, type EncModel, type EncNode, type EncTensor } from '../src-main/engine/workload/onnx/encode';

const varint = (n: number) => protobuf.Writer.create().uint32(n).finish();
const tag = (field: number) => varint((field << 3) | 2);

/** VGG-16 (torchvision cfg D) as ONNX nodes; weights listed with their payload sizes. */
function vgg16Model(): { model: EncModel; weights: EncTensor[] } {
  const cfg: (number | 'M')[] = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'];
  const nodes: EncNode[] = [];
  const weights: EncTensor[] = [];
  let x = 'input';
  let c = 3;
  cfg.forEach((v, i) => {
    if (v === 'M') {
      nodes.push({ op: 'MaxPool', name: `pool${i}`, inputs: [x], outputs: [`p${i}`], attrs: { kernel_shape: [2, 2], strides: [2, 2] } });
      x = `p${i}`;
      return;
    }
    weights.push({ name: `w${i}`, dims: [v, c, 3, 3] }, { name: `b${i}`, dims: [v] });
    nodes.push({ op: 'Conv', name: `conv${i}`, inputs: [x, `w${i}`, `b${i}`], outputs: [`c${i}`], attrs: { pads: [1, 1, 1, 1], kernel_shape: [3, 3] } });
    nodes.push({ op: 'Relu', name: `relu${i}`, inputs: [`c${i}`], outputs: [`r${i}`] });
    x = `r${i}`;
    c = v;
  });
  nodes.push({ op: 'Flatten', name: 'flatten', inputs: [x], outputs: ['f'] });
  x = 'f';
  [[4096, 25088], [4096, 4096], [1000, 4096]].forEach(([o, i], k) => {
    weights.push({ name: `fc${k}.w`, dims: [o, i] }, { name: `fc${k}.b`, dims: [o] });
    nodes.push({ op: 'Gemm', name: `fc${k}`, inputs: [x, `fc${k}.w`, `fc${k}.b`], outputs: [`g${k}`], attrs: { transB: 1 } });
    x = `g${k}`;
  });
  return { model: { opset: 13, nodes, inputs: [{ name: 'input', dims: ['batch', 3, 224, 224] }], outputs: [x] }, weights };
}

/** Streams the model to `file`; returns its size in bytes. Payload bytes are zeros (only dims matter). */
function writeLargeModel(file: string): number {
  const { model, weights } = vgg16Model();
  const small = encodeGraph(model).finish();
  const inits = weights.map((t) => {
    const head = writeTensor(protobuf.Writer.create(), t).finish();
    const payload = t.dims.reduce((p, d) => p * d, 1) * 4;
    const raw = [tag(9), varint(payload)];
    const len = head.length + raw[0].length + raw[1].length + payload;
    return { head, raw, payload, wrap: [tag(5), varint(len)], len };
  });
  const graphLen = small.length + inits.reduce((s, i) => s + i.wrap[0].length + i.wrap[1].length + i.len, 0);
  const fd = fs.openSync(file, 'w');
  const zeros = new Uint8Array(16 << 20);
  let size = 0;
  const put = (b: Uint8Array) => {
    fs.writeSync(fd, b);
    size += b.length;
  };
  try {
    put(encodeModelHeader(model).finish());
    put(tag(7));
    put(varint(graphLen));
    put(small);
    for (const i of inits) {
      [...i.wrap, i.head, ...i.raw].forEach(put);
      for (let left = i.payload; left > 0; left -= zeros.length) put(zeros.subarray(0, Math.min(left, zeros.length)));
    }
  } finally {
    fs.closeSync(fd);
  }
  return size;
}

export default async function run() {
  const file = path.join(os.tmpdir(), `retile-bench-${process.pid}.onnx`);
  try {
    const bytesOnDisk = writeLargeModel(file);
    let t = performance.now();
    const bytes = fs.readFileSync(file);
    const readS = (performance.now() - t) / 1000;
    const before = process.memoryUsage();
    t = performance.now();
    const s = summarize(importOnnx(bytes, 'vgg16-large.onnx'));
    const importS = (performance.now() - t) / 1000;
    const after = process.memoryUsage();
    const zoo = summarize(zooGraph('vgg16'));
    if (s.params !== zoo.params || s.macs !== zoo.macs) throw new Error(`figures differ from zoo vgg16: ${s.params}/${s.macs}`);
    const mb = bytesOnDisk / 1e6;
    const result = {
      file_mb: Math.round(mb * 10) / 10,
      read_s: Math.round(readS * 1000) / 1000,
      import_s: Math.round(importS * 1000) / 1000,
      import_mb_per_s: Math.round(mb / importS),
      // Extra ArrayBuffer memory during import: ~0 means the payload was not copied.
      extra_array_buffer_mb: Math.round(((after.arrayBuffers - before.arrayBuffers) / 1e6) * 10) / 10,
      under_3_s: importS < 3,
      params: s.params,
      macs: s.macs,
    };
    process.stdout.write(`ONNX import: ${result.file_mb} MB in ${result.import_s} s = ${result.import_mb_per_s} MB/s (read ${result.read_s} s)\n`);
    return result;
  } finally {
    fs.rmSync(file, { force: true });
  }
}
