import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** BullMQ sits behind one adapter; tests may use it directly to watch queues. */
const ONLY_ADAPTER_BULLMQ = { name: 'bullmq', message: 'Only server/jobs/bullmq.ts imports bullmq: use the job contract (server/jobs/job-contract.ts) and that adapter.' };
/** The house's floors, bottom up: survey-forms (pure) → server (API, modules, job contract) → workers (processes) → web (browser). */
const NO_WORKERS = { group: ['**/workers/**', '**/workers'], message: 'workers/ is the top floor: server/, survey-forms/ and web/ never import it (the job contract is server/jobs/job-contract.ts).' };

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'artifacts/', '.data/', 'web/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      'no-console': 'error',
    },
  },
  {
    // No import loop anywhere: a file never reaches itself through what it imports (type-only imports aside).
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] })],
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['server/**/*.ts', 'survey-forms/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [ONLY_ADAPTER_BULLMQ], patterns: [NO_WORKERS] }] },
  },
  {
    files: ['server/jobs/bullmq.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [NO_WORKERS] }] },
  },
  {
    files: ['workers/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [ONLY_ADAPTER_BULLMQ] }] },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' },
    },
    // Plain Node scripts and config files are CommonJS.
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // web/ runs in the browser: it shares the pure code of survey-forms/ (questionnaires, the code catalogue) and takes types (only) from server/.
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**'], allowTypeImports: true, message: 'web/ may take only types from server/ (import type).' },
            { group: ['node:*'], message: 'web/ runs in the browser.' },
            NO_WORKERS,
            {
              group: ['**/survey-forms/catalogue', '**/survey-forms/paths', '**/survey-forms/provinces', '**/survey-forms/sample-frame'],
              message: 'This module reads files or parses CSV: Node only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off', '@typescript-eslint/unbound-method': 'off' },
  },
  {
    // Tests read JSON bodies of HTTP replies, which supertest types as any.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
