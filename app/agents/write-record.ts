/**
 * Which agents' files Patchbay wrote, when, with which client token (a fingerprint, never the
 * token) and what bytes (a hash per file): after a token rotation those agents need a re-write,
 * and a restore can tell whether the user edited the file since.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../config/atomic-write';

const entrySchema = z.object({
  writtenAt: z.string(),
  tokenFingerprint: z.string(),
  files: z.record(z.string(), z.string()),
});
const recordSchema = z.object({ version: z.literal(1), agents: z.record(z.string(), entrySchema) });

export type WriteRecordEntry = z.infer<typeof entrySchema>;

export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(`patchbay-client-token:${token}`).digest('hex').slice(0, 16);
}

export class WriteRecord {
  constructor(private readonly file: string) {}

  async read(): Promise<Record<string, WriteRecordEntry>> {
    const text = await readFile(this.file, 'utf8').catch(() => undefined);
    if (text === undefined) return {};
    try {
      const parsed = recordSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data.agents : {};
    } catch {
      return {};
    }
  }

  async set(agentId: string, entry: WriteRecordEntry | undefined): Promise<void> {
    const agents = await this.read();
    if (entry) agents[agentId] = entry;
    else delete agents[agentId];
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file, JSON.stringify({ version: 1, agents }, null, 2) + '\n', 0o600);
  }
}
