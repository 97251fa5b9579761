/**
 * The tile buffer (ISAAC's eDRAM, PUMA's eDRAM, MNSIM's SRAM buffer) as a resource: capacity,
 * port width, access time, banks and energy per access. Formulas and sources: docs/cost-model.md,
 * "Buffers".
 */
import type { ChipSpec } from './spec';

const NS = 1e-9;
const MW = 1e-3;

export interface BufferCosts {
  /** size_kb x 1024 bytes. */
  capacityBytes: number;
  /** Bytes one access moves: the port (bus) width bus_bits / 8. */
  wordBytes: number;
  /** One access of one bank (s). */
  accessS: number;
  banks: number;
  /** Port bandwidth of the whole buffer: banks x word / access time (bytes/s). */
  bandwidthBytesPerS: number;
  /**
   * Dynamic energy of one word access: (power - leakage) x access time / banks, so a buffer whose
   * banks are all busy draws its published power. ISAAC: 20.24 mW x 2 ns / 2 = 20.2 pJ.
   */
  accessJ: number;
  /** accessJ / wordBytes. */
  byteJ: number;
}

export function bufferCosts(chip: ChipSpec): BufferCosts {
  const b = chip.tile.edram;
  const wordBytes = b.bus_bits / 8;
  const accessS = b.access_latency_ns * NS;
  const accessJ = (b.count * (b.power_mw - b.leakage_mw) * MW * accessS) / b.banks;
  return {
    capacityBytes: b.size_kb * 1024 * b.count,
    wordBytes,
    accessS,
    banks: b.banks,
    bandwidthBytesPerS: (b.banks * wordBytes) / accessS,
    accessJ,
    byteJ: accessJ / wordBytes,
  };
}

/** Port time of moving `bytes` through the buffer: whole-word accesses spread over the banks (s). */
export function bufferTimeS(chip: ChipSpec, bytes: number): number {
  if (bytes <= 0) return 0;
  const c = bufferCosts(chip);
  return (Math.ceil(bytes / c.wordBytes) * c.accessS) / c.banks;
}
