// The linter's packages, imported by ../../eslint.config.js from here so that they resolve
// against this folder's node_modules (TypeScript 6.0) and not the project's (TypeScript 7).
export { defineConfig, globalIgnores } from 'eslint/config';
export { default as js } from '@eslint/js';
export { default as tseslint } from 'typescript-eslint';
export { default as globals } from 'globals';
