// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'coverage/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // The engine must run under plain Node (headless server, tests): no Electron in app/.
    files: ['app/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'app/ is the engine and must never import electron (see docs/adr/0001-engine-without-electron.md).' }] }],
    },
  },
  {
    // The UI runs in a browser page or the Electron renderer and talks to the engine only
    // through its bridge: no Node built-ins, no engine code but the browser-safe contract.
    files: ['renderer/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'electron'], message: 'renderer/ is browser code: no Node or Electron (the host is reached through the bridge).' },
            { regex: '^(\\.\\./)+app/(?!api/contract$)', message: 'renderer/ may import only app/api/contract from the engine.' },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
