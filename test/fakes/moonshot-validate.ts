/**
 * Strict validation of an Anthropic Messages request, as Anthropic's API enforces it (the fake
 * Moonshot refuses what Anthropic would, plus mid-conversation `role:"system"`, unverified on
 * Moonshot). Returns the refusal message, or undefined for a valid request. Wording follows
 * Anthropic's (`messages.1.content.0...`).
 */
const TOOL_ID = /^[a-zA-Z0-9_-]+$/;
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;
const BLOCK_TYPES = new Set(['text', 'image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking']);

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function textBlockError(block: Json, at: string): string | undefined {
  if (typeof block.text !== 'string') return `${at}.text: Field required`;
  if (block.text.length === 0) return `${at}: text content blocks must be non-empty`;
  return undefined;
}

function imageBlockError(block: Json, at: string): string | undefined {
  const s = block.source;
  if (!isObject(s)) return `${at}.source: Field required`;
  if (s.type === 'base64' && typeof s.media_type === 'string' && typeof s.data === 'string') return undefined;
  if (s.type === 'url' && typeof s.url === 'string') return undefined;
  return `${at}.source: Input tag ${JSON.stringify(s.type)} found using 'type' does not match any of the expected tags: 'base64', 'url'`;
}

function toolResultContentError(content: unknown, at: string): string | undefined {
  if (content === undefined || typeof content === 'string') return undefined;
  if (!Array.isArray(content)) return `${at}.content: Input should be a valid string or list`;
  for (const [k, part] of content.entries()) {
    const pat = `${at}.content.${k}`;
    if (!isObject(part)) return `${pat}: Input should be an object`;
    if (part.type === 'text') {
      const err = textBlockError(part, pat);
      if (err) return err;
    } else if (part.type === 'image') {
      const err = imageBlockError(part, pat);
      if (err) return err;
    } else {
      return `${pat}.type: Input tag ${JSON.stringify(part.type)} is not allowed in tool_result content`;
    }
  }
  return undefined;
}

function blockError(block: unknown, at: string, role: 'user' | 'assistant'): string | undefined {
  if (!isObject(block)) return `${at}: Input should be an object`;
  if (typeof block.type !== 'string' || !BLOCK_TYPES.has(block.type)) {
    return `${at}: Input tag ${JSON.stringify(block.type)} found using 'type' does not match any of the expected tags: ${[...BLOCK_TYPES].map((t) => `'${t}'`).join(', ')}`;
  }
  const onlyIn = (r: 'user' | 'assistant') => (role !== r ? `${at}: ${block.type} blocks are only allowed in ${r} messages` : undefined);
  switch (block.type) {
    case 'text':
      return textBlockError(block, at);
    case 'image':
      return imageBlockError(block, at);
    case 'document':
      return isObject(block.source) ? undefined : `${at}.source: Field required`;
    case 'tool_use':
      if (typeof block.id !== 'string' || !TOOL_ID.test(block.id)) return `${at}.id: String should match pattern '^[a-zA-Z0-9_-]+$' (got ${JSON.stringify(block.id)})`;
      if (typeof block.name !== 'string' || block.name.length === 0) return `${at}.name: Field required`;
      if (!isObject(block.input)) return `${at}.input: Input should be a valid dictionary`;
      return onlyIn('assistant');
    case 'tool_result':
      if (typeof block.tool_use_id !== 'string' || !TOOL_ID.test(block.tool_use_id)) return `${at}.tool_use_id: String should match pattern '^[a-zA-Z0-9_-]+$' (got ${JSON.stringify(block.tool_use_id)})`;
      if (block.is_error !== undefined && typeof block.is_error !== 'boolean') return `${at}.is_error: Input should be a valid boolean`;
      return toolResultContentError(block.content, at) ?? onlyIn('user');
    case 'thinking':
      if (typeof block.thinking !== 'string') return `${at}.thinking: Input should be a valid string`;
      if (typeof block.signature !== 'string') return `${at}.signature: Input should be a valid string`;
      return onlyIn('assistant');
    case 'redacted_thinking':
      if (typeof block.data !== 'string') return `${at}.data: Input should be a valid string`;
      return onlyIn('assistant');
  }
  return undefined;
}

