// One linter (ESLint with typescript-eslint) plus Prettier for formatting, both run
// by `npm run lint`. The restricted-imports rule keeps the layering honest:
// src/vm and src/zk are plain libraries (no Nest, no Prisma, no database).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const frameworkFree = {
  patterns: [
    {
      group: ['@nestjs/*', '@prisma/*', '**/generated/prisma*', 'pg', '@electric-sql/*'],
      message: 'src/vm and src/zk are framework-free libraries.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'src/generated/**',
      'coverage/**',
      'clients/**/schema.d.ts',
      '.data/**',
      // AssemblyScript (compiled by src/zk/wasm/build.mjs), not TypeScript.
      'src/zk/wasm/assembly/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'writable',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        performance: 'readonly',
        WebAssembly: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        AbortController: 'readonly',
        structuredClone: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // TypeScript compiles to CommonJS: a local named `exports` shadows the module's own
    // exports in dist/ only (a WebAssembly module writer once broke that way).
    files: ['**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            ':matches(VariableDeclarator, FunctionDeclaration, ClassDeclaration) > Identifier.id[name=/^(exports|module|require)$/]',
          message: 'shadows a CommonJS binding in the compiled output',
        },
      ],
    },
  },
  {
    files: ['src/vm/**/*.ts', 'src/zk/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', frameworkFree] },
  },
  { files: ['**/*.js', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
