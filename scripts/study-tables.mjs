// Rewrites the generated parts of docs/study.md from docs/study/study.json (written by
// `retile study --out docs/study`) and, for the steady state, bench/results/study-serve.json
// (written by `npm run bench study-serve`): the text between `<!-- study-tables:begin NAME -->` and
// `<!-- study-tables:end NAME -->`, on one line or on the lines between; prose outside the markers
// is left as it is. `npm run study:tables` writes the file; `--check` exits 1 when it is not what
// the data renders (test/unit/foundation/study-tables.test.ts checks the same).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DOC_PATH = join(root, 'docs/study.md');
export const DATA_PATH = join(root, 'docs/study/study.json');
export const SERVE_PATH = join(root, 'bench/results/study-serve.json');

const BASELINES = ['direct', 'balanced', 'sequential'];
const SHORT_BASE = { direct: 'dir.', balanced: 'bal.', sequential: 'seq.' };
const STRATEGIES = [['tenant', 'T'], ['operator', 'O'], ['learning-rate', 'LR'], ['collaborative', 'C']];
/** How the prose names a strategy or baseline. */
const PROSE = { tenant: 'tenant-only', operator: 'operator-only', 'learning-rate': 'learning-rate', collaborative: 'collaborative', direct: 'direct', balanced: 'balanced', sequential: 'sequential' };

const f = (x, d) => x.toFixed(d);
const ms = (s) => f(s * 1e3, 3);
const mj = (j) => f(j * 1e3, 2);
const ratio = (x) => f(x, 2);
const speedup = (c, base, s) => c.results[base].makespan_s / c.results[s].makespan_s;
const energyGain = (c, base, s) => c.results[base].energy_j / c.results[s].energy_j;
const bestOf = (c, s, of) => of(c, c.best_baseline, s);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const range = (xs, d = 2) => `${f(Math.min(...xs), d)}x-${f(Math.max(...xs), d)}x`;
/** A percentage by which a is above b, one decimal. */
const above = (a, b) => `${f((a / b - 1) * 100, 1)} %`;
const row = (cells) => `| ${cells.join(' | ')} |`;
/** A markdown table: its header row, the alignment row, then the rows. */
const table = (head, align, rows) => [row(head), `|${align.join('|')}|`, ...rows.map(row)].join('\n');
/** The "strategy / baseline" ratio columns of every strategy over each baseline. */
const ratioHeads = (strategies) => strategies.flatMap(([, k]) => BASELINES.map((b) => `${k} / ${SHORT_BASE[b]}`));
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

function speedupTable(cases) {
  const ratios = ratioHeads(STRATEGIES);
  const head = ['case', 'pressure', 'direct (ms)', 'balanced (ms)', 'sequential (ms)', 'best', ...ratios, '% of peak', 'chosen'];
  const align = ['---', '---:', '---:', '---:', '---:', '---', ...ratios.map(() => '---:'), '---:', '---'];
  return table(
    head,
    align,
    cases.map((c) => [
      c.id,
      f(c.pressure, 2),
      ...BASELINES.map((b) => ms(c.results[b].makespan_s)),
      c.best_baseline,
      ...STRATEGIES.flatMap(([s]) => BASELINES.map((b) => ratio(speedup(c, b, s)))),
      f(c.peak_fraction * 100, 2),
      c.chosen,
    ]),
  );
}

/** Energy of the baselines (mJ) and every strategy's gain over each; `energy(c, b)` a baseline's, `gain(c, b, s)` a strategy's. */
function energyRatioTable(cases, strategies, energy, gain) {
  const ratios = ratioHeads(strategies);
  const head = ['case', 'direct (mJ)', 'balanced (mJ)', 'sequential (mJ)', ...ratios];
  const align = ['---', '---:', '---:', '---:', ...ratios.map(() => '---:')];
  return table(head, align, cases.map((c) => [c.id, ...BASELINES.map((b) => mj(energy(c, b))), ...strategies.flatMap(([s]) => BASELINES.map((b) => ratio(gain(c, b, s))))]));
}

function energyTable(cases) {
  return energyRatioTable(cases, STRATEGIES, (c, b) => c.results[b].energy_j, energyGain);
}

