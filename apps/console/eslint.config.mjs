import tseslint from 'typescript-eslint';

import root from '../../eslint.config.mjs';

/**
 * The console is React in the browser: the root rules, plus the type-checked rules for .tsx
 * (the root config types .ts files only) and type-only imports of the contracts, which must
 * never pull the server-side validators into the bundle.
 */
export default tseslint.config(
  ...root,
  {
    files: ['**/*.tsx'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['vite.config.mts'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
