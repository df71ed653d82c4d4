import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'data', 'dist', 'web/dist', 'coverage', 'scratch'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // The layering of STYLE.md, enforced: only the HTTP edge knows HTTP; the read model
  // (src/views) is shared by the API and the CLI; the domain is pure (no database).
  {
    files: [
      'src/cli/**',
      'src/commands/**',
      'src/repositories/**',
      'src/schemas/**',
      'src/views/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/http/**', '**/http/*.js'],
              message: 'src/http is the HTTP edge; share code through src/views or src/domain.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/http/**', '**/db/**', '**/repositories/**'],
              message: 'src/domain is pure rules: no HTTP, no database, no repositories.',
            },
          ],
        },
      ],
    },
  },
  // SQL lives only in src/repositories and src/db (STYLE.md): one place to find every query.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/repositories/**', 'src/db/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|mergeInto|replaceInto|with)$/]',
          message: 'Queries belong in src/repositories (or src/db); call a repository function.',
        },
        {
          selector:
            "ImportDeclaration[source.value='kysely'] > ImportSpecifier[imported.name='sql']",
          message: 'Raw SQL belongs in src/repositories (or src/db).',
        },
      ],
    },
  },
  {
    // Tests read JSON answers loosely on purpose: they assert the API's shape, not a type.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
