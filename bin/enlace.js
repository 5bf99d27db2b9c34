#!/usr/bin/env node
// Entry point of the `enlace` command: runs the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../cli/run.ts');