/** "balanced in 19 cases and sequential in 5 (a, b, ...); direct in 0": the most frequent unnamed, the others with their cases. */
function countedWith(cases, key, names) {
  const groups = names.map((n) => ({ n, ids: cases.filter((c) => key(c) === n).map((c) => c.id) }));
  const seen = groups.filter((g) => g.ids.length > 0).sort((a, b) => b.ids.length - a.ids.length);
  const parts = seen.map((g, i) => (i === 0 ? `${PROSE[g.n] ?? g.n} in ${plural(g.ids.length, 'case', 'cases')}` : `${PROSE[g.n] ?? g.n} in ${g.ids.length} (${g.ids.join(', ')})`));
  const zero = groups.filter((g) => g.ids.length === 0).map((g) => `${PROSE[g.n] ?? g.n} in 0`);
  return [parts.join(' and '), ...zero].join('; ');
}

/** "learning-rate in 23 cases; operator-only in 1 case (four-torus-32x32)": the candidates collaborative returned, the most frequent unnamed. */
function chosen(cases) {
  const groups = [...new Set(cases.map((c) => c.chosen))].map((n) => ({ n, ids: cases.filter((c) => c.chosen === n).map((c) => c.id) }));
  groups.sort((a, b) => b.ids.length - a.ids.length);
  return groups.map((g, i) => `${PROSE[g.n] ?? g.n} in ${plural(g.ids.length, 'case', 'cases')}${i === 0 ? '' : ` (${g.ids.join(', ')})`}`).join('; ');
}

/** Mix and chip of a case id: "medium-torus-32x32" -> ["medium", "torus-32x32"]. */
const split = (id) => [id.slice(0, id.indexOf('-')), id.slice(id.indexOf('-') + 1)];

function remains(cases) {
  const mixes = [...new Set(cases.map((c) => split(c.id)[0]))];
  return mixes
    .map((mix) => {
      const items = cases
        .filter((c) => split(c.id)[0] === mix)
        .map((c) => `${split(c.id)[1]} ${ratio(speedup(c, 'direct', 'collaborative'))}x -> ${ratio(bestOf(c, 'collaborative', speedup))}x (${c.best_baseline})`);
      return `  - ${mix}: ${items.join('; ')}.`;
    })
    .join('\n');
}

/** Cases where the learning-rate candidate is slower (by simulated makespan) than `other`, with by how much. */
function slowerThan(cases, other) {
  const lost = cases.filter((c) => c.results['learning-rate'].makespan_s > c.results[other].makespan_s);
  return lost.length ? lost.map((c) => `${c.id} (${above(c.results['learning-rate'].makespan_s, c.results[other].makespan_s)})`).join(', ') : 'none';
}

function losses(cases) {
  const [d, b, s, t, o] = ['direct', 'balanced', 'sequential', 'tenant', 'operator'].map((x) => slowerThan(cases, x));
  return [
    `By simulated makespan the learning-rate candidate is slower than direct in: ${d};`,
    `than balanced in: ${b}; than sequential in: ${s}; than tenant-only in:`,
    `${t}; than operator-only in: ${o}.`,
  ].join('\n');
}

function energyLosses(cases) {
  const lost = cases.filter((c) => c.results['learning-rate'].energy_j > c.results.operator.energy_j);
  const list = lost.map((c) => `${c.id} (${above(c.results['learning-rate'].energy_j, c.results.operator.energy_j)})`).join(', ');
  return `${plural(lost.length, 'case', 'cases')}${lost.length ? `: ${list}` : ''}`;
}

/** Energy losses to operator-only where operator-only is at least 1 % slower: the speed that energy buys ("13 of the 15 operator-only is 3.1 %-97 % slower (a 17 %, ...)"). */
function energyLossSpeed(cases) {
  const lost = cases.filter((c) => c.results['learning-rate'].energy_j > c.results.operator.energy_j);
  const slower = lost
    .map((c) => ({ id: c.id, pct: (c.results.operator.makespan_s / c.results['learning-rate'].makespan_s - 1) * 100 }))
    .filter((x) => x.pct >= 1);
  const pct = (x) => `${x.toPrecision(2)} %`;
  const span = slower.length ? ` ${pct(Math.min(...slower.map((x) => x.pct)))}-${pct(Math.max(...slower.map((x) => x.pct)))}` : '';
  return `${slower.length} of the ${lost.length} operator-only is${span} slower (${slower.map((x) => `${x.id} ${pct(x.pct)}`).join(', ')})`;
}

