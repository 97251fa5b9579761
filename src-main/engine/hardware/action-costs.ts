/**
 * The chip's action-cost table: the energy and time of every action a component performs, and
 * the static power the power policy charges, computed once per chip from the component models
 * (components.ts) and the spec. Every consumer (the analytic profile, the event simulator's
 * scenario, the optimizer, reprogramming) reads its per-action costs here rather than deriving
 * them again, as Accelergy's energy reference table does for its simulators.
 *
 * Convention: a component's power_mw is its power at full activity, leakage included (as ISAAC
 * Table I publishes it), so an action's energy is (power - leakage) over the action rate at full
 * activity, and a fully busy chip draws exactly the rolled-up power. SI units (J, s, W).
 * Formulas and sources: docs/cost-model.md.
 */
import type { ChipSpec } from './spec';
import { perChip, resolvedComponents, type ResolvedUnit } from './components';
import { bufferCosts } from './buffers';
import { vfuLanesPerTile } from './digital-units';
import { writeVerifyIterations } from './write-verify';

const NS = 1e-9;
const MW = 1e-3;
const PJ = 1e-12;

/** One action: the energy it takes and how long the unit is busy doing it. */
export interface ActionCost {
  energyJ: number;
  timeS: number;
}

export interface ActionCostTable {
  chip: string;
  /** One input cycle: max(crossbar read, conversions of the columns an ADC serves). */
  cycleS: number;
  /** Input cycles per MVM: ceil(b_a / b_dac). */
  inputCycles: number;
  /** One MVM on one crossbar, merge excluded: cycles x cycle + one shift-and-add. */
  mvmS: number;
  actions: {
    /** One cell read in one input cycle (time: the array's read latency). */
    cellRead: ActionCost;
    /** One ADC conversion (time: 1 / conversion rate). */
    adcConversion: ActionCost;
    /**
     * One DAC driving one row for one array read: the sample-and-hold keeps the column outputs
     * while the ADCs convert, so the row is released after the read (ISAAC: read = cycle = 100 ns).
     */
    dacDrive: ActionCost;
    /** One sample-and-hold sample. */
    sample: ActionCost;
    /** One shift-and-add (the PE's S+A units keep pace with its ADCs). */
    shiftAdd: ActionCost;
    /** The input and output registers of a PE, per crossbar-cycle. */
    registersPerCrossbarCycle: ActionCost;
    /** The tile's extra digital units busy with the crossbars (sigmoid, pooling, output register), per crossbar-cycle. */
    tileDigitalPerCrossbarCycle: ActionCost;
    /** The tile's extra digital units busy once per MVM (activity `merge`: the adder tree over its PEs), per tile and MVM with every column converted. */
    tileMergePerMvm: ActionCost;
    /** One byte through the tile buffer and its bus to a PE (buffers.ts; time: the port's time per byte, banks in parallel). */
    edramByte: ActionCost;
    /** One flit through one router and its output link. */
    flitHop: ActionCost;
    /** One activation x activation MAC: the VFU's multiply and add energies, at the tile's matmul rate (digital-units.ts). */
    digitalMac: ActionCost;
    /** Programming one cell: its pulse and verify iterations (cells written together share the time: costs.ts tileProgramS). */
    cellWrite: ActionCost;
    /** One byte over the off-chip links. */
    offchipByte: ActionCost;
  };
  /** Static power (W) of one tile (its router share included) and of one PE. */
  staticW: { tile: number; pe: number };
  /** Waking one power-gated tile (power_policy `idle`): latency and energy (break-even cycles of its leakage). */
  wake: ActionCost;
}

const dyn = (u: { power_mw: number; leakage_mw: number }) => (u.power_mw - u.leakage_mw) * MW;
const leak = (u: ResolvedUnit | { count: number; leakage_mw: number }) => u.count * u.leakage_mw * MW;

