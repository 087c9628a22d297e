/**
 * What a model family needs from the proxy beyond plain translation, as plain facts. A family
 * is one small file (kimi.ts) that recognises its model ids and says which facts hold; the
 * registry (index.ts) resolves the profile in force for each request's upstream model.
 */
import type { StreamEvent } from '../ir/stream';

/** A tool call the model wrote as text in its own native syntax. */
export interface TextToolCall {
  /** The call id as written (e.g. Kimi's `functions.Write:0`). */
  id: string;
  name: string;
  /** The arguments' JSON text ('{}' when empty). */
  arguments: string;
}

export interface StreamEventTransform {
  push(event: StreamEvent): StreamEvent[];
  end(): StreamEvent[];
}

/** A native text syntax for tool calls, and how to turn it into real tool calls. */
export interface TextToolCallSyntax {
  /** Split a complete text into the text outside tool-call sections and the calls inside them. */
  split(text: string): { text: string; calls: TextToolCall[] };
  /** Watch an IR event stream's text and turn such sections into real tool_use blocks. */
  createTransform(): StreamEventTransform;
}

/** The quirks in force for one request (one backend, one upstream model). */
export interface QuirkProfile {
  /** Profile name, as shown in `GET /api/state` and the start-up banner (`kimi`, `none`). */
  readonly name: string;
  /** The model fixes temperature/top_p/n/penalties: they are not sent. */
  readonly fixedSampling: boolean;
  /**
   * Echo the model's reasoning on every assistant tool-call turn, a placeholder where none is
   * known: the model refuses a tool-call turn without it.
   */
  readonly echoReasoning: boolean;
  /** The model refuses a forced tool choice (required / a named tool): ask for `auto` instead. */
  readonly noForcedToolChoice: boolean;
  /** The model may write tool calls as text in this syntax: they become real tool calls. */
  readonly textToolCalls?: TextToolCallSyntax;
}

/** One model family: which ids belong to it, and the profile of one of its models. */
export interface QuirkFamily {
  readonly name: string;
  /** True when an upstream model id (e.g. `moonshotai/kimi-k2.6`) is of this family. */
  matches(model: string): boolean;
  /** The family's profile for one model (facts may differ by version). */
  profile(model: string): QuirkProfile;
}
