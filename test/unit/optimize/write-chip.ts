/**
 * The chip of the hand-calculated write tests (phase-writes, round-writes): ISAAC tiles on a 2x2
 * mesh with one PE each, the write power uncapped (programming is never the limit), a 1 GB/s
 * off-chip link (the weights' transfer sets the write time) and open-loop writes (no verify
 * iterations), so every write time and energy is a short hand calculation.
 */
import { chipPreset } from '../../../src-main/engine/hardware';
import { applySettings } from '../../../src-main/engine/hardware/settings';

export const WRITE_TEST_CHIP = applySettings(chipPreset('isaac', [2, 2]), [
  { path: 'tile.pes', value: 1 },
  { path: 'tile.write_power_mw', value: 1e6 },
  { path: 'io.bandwidth_gbs', value: 1 },
  { path: 'device.write_verify_iterations', value: 0 },
], 'test');
