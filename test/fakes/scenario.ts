/**
 * The scripting contract of the fake upstreams (fake NIM, fake Moonshot).
 * A test gives a fake a Brain; for every valid chat request the brain returns what the
 * "model" answers (a Reply of Steps) or a Failure the fake turns into the service's own error.
 */

export type Step =
  /** NIM: `delta.reasoning_content`; Moonshot: a thinking block with a signature. */
  | { type: 'reasoning'; text: string }
  | { type: 'text'; text: string }
  /** NIM default id: `functions.<name>:<n>` (Kimi style, n counts calls in the conversation); Moonshot default: `toolu_...`. */
  | { type: 'tool_call'; name: string; arguments: Record<string, unknown>; id?: string }
  /** Emitted as Kimi's native text syntax (`<|tool_calls_section_begin|>...`) inside the text. */
  | { type: 'kimi_text_tool_call'; name: string; arguments: Record<string, unknown> };

/**
 * `usage.input` means uncached input tokens (Anthropic's meaning, as in the IR); `cached` are
 * cache reads. NIM reports prompt_tokens = input + cached. Estimated from the body when absent.
 */
export interface Reply {
  steps: Step[];
  usage?: { input: number; output: number; cached?: number };
}

export type Failure =
  /** NIM: 429 {"status":429,"title":"Too Many Requests"}; Moonshot: 429 rate_limit_error. */
  | { fail: 'rate_limit'; retryAfterSeconds?: number }
  /** 500 (default), 502 or 503. */
  | { fail: 'server_error'; status?: number }
  /** Moonshot: 529 overloaded_error; NIM: 503. */
  | { fail: 'overloaded' }
  /** Sends the start of the stream and `afterSteps` steps (default 1), then destroys the socket. */
  | { fail: 'drop_mid_stream'; afterSteps?: number }
  /** 400 with the backend's real context-length wording. */
  | { fail: 'context_overflow' };

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary JSON as received
  body: any;
  /** Why the fake refused the request (auth, validation, unknown model, rpm, ...). */
  rejected?: string;
}

/** `history` holds every request recorded before this one (rejected ones included). */
export type Brain = (req: RecordedRequest, history: RecordedRequest[]) => Reply | Failure;

export interface FakeUpstream {
  /** NIM `http://127.0.0.1:P/v1`, Moonshot `http://127.0.0.1:P/anthropic`. */
  url: string;
  /** The only key it accepts. */
  key: string;
  requests: RecordedRequest[];
  setBrain(brain: Brain): void;
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

export const defaultBrain: Brain = () => ({ steps: [{ type: 'text', text: 'ok' }] });

export function isFailure(answer: Reply | Failure): answer is Failure {
  return 'fail' in answer;
}
