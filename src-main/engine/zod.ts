/**
 * Zod as Retile parses with it: every schema is built from this module's `z`, never from 'zod'
 * directly (eslint.config.js), so that the setting below holds before the first schema exists.
 *
 * Jitless: by default Zod compiles a parser for each object schema with `new Function` the first
 * time it parses. Retile parses an input once (a chip, a spec, an API call), mostly in a fresh
 * process, where that compilation cost more than it saved: the first `chipPreset` of a cold
 * process took 18-22 ms compiled and 4-6 ms jitless, and later parses were no slower
 * (docs/performance.md, "Start-up of a cold process"). The renderer's strict CSP forbids
 * `new Function` anyway; jitless also spares it Zod's probe for it, which a CSP reports as a violation.
 */
import { z } from 'zod';

z.config({ jitless: true });

export { z };
