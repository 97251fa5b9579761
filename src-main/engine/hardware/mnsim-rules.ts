/**
 * MNSIM 2.0's (Zhu et al., TCAD 2023; thu-nics/MNSIM-2.0) device and buffer energy rules, used by
 * the `mnsim` preset and the SimConfig.ini importer so that both charge what MNSIM charges.
 * Formulas and the choice between MNSIM's rule and Retile's own: docs/cost-model.md, "Presets".
 */

/**
 * Read power of an array's used cells under MNSIM's Device.py rule (mW): every cell at
 * V_eff^2 x G, where V_eff^2 = 0.9 x 0^2 + 0.1 x V_read^2 (one input bit in ten is a 1, MNSIM's
 * activity assumption) and G = 0.67 / R_off + 0.33 / R_on (a third of the cells in the low-resistance
 * state). Default device (0.15 V, 1e4 / 1e6 ohm): 7.58e-8 W per cell, 4.97 mW per 256 x 256 array.
 */
export function mnsimArrayReadPowerMw(rows: number, cols: number, readVoltageV: number, rOnOhm: number, rOffOhm: number): number {
  const vEff2 = 0.1 * readVoltageV ** 2;
  const g = 0.67 / rOffOhm + 0.33 / rOnOhm;
  return rows * cols * vEff2 * g * 1e3;
}

/**
 * MNSIM's Buffer.py SRAM table at 90 nm for a buffer of at most 2 KB with a 64-bit port (its
 * mapper sizes every PE input and tile output buffer at 0.125 to 0.5 KB): dynamic energy per
 * access (pJ), leakage (mW) and the hard-coded 20 ns access time.
 */
export const MNSIM_SRAM = { readPj: 7.5695, writePj: 13.1361, leakageMw: 1.006428, accessNs: 20 };

/** A tile's buffers in MNSIM: one input buffer per PE (4 PEs) and the tile output buffer. */
export const MNSIM_TILE_BUFFERS = 4 + 1;

/**
 * Energy MNSIM charges a tile per 64-bit buffer access (pJ). MNSIM's Model_energy.py multiplies a
 * tile's buffer power, the five buffers' read (or write) power with their leakage
 * (Buffer.py: dynamic energy / 20 ns + leakage), by the tile's buffer access time: per read
 * 5 x (7.5695 + 1.006428 x 20) = 138.5 pJ, per write 5 x (13.1361 + 20.129) = 166.3 pJ. Retile's
 * buffer has one energy per access: their mean, 152.4 pJ.
 */
export function mnsimTileBufferAccessPj(): number {
  const s = MNSIM_SRAM;
  const read = MNSIM_TILE_BUFFERS * (s.readPj + s.leakageMw * s.accessNs);
  const write = MNSIM_TILE_BUFFERS * (s.writePj + s.leakageMw * s.accessNs);
  return (read + write) / 2;
}
