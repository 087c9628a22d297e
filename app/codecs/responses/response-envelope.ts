/**
 * The `response` object Patchbay writes to Responses clients (whole bodies and the lifecycle
 * stream events), with the fields the `openai` SDK types as required.
 */
import type { Usage } from '../../ir/conversation';
import type { TranslationContext } from '../codec';
import { usageToWire } from './usage';
import type { WireOutputItem } from './wire-types';

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export interface EnvelopeFields {
  id: string;
  createdAt: number;
  status: ResponseStatus;
  output: WireOutputItem[];
  usage?: Usage;
  incompleteReason?: string;
  error?: { code: string; message: string };
}

export function responseEnvelope(fields: EnvelopeFields, ctx: TranslationContext): Record<string, unknown> {
  return {
    id: fields.id,
    object: 'response',
    created_at: fields.createdAt,
    status: fields.status,
    error: fields.error ?? null,
    incomplete_details: fields.incompleteReason ? { reason: fields.incompleteReason } : null,
    instructions: null,
    max_output_tokens: null,
    model: ctx.requestedModel,
    output: fields.output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: null,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: null,
    truncation: 'disabled',
    usage: fields.usage ? usageToWire(fields.usage) : null,
    metadata: {},
  };
}
