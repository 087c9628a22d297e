/**
 * Strict validation of an OpenAI Responses request (`POST /v1/responses`), as OpenAI's API
 * enforces it, with its error fields (message, param, code) and, for the two lookups that fail
 * as "not found", a 404. Returns the refusal, or undefined for a valid request.
 * Wording follows OpenAI's where it is known (see test/fakes/README.md for what is unverified).
 */
type Json = Record<string, unknown>;

export interface Refusal {
  status: number;
  message: string;
  param: string | null;
  code: string | null;
}

/** Models the fake treats as reasoning models (refuse temperature/top_p, accept reasoning.effort). */
export const REASONING_MODEL = /^(o\d|gpt-5)/;
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const SAFETY_IDENTIFIER_MAX = 64;
const MIN_MAX_OUTPUT_TOKENS = 16;

const TOP_LEVEL = new Set([
  'model', 'input', 'instructions', 'tools', 'tool_choice', 'parallel_tool_calls', 'reasoning', 'store', 'include', 'text',
  'max_output_tokens', 'max_tool_calls', 'previous_response_id', 'stream', 'stream_options', 'temperature', 'top_p',
  'top_logprobs', 'truncation', 'metadata', 'user', 'safety_identifier', 'prompt_cache_key', 'prompt_cache_retention',
  'service_tier', 'background', 'conversation', 'prompt', 'client_metadata', 'context_management',
]);
/** Chat Completions fields sent to Responses by mistake, with OpenAI's pointer where it gives one. */
const MOVED: Record<string, string> = {
  max_tokens: "Unsupported parameter: 'max_tokens'. In the Responses API, this parameter has moved to 'max_output_tokens'.",
  max_completion_tokens: "Unsupported parameter: 'max_completion_tokens'. In the Responses API, this parameter has moved to 'max_output_tokens'.",
  response_format: "Unsupported parameter: 'response_format'. In the Responses API, this parameter has moved to 'text.format'.",
};
const HOSTED_TOOLS = new Set(['web_search', 'web_search_preview', 'file_search', 'code_interpreter', 'image_generation', 'mcp', 'local_shell', 'computer_use_preview', 'custom']);
const ITEM_TYPES = ['message', 'function_call', 'function_call_output', 'reasoning', 'item_reference'];
const INPUT_PARTS = new Set(['input_text', 'input_image', 'input_file']);
const OUTPUT_PARTS = new Set(['output_text', 'refusal']);

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const bad = (message: string, param: string | null, code: string | null = 'invalid_value'): Refusal => ({ status: 400, message, param, code });
const missing = (param: string): Refusal => bad(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
const invalidValue = (param: string, got: unknown, allowed: Iterable<string>): Refusal =>
  bad(`Invalid value: '${String(got)}'. Supported values are: ${[...allowed].map((v) => `'${v}'`).join(', ')}.`, param);
const invalidType = (param: string, expected: string, got: unknown): Refusal =>
  bad(`Invalid type for '${param}': expected ${expected}, but got ${Array.isArray(got) ? 'an array' : typeof got} instead.`, param, 'invalid_type');

function partsError(content: unknown, role: string, at: string): Refusal | undefined {
  if (typeof content === 'string') return undefined;
  if (!Array.isArray(content)) return invalidType(`${at}.content`, 'a string or an array of content parts', content);
  const allowed = role === 'assistant' ? OUTPUT_PARTS : INPUT_PARTS;
  for (const [j, part] of content.entries()) {
    const where = `${at}.content[${j}]`;
    if (!isObject(part)) return invalidType(where, 'an object', part);
    if (!allowed.has(String(part.type))) return invalidValue(`${where}.type`, part.type, allowed);
    if ((part.type === 'input_text' || part.type === 'output_text') && typeof part.text !== 'string') return missing(`${where}.text`);
    if (part.type === 'refusal' && typeof part.refusal !== 'string') return missing(`${where}.refusal`);
    if (part.type === 'input_image' && typeof part.image_url !== 'string' && typeof part.file_id !== 'string') return missing(`${where}.image_url`);
  }
  return undefined;
}

/** Checks an encrypted reasoning blob; the fake's own are verifiable, anything else is not. */
export type EncryptedContentCheck = (blob: string) => boolean;

function inputError(input: unknown, store: boolean, verify: EncryptedContentCheck): Refusal | undefined {
  if (typeof input === 'string') return undefined;
  if (!Array.isArray(input)) return invalidType('input', 'a string or an array of input items', input);
  if (input.length === 0) return bad("Invalid 'input': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'input', 'empty_array');
  const calls = new Set<string>();
  const answered = new Set<string>();
  for (const [i, item] of input.entries()) {
    const at = `input[${i}]`;
    if (!isObject(item)) return invalidType(at, 'an object', item);
    const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
    switch (type) {
      case 'message': {
        if (!['user', 'assistant', 'system', 'developer'].includes(String(item.role))) return invalidValue(`${at}.role`, item.role, ['user', 'assistant', 'system', 'developer']);
        if (item.content === undefined) return missing(`${at}.content`);
        const err = partsError(item.content, item.role as string, at);
        if (err) return err;
        break;
      }
      case 'function_call': {
        for (const field of ['call_id', 'name', 'arguments']) if (typeof item[field] !== 'string') return missing(`${at}.${field}`);
        if (!TOOL_NAME.test(item.name as string)) return bad(`Invalid '${at}.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`, `${at}.name`, 'invalid_value');
        calls.add(item.call_id as string);
        break;
      }
      case 'function_call_output': {
        if (typeof item.call_id !== 'string') return missing(`${at}.call_id`);
        if (typeof item.output !== 'string' && !Array.isArray(item.output)) return missing(`${at}.output`);
        if (!calls.has(item.call_id)) return bad(`No tool call found for function call output with call_id ${item.call_id}.`, 'input', null);
        answered.add(item.call_id);
        break;
      }
      case 'reasoning': {
        if (!Array.isArray(item.summary)) return missing(`${at}.summary`);
        for (const [j, s] of item.summary.entries()) {
          if (!isObject(s) || s.type !== 'summary_text' || typeof s.text !== 'string') return invalidValue(`${at}.summary[${j}].type`, isObject(s) ? s.type : s, ['summary_text']);
        }
        const blob = item.encrypted_content;
        if (typeof blob === 'string' && !verify(blob)) {
          return bad(`The encrypted content for item ${String(item.id ?? at)} could not be verified.`, null, 'invalid_encrypted_content');
        }
        if (typeof blob !== 'string' && typeof item.id === 'string' && !store) return notPersisted(item.id);
        break;
      }
      case 'item_reference':
        if (typeof item.id !== 'string') return missing(`${at}.id`);
        if (!store) return notPersisted(item.id);
        return { status: 404, message: `Item with id '${item.id}' not found.`, param: 'input', code: null };
      default:
        return invalidValue(`${at}.type`, type, ITEM_TYPES);
    }
  }
  const unanswered = [...calls].find((id) => !answered.has(id));
  if (unanswered !== undefined) return bad(`No tool output found for function call ${unanswered}.`, 'input', null);
  return undefined;
}

function notPersisted(id: string): Refusal {
  return {
    status: 404,
    message: `Item with id '${id}' not found. Items are not persisted when \`store\` is set to false. Try again with \`store\` set to true, or remove this item from your input.`,
    param: 'input',
    code: null,
  };
}

function toolsError(tools: unknown): Refusal | undefined {
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) return invalidType('tools', 'an array', tools);
  for (const [i, tool] of tools.entries()) {
    const at = `tools[${i}]`;
    if (!isObject(tool)) return invalidType(at, 'an object', tool);
    if (tool.type === 'function') {
      if (typeof tool.name !== 'string') return missing(`${at}.name`);
      if (!TOOL_NAME.test(tool.name)) return bad(`Invalid '${at}.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`, `${at}.name`);
      if (isObject(tool.function)) return bad(`Unknown parameter: '${at}.function'.`, `${at}.function`, 'unknown_parameter');
      const params = tool.parameters;
      if (params !== undefined && params !== null && !isObject(params)) return invalidType(`${at}.parameters`, 'an object', params);
      // Responses makes function tools strict unless they say `strict: false`.
      if (tool.strict !== false && isObject(params)) {
        if (params.additionalProperties !== false) {
          return bad(`Invalid schema for function '${tool.name}': In context=(), 'additionalProperties' is required to be supplied and to be false.`, `${at}.parameters`, 'invalid_function_parameters');
        }
        const props = isObject(params.properties) ? Object.keys(params.properties) : [];
        const required = Array.isArray(params.required) ? params.required : [];
        const loose = props.find((p) => !required.includes(p));
        if (loose !== undefined) {
          return bad(`Invalid schema for function '${tool.name}': In context=(), 'required' is required to be supplied and to be an array including every key in properties. Missing '${loose}'.`, `${at}.parameters`, 'invalid_function_parameters');
        }
      }
    } else if (tool.type === 'namespace') {
      if (typeof tool.name !== 'string') return missing(`${at}.name`);
      const err = toolsError(tool.tools);
      if (err) return { ...err, message: err.message.replaceAll('tools[', `${at}.tools[`), param: err.param?.replace('tools[', `${at}.tools[`) ?? null };
    } else if (!HOSTED_TOOLS.has(String(tool.type))) {
      return invalidValue(`${at}.type`, tool.type, ['function', 'namespace', ...HOSTED_TOOLS]);
    }
  }
  return undefined;
}

export function validateResponsesRequest(body: Json, verify: EncryptedContentCheck): Refusal | undefined {
  for (const key of Object.keys(body)) {
    if (MOVED[key]) return bad(MOVED[key], key, 'unsupported_parameter');
    if (!TOP_LEVEL.has(key)) return bad(`Unknown parameter: '${key}'.`, key, 'unknown_parameter');
  }
  if (typeof body.model !== 'string' || body.model === '') return missing('model');
  if (body.input === undefined && body.previous_response_id === undefined && body.prompt === undefined) return missing('input');
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return invalidType('stream', 'a boolean', body.stream);
  if (body.stream_options !== undefined && body.stream !== true) return bad("Invalid 'stream_options': only allowed when 'stream' is true.", 'stream_options');
  const store = body.store !== false;
  const err = inputError(body.input, store, verify) ?? toolsError(body.tools);
  if (err) return err;
  if (body.previous_response_id !== undefined && body.previous_response_id !== null) {
    return { status: 404, message: `Previous response with id '${String(body.previous_response_id)}' not found.`, param: 'previous_response_id', code: 'previous_response_not_found' };
  }
  const max = body.max_output_tokens;
  if (max !== undefined && max !== null) {
    if (!Number.isInteger(max)) return invalidType('max_output_tokens', 'an integer', max);
    if ((max as number) < MIN_MAX_OUTPUT_TOKENS) {
      return bad(`Invalid 'max_output_tokens': integer below minimum value. Expected a value >= ${MIN_MAX_OUTPUT_TOKENS}, but got ${String(max)} instead.`, 'max_output_tokens', 'integer_below_min_value');
    }
  }
  const sid = body.safety_identifier;
  if (typeof sid === 'string' && sid.length > SAFETY_IDENTIFIER_MAX) {
    return bad(`Invalid 'safety_identifier': string too long. Expected a string with maximum length ${SAFETY_IDENTIFIER_MAX}, but got a string with length ${sid.length} instead.`, 'safety_identifier', 'string_above_max_length');
  }
  const reasoningModel = REASONING_MODEL.test(body.model);
  for (const sampling of ['temperature', 'top_p'] as const) {
    if (reasoningModel && body[sampling] !== undefined && body[sampling] !== null) {
      return bad(`Unsupported parameter: '${sampling}' is not supported with this model.`, sampling, 'unsupported_parameter');
    }
  }
  if (!reasoningModel && isObject(body.reasoning) && body.reasoning.effort !== undefined) {
    return bad("Unsupported parameter: 'reasoning.effort' is not supported with this model.", 'reasoning.effort', 'unsupported_parameter');
  }
  const choice = body.tool_choice;
  if (choice !== undefined && choice !== null && !['auto', 'none', 'required'].includes(choice as string)) {
    if (!isObject(choice) || typeof choice.type !== 'string') return invalidValue('tool_choice', JSON.stringify(choice), ['auto', 'none', 'required']);
  }
  if (body.include !== undefined && !Array.isArray(body.include)) return invalidType('include', 'an array', body.include);
  return undefined;
}
