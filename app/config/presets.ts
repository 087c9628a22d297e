/**
 * Built-in backends. Used as-is when `patchbay serve` runs without `--config`, and as
 * templates when a backend is added from the UI or admin API. Model quirks (Kimi's reasoning
 * echo, text tool calls, fixed sampling on k2.5+) follow each request's model: app/quirks.
 */
import type { BackendConfig, PatchbayConfig } from './schema';

export const MOONSHOT_ANTHROPIC: BackendConfig = {
  id: 'moonshot',
  name: 'Moonshot (Anthropic format)',
  format: 'anthropic',
  baseUrl: 'https://api.moonshot.ai/anthropic',
  apiKey: 'env:MOONSHOT_API_KEY',
  model: 'kimi-k2.6',
  contextWindow: 262_144,
};

export const MOONSHOT_OPENAI: BackendConfig = {
  id: 'moonshot-openai',
  name: 'Moonshot (OpenAI format)',
  format: 'openai',
  baseUrl: 'https://api.moonshot.ai/v1',
  apiKey: 'env:MOONSHOT_API_KEY',
  model: 'kimi-k2.6',
  contextWindow: 262_144,
};

export const NVIDIA_NIM: BackendConfig = {
  id: 'nim',
  name: 'NVIDIA NIM',
  format: 'openai',
  baseUrl: 'https://integrate.api.nvidia.com/v1',
  apiKey: 'env:NVIDIA_API_KEY',
  model: 'moonshotai/kimi-k2.6',
  // Free tier: about 40 requests/minute (not published; users report throttling below it).
  rpm: 40,
  // Its hosted window is smaller than Moonshot's: a prompt it refuses as too long goes to Moonshot (when that has a key).
  overflowTo: 'moonshot',
};

export const PRESETS: readonly BackendConfig[] = [MOONSHOT_ANTHROPIC, MOONSHOT_OPENAI, NVIDIA_NIM];

/** The config used when no config file is given: the presets, with keys from the environment. */
export function presetConfig(env: NodeJS.ProcessEnv = process.env): PatchbayConfig {
  const active = env.MOONSHOT_API_KEY ? 'moonshot' : env.NVIDIA_API_KEY ? 'nim' : 'moonshot';
  return { active, backends: PRESETS.map((b) => ({ ...b })) };
}
