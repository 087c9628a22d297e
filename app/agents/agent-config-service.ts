/**
 * The agents' side of the admin API: snippets and warnings per agent, and preview / write /
 * restore of their config files under HOME (`os.homedir()` at call time). Calls run one at a
 * time. Nothing here runs at start-up or on exit: only when asked.
 */
import { homedir } from 'node:os';
import { agentById, AGENTS } from './catalog';
import { claudeSettingsWarnings, environmentWarnings } from './override-warnings';
import type { AgentDefinition, AgentInput, Snippet } from './types';
import { currentHashes, fileSnippets, planFiles, restoreFiles, writeFiles, type RestoredFile, type WrittenFile } from './writers/agent-files';
import { tokenFingerprint, WriteRecord, type WriteRecordEntry } from './write-record';

export interface AgentSummary {
  id: string;
  name: string;
  snippets: Snippet[];
  warnings: string[];
  /** When Patchbay last wrote this agent's files, and which. */
  written: { at: string; files: string[] } | null;
  /** Written with a client token that is no longer the current one. */
  needsRewrite: boolean;
}

export interface FilePreview {
  target: string;
  path: string;
  exists: boolean;
  changed: boolean;
  diff: string;
}

/** The file was edited after Patchbay wrote it: a restore would undo that edit. */
export class ChangedSinceWrite extends Error {
  constructor(readonly targets: string[]) {
    super(`${targets.map((t) => `~/${t}`).join(', ')} changed after Patchbay wrote it; restoring would undo that edit (send {"force":true} to restore anyway)`);
    this.name = 'ChangedSinceWrite';
  }
}

export class UnknownAgent extends Error {
  constructor(readonly id: string) {
    super(`no agent "${id}"; known: ${AGENTS.map((a) => a.id).join(', ')}`);
    this.name = 'UnknownAgent';
  }
}

export interface AgentConfigServiceOptions {
  /** Where the record of written agents is kept (in Patchbay's data dir). */
  recordFile: string;
  /** The environment agents are likely to inherit (default process.env). */
  env?: () => NodeJS.ProcessEnv;
  /** Default: os.homedir() at call time. */
  home?: () => string;
}

export class AgentConfigService {
  private readonly record: WriteRecord;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: AgentConfigServiceOptions) {
    this.record = new WriteRecord(options.recordFile);
  }

  private home(): string {
    return this.options.home?.() ?? homedir();
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private agent(id: string): AgentDefinition {
    const agent = agentById(id);
    if (!agent) throw new UnknownAgent(id);
    return agent;
  }

  private async warnings(agent: AgentDefinition, input: AgentInput): Promise<string[]> {
    const env = this.options.env?.() ?? process.env;
    const out = environmentWarnings(agent, input, env);
    if (agent.id === 'claude-code') out.push(...(await claudeSettingsWarnings(this.home(), input)));
    return out;
  }

  private summary(agent: AgentDefinition, input: AgentInput, entry: WriteRecordEntry | undefined, warnings: string[]): AgentSummary {
    return {
      id: agent.id,
      name: agent.name,
      snippets: agent.snippets(input).map(({ edits: _edits, ...snippet }) => snippet),
      warnings,
      written: entry ? { at: entry.writtenAt, files: Object.keys(entry.files) } : null,
      needsRewrite: entry !== undefined && entry.tokenFingerprint !== tokenFingerprint(input.clientToken),
    };
  }

  async list(input: AgentInput): Promise<AgentSummary[]> {
    const record = await this.record.read();
    return Promise.all(AGENTS.map(async (agent) => this.summary(agent, input, record[agent.id], await this.warnings(agent, input))));
  }

  /** Agents whose files were written with another client token than `clientToken`. */
  async needingRewrite(clientToken: string): Promise<string[]> {
    const record = await this.record.read();
    return Object.entries(record)
      .filter(([, entry]) => entry.tokenFingerprint !== tokenFingerprint(clientToken))
      .map(([id]) => id);
  }

  preview(id: string, input: AgentInput): Promise<FilePreview[]> {
    const agent = this.agent(id);
    return this.serial(async () =>
      (await planFiles(agent.snippets(input), this.home())).map((p) => ({ target: p.target, path: p.path, exists: p.exists, changed: p.before !== p.after, diff: p.diff })),
    );
  }

  write(id: string, input: AgentInput): Promise<{ files: WrittenFile[]; warnings: string[] }> {
    const agent = this.agent(id);
    return this.serial(async () => {
      const now = input.now ?? new Date();
      const files = await writeFiles(agent.snippets(input), this.home(), now);
      await this.record.set(agent.id, {
        writtenAt: now.toISOString(),
        tokenFingerprint: tokenFingerprint(input.clientToken),
        files: Object.fromEntries(files.map((f) => [f.target, f.sha256])),
      });
      return { files, warnings: await this.warnings(agent, input) };
    });
  }

  restore(id: string, input: AgentInput, opts: { force?: boolean } = {}): Promise<RestoredFile[]> {
    const agent = this.agent(id);
    return this.serial(async () => {
      const snippets = agent.snippets(input);
      const entry = (await this.record.read())[agent.id];
      if (!opts.force && entry) {
        const now = await currentHashes(snippets, this.home());
        const changed = fileSnippets(snippets)
          .map((s) => s.target)
          .filter((t) => entry.files[t] !== undefined && now[t] !== entry.files[t]);
        if (changed.length) throw new ChangedSinceWrite(changed);
      }
      const restored = await restoreFiles(snippets, this.home());
      // The files are what they were before Patchbay wrote them: nothing of ours to re-write.
      await this.record.set(agent.id, undefined);
      return restored;
    });
  }
}
