/** What an error answer must look like to a client of each format (its own SDK parses it). */
import assert from 'node:assert/strict';
import type { WireFormat } from '../../app/codecs/codec';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Anthropic `{type:'error',error:{type,message}}`; OpenAI and Responses `{error:{message,type,...}}`. */
export function assertClientErrorBody(format: WireFormat, body: unknown, context: string): void {
  assert.ok(isObject(body), `${context}: error body is an object`);
  const error = body.error;
  assert.ok(isObject(error), `${context}: error body has an error object: ${JSON.stringify(body).slice(0, 300)}`);
  assert.equal(typeof error.message, 'string', `${context}: error.message is a string`);
  assert.equal(typeof error.type, 'string', `${context}: error.type is a string`);
  if (format === 'anthropic') assert.equal(body.type, 'error', `${context}: anthropic error body has type "error"`);
}