/** Energy-delay product of the learning-rate candidate over operator-only's, in the cases where it uses more energy. */
function edp(cases) {
  const lost = cases.filter((c) => c.results['learning-rate'].energy_j > c.results.operator.energy_j);
  const r = lost.map((c) => {
    const l = c.results['learning-rate'];
    const o = c.results.operator;
    return { id: c.id, x: (l.energy_j * l.makespan_s) / (o.energy_j * o.makespan_s) };
  });
  const better = r.filter((e) => e.x < 1);
  const worse = r.filter((e) => e.x >= 1);
  // Worse cases grouped by their rounded ratio, highest first: "a (1.17x), b and c (1.02x) and d (1.01x)".
  const groups = [...new Set(worse.map((e) => ratio(e.x)))].sort((a, b) => Number(b) - Number(a)).map((v) => `${worse.filter((e) => ratio(e.x) === v).map((e) => e.id).join(' and ')} (${v}x)`);
  const list = groups.length > 1 ? `${groups.slice(0, -1).join(', ')} and ${groups.at(-1)}` : groups[0] ?? 'none';
  const range2 = better.length ? ` (${range(better.map((e) => e.x))} of its EDP)` : '';
  return `${better.length} of the ${lost.length}${range2} and worse in ${list}`;
}

function anneal(cases) {
  const won = cases.filter((c) => c.results.anneal && c.results.anneal.makespan_s < c.results.collaborative.makespan_s);
  return won.length ? `The seeded annealer beats collaborative in ${plural(won.length, 'case', 'cases')} (${won.map((c) => `${c.id}, ${above(c.results.collaborative.makespan_s, c.results.anneal.makespan_s)}`).join('; ')})` : 'The seeded annealer never beats collaborative here';
}

/** Two significant digits: 2.0x, 94x. */
const sig2 = (x) => (x >= 10 ? f(x, 0) : f(x, 1));

/** Every generated part, by marker name. */
export function renderStudyTables(cases) {
  const cd = cases.map((c) => speedup(c, 'direct', 'collaborative'));
  const cb = cases.map((c) => bestOf(c, 'collaborative', speedup));
  const ed = cases.map((c) => energyGain(c, 'direct', 'collaborative'));
  const eb = cases.map((c) => bestOf(c, 'collaborative', energyGain));
  const lrBal = cases.map((c) => speedup(c, 'balanced', 'learning-rate'));
  const bound = cases.map((c) => c.results.collaborative.makespan_s / c.lower_bound_s);
  const peak = cases.map((c) => c.peak_fraction * 100);
  return {
    cases: plural(cases.length, 'case', 'cases'),
    minutes: `${Math.round(cases.reduce((a, c) => a + c.seconds, 0) / 60)} min`,
    pressure: `${f(Math.min(...cases.map((c) => c.pressure)), 2)} to ${Math.round(Math.max(...cases.map((c) => c.pressure)))}`,
    speedup: speedupTable(cases),
    energy: energyTable(cases),
    'c-vs-direct': `${range(cd)} (median ${ratio(median(cd))}x), energy ${range(ed)}`,
    'c-vs-best': `${range(cb)} (median ${ratio(median(cb))}x), energy ${range(eb)}`,
    'c-speedup-vs-direct': range(cd),
    'c-speedup-vs-best': range(cb),
    'c-energy-vs-direct': range(ed),
    'c-energy-vs-best': range(eb),
    'c-max-vs-direct': `${Math.round(Math.max(...cd))}x`,
    'best-baseline': countedWith(cases, (c) => c.best_baseline, BASELINES),
    chosen: chosen(cases),
    'lr-vs-balanced': range(lrBal),
    remains: remains(cases),
    'peak-range': `${f(Math.min(...peak), 2)} %-${f(Math.max(...peak), 2)} %`,
    losses: losses(cases),
    'energy-losses': energyLosses(cases),
    'energy-loss-speed': energyLossSpeed(cases),
    edp: edp(cases),
    anneal: anneal(cases),
    bound: `${sig2(Math.min(...bound))}x-${sig2(Math.max(...bound))}x`,
    ...moreTiles(cases),
  };
}

/** `more-tiles-STRATEGY-MIX`: the strategy's makespan for the mix on 32x32, then on 64x64 ("0.878 -> 0.871 ms"). */
function moreTiles(cases) {
  const out = {};
  for (const small of cases.filter((c) => split(c.id)[1] === '32x32')) {
    const mix = split(small.id)[0];
    const large = cases.find((c) => c.id === `${mix}-64x64`);
    if (!large) continue;
    for (const s of Object.keys(small.results)) if (large.results[s]) out[`more-tiles-${s}-${mix}`] = `${ms(small.results[s].makespan_s)} -> ${ms(large.results[s].makespan_s)} ms`;
  }
  return out;
}

