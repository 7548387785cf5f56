// Boundary rules keep each process layer honest (see DEVELOPERS.md, "Architecture rules"):
// electron only at the edge, the renderer never reaches into Node or main, and src/shared
// stays free of Node, DOM and the other layers so both tsconfig projects can type it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules.filter((m) => !m.startsWith('_')), ...builtinModules.map((m) => `node:${m}`)];

const electronOnlyAtEdge = {
  name: 'electron',
  message: 'electron may be imported only under src/main/electron/ and src/preload/.',
};
const noNode = nodeBuiltins.map((name) => ({ name, message: 'Node built-ins are not available in this layer.' }));

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/.tmp/**', '**/*.generated.ts', 'e2e/fixtures/**/*.json'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/main/**/*.{ts,tsx}'],
    ignores: ['src/main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronOnlyAtEdge], patterns: [{ group: ['**/renderer/**', '**/preload/**'], message: 'main must not import renderer or preload code.' }] }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyAtEdge, ...noNode],
          patterns: [{ group: ['**/main/**', '**/preload/**', 'node:*'], message: 'The renderer talks to main only through window.paddock (src/shared/ipc).' }],
        },
      ],
    },
  },
  {
    files: ['src/shared/**/*.{ts,tsx}'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyAtEdge, ...noNode, { name: 'react', message: 'src/shared has no UI code.' }],
          patterns: [{ group: ['**/main/**', '**/renderer/**', '**/preload/**', 'node:*'], message: 'src/shared imports nothing from the other layers.' }],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', '__dirname', 'require'],
    },
  },
);
