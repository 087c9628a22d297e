/** Test helpers: a temporary HOME holding one agent file, and a service writing into it. */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AgentConfigService } from '../../../app/agents/agent-config-service';
import type { AgentInput } from '../../../app/agents/types';
import { makeTempDir } from '../../helpers/temp-dirs';

export const INPUT: AgentInput = {
  baseUrl: 'http://127.0.0.1:7420',
  clientToken: 'pb-client-writes-0123456789abcdef',
  models: { main: 'moonshotai/kimi-k2.6', small: 'moonshotai/kimi-k2.5' },
  now: new Date('2026-11-25T12:00:00.000Z'),
};

export function setup(target: string, content: string | undefined) {
  const home = makeTempDir('agents-home');
  const path = join(home, target);
  if (content !== undefined) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  const service = new AgentConfigService({ recordFile: join(home, '.patchbay', 'agents-written.json'), home: () => home, env: () => ({}) });
  return { home, path, service, backups: () => readdirSync(dirname(path)).filter((n) => n.startsWith(`${basename(path)}.patchbay-backup-`)) };
}
