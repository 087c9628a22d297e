import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromAnthropicToolId, toAnthropicToolId } from '../../../app/translate/tool-ids';

const LEGAL = /^[a-zA-Z0-9_-]+$/;

test('legal ids pass through unchanged', () => {
  for (const id of ['toolu_01ABCdef', 'call_abc-123', 'x']) {
    assert.equal(toAnthropicToolId(id), id);
    assert.equal(fromAnthropicToolId(id), id);
  }
});

test("Kimi's functions.Write:0 maps to a legal id and back", () => {
  const mapped = toAnthropicToolId('functions.Write:0');
  assert.equal(mapped, 'pbx_functions_2eWrite_3a0');
  assert.match(mapped, LEGAL);
  assert.equal(fromAnthropicToolId(mapped), 'functions.Write:0');
});

test('round trip holds for odd ids, including our own prefix and non-ASCII', () => {
  for (const id of ['pbx_already', 'a b/c', 'functions.Bash:12', 'ツール:1', '_', 'pbx_']) {
    const mapped = toAnthropicToolId(id);
    assert.match(mapped, LEGAL);
    assert.equal(fromAnthropicToolId(mapped), id, id);
  }
});

test('a pbx_ id we did not produce is left alone', () => {
  assert.equal(fromAnthropicToolId('pbx_zz_q'), 'pbx_zz_q');
});
