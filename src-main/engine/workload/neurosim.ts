/**
 * DNN+NeuroSim network descriptions (the NetWork_*.csv files of neurosim/DNN_NeuroSim_V1.3,
 * Inference_pytorch/NeuroSIM): one row per conv or fc layer, eight integers
 *   IFM height, IFM width, IFM channels, kernel height, kernel width, OFM channels, pool-after flag, stride.
 * NeuroSim pads convolutions to keep the map ("same": OFM = ceil(IFM / stride)), has no biases,
 * and describes a fully connected layer as a 1x1 kernel on a 1x1 map of `in` channels. A row
 * reads the latest earlier output of its IFM shape (shortcut convolutions in NetWork_ResNet18.csv
 * read a block input, not the row before them); a pooling flag reduces the output to the next
 * row's IFM size (max pooling, which has no MACs).
 */
import { badInput } from '../errors';
import { GraphBuilder } from './builder';
import type { Graph } from './ir';
import { numel } from './shapes';

type Row = [number, number, number, number, number, number, number, number];

function parseRows(text: string, file: string): Row[] {
  const rows: Row[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (!t || t.startsWith('#')) return;
    const cells = t.split(',').map((c) => c.trim()).filter((c, j, all) => c !== '' || j < all.length - 1);
    const nums = cells.map(Number);
    if (cells.length !== 8 || nums.some((n) => !Number.isSafeInteger(n) || n < 0))
      throw badInput(`row ${i + 1} '${t.slice(0, 80)}' is not 8 non-negative integers (IFM H, IFM W, IFM C, kH, kW, OFM C, pool flag, stride)`, { file });
    const [h, w, c, kh, kw, oc, , s] = nums;
    if ([h, w, c, kh, kw, oc, s].some((n) => n < 1)) throw badInput(`row ${i + 1}: sizes, channels and stride must be at least 1`, { file });
    rows.push(nums as Row);
  });
  if (rows.length === 0) throw badInput('no layer rows: a NeuroSim network CSV has one row of 8 integers per layer', { file });
  return rows;
}

/** Imports a NeuroSim network CSV as a graph (batch 1). `file` names the file in errors. */
export function importNeurosimCsv(text: string, file: string): Graph {
  const rows = parseRows(text, file);
  const name = file.replace(/^.*[\\/]/, '').replace(/\.csv$/i, '');
  const b = new GraphBuilder(name, file);
  const [h0, w0, c0] = rows[0];
  // Outputs so far, latest last: node name and shape [1, C, H, W].
  const outputs: { node: string; shape: number[] }[] = [{ node: b.input([1, c0, h0, w0]), shape: [1, c0, h0, w0] }];
  rows.forEach(([h, w, c, kh, kw, oc, pool, s], i) => {
    const label = `row ${i + 1}`;
    const fcRow = h === 1 && w === 1;
    const match = [...outputs].reverse().find((o) => (fcRow ? numel(o.shape) === c : o.shape[1] === c && o.shape[2] === h && o.shape[3] === w));
    if (!match) throw badInput(`no earlier layer produces a ${h}x${w}x${c} map for this layer to read`, { file, node: label });
    let y: string;
    if (fcRow) {
      if (kh !== 1 || kw !== 1) throw badInput(`a 1x1 map needs a 1x1 kernel (a fully connected layer), got ${kh}x${kw}`, { file, node: label });
      const x = match.shape.length === 2 ? match.node : b.flatten(`${label}.flatten`, match.node);
      y = b.fc(`${label}.fc`, x, oc, false, 'NeuroSim FC');
      outputs.push({ node: y, shape: b.shape(y) });
      return;
    }
    y = b.conv(`${label}.conv`, match.node, { out: oc, k: [kh, kw], s, p: samePads(h, w, kh, kw, s), bias: false, sourceOp: 'NeuroSim Conv' });
    if (pool) {
      const [, , oh, ow] = b.shape(y);
      const next = rows[i + 1];
      // The next row's IFM, or for a fully connected next row the square map its inputs flatten from.
      const side = next ? Math.sqrt(next[2] / oc) : 0;
      const [th, tw] = !next ? [Math.ceil(oh / 2), Math.ceil(ow / 2)] : next[0] === 1 && next[1] === 1 ? [side, side] : [next[0], next[1]];
      if (!Number.isInteger(th) || !Number.isInteger(tw)) throw badInput(`the next row's ${next![2]} inputs are not a square map of ${oc} channels`, { file, node: label });
      if (oh % th !== 0 || ow % tw !== 0) throw badInput(`pooling ${oh}x${ow} to the next row's ${th}x${tw} is not a whole window`, { file, node: label });
      y = b.pool('maxpool', `${label}.pool`, y, { k: [oh / th, ow / tw], sourceOp: 'NeuroSim pool' });
    }
    outputs.push({ node: y, shape: b.shape(y) });
  });
  return b.build();
}

/** NeuroSim's "same" padding: OFM = ceil(IFM / stride), the extra row/column at the end. */
function samePads(h: number, w: number, kh: number, kw: number, s: number): [number, number, number, number] {
  const total = (len: number, k: number) => Math.max(0, (Math.ceil(len / s) - 1) * s + k - len);
  const [ph, pw] = [total(h, kh), total(w, kw)];
  return [Math.floor(ph / 2), Math.floor(pw / 2), ph - Math.floor(ph / 2), pw - Math.floor(pw / 2)];
}
