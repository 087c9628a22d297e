import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRESETS } from '../../../app/config/presets';
import { quirksFor } from '../../../app/quirks/index';

test('presets carry no quirk flag: the Kimi profile (fixed sampling included) comes from their model ids', () => {
  for (const preset of PRESETS) {
    for (const flag of ['kimi', 'quirks', 'fixedSampling'] as const) assert.equal(preset[flag], undefined, `${preset.id}.${flag}`);
    const q = quirksFor(preset, preset.model);
    assert.equal(q.name, 'kimi', preset.id);
    assert.equal(q.echoReasoning, true, preset.id);
    assert.equal(q.fixedSampling, true, `${preset.id}: ${preset.model} fixes sampling`);
  }
});
