import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const testFiles = [
  '**/*.spec.ts',
  '**/*.int-spec.ts',
  '**/*.system-spec.ts',
  'apps/system-tests/**/*.ts',
  'libs/*/test/**/*.ts',
  // The benchmark harness starts the services as processes, as the system tests do.
  'tools/bench/**/*.ts',
];

export default tseslint.config(
  {
    ignores: ['**/dist', '**/node_modules', '**/.data', '**/coverage', 'tools/kafka/target', '.nx'],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Nest and class-validator classes are decorated, and decorator metadata needs value imports.
      '@typescript-eslint/no-extraneous-class': 'off',
      // class-transformer converts config values by the declared type: keep `PORT: number = 3000`.
      '@typescript-eslint/no-inferrable-types': ['error', { ignoreProperties: true }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // Contracts are read by every service and by people who do not own the producer:
            // they depend on nothing of ours.
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            // Infrastructure libs (messaging, persistence, rakuten, service-kit, crypto).
            {
              sourceTag: 'type:infra',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:infra'],
            },
            // Test helpers may use anything but an app.
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:infra', 'type:testing'],
            },
            // Apps depend on libs only; an app never imports another app.
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:infra', 'type:testing'],
            },
            {
              sourceTag: 'type:system-test',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:infra', 'type:testing'],
            },
          ],
        },
      ],
    },
  },
  {
    // Production code never imports the test helpers; only test files may.
    files: ['**/*.ts'],
    ignores: [...testFiles, 'libs/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@smartship/testing', message: 'Test helpers are for tests only.' }] },
      ],
    },
  },
  {
    files: testFiles,
    rules: {
      // Tests of any project may use the test helpers; production code may not (rule above).
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          depConstraints: [{ sourceTag: '*', notDependOnLibsWithTags: ['type:app'] }],
        },
      ],
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', 'jest.*.ts'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  prettier,
);
