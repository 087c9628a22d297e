/**
 * Strict validation of an OpenAI Chat Completions request, as an OpenAI-compatible server
 * (vLLM behind NVIDIA NIM) with Kimi K2's chat template enforces it. Returns the refusal
 * message, or undefined for a valid request. Wording follows OpenAI's where it has one.
 */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Text of a string-or-parts content; undefined when a part is malformed. */
function contentError(content: unknown, where: string, allowImages: boolean): string | undefined {
  if (typeof content === 'string') return content.length === 0 ? `${where}: content must not be empty` : undefined;
  if (!Array.isArray(content)) return `${where}: content must be a string or an array of content parts`;
  if (content.length === 0) return `${where}: content must not be empty`;
  for (const [j, part] of content.entries()) {
    if (!isObject(part)) return `${where}.content[${j}]: must be an object`;
    if (part.type === 'text') {
      if (typeof part.text !== 'string' || part.text.length === 0) return `${where}.content[${j}].text: must be a non-empty string`;
    } else if (part.type === 'image_url' && allowImages) {
      if (!isObject(part.image_url) || typeof part.image_url.url !== 'string') return `${where}.content[${j}].image_url.url: must be a string`;
    } else {
      return `${where}.content[${j}].type: unsupported content part type ${JSON.stringify(part.type)}`;
    }
  }
  return undefined;
}

function toolCallsError(calls: unknown, where: string): string | undefined {
  if (!Array.isArray(calls) || calls.length === 0) return `${where}.tool_calls: must be a non-empty array`;
  for (const [j, call] of calls.entries()) {
    const at = `${where}.tool_calls[${j}]`;
    if (!isObject(call)) return `${at}: must be an object`;
    if (typeof call.id !== 'string' || call.id.length === 0) return `${at}.id: must be a non-empty string`;
    if (call.type !== 'function') return `${at}.type: must be 'function'`;
    const fn = call.function;
    if (!isObject(fn)) return `${at}.function: must be an object`;
    if (typeof fn.name !== 'string' || !TOOL_NAME.test(fn.name)) return `${at}.function.name: must match '^[a-zA-Z0-9_-]{1,64}$'`;
    if (typeof fn.arguments !== 'string') return `${at}.function.arguments: must be a string of JSON, got ${typeof fn.arguments}`;
    try {
      const parsed: unknown = JSON.parse(fn.arguments);
      if (!isObject(parsed)) return `${at}.function.arguments: must encode a JSON object`;
    } catch {
      return `${at}.function.arguments: not valid JSON: ${fn.arguments.slice(0, 80)}`;
    }
  }
  return undefined;
}

/**
 * Identifies a tool call the fake emitted, across requests of one conversation: its id, its
 * arguments (canonical JSON) and the conversation's first user message.
 */
export function reasoningKey(messages: unknown, id: string, args: string): string {
  const first = Array.isArray(messages) ? messages.find((m) => isObject(m) && m.role === 'user') : undefined;
  let canonical = args;
  try {
    canonical = JSON.stringify(JSON.parse(args));
  } catch {
    // keep as sent
  }
  return JSON.stringify([id, canonical, isObject(first) ? first.content : null]);
}

