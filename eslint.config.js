// Lint: typescript-eslint + eslint-plugin-svelte, and the layering as import rules (docs/architecture.md):
// the engine is pure (no host, no Node I/O) and its areas import downstream only; every host layer
// names the layers it may not import; the renderer talks to the API contract only.
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import svelteParser from 'svelte-eslint-parser';

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'child_process', 'worker_threads', 'os', 'http', 'net', 'crypto', 'url', 'module', 'process'];

/** Zod comes through engine/zod.ts, which sets it up before any schema is built. */
const ZOD_THROUGH_ENGINE = { regex: '^zod(/|$)', message: "Import z from src-main/engine/zod.ts (Zod set up jitless before any schema exists), not from 'zod'." };

/** Pure engine: no Node I/O, no Electron, no SQLite, nothing from the hosts or the store. */
export const engineRestrictions = {
  patterns: [
    { group: NODE_BUILTINS, message: 'The engine is pure: no Node built-ins. Hosts read files and pass plain data in.' },
    { group: ['electron', 'better-sqlite3', 'commander', 'cli-progress', 'cli-table3'], message: 'The engine knows no host.' },
    ZOD_THROUGH_ENGINE,
    {
      group: ['**/store', '**/store/**', '**/api', '**/api/**', '**/app/**', '**/server/**', '**/cli/**', '**/service/**', '**/src-renderer/**'],
      message: 'The engine imports nothing from store, api, app, server, cli, service or the renderer.',
    },
  ],
};

/**
 * The engine's areas, in the order a run flows through them: an area may import the engine's
 * root modules (errors, limits, progress) and the areas listed as its `uses`, nothing else.
 * docs/architecture.md draws the same table.
 */
export const ENGINE_AREAS = {
  workload: [],
  hardware: ['workload'],
  mapping: ['workload', 'hardware'],
  placement: ['workload', 'hardware', 'mapping'],
  evaluate: ['workload', 'hardware', 'mapping', 'placement'],
  sim: ['workload', 'hardware', 'mapping', 'placement'],
  optimize: ['workload', 'hardware', 'mapping', 'placement', 'evaluate'],
  report: ['workload', 'hardware', 'mapping', 'placement', 'evaluate', 'sim', 'optimize'],
  pipeline: ['workload', 'hardware', 'mapping', 'placement', 'evaluate', 'sim', 'optimize', 'report'],
};

/** An import pattern matching a relative import that climbs into one of `folders`. */
const climbsInto = (folders, message) => ({ regex: `^(\\./|(\\.\\./)+)(${folders.join('|')})(/|$)`, message });

function engineAreaRestrictions(area) {
  const uses = ENGINE_AREAS[area];
  const forbidden = Object.keys(ENGINE_AREAS).filter((a) => a !== area && !uses.includes(a));
  const allowed = uses.length ? uses.join(', ') : 'no other area';
  return { patterns: [...engineRestrictions.patterns, climbsInto(forbidden, `engine/${area} may import the engine root and ${allowed} only (docs/architecture.md, allowed imports).`)] };
}

/** The engine's root modules (errors, limits, progress) import no area. */
const engineRootRestrictions = {
  patterns: [...engineRestrictions.patterns, climbsInto(Object.keys(ENGINE_AREAS), 'The engine root (errors, limits, progress) imports no engine area.')],
};

/** Renderer: no Node, no Electron, nothing from src-main but the API contract. */
export const rendererRestrictions = {
  patterns: [
    { group: NODE_BUILTINS, message: 'The renderer never imports Node modules.' },
    { group: ['electron', 'better-sqlite3'], message: 'The renderer talks to the API contract only.' },
    ZOD_THROUGH_ENGINE,
    {
      group: ['**/src-main/*', '!**/src-main/api', '**/src-main/*/**', '!**/src-main/api/**'],
      message: 'The renderer imports from src-main/api only.',
    },
  ],
};

/** A relative import that climbs into another src-main layer (or the renderer). */
const intoLayer = (layers, message) => ({ regex: `^(\\.\\./)+(${layers.join('|')})(/|$)`, message });
/** The thin hosts reach the engine only for its errors and limits; everything else goes through the service. */
const engineBeyondErrors = { regex: '^(\\.\\./)+engine/(?!(errors|limits)$)', message: 'A host calls the service; from the engine it imports errors and limits only.' };

/** The host layers around the engine: which other layers each may import. */
export const hostRestrictions = {
  api: { patterns: [
    { group: NODE_BUILTINS, message: 'The API contract is shared with the renderer: no Node built-ins.' },
    intoLayer(['store', 'service', 'cli', 'app', 'server', 'src-renderer'], 'The API contract imports engine types only.'),
  ] },
  store: { patterns: [intoLayer(['api', 'service', 'cli', 'app', 'server', 'src-renderer'], 'The store saves the engine\'s plain data: it imports the engine only.')] },
  service: { patterns: [intoLayer(['cli', 'app', 'server', 'src-renderer'], 'The service implements the API over engine and store; the hosts import it, not the reverse.')] },
  cli: { patterns: [intoLayer(['app', 'server', 'src-renderer'], 'The CLI is a host of its own: it imports engine, store, service and api, not the other hosts.')] },
  app: { patterns: [intoLayer(['cli', 'server', 'store', 'src-renderer'], 'The Electron host calls the service through the API contract.'), engineBeyondErrors] },
  server: { patterns: [intoLayer(['cli', 'app', 'store', 'src-renderer'], 'The browser-mode host calls the service through the API contract.'), engineBeyondErrors] },
};

export default tseslint.config(
  { ignores: ['out/**', 'build/**', 'node_modules/**', 'reports/**', 'test-results/**', 'playwright-report/**', 'native/**', 'bench/results/**',
    // AssemblyScript is checked by asc (its decorators are not TypeScript).
    'assembly/**'] },
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parser: svelteParser, parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Spreading an array into call arguments overflows the stack past ~10^5 elements (model-sized arrays).
    files: ['src-main/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Math'] > SpreadElement", message: 'Use maxOf/minOf (engine/arrays.ts): a spread of a model-sized array overflows the stack.' },
        { selector: "CallExpression[callee.property.name=/^(push|unshift)$/] > SpreadElement", message: 'Use appendAll (engine/arrays.ts): a spread of a model-sized array overflows the stack.' },
      ],
    },
  },
  { files: ['src-main/engine/*.ts'], rules: { 'no-restricted-imports': ['error', engineRootRestrictions] } },
  ...Object.keys(ENGINE_AREAS).map((area) => ({ files: [`src-main/engine/${area}/**/*.ts`], rules: { 'no-restricted-imports': ['error', engineAreaRestrictions(area)] } })),
  ...Object.entries(hostRestrictions).map(([layer, r]) => ({ files: [`src-main/${layer}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns: [...r.patterns, ZOD_THROUGH_ENGINE] }] } })),
  // The one module that imports Zod itself.
  { files: ['src-main/engine/zod.ts'], rules: { 'no-restricted-imports': ['error', { patterns: engineRootRestrictions.patterns.filter((p) => p !== ZOD_THROUGH_ENGINE) }] } },
  { files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte'], rules: { 'no-restricted-imports': ['error', rendererRestrictions] } },
);