function messagesError(messages: unknown): string | undefined {
  if (!Array.isArray(messages)) return 'messages: Field required';
  if (messages.length === 0) return 'messages: at least one message is required';
  let openToolUses: string[] = []; // tool_use ids of the previous assistant message
  let openAt = -1;
  for (const [i, m] of messages.entries()) {
    const at = `messages.${i}`;
    if (!isObject(m)) return `${at}: Input should be an object`;
    // Anthropic's wording without the mid-conversation-system beta; Claude Code keys its
    // fallback (system text folded into a <system-reminder>) on "Unexpected role" + "input message role".
    if (m.role === 'system') return `${at}: Unexpected role "system". The Messages API accepts a top-level \`system\` parameter, not "system" as an input message role.`;
    if (m.role !== 'user' && m.role !== 'assistant') return `${at}.role: Input should be 'user' or 'assistant'`;
    const role = m.role;
    const isFinalAssistant = role === 'assistant' && i === messages.length - 1;
    let blocks: unknown[];
    if (typeof m.content === 'string') {
      if (m.content.length === 0 && !isFinalAssistant) return `${at}: all messages must have non-empty content except for the optional final assistant message`;
      blocks = m.content.length ? [{ type: 'text', text: m.content }] : [];
    } else if (Array.isArray(m.content)) {
      if (m.content.length === 0 && !isFinalAssistant) return `${at}: all messages must have non-empty content except for the optional final assistant message`;
      blocks = m.content;
    } else {
      return `${at}.content: Input should be a valid string or list`;
    }
    for (const [j, block] of blocks.entries()) {
      const err = blockError(block, `${at}.content.${j}`, role);
      if (err) return err;
    }
    const typed = blocks as Json[];
    if (role === 'user') {
      const results = typed.filter((b) => b.type === 'tool_result');
      const firstOther = typed.findIndex((b) => b.type !== 'tool_result');
      const lastResult = typed.map((b) => b.type).lastIndexOf('tool_result');
      if (results.length > 0 && firstOther !== -1 && firstOther < lastResult) {
        return `${at}: tool_result blocks must come first in the user message, before any other content`;
      }
      const stray = results.map((b) => b.tool_use_id as string).filter((id) => !openToolUses.includes(id));
      if (stray.length > 0) {
        return `${at}.content.${typed.findIndex((b) => b.type === 'tool_result' && stray.includes(b.tool_use_id as string))}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${stray.join(', ')}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
      }
      const answered = new Set(results.map((b) => b.tool_use_id as string));
      const missing = openToolUses.filter((id) => !answered.has(id));
      if (missing.length > 0) {
        return `messages.${openAt}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
      }
      openToolUses = [];
    } else {
      if (openToolUses.length > 0) {
        return `messages.${openAt}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${openToolUses.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
      }
      const ids = typed.filter((b) => b.type === 'tool_use').map((b) => b.id as string);
      if (new Set(ids).size !== ids.length) return `${at}: \`tool_use\` ids must be unique`;
      openToolUses = ids;
      openAt = i;
    }
  }
  // A trailing assistant tool_use without results is a prefill, which Anthropic refuses too.
  if (openToolUses.length > 0) {
    return `messages.${openAt}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${openToolUses.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
  }
  return undefined;
}

function systemError(system: unknown): string | undefined {
  if (system === undefined || typeof system === 'string') return undefined;
  if (!Array.isArray(system)) return 'system: Input should be a valid string or list';
  for (const [i, b] of system.entries()) {
    if (!isObject(b) || b.type !== 'text') return `system.${i}.type: Input should be 'text'`;
    const err = textBlockError(b, `system.${i}`);
    if (err) return err;
  }
  return undefined;
}

function toolsError(tools: unknown): string | undefined {
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) return 'tools: Input should be a valid list';
  const names = new Set<string>();
  for (const [i, t] of tools.entries()) {
    if (!isObject(t)) return `tools.${i}: Input should be an object`;
    if (typeof t.name !== 'string' || !TOOL_NAME.test(t.name)) return `tools.${i}.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`;
    if (names.has(t.name)) return `tools: Tool names must be unique.`;
    names.add(t.name);
    const custom = t.type === undefined || t.type === 'custom';
    if (custom && !isObject(t.input_schema)) return `tools.${i}.input_schema: Field required`;
  }
  return undefined;
}

/** `countTokens`: the count_tokens endpoint, which takes no max_tokens. */
export function validateAnthropicRequest(body: unknown, countTokens = false): string | undefined {
  if (!isObject(body)) return 'request body must be a JSON object';
  if (typeof body.model !== 'string' || body.model.length === 0) return 'model: Field required';
  if (!countTokens) {
    if (body.max_tokens === undefined) return 'max_tokens: Field required';
    if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1) return 'max_tokens: Input should be a valid integer greater than or equal to 1';
  }
  const err = messagesError(body.messages) ?? systemError(body.system) ?? toolsError(body.tools);
  if (err) return err;
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return 'stream: Input should be a valid boolean';
  const choice = body.tool_choice;
  if (choice !== undefined && !(isObject(choice) && ['auto', 'any', 'tool', 'none'].includes(choice.type as string))) {
    return "tool_choice: Input tag does not match any of the expected tags: 'auto', 'any', 'tool', 'none'";
  }
  return undefined;
}
