// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'eslint.config.mjs', '.einlass/**', '.scratch/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../../libs/*', '../../../libs/*'], message: 'Import shared code through @einlass/* aliases.' }] },
      ],
    },
  },
  {
    // The front-ends are apps of their own: what they share with the services comes from libs
    // (@einlass/contracts for the HTTP shapes and labels), never from a service's src.
    files: ['apps/door-scanner/**/*.ts', 'apps/organiser-web/**/*.ts', 'apps/organiser-web/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../../libs/*', '../../../libs/*'], message: 'Import shared code through @einlass/* aliases.' },
            {
              group: ['**/registration/src/**', '**/badges/src/**', '**/checkin/src/**'],
              message: 'A front-end imports no service code: put the shape in libs/contracts.',
            },
          ],
        },
      ],
    },
  },
  {
    // A service imports no other service's code: what crosses between them is in libs.
    files: ['apps/registration/**/*.ts', 'apps/badges/**/*.ts', 'apps/checkin/**/*.ts'],
    ignores: ['apps/*/testing.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../../libs/*', '../../../libs/*'], message: 'Import shared code through @einlass/* aliases.' },
            {
              group: ['**/registration/src/**', '**/badges/src/**', '**/checkin/src/**', '**/registration/testing', '**/badges/testing', '**/checkin/testing'],
              message: 'A service imports no other service: put what both need in a lib.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests and benchmarks across services reach a service only through its testing.ts.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../../libs/*', '../../../libs/*'], message: 'Import shared code through @einlass/* aliases.' },
            {
              group: ['**/apps/*/src/**', '**/apps/*/test/**'],
              message: "Reach a service through apps/<service>/testing.ts, not its src.",
            },
          ],
        },
      ],
    },
  },
  {
    // Tests and scripts talk to JSON APIs: `any` from a response body is expected there.
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts', 'bench/**/*.ts', 'libs/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
