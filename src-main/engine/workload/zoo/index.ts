/** The model zoo registry: names, definitions and the batch / sequence-length settings. */
import { badInput } from '../../errors';
import type { Graph } from '../ir';
import { MAX_BATCH } from '../limits';
import { alexnet, lenet5, vgg, vgg8Cifar } from './cnn';
import { densenet121, googlenet, mobilenetV2, squeezenet11 } from './mobile';
import { resnet, resnetCifar } from './resnet';
import { bertBase, vitB16 } from './transformer';

export interface ZooOptions {
  /** Batch size (default 1). */
  batch?: number;
  /** Sequence length of language models (bert_base; default 128). */
  seqLen?: number;
}

const BUILDERS: Record<string, (o: Required<ZooOptions>) => Graph> = {
  lenet5: (o) => lenet5(o.batch),
  alexnet: (o) => alexnet(o.batch),
  'vgg8-cifar': (o) => vgg8Cifar(o.batch),
  vgg11: (o) => vgg('vgg11', o.batch),
  vgg16: (o) => vgg('vgg16', o.batch),
  vgg19: (o) => vgg('vgg19', o.batch),
  resnet18: (o) => resnet('resnet18', o.batch),
  resnet34: (o) => resnet('resnet34', o.batch),
  resnet50: (o) => resnet('resnet50', o.batch),
  resnet101: (o) => resnet('resnet101', o.batch),
  'resnet20-cifar': (o) => resnetCifar('resnet20-cifar', o.batch),
  'resnet56-cifar': (o) => resnetCifar('resnet56-cifar', o.batch),
  mobilenet_v2: (o) => mobilenetV2(o.batch),
  googlenet: (o) => googlenet(o.batch),
  squeezenet1_1: (o) => squeezenet11(o.batch),
  densenet121: (o) => densenet121(o.batch),
  vit_b_16: (o) => vitB16(o.batch),
  bert_base: (o) => bertBase(o.batch, o.seqLen),
};

/** Every zoo model name, in display order. */
export const ZOO_NAMES: string[] = Object.keys(BUILDERS);

export function isZooName(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(BUILDERS, name);
}

export function checkBatch(batch: number, file?: string): number {
  if (!Number.isSafeInteger(batch) || batch < 1 || batch > MAX_BATCH)
    throw badInput(`batch ${batch} must be an integer in 1..${MAX_BATCH}`, { file, field: 'batch' });
  return batch;
}

/** Builds a zoo model with shapes inferred. Throws RetileError 'bad-input' for an unknown name. */
export function zooGraph(name: string, opts: ZooOptions = {}): Graph {
  if (!isZooName(name)) throw badInput(`unknown zoo model '${name}'; valid names: ${ZOO_NAMES.join(', ')}`, { field: 'model' });
  return BUILDERS[name]({ batch: checkBatch(opts.batch ?? 1), seqLen: opts.seqLen ?? 128 });
}
