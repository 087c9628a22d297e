import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toMenuTemplate, trayMenu, type TrayAction, type TrayMenuItem } from '../../../../main/tray/tray-menu';
import type { TrayInput } from '../../../../main/tray/tray-input';
import { state, view, withStats } from './state-fixtures';

const input = (over: Partial<TrayInput> = {}): TrayInput => ({ state: state(), paused: false, launchAtLogin: false, proxyUrl: 'http://127.0.0.1:7420', ...over });
const labels = (items: TrayMenuItem[]) => items.map((i) => (i.type === 'separator' ? '---' : `${i.type}:${i.label}${i.checked ? ' [x]' : ''}${i.enabled === false ? ' (disabled)' : ''}`));
const radios = (items: TrayMenuItem[]) => items.filter((i) => i.type === 'radio');

test('the whole menu: live line, backends as radio items, actions, launch at login, quit', () => {
  const s = withStats(state(), 'nim', { requestsLastMinute: 12 });
  assert.deepEqual(labels(trayMenu(input({ state: s }))), [
    'normal:NIM · 12/40 req/min (disabled)',
    'normal:Proxy at http://127.0.0.1:7420 (disabled)',
    '---',
    'radio:NIM [x]',
    'radio:Moonshot',
    '---',
    'normal:Copy Claude Code env',
    'normal:Open Patchbay',
    '---',
    'normal:Pause proxy',
    'checkbox:Launch at login',
    '---',
    'normal:Quit Patchbay',
  ]);
});

test('one click switches: each other backend carries its switch, the active one none', () => {
  const s = state({ backends: [view('nim', { name: 'NIM' }), view('moonshot', { name: 'Moonshot' }), view('openai')] });
  const items = radios(trayMenu(input({ state: s })));
  assert.deepEqual(
    items.map((i) => [i.label, i.checked, i.action]),
    [
      ['NIM', true, undefined],
      ['Moonshot', false, { kind: 'switch', backend: 'moonshot' }],
      ['openai', false, { kind: 'switch', backend: 'openai' }],
    ],
  );
  // After a switch the engine's next State moves the check.
  const after = radios(trayMenu(input({ state: { ...s, active: 'moonshot' } })));
  assert.deepEqual(after.map((i) => i.checked), [false, true, false]);
  assert.deepEqual(after[0]?.action, { kind: 'switch', backend: 'nim' });
});

test('a backend without a key or with a refused key says so after its name and stays selectable', () => {
  let s = state({ backends: [view('nim', { name: 'NIM' }), view('moonshot', { name: 'Moonshot', key: { set: false, source: 'env:MOONSHOT_API_KEY' } }), view('openai', { name: 'OpenAI' })] });
  s = withStats(s, 'openai', { keyRejected: { status: 401, at: '2026-05-01T12:00:00.000Z' }, rateLimitedLastMinute: 3 });
  const items = radios(trayMenu(input({ state: s })));
  assert.deepEqual(
    items.map((i) => [i.label, i.enabled, i.action?.kind]),
    [
      ['NIM', true, undefined],
      ['Moonshot — no key', true, 'switch'],
      ['OpenAI — key rejected (401), rate limited', true, 'switch'],
    ],
  );
});

test('what needs a person is listed under the live line (Linux panels may not show tooltips)', () => {
  const s = withStats(state(), 'nim', { keyRejected: { status: 401, at: '2026-05-01T12:00:00.000Z' }, consecutiveFailures: 2, rateLimitedLastMinute: 3 });
  const head = labels(trayMenu(input({ state: s }))).slice(0, 5);
  assert.deepEqual(head, [
    'normal:NIM · 0/40 req/min (disabled)',
    'normal:Proxy at http://127.0.0.1:7420 (disabled)',
    'normal:⚠ NIM: key rejected (401). Open Patchbay to fix it. (disabled)',
    'normal:⚠ NIM: upstream failing (2 failures in a row). (disabled)',
    '---',
  ]);
});

test('paused: the live line says so and the item resumes', () => {
  const items = trayMenu(input({ paused: true }));
  assert.equal(items[0]?.label, 'Paused · NIM · 0/40 req/min');
  const toggle = items.find((i) => i.action?.kind === 'resume' || i.action?.kind === 'pause');
  assert.deepEqual([toggle?.label, toggle?.action], ['Resume proxy', { kind: 'resume' }]);
  assert.ok(!items.some((i) => i.label?.startsWith('⚠')), 'the pause is not repeated as a warning');
});

test('launch at login: checked as set, left out where unsupported', () => {
  const on = trayMenu(input({ launchAtLogin: true })).find((i) => i.type === 'checkbox');
  assert.deepEqual(on, { type: 'checkbox', label: 'Launch at login', checked: true, enabled: true, action: { kind: 'toggle-launch-at-login' } });
  assert.equal(trayMenu(input({ launchAtLogin: null })).filter((i) => i.type === 'checkbox').length, 0);
});

test('offline: only Open Patchbay, Launch at login and Quit can be used', () => {
  const items = trayMenu(input({ offline: 'port 7420 is in use' }));
  assert.equal(items[0]?.label, 'Patchbay is not running: port 7420 is in use');
  const usable = items.filter((i) => i.type !== 'separator' && i.enabled !== false).map((i) => i.label);
  assert.deepEqual(usable, ['Open Patchbay', 'Launch at login', 'Quit Patchbay']);
});

test('toMenuTemplate: Electron options, and each click runs its own action', () => {
  const ran: TrayAction[] = [];
  const items = trayMenu(input());
  const template = toMenuTemplate(items, (a) => ran.push(a));
  assert.equal(template.length, items.length);
  assert.deepEqual(template[2], { type: 'separator' });
  const moonshot = template.find((t) => t.label === 'Moonshot');
  assert.equal(moonshot?.type, 'radio');
  assert.equal(moonshot?.checked, false);
  assert.equal(moonshot?.sublabel, 'kimi-k2.6');
  const click = (label: string) => {
    const t = template.find((x) => x.label === label);
    assert.ok(t?.click, `${label} is clickable`);
    (t.click as () => void)();
  };
  click('Moonshot');
  click('Quit Patchbay');
  click('Launch at login');
  assert.deepEqual(ran, [{ kind: 'switch', backend: 'moonshot' }, { kind: 'quit' }, { kind: 'toggle-launch-at-login' }]);
  assert.equal(template[0]?.click, undefined, 'the live line does nothing');
  assert.equal(template[0]?.enabled, false);
  assert.equal(template.find((t) => t.label === 'NIM')?.click, undefined, 'the active backend has nothing to run');
});

test('toMenuTemplate: an ampersand in a name shows as itself, not as a mnemonic', () => {
  const s = state({ backends: [view('nim', { name: 'NIM' }), view('rnd', { name: 'R&D lab' })] });
  const template = toMenuTemplate(trayMenu(input({ state: s })), () => undefined);
  assert.ok(template.some((t) => t.label === 'R&&D lab'));
  assert.ok(template.some((t) => t.label === 'Copy Claude Code env'));
});
