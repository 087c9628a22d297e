/**
 * A fast, deterministic ESTIMATE of a request's input tokens, for `count_tokens` answers and
 * the context-window preflight. It is not a tokenizer: about 4 characters per token for text
 * and for the JSON of tool definitions and tool inputs, a fixed cost per image and per binary
 * document, and a small overhead per message and per tool. Real counts differ by model
 * (typically within +-25% for English and code; more for CJK text, which it underestimates).
 */
import type { ChatRequest, ContentBlock } from '../ir/conversation';

export const CHARS_PER_TOKEN = 4;
/** Anthropic's cost of an image near its 1.15-megapixel cap. */
export const IMAGE_TOKENS = 1600;
/** A PDF or other binary document: a flat guess (a few pages). */
export const BINARY_DOCUMENT_TOKENS = 3000;
export const MESSAGE_OVERHEAD_TOKENS = 4;
export const TOOL_OVERHEAD_TOKENS = 8;

function blockChars(block: ContentBlock): { chars: number; fixed: number } {
  switch (block.type) {
    case 'text':
      return { chars: block.text.length, fixed: 0 };
    case 'image':
      return { chars: 0, fixed: IMAGE_TOKENS };
    case 'document':
      return block.source.kind === 'text'
        ? { chars: block.source.data.length + (block.title?.length ?? 0), fixed: 0 }
        : { chars: block.title?.length ?? 0, fixed: BINARY_DOCUMENT_TOKENS };
    case 'tool_use':
      return { chars: block.name.length + block.id.length + JSON.stringify(block.input).length, fixed: 0 };
    case 'tool_result': {
      let chars = block.toolUseId.length;
      let fixed = 0;
      for (const part of block.content) {
        if (part.type === 'text') chars += part.text.length;
        else fixed += IMAGE_TOKENS;
      }
      return { chars, fixed };
    }
    case 'thinking':
      return { chars: block.thinking.length, fixed: 0 };
    case 'redacted_thinking':
      // Encrypted payload: the hidden reasoning is roughly as long as its base64.
      return { chars: block.data.length * 0.75, fixed: 0 };
  }
}

/** Estimated input tokens of a request (system, messages, tools). Deterministic; an estimate. */
export function estimateRequestTokens(req: ChatRequest): number {
  let chars = 0;
  let fixed = 0;
  for (const block of req.system) chars += block.text.length;
  for (const message of req.messages) {
    fixed += MESSAGE_OVERHEAD_TOKENS;
    for (const block of message.content) {
      const cost = blockChars(block);
      chars += cost.chars;
      fixed += cost.fixed;
    }
  }
  for (const tool of req.tools) {
    fixed += TOOL_OVERHEAD_TOKENS;
    chars += tool.name.length + (tool.description?.length ?? 0) + JSON.stringify(tool.inputSchema).length;
  }
  return Math.ceil(chars / CHARS_PER_TOKEN) + fixed;
}
