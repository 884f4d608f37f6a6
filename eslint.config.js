// eslint.config.js: the recommended rules plus the import boundaries of docs/architecture.md:
// src/cli and src/daemon never import each other, src/api imports only itself, SQL stays in storage/.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'scripts/**', 'test/helpers/reporter.cjs']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      'no-constant-condition': ['error', {checkLoops: false}],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {patterns: [{group: ['**/daemon/**'], message: 'the CLI talks to the daemon over HTTP only'}]}],
    },
  },
  {
    files: ['src/daemon/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {patterns: [{group: ['**/cli/**'], message: 'the daemon never imports the CLI'}]}],
    },
  },
  {
    files: ['src/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {patterns: [{group: ['**/cli/**', '**/daemon/**', 'express', 'better-sqlite3'], message: 'src/api is pure and shared'}]},
      ],
    },
  },
  {
    files: ['src/daemon/**/*.ts'],
    ignores: ['src/daemon/storage/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {group: ['**/cli/**'], message: 'the daemon never imports the CLI'},
            {group: ['better-sqlite3'], message: 'SQL lives in src/daemon/storage only'},
          ],
        },
      ],
    },
  },
)
