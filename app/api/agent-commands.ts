/**
 * Agent commands: each agent's snippets and override warnings, preview / write / restore of the
 * config files Patchbay can write, and the Claude Code env ("Copy Claude Code env"). The inputs
 * (URL, client token, the active backend's models) are read per call; the URL is the one the
 * caller reached (`CallContext.baseUrl`), else `baseUrl()`, else the loopback default.
 * The agents' service (file writers, YAML/JSONC/TOML editors) is loaded on the first command that
 * needs it, not at start: serving requests never does.
 */
import type * as ServiceModuleNs from '../agents/agent-config-service';
import type { AgentConfigService } from '../agents/agent-config-service';
import type * as FilesModuleNs from '../agents/writers/agent-files';
import { claudeCodeShellExports } from '../agents/claude-code-env';
import type { AgentInput } from '../agents/types';
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

type ServiceModule = typeof ServiceModuleNs;
type FilesModule = typeof FilesModuleNs;

/** The agents service's refusals in the one error shape. */
function agentError(err: unknown, { UnknownAgent, ChangedSinceWrite }: ServiceModule, { ConfigRefused, NoBackup }: FilesModule): unknown {
  if (err instanceof UnknownAgent) return notFound(err.message);
  if (err instanceof NoBackup) return notFound(err.message);
  if (err instanceof ConfigRefused) return conflict(err.message);
  // `force` is what would restore anyway: the UI offers it.
  if (err instanceof ChangedSinceWrite) return conflict(err.message, 'force');
  return err;
}

export function agentCommands(deps: AgentDeps): Pick<AdminCommands, AgentCommandNames> {
  let loading: Promise<{ service: AgentConfigService; serviceModule: ServiceModule; files: FilesModule }> | undefined;
  const load = () =>
    (loading ??= Promise.all([import('../agents/agent-config-service'), import('../agents/writers/agent-files')]).then(([serviceModule, files]) => ({
      serviceModule,
      files,
      service: new serviceModule.AgentConfigService({
        recordFile: deps.recordFile,
        ...(deps.env ? { env: deps.env } : {}),
        ...(deps.home ? { home: deps.home } : {}),
      }),
    })));
  /** Runs `use` with the service, its refusals mapped to the one error shape. */
  const mapped = async <T>(use: (service: AgentConfigService) => Promise<T>): Promise<T> => {
    const { service, serviceModule, files } = await load();
    try {
      return await use(service);
    } catch (err) {
      throw agentError(err, serviceModule, files);
    }
  };

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
    listAgents: async (_input, context) => ({ agents: await (await load()).service.list(inputFor(context)) }),
    previewAgent: async (input, context) => {
      const { id } = parseInput(COMMANDS.previewAgent.input, input, ID_HINT);
      return { files: await mapped((service) => service.preview(id, inputFor(context))) };
    },
    writeAgent: async (input, context) => {
      const { id } = parseInput(COMMANDS.writeAgent.input, input, ID_HINT);
      return mapped((service) => service.write(id, inputFor(context)));
    },
    restoreAgent: async (input, context) => {
      const { id, force } = parseInput(COMMANDS.restoreAgent.input, input, 'input must be {"id": "<agent id>", "force"?: true|false}');
      return { files: await mapped((service) => service.restore(id, inputFor(context), { force: force ?? false })) };
    },
    getClaudeCodeEnv: async (_input, context) => ({ text: claudeCodeShellExports(inputFor(context)) }),
  };
}