function build(chip: ChipSpec): ActionCostTable {
  const r = resolvedComponents(chip);
  const pe = r.pe;
  const t = chip.tile;
  const cycleS = r.cycleNs * NS;
  const clockHz = chip.clock_ghz * 1e9;
  const inputCycles = Math.ceil(chip.precision.activation_bits / chip.pe.dac.bits);
  const shiftAddS = chip.pe.shift_add.latency_ns * NS;
  const conversionS = 1 / (pe.adc.sample_rate_gsps * 1e9);
  const crossbarsPerTile = t.pes * chip.pe.crossbar.count;
  const extrasW = (activity: 'cycles' | 'merge') => t.extras.reduce((s, e) => s + (e.activity === activity ? e.count * dyn(e) : 0), 0);
  const mergeS = Math.max(1, Math.ceil(Math.log2(t.pes))) / clockHz;
  const flitRate = (t.link_bandwidth_gbps * 1e9) / t.router.flit_bits;
  const buffer = bufferCosts(chip);
  const vfuLanes = vfuLanesPerTile(chip);
  const peStaticW = leak(pe.crossbar) + leak(pe.adc) + leak(pe.dac) + leak(pe.sample_hold) + leak(pe.shift_add) + leak(pe.input_register) + leak(pe.output_register);
  const tileStaticW =
    t.pes * peStaticW +
    leak(t.edram) +
    leak(t.bus) +
    leak(t.router) / chip.topology.concentration +
    t.extras.reduce((s, e) => s + leak(e), 0) +
    vfuLanes * t.vfu.leakage_mw * MW;
  const clockS = 1 / clockHz;
  const cellReadJ = (dyn(pe.crossbar) * cycleS) / (chip.pe.crossbar.rows * chip.pe.crossbar.cols);
  const verifies = writeVerifyIterations(chip);
  return {
    chip: chip.name,
    cycleS,
    inputCycles,
    mvmS: inputCycles * cycleS + shiftAddS,
    actions: {
      cellRead: { energyJ: cellReadJ, timeS: chip.device.read_latency_ns * NS },
      adcConversion: { energyJ: dyn(pe.adc) * conversionS, timeS: conversionS },
      dacDrive: { energyJ: dyn(pe.dac) * chip.device.read_latency_ns * NS, timeS: chip.device.read_latency_ns * NS },
      sample: { energyJ: dyn(pe.sample_hold) * cycleS, timeS: cycleS },
      shiftAdd: { energyJ: (pe.shift_add.count * dyn(pe.shift_add) * conversionS) / pe.adc.count, timeS: shiftAddS },
      registersPerCrossbarCycle: {
        energyJ: ((pe.input_register.count * dyn(pe.input_register) + pe.output_register.count * dyn(pe.output_register)) * cycleS) / pe.crossbar.count,
        timeS: cycleS,
      },
      tileDigitalPerCrossbarCycle: { energyJ: (extrasW('cycles') * cycleS) / crossbarsPerTile, timeS: cycleS },
      tileMergePerMvm: { energyJ: extrasW('merge') * mergeS, timeS: mergeS },
      edramByte: {
        energyJ: buffer.byteJ + (t.bus.count * dyn(t.bus)) / ((t.bus.wires / 8) * clockHz),
        timeS: 1 / buffer.bandwidthBytesPerS,
      },
      flitHop: { energyJ: dyn(t.router) / (t.router.ports * flitRate), timeS: t.router.hop_latency_ns * NS },
      digitalMac: { energyJ: (t.vfu.op_energy_pj.mul + t.vfu.op_energy_pj.add) * PJ, timeS: 1 / (t.digital_macs_per_cycle * clockHz) },
      // One pulse, then per verify iteration a read of the cell and another pulse (write-verify).
      cellWrite: {
        energyJ: chip.device.write_energy_pj * PJ + verifies * (cellReadJ + chip.device.write_energy_pj * PJ),
        timeS: (chip.device.write_latency_ns + verifies * (chip.device.read_latency_ns + chip.device.write_latency_ns)) * NS,
      },
      offchipByte: { energyJ: chip.io.power_w / (chip.io.bandwidth_gbs * 1e9), timeS: 1 / (chip.io.bandwidth_gbs * 1e9) },
    },
    staticW: { tile: tileStaticW, pe: peStaticW },
    wake: { energyJ: tileStaticW * chip.power_gating.break_even_cycles * clockS, timeS: chip.power_gating.wake_latency_cycles * clockS },
  };
}

/** The chip's action-cost table, computed once per chip object. */
export const actionCosts = perChip(build);
