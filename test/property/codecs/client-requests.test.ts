/**
 * Property, every client format and every backend format: a client's body, valid-shaped or
 * damaged, either translates (decode -> IR -> the proxy's own steps -> encode for the backend,
 * a JSON body comes out) or is refused with an ApiErrorException that the client's format turns
 * into a 4xx error body of its own shape. Nothing else may be thrown: a TypeError here is an
 * `internal error` 500 from the proxy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BackendTarget, WireFormat } from '../../../app/codecs/codec';
import { codecFor, WIRE_FORMATS } from '../../../app/codecs/registry';
import { outputFormatRefusal } from '../../../app/codecs/responses';
import { ApiErrorException } from '../../../app/ir/errors';
import { BACKEND_ADAPT } from '../../../app/proxy/adapt/anthropic-compat';
import { encodeClientError } from '../../../app/proxy/client-errors';
import { ResponsesStore } from '../../../app/responses-store';
import { estimateRequestTokens } from '../../../app/translate/token-estimate';
import { ToolNameMap } from '../../../app/translate/tool-names';
import type { BackendConfig } from '../../../app/config/schema';
import { KNOWN_RESPONSE_ID, requestBody } from '../arbitraries/wire-bodies';
import { assertClientErrorBody } from '../client-shapes';
import { checkProperty } from '../fuzz-settings';

const store = new ResponsesStore();
store.remember(
  KNOWN_RESPONSE_ID,
  { model: 'm', system: [], messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools: [], stream: false, responsesState: { store: true, instructionBlocks: 0 } },
  { id: 'up', model: 'm', content: [{ type: 'text', text: 'hello' }], stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1 } },
);

const BACKENDS: Record<WireFormat, BackendConfig> = {
  anthropic: { id: 'moonshot', format: 'anthropic', baseUrl: 'https://api.moonshot.ai/anthropic', apiKey: 'none', model: 'kimi-k2.6' },
  openai: { id: 'nim', format: 'openai', baseUrl: 'https://integrate.api.nvidia.com/v1', apiKey: 'none', model: 'moonshotai/kimi-k2.6' },
  responses: { id: 'openai', format: 'responses', baseUrl: 'https://api.openai.com/v1', apiKey: 'none', model: 'gpt-5' },
};

const target = fc.record(
  { model: fc.constant('upstream-model'), maxOutputTokens: fc.integer({ min: 1, max: 64_000 }), fixedSampling: fc.boolean(), echoReasoning: fc.boolean(), noForcedToolChoice: fc.boolean() },
  { requiredKeys: ['model'] },
) as fc.Arbitrary<BackendTarget>;

/** A refusal must be a client error in the client's own shape. */
function assertRefusal(format: WireFormat, err: unknown, where: string): 'refused' {
  if (!(err instanceof ApiErrorException)) throw err;
  const encoded = encodeClientError(format, err.apiError);
  assert.ok(encoded.status >= 400 && encoded.status < 500, `${where}: refusal status ${encoded.status} (${err.apiError.message})`);
  assertClientErrorBody(format, JSON.parse(encoded.body), where);
  return 'refused';
}

/** What the proxy does with a client's body before and while translating (translate.ts, proxy-request.ts). */
function translateFor(client: WireFormat, body: unknown, backend: WireFormat, t: BackendTarget): 'translated' | 'refused' {
  const codec = codecFor(client);
  let request;
  try {
    request = store.expand(codec.decodeRequest(body));
  } catch (err) {
    return assertRefusal(client, err, 'decode');
  }
  estimateRequestTokens(request);
  const refusal = outputFormatRefusal(request, backend);
  if (refusal) return assertRefusal(client, new ApiErrorException(refusal), 'output format');
  const json = body as Record<string, unknown>;
  codec.wire.toolsLeftOut(json);
  const includeUsage = codec.wire.wantsStreamUsage(json);
  const ctx = { toolNames: ToolNameMap.fromTools(request.tools), requestedModel: String(json.model), ...(includeUsage !== undefined ? { includeUsage } : {}) };
  let encoded;
  try {
    encoded = BACKEND_ADAPT[backend](codecFor(backend).encodeRequest(request, t, ctx), BACKENDS[backend]);
  } catch (err) {
    return assertRefusal(client, err, `encode for ${backend}`);
  }
  assert.equal(typeof JSON.stringify(encoded), 'string', 'the upstream body serialises');
  return 'translated';
}

for (const client of WIRE_FORMATS) {
  test(`${client} client bodies, damaged or not, translate for every backend or are refused with a ${client}-shaped 4xx`, async () => {
    const counts = { translated: 0, refused: 0 };
    await checkProperty(
      `codec: ${client} client request -> every backend`,
      fc.property(requestBody(client), target, (body, t) => {
        for (const backend of WIRE_FORMATS) counts[translateFor(client, body, backend, t)]++;
      }),
      300,
      counts,
    );
    // Both outcomes must be reached, or the generators test only one side.
    assert.ok(counts.translated > 0 && counts.refused > 0, `both outcomes seen: ${JSON.stringify(counts)}`);
  });
}
