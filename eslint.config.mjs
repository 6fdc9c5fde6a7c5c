// Flat ESLint config: typescript-eslint's recommended rules over the whole monorepo, and its boundaries.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import boundaries from './eslint/boundaries.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.stack/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    // The web console (React): the rules of hooks, and browser globals.
    files: ['apps/console/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // No app imports another app, no lib imports an app, gateway features meet through their index.ts (eslint/boundaries.mjs).
    files: ['apps/**/*.{ts,tsx}', 'libs/**/*.ts'],
    plugins: { tf: boundaries },
    rules: { 'tf/boundaries': 'error' },
  },
  {
    // The gateway's domain (limits, jobs, the tracker, job control) knows no HTTP: requests, responses
    // and headers stay in controllers, middleware, the exception filter and http/.
    files: ['apps/gateway/src/{limits,jobs,tracker,control}/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['node:http', 'http', 'express'].map((name) => ({ name, message: 'HTTP belongs in controllers, middleware and http/, not in domain services.' })) }],
    },
  },
);