function messagesError(messages: unknown, idsWithReasoning: ReadonlySet<string>, thinkingEnabled: boolean): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return "'messages' must be a non-empty array";
  let pending: Set<string> | undefined; // tool_call_ids of the last assistant turn not yet answered
  let pendingAt = -1;
  let answerable: Set<string> | undefined; // tool_call_ids the current run of tool messages may answer
  // Kimi K2.5/K2.6 think by default: then EVERY assistant tool-call turn must carry
  // reasoning_content, whoever produced it (the 400 users of other proxies report).
  const hadReasoning = thinkingEnabled;
  for (const [i, m] of messages.entries()) {
    const where = `messages[${i}]`;
    if (!isObject(m)) return `${where}: must be an object`;
    if (typeof m.role !== 'string' || !ROLES.has(m.role)) return `${where}.role: must be one of system, developer, user, assistant, tool (got ${JSON.stringify(m.role)})`;
    if (m.role !== 'tool' && pending && pending.size > 0) {
      return `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pending].join(', ')} (messages[${pendingAt}])`;
    }
    if (m.role !== 'tool') answerable = undefined;
    switch (m.role) {
      case 'system':
      case 'developer':
      case 'user': {
        const err = contentError(m.content, where, m.role === 'user');
        if (err) return err;
        break;
      }
      case 'assistant': {
        const hasCalls = m.tool_calls !== undefined && m.tool_calls !== null;
        if (m.reasoning_content !== undefined && m.reasoning_content !== null && typeof m.reasoning_content !== 'string') return `${where}.reasoning_content: must be a string`;
        if (m.content !== null && m.content !== undefined && !(hasCalls && m.content === '')) {
          const err = contentError(m.content, where, false);
          if (err) return err;
        } else if (!hasCalls) {
          return `${where}: an assistant message needs content or tool_calls`;
        }
        if (hasCalls) {
          const err = toolCallsError(m.tool_calls, where);
          if (err) return err;
          const ids = (m.tool_calls as Json[]).map((c) => c.id as string);
          const emittedWithReasoning = (m.tool_calls as Json[]).some((c) => idsWithReasoning.has(reasoningKey(messages, c.id as string, (c.function as Json).arguments as string)));
          const needsReasoning = hadReasoning || emittedWithReasoning;
          if (needsReasoning && !(typeof m.reasoning_content === 'string' && m.reasoning_content.length > 0)) {
            return `thinking is enabled but reasoning_content is missing in assistant tool call message at index ${i}`;
          }
          pending = new Set(ids);
          answerable = new Set(ids);
          pendingAt = i;
        } else {
          pending = undefined;
        }
        break;
      }
      case 'tool': {
        if (typeof m.tool_call_id !== 'string' || !answerable || !answerable.has(m.tool_call_id)) {
          return `Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'. (${where}.tool_call_id=${JSON.stringify(m.tool_call_id)})`;
        }
        if (!pending?.has(m.tool_call_id)) return `${where}.tool_call_id: ${m.tool_call_id} was already answered`;
        pending.delete(m.tool_call_id);
        const err = contentError(m.content, where, false);
        if (err) return err;
        break;
      }
    }
  }
  if (pending && pending.size > 0) {
    return `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pending].join(', ')} (messages[${pendingAt}])`;
  }
  return undefined;
}

function toolsError(tools: unknown): string | undefined {
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) return "'tools' must be an array";
  for (const [i, t] of tools.entries()) {
    if (!isObject(t) || t.type !== 'function' || !isObject(t.function)) return `tools[${i}]: must be {type:'function', function:{...}}`;
    const name = t.function.name;
    if (typeof name !== 'string' || !TOOL_NAME.test(name)) return `tools[${i}].function.name: must match '^[a-zA-Z0-9_-]{1,64}$' (got ${JSON.stringify(name)})`;
    const params = t.function.parameters;
    if (params !== undefined && !isObject(params)) return `tools[${i}].function.parameters: must be a JSON Schema object`;
  }
  return undefined;
}

/**
 * @param idsWithReasoning reasoningKey()s of tool calls this fake emitted together with reasoning:
 *   an assistant turn carrying one of them must echo `reasoning_content` (Kimi's requirement).
 */
export function validateNimRequest(body: unknown, idsWithReasoning: ReadonlySet<string>): string | undefined {
  if (!isObject(body)) return 'request body must be a JSON object';
  if (typeof body.model !== 'string' || body.model.length === 0) return "'model' is required";
  const thinkingEnabled = thinkingIsOn(body);
  const err = messagesError(body.messages, idsWithReasoning, thinkingEnabled) ?? toolsError(body.tools);
  if (err) return err;
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return "'stream' must be a boolean";
  if (body.stream_options !== undefined && body.stream_options !== null && body.stream !== true) return "'stream_options' is only allowed when 'stream' is true";
  for (const field of ['max_tokens', 'max_completion_tokens'] as const) {
    const v = body[field];
    if (v !== undefined && v !== null && !(Number.isInteger(v) && (v as number) > 0)) return `'${field}' must be a positive integer`;
  }
  const choice = body.tool_choice;
  if (choice !== undefined && choice !== null && !['auto', 'none', 'required'].includes(choice as string)) {
    if (!isObject(choice) || choice.type !== 'function' || !isObject(choice.function) || typeof choice.function.name !== 'string') {
      return "'tool_choice' must be 'auto', 'none', 'required' or {type:'function', function:{name}}";
    }
  }
  // Reported by users of Kimi K2.5 with thinking on (exact wording unverified).
  if (thinkingEnabled && (choice === 'required' || isObject(choice))) {
    return `tool_choice '${isObject(choice) ? 'specified' : 'required'}' is incompatible with thinking enabled`;
  }
  return undefined;
}

/** Kimi thinks unless the request turns it off (`chat_template_kwargs.thinking: false` or `thinking.type: "disabled"`). */
function thinkingIsOn(body: Json): boolean {
  const kwargs = body.chat_template_kwargs;
  if (isObject(kwargs) && kwargs.thinking === false) return false;
  const thinking = body.thinking;
  if (isObject(thinking) && thinking.type === 'disabled') return false;
  return true;
}
