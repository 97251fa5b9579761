// Lint: typescript-eslint + eslint-plugin-svelte, and the layering of DESIGN.md as import rules:
// the engine is pure (no host, no Node I/O), the renderer talks to the API contract only.
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import svelteParser from 'svelte-eslint-parser';

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'child_process', 'worker_threads', 'os', 'http', 'net', 'crypto', 'url', 'module', 'process'];

/** Pure engine: no Node I/O, no Electron, no SQLite, nothing from the hosts or the store. */
export const engineRestrictions = {
  patterns: [
    { group: NODE_BUILTINS, message: 'The engine is pure: no Node built-ins. Hosts read files and pass plain data in.' },
    { group: ['electron', 'better-sqlite3', 'commander', 'cli-progress', 'cli-table3'], message: 'The engine knows no host.' },
    {
      group: ['**/store', '**/store/**', '**/api', '**/api/**', '**/app/**', '**/server/**', '**/cli/**', '**/service/**', '**/src-renderer/**'],
      message: 'The engine imports nothing from store, api, app, server, cli, service or the renderer.',
    },
  ],
};

/** Renderer: no Node, no Electron, nothing from src-main but the API contract. */
export const rendererRestrictions = {
  patterns: [
    { group: NODE_BUILTINS, message: 'The renderer never imports Node modules.' },
    { group: ['electron', 'better-sqlite3'], message: 'The renderer talks to the API contract only.' },
    {
      group: ['**/src-main/*', '!**/src-main/api', '**/src-main/*/**', '!**/src-main/api/**'],
      message: 'The renderer imports from src-main/api only.',
    },
  ],
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
  { files: ['src-main/engine/**/*.ts'], rules: { 'no-restricted-imports': ['error', engineRestrictions] } },
  { files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte'], rules: { 'no-restricted-imports': ['error', rendererRestrictions] } },
);
