/** Spec tenants take the same shape settings as the CLI: `input` and `dims`. */
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../../src-main/service/spec-loader';
import { summarize } from '../../../src-main/engine/workload';

const spec = (tenants: unknown[]) => ({ chip: 'isaac', tenants });

describe('spec tenants: input and dims', () => {
  it('builds a zoo model at the given input shape and sequence length', () => {
    const s = loadSpec(spec([{ model: 'resnet18', input: '3x32x32' }, { model: 'gpt2', dims: { seq: 64 } }]), 'mix.json', '.');
    expect(s.models[0].graph.inputShape).toEqual([1, 3, 32, 32]);
    expect(s.models[0].model).toBe('resnet18 --input 3x32x32');
    expect(summarize(s.models[1].graph).act_act_macs).toBe(12 * 2 * 64 * 64 * 768);
    // Two bindings of the same model are stored as two graphs.
    expect(s.models[0].file!.sha256).not.toBe(s.models[1].file!.sha256);
  });

  it('names the tenant field of a bad setting', () => {
    expect(() => loadSpec(spec([{ model: 'vit_b_16', input: '3x32x32' }]), 'bad.json', '.')).toThrow(/^bad\.json, field 'tenants\.0\.input': vit_b_16 has an input fixed by its definition/);
    expect(() => loadSpec(spec([{ model: 'gpt2', dims: { kv: 3 } }]), 'bad.json', '.')).toThrow(/^bad\.json, field 'tenants\.0\.dims': gpt2 has no dimension 'kv'/);
    expect(() => loadSpec(spec([{ model: 'resnet18', input: '3by32' }]), 'bad.json', '.')).toThrow(/^bad\.json, field 'tenants\.0\.input': '3by32' is not an input shape/);
  });
});
