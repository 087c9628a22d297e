/**
 * Agent commands: each agent's snippets and override warnings, preview / write / restore of the
 * config files Patchbay can write, and the Claude Code env ("Copy Claude Code env"). The inputs
 * (URL, client token, the active backend's models) are read per call; the URL is the one the
 * caller reached (`CallContext.baseUrl`), else `baseUrl()`, else the loopback default.
 */
import { AgentConfigService, ChangedSinceWrite, UnknownAgent } from '../agents/agent-config-service';
import { claudeCodeShellExports } from '../agents/claude-code';
import type { AgentInput } from '../agents/types';
import { ConfigRefused, NoBackup } from '../agents/writers/agent-files';
import { conflict, notFound, parseInput } from './api-error';
import { COMMANDS, type AdminCommands, type CallContext } from './contract';

export interface AgentDeps {
  /** The active backend's models (`small` defaults to `main`) and context window. */
  activeModels(): { main: string; small?: string; contextWindow?: number };
  clientToken(): string;
  /** File recording which agents' files were written (in the data dir). */
  recordFile: string;
  /** Environment checked for overriding variables (default process.env). */
  env?: () => NodeJS.ProcessEnv;
  /** HOME for the agents' files (default os.homedir() at call time). */
  home?: () => string;
  /** The proxy's root URL when the caller does not say (no /v1). */
  baseUrl?: () => string | undefined;
}

type AgentCommandNames = 'listAgents' | 'previewAgent' | 'writeAgent' | 'restoreAgent' | 'getClaudeCodeEnv';

const ID_HINT = 'input must be {"id": "<agent id>"}';

/** The agents service's refusals in the one error shape. */
function agentError(err: unknown): unknown {
  if (err instanceof UnknownAgent) return notFound(err.message);
  if (err instanceof NoBackup) return notFound(err.message);
  if (err instanceof ConfigRefused) return conflict(err.message);
  // `force` is what would restore anyway: the UI offers it.
  if (err instanceof ChangedSinceWrite) return conflict(err.message, 'force');
  return err;
}

async function mapped<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw agentError(err);
  }
}

export function agentCommands(deps: AgentDeps): Pick<AdminCommands, AgentCommandNames> {
  const service = new AgentConfigService({
    recordFile: deps.recordFile,
    ...(deps.env ? { env: deps.env } : {}),
    ...(deps.home ? { home: deps.home } : {}),
  });

  const inputFor = (context: CallContext | undefined): AgentInput => {
    const models = deps.activeModels();
    const baseUrl = context?.baseUrl ?? deps.baseUrl?.() ?? 'http://127.0.0.1:7420';
    return {
      baseUrl: baseUrl.replace(/\/+$/, ''),
      clientToken: deps.clientToken(),
      models: { main: models.main, small: models.small ?? models.main },
      ...(models.contextWindow !== undefined ? { contextWindow: models.contextWindow } : {}),
    };
  };

  return {
    listAgents: async (_input, context) => ({ agents: await service.list(inputFor(context)) }),
    previewAgent: async (input, context) => {
      const { id } = parseInput(COMMANDS.previewAgent.input, input, ID_HINT);
      return { files: await mapped(() => service.preview(id, inputFor(context))) };
    },
    writeAgent: async (input, context) => {
      const { id } = parseInput(COMMANDS.writeAgent.input, input, ID_HINT);
      return mapped(() => service.write(id, inputFor(context)));
    },
    restoreAgent: async (input, context) => {
      const { id, force } = parseInput(COMMANDS.restoreAgent.input, input, 'input must be {"id": "<agent id>", "force"?: true|false}');
      return { files: await mapped(() => service.restore(id, inputFor(context), { force: force ?? false })) };
    },
    getClaudeCodeEnv: async (_input, context) => ({ text: claudeCodeShellExports(inputFor(context)) }),
  };
}
