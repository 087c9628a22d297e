/** The contract is shared with browser code (renderer/): it may import zod and nothing else. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

test('app/api/contract.ts imports only zod', () => {
  const source = readFileSync(resolve(import.meta.dirname, '../../../app/api/contract.ts'), 'utf8');
  const imported = [...source.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
  assert.ok(imported.length > 0, 'found its imports');
  assert.deepEqual([...new Set(imported)], ['zod']);
});
