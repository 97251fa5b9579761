/**
 * The model zoo registry: names, definitions and their settings — batch, an input shape for the
 * image models whose definition allows one (`--input CxHxW`: CIFAR-size variants), and named
 * dimensions for sequence models (`--dim seq=N`, `--dim kv=N` for the decode steps).
 */
import { badInput } from '../../errors';
import type { Graph, Shape } from '../ir';
import { MAX_BATCH } from '../../limits';
import { alexnet, lenet5, vgg, vgg8Cifar } from './cnn';
import { convnextTiny, swinT } from './hierarchical';
import { mnsimAlexnet, mnsimLenet, mnsimResnet18, mnsimVgg16, mnsimVgg8 } from './mnsim';
import { densenet121, googlenet, mobilenetV2, squeezenet11 } from './mobile';
import { resnet, resnetCifar } from './resnet';
import { BERT_BASE, BERT_LARGE, GPT2, GPT2_MEDIUM, VIT_B_16, VIT_L_16, bert, gpt2, vit, whisperTinyEncoder } from './transformer';

export interface ZooOptions {
  /** Batch size (default 1). */
  batch?: number;
  /** Sequence length of language models (same as `dims.seq`; default 128). */
  seqLen?: number;
  /** Input shape C x H x W (or N x C x H x W) of an image model whose definition allows it. */
  input?: Shape;
  /** Named dimensions: `seq` (tokens of BERT and GPT-2 prefill), `kv` (cached tokens of a decode step), `batch`. */
  dims?: Record<string, number>;
}

interface Settings {
  batch: number;
  /** N x C x H x W of image models. */
  input: Shape;
  dims: Record<string, number | undefined>;
}

interface ZooEntry {
  /** Default C x H x W for image models that accept another input size; absent: the input is fixed by the definition. */
  image?: [number, number, number];
  /** Named dimensions the model reads (besides batch). */
  dims?: string[];
  build(o: Settings): Graph;
}

const IMAGENET: [number, number, number] = [3, 224, 224];
const CIFAR: [number, number, number] = [3, 32, 32];

const ENTRIES: Record<string, ZooEntry> = {
  lenet5: { image: [1, 32, 32], build: (o) => lenet5(o.input) },
  alexnet: { image: IMAGENET, build: (o) => alexnet(o.input) },
  'vgg8-cifar': { image: CIFAR, build: (o) => vgg8Cifar(o.input) },
  vgg11: { image: IMAGENET, build: (o) => vgg('vgg11', o.input) },
  vgg16: { image: IMAGENET, build: (o) => vgg('vgg16', o.input) },
  vgg19: { image: IMAGENET, build: (o) => vgg('vgg19', o.input) },
  resnet18: { image: IMAGENET, build: (o) => resnet('resnet18', o.input) },
  resnet34: { image: IMAGENET, build: (o) => resnet('resnet34', o.input) },
  resnet50: { image: IMAGENET, build: (o) => resnet('resnet50', o.input) },
  resnet101: { image: IMAGENET, build: (o) => resnet('resnet101', o.input) },
  'resnet20-cifar': { image: CIFAR, build: (o) => resnetCifar('resnet20-cifar', o.input) },
  'resnet56-cifar': { image: CIFAR, build: (o) => resnetCifar('resnet56-cifar', o.input) },
  mobilenet_v2: { image: IMAGENET, build: (o) => mobilenetV2(o.input) },
  googlenet: { image: IMAGENET, build: (o) => googlenet(o.input) },
  squeezenet1_1: { image: IMAGENET, build: (o) => squeezenet11(o.input) },
  densenet121: { image: IMAGENET, build: (o) => densenet121(o.input) },
  convnext_tiny: { build: (o) => convnextTiny(o.batch) },
  swin_t: { build: (o) => swinT(o.batch) },
  vit_b_16: { build: (o) => vit(VIT_B_16, o.batch) },
  vit_l_16: { build: (o) => vit(VIT_L_16, o.batch) },
  bert_base: { dims: ['seq'], build: (o) => bert(BERT_BASE, o.batch, o.dims.seq) },
  bert_large: { dims: ['seq'], build: (o) => bert(BERT_LARGE, o.batch, o.dims.seq) },
  gpt2: { dims: ['seq'], build: (o) => gpt2(GPT2, o.batch, { seq: o.dims.seq }) },
  gpt2_medium: { dims: ['seq'], build: (o) => gpt2(GPT2_MEDIUM, o.batch, { seq: o.dims.seq }) },
  'gpt2-decode': { dims: ['kv'], build: (o) => gpt2(GPT2, o.batch, { kv: o.dims.kv ?? 128 }) },
  'gpt2_medium-decode': { dims: ['kv'], build: (o) => gpt2(GPT2_MEDIUM, o.batch, { kv: o.dims.kv ?? 128 }) },
  whisper_tiny_encoder: { build: (o) => whisperTinyEncoder(o.batch) },
  'mnsim-lenet': { image: CIFAR, build: (o) => mnsimLenet(o.input) },
  'mnsim-alexnet': { image: CIFAR, build: (o) => mnsimAlexnet(o.input) },
  'mnsim-vgg8': { image: CIFAR, build: (o) => mnsimVgg8(o.input) },
  'mnsim-vgg16': { image: CIFAR, build: (o) => mnsimVgg16(o.input) },
  'mnsim-resnet18': { image: CIFAR, build: (o) => mnsimResnet18(o.input) },
};

/** Every zoo model name, in display order. */
export const ZOO_NAMES: string[] = Object.keys(ENTRIES);

export function isZooName(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(ENTRIES, name);
}

export function checkBatch(batch: number, file?: string): number {
  if (!Number.isSafeInteger(batch) || batch < 1 || batch > MAX_BATCH)
    throw badInput(`batch ${batch} must be an integer in 1..${MAX_BATCH}`, { file, field: 'batch' });
  return batch;
}

/** Builds a zoo model with shapes inferred. Throws RetileError 'bad-input' for an unknown name or a setting the model does not have. */
export function zooGraph(name: string, opts: ZooOptions = {}): Graph {
  if (!isZooName(name)) throw badInput(`unknown zoo model '${name}'; valid names: ${ZOO_NAMES.join(', ')}`, { field: 'model' });
  const e = ENTRIES[name];
  const dims: Record<string, number | undefined> = { ...opts.dims };
  if (opts.seqLen !== undefined) dims.seq = opts.seqLen;
  const batch = checkBatch(opts.batch ?? dims.batch ?? 1);
  delete dims.batch;
  const unknown = Object.keys(dims).filter((k) => !(e.dims ?? []).includes(k));
  if (unknown.length)
    throw badInput(`${name} has no dimension ${unknown.map((k) => `'${k}'`).join(', ')}${e.dims ? `; its dimensions: ${e.dims.join(', ')}` : ' (it has none besides batch)'}`, { field: 'dims' });
  let input: Shape = e.image ? [batch, ...e.image] : [];
  if (opts.input) {
    if (!e.image) throw badInput(`${name} has an input fixed by its definition; --input applies to the image models (${ZOO_NAMES.filter((n) => ENTRIES[n].image).join(', ')})`, { field: 'input' });
    const given = opts.input.length === 3 ? [batch, ...opts.input] : opts.input;
    if (given.length !== 4) throw badInput(`${name} takes an input of C x H x W (or N x C x H x W), got ${opts.input.join('x')}`, { field: 'input' });
    input = given;
  }
  return e.build({ batch: input[0] ?? batch, input, dims });
}
