// Lint with type information: typescript-eslint reads the types through tsconfig.json, which is
// what the rules that catch real bugs here need (a promise left floating, a promise passed where
// a callback's result is ignored, an await of something that is not a promise). The packages come
// from tools/lint (see its package.json for why it is a folder of its own); run `npm run lint`.
import { defineConfig, globalIgnores, globals, js, tseslint } from './tools/lint/index.js';

export default defineConfig(
  globalIgnores(['generated/', 'docs/', 'tools/lint/node_modules/', 'test-artifacts/', 'coverage/', '.data/', 'deploy/']),
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // In recommended-type-checked already; named because they are the bugs this code can least
      // afford: a relay, an outbox or a shutdown that fails without anyone awaiting it.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // `_x` is the code's mark for a value left out on purpose (`const _exhaustive: never = x`,
      // a field dropped from a rest copy).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
      eqeqeq: ['error', 'always'],
      // verbatimModuleSyntax makes type-only imports explicit; this keeps them in the inline
      // form the code already uses.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // A switch over a closed set names every member (CONVENTIONS 9); a default branch counts.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],

      // Off: fastify hooks and handlers, and interface methods that return a promise, are async
      // by contract even when their body has no await; dropping `async` changes how fastify calls them.
      '@typescript-eslint/require-await': 'off',
      // Off: gRPC client methods are handed to the one call helper per client, which invokes them
      // with their client (`fn.call(client, ...)`); the rule cannot see the re-binding.
      '@typescript-eslint/unbound-method': 'off',
      // Off: the control-character classes are the point: file names, redirect targets and text
      // fields are checked for or cleaned of control characters.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['tests/**/*.ts', '**/*.test.ts'],
    rules: {
      // Off in tests: vitest types its asymmetric matchers (expect.stringContaining, expect.any) as
      // any, so every toMatchObject with one is an "unsafe assignment"; the assertion checks the value.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: { eqeqeq: ['error', 'always'] },
  },
  {
    files: ['gateway/ui/static/**/*.js'],
    languageOptions: { sourceType: 'script', globals: globals.browser },
  },
);
