// ESLint flat config: type-aware typescript-eslint, React hooks, and import zones that enforce the layers
// (ARCHITECTURE.md): shared is environment-free; the renderer sees only shared; only src/main/electron imports
// electron; the server and the app never import each other.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = {
  group: [
    'node:*',
    'fs',
    'path',
    'os',
    'crypto',
    'child_process',
    'net',
    'http',
    'https',
    'stream',
    'url',
    'util',
  ],
  message: 'this layer runs outside Node: no Node built-ins',
};
const electron = {
  group: ['electron', 'electron/*'],
  message: 'only src/main/electron and src/preload import electron',
};
const zone = (from, message) => ({ group: [`**/${from}/**`, `**/${from}`], message });

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'coverage/**',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBuiltins,
            electron,
            zone('main', 'shared never imports main'),
            zone('renderer', 'shared never imports the renderer'),
            zone('server', 'shared never imports the server'),
            { group: ['react', 'react-dom'], message: 'shared has no UI' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBuiltins,
            electron,
            zone('main', 'the renderer talks to main only through window.passkeyDesk'),
            zone('server', 'the renderer never imports the server'),
            zone('preload', 'the renderer never imports the preload'),
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/**/*.ts', 'src/cli/**/*.ts'],
    ignores: ['src/main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electron,
            zone('renderer', 'main never imports the renderer'),
            zone('server', 'the app never packages the reference server'),
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electron,
            zone('main', 'the server stands alone'),
            zone('renderer', 'the server stands alone'),
            zone('cli', 'the server stands alone'),
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.mjs'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // vitest's asymmetric matchers (expect.stringContaining, …) are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['src/server/pages/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
