// The V8 major version the start-up tunings are gated on (scripts/v8-version.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { v8Major } from '../../../scripts/v8-version.mjs';

test('reads the major version of a Node-built V8 version string', () => {
  assert.equal(v8Major('11.3.244.8-node.38'), 11);
  assert.equal(v8Major('13.6.233.10-node.18'), 13);
  assert.equal(v8Major(`${process.versions.v8}`), Number.parseInt(process.versions.v8, 10));
});