// ---- Steady state (docs/study.md, "Steady state"): bench/results/study-serve.json, written by
// `npm run bench study-serve`. Figures are the stream's TOPS (same work for every deployment, so a
// ratio is a speed-up) and energy per inference.
const SERVE_STRATEGIES = [['tenant', 'T'], ['operator', 'O'], ['learning-rate', 'LR'], ['collaborative', 'C'], ['learning-rate-throughput', 'LRT'], ['collaborative-throughput', 'CT']];
const SERVE_SHORT = { direct: 'dir.', balanced: 'bal.', sequential: 'seq.', tenant: 'T', operator: 'O', 'learning-rate': 'LR', 'learning-rate-throughput': 'LRT', replicas: 'replicas' };
const tops = (c, s) => c[s].stream_tops;
const serveSpeedup = (c, base, s) => tops(c, s) / tops(c, base);
const serveEnergy = (c, base, s) => c[base].energy_per_inference_j / c[s].energy_per_inference_j;
const bestServeBaseline = (c) => BASELINES.reduce((a, b) => (tops(c, b) > tops(c, a) ? b : a));
/** The deployments of a case that run in turns (rounds or phases), short names. */
const inTurns = (c) => {
  const names = ['direct', 'balanced', 'sequential', 'tenant', 'operator', 'learning-rate', 'replicas', 'learning-rate-throughput'].filter((n) => c[n]?.in_turns);
  return names.length ? names.map((n) => SERVE_SHORT[n]).join(', ') : '-';
};

function serveSpeedupTable(cases) {
  const ratios = ratioHeads(SERVE_STRATEGIES);
  const head = ['case', 'direct (TOPS)', 'balanced (TOPS)', 'sequential (TOPS)', 'best', ...ratios, '% of peak, CT', 'CT serves', 'in turns'];
  const align = ['---', '---:', '---:', '---:', '---', ...ratios.map(() => '---:'), '---:', '---', '---'];
  return table(
    head,
    align,
    cases.map((c) => [
      c.id,
      ...BASELINES.map((b) => f(tops(c, b), 2)),
      bestServeBaseline(c),
      ...SERVE_STRATEGIES.flatMap(([s]) => BASELINES.map((b) => ratio(serveSpeedup(c, b, s)))),
      f(c['collaborative-throughput'].peak_fraction * 100, 2),
      c['collaborative-throughput'].candidate,
      inTurns(c),
    ]),
  );
}

function serveEnergyTable(cases) {
  return energyRatioTable(cases, SERVE_STRATEGIES, (c, b) => c[b].energy_per_inference_j, serveEnergy);
}

/** Cases where strategy s serves less than `of(c)` (a baseline's name), with the ratio: "a (0.740x), b (0.995x)". */
function serveBelow(cases, s, of) {
  const lost = cases.filter((c) => serveSpeedup(c, of(c), s) < 1);
  return lost.length ? lost.map((c) => `${c.id} (${f(serveSpeedup(c, of(c), s), 3)}x)`).join(', ') : 'none';
}

