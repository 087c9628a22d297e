#!/usr/bin/env node
// Runs the TypeScript engine directly (tsx), so the checkout needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../app/cli/main.ts');