/** Every steady-state part, by marker name (`serve-...`). */
export function renderServeTables(cases) {
  const best = bestServeBaseline;
  const span = (s, base) => {
    const xs = cases.map((c) => serveSpeedup(c, base(c), s));
    return `${range(xs)} (median ${ratio(median(xs))}x)`;
  };
  const candidates = (c) => ['learning-rate', 'operator', 'tenant', 'replicas', 'learning-rate-throughput'].filter((n) => c[n]);
  // Where the serving referee keeps a candidate that serves the stream slower than another candidate (beyond its 0.1 % tie).
  const missed = cases.filter((c) => candidates(c).some((n) => tops(c, n) > tops(c, 'collaborative-throughput') * 1.001));
  const lrtOverLr = cases.filter((c) => tops(c, 'learning-rate-throughput') > tops(c, 'learning-rate') * 1.001);
  const peak = cases.map((c) => c['collaborative-throughput'].peak_fraction * 100);
  return {
    'serve-cases': plural(cases.length, 'case', 'cases'),
    'serve-speedup': serveSpeedupTable(cases),
    'serve-energy': serveEnergyTable(cases),
    'serve-c-vs-direct': `collaborative ${span('collaborative', () => 'direct')}, as \`retile serve --objective throughput\` serves it ${span('collaborative-throughput', () => 'direct')}`,
    'serve-c-vs-best': `collaborative's burst choice ${span('collaborative', best)}; as \`--objective throughput\` serves it ${span('collaborative-throughput', best)}; the stream-steered candidate alone ${span('learning-rate-throughput', best)}`,
    'serve-best-baseline': countedWith(cases, best, BASELINES),
    'serve-c-losses': serveBelow(cases, 'collaborative', best),
    'serve-ct-losses': serveBelow(cases, 'collaborative-throughput', best),
    'serve-lrt-losses': serveBelow(cases, 'learning-rate-throughput', best),
    'serve-ct-chosen': chosen(cases.map((c) => ({ id: c.id, chosen: c['collaborative-throughput'].candidate }))),
    'serve-lrt-over-lr': `${lrtOverLr.length} of ${cases.length}${lrtOverLr.length ? ` (${lrtOverLr.map((c) => `${c.id} ${ratio(tops(c, 'learning-rate-throughput') / tops(c, 'learning-rate'))}x`).join(', ')})` : ''}`,
    'serve-referee-missed': missed.length
      ? missed.map((c) => { const top = candidates(c).reduce((a, b) => (tops(c, b) > tops(c, a) ? b : a)); return `${c.id} (keeps ${c['collaborative-throughput'].candidate}, ${ratio(tops(c, top) / tops(c, 'collaborative-throughput'))}x slower than ${top})`; }).join(', ')
      : 'none',
    'serve-energy-vs-best': (() => {
      const e = (st) => cases.map((c) => serveEnergy(c, best(c), st));
      return `collaborative's burst choice ${range(e('collaborative'))} (median ${ratio(median(e('collaborative')))}x), as \`--objective throughput\` serves it ${range(e('collaborative-throughput'))} (median ${ratio(median(e('collaborative-throughput')))}x)`;
    })(),
    'serve-peak-range': `${f(Math.min(...peak), 2)} %-${f(Math.max(...peak), 2)} %`,
  };
}

const MARKER = /<!-- study-tables:begin ([\w-]+) -->([\s\S]*?)<!-- study-tables:end ([\w-]+) -->/g;

/**
 * The document with every marked part replaced by its rendering: a part whose old text starts
 * with a line break is a block (its rendering goes on the lines between the markers, the blank
 * lines and indentation around it kept), any other is inline. An unknown name or unmatched markers are errors, not silently kept text.
 */
export function applyStudyTables(doc, parts) {
  const out = doc.replace(MARKER, (_, name, old, end) => {
    if (name !== end) throw new Error(`study-tables: begin ${name} closed by end ${end}`);
    if (!(name in parts)) throw new Error(`study-tables: no part named ${name}`);
    // A block keeps the blank lines and indentation around its text.
    const text = old.startsWith('\n') ? `${/^\s*\n/.exec(old)[0]}${parts[name]}${/\n\s*$/.exec(old)?.[0] ?? '\n'}` : parts[name];
    return `<!-- study-tables:begin ${name} -->${text}<!-- study-tables:end ${name} -->`;
  });
  const stray = out.replace(MARKER, '').match(/<!-- study-tables:(begin|end) [\w-]+ -->/);
  if (stray) throw new Error(`study-tables: unmatched marker ${stray[0]}`);
  return out;
}

/** docs/study.md as docs/study/study.json and the steady-state record render it. */
export function renderStudyDoc(doc = readFileSync(DOC_PATH, 'utf8'), cases = JSON.parse(readFileSync(DATA_PATH, 'utf8')), serve = JSON.parse(readFileSync(SERVE_PATH, 'utf8')).results.cases) {
  return applyStudyTables(doc, { ...renderStudyTables(cases), ...renderServeTables(serve) });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const doc = readFileSync(DOC_PATH, 'utf8');
  const next = renderStudyDoc(doc);
  if (process.argv.includes('--check')) {
    if (next !== doc) {
      console.error('docs/study.md is not what docs/study/study.json renders: run npm run study:tables');
      process.exit(1);
    }
  } else if (next !== doc) {
    writeFileSync(DOC_PATH, next);
    console.log('docs/study.md: tables rewritten from docs/study/study.json');
  } else console.log('docs/study.md: up to date');
}
