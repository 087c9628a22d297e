/**
 * noCopyParser: the value itself when it is plainly fine, zod's verdict otherwise, and never a
 * different answer from zod's. The property runs the wire schemas it is used with on values
 * shaped after each schema (each field right, wrong, missing, null or extra), and on any JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { z } from 'zod';
import { noCopyParser } from '../../../app/codecs/no-copy-parse';
import { wireChunkSchema, wireCompletionSchema } from '../../../app/codecs/openai/wire-types';
import { wireResponseSchema, wireStreamEventSchema } from '../../../app/codecs/responses/wire-types';
import { FIXED_SEED } from '../../property/fuzz-settings';

type Def = { type: string; shape?: Record<string, { _zod: { def: Def } }>; innerType?: { _zod: { def: Def } }; element?: { _zod: { def: Def } }; options?: Array<{ _zod: { def: Def } }>; values?: unknown[] };

const anyJson = fc.jsonValue({ maxDepth: 3 });
const wrong = fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer(), fc.double(), fc.string(), fc.boolean(), fc.constant([]), fc.constant({}), fc.constant(Number.POSITIVE_INFINITY));

/** Values shaped after a schema: mostly right, sometimes any other value. */
function shaped(def: Def, depth = 0): fc.Arbitrary<unknown> {
  const right = ((): fc.Arbitrary<unknown> => {
    switch (def.type) {
      case 'string':
        return fc.string();
      case 'number':
        return fc.oneof(fc.integer(), fc.double());
      case 'boolean':
        return fc.boolean();
      case 'literal':
        return fc.constantFrom(...(def.values ?? [null]));
      case 'unknown':
        return anyJson;
      case 'optional':
        return fc.oneof(fc.constant(undefined), shaped(def.innerType!._zod.def, depth));
      case 'nullable':
        return fc.oneof(fc.constant(null), shaped(def.innerType!._zod.def, depth));
      case 'array':
        return depth > 3 ? fc.constant([]) : fc.array(shaped(def.element!._zod.def, depth + 1), { maxLength: 3 });
      case 'union':
        return fc.oneof(...(def.options ?? []).map((o) => shaped(o._zod.def, depth)));
      case 'object': {
        if (depth > 3) return fc.constant({});
        const fields = Object.fromEntries(Object.entries(def.shape ?? {}).map(([k, v]) => [k, fc.option(shaped(v._zod.def, depth + 1), { nil: undefined, freq: 6 })]));
        return fc.tuple(fc.record(fields, { requiredKeys: [] }), fc.dictionary(fc.string({ maxLength: 6 }), anyJson, { maxKeys: 2 })).map(([known, extra]) => ({ ...extra, ...known }));
      }
      default:
        return anyJson;
    }
  })();
  return fc.oneof({ weight: 12, arbitrary: right }, { weight: 1, arbitrary: wrong });
}

const schemas = { wireChunkSchema, wireCompletionSchema, wireResponseSchema, wireStreamEventSchema };

for (const [name, schema] of Object.entries(schemas)) {
  test(`${name}: the same verdict and value as zod, on shaped values and on any JSON`, () => {
    const parse = noCopyParser(schema as z.ZodType);
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 4, arbitrary: shaped((schema as unknown as { _zod: { def: Def } })._zod.def) }, { weight: 1, arbitrary: anyJson }), (value) => {
        const ours = parse(value);
        const zods = schema.safeParse(value);
        assert.equal(ours.success, zods.success);
        if (ours.success) {
          accepted++;
          assert.deepStrictEqual(ours.data, zods.data);
        }
      }),
      { seed: FIXED_SEED, numRuns: 400 },
    );
    assert.ok(accepted > 50, `only ${accepted} of 400 values were valid: the generator is too wild to test acceptance`);
  });
}

test('a plainly fine chunk is returned as it is, not copied', () => {
  const chunk = JSON.parse('{"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"hi","tool_calls":[{"index":0,"function":{"arguments":"{}"}}]},"finish_reason":null}]}');
  const parsed = noCopyParser(wireChunkSchema)(chunk);
  assert.ok(parsed.success);
  assert.equal(parsed.data, chunk);
});

test('a wrong value gets zod\'s error', () => {
  const parsed = noCopyParser(wireChunkSchema)({ choices: [{ delta: { content: 42 } }] });
  assert.equal(parsed.success, false);
  assert.match(String(parsed.error?.issues[0]?.path), /choices,0,delta,content/);
});

test('kinds whose zod output differs from the input always go through zod', () => {
  const stripping = noCopyParser(z.object({ a: z.string() }));
  assert.deepStrictEqual(stripping({ a: 'x', extra: 1 }), { success: true, data: { a: 'x' } });
  const withDefault = noCopyParser(z.looseObject({ a: z.string().default('d') }));
  const filled = withDefault({});
  assert.ok(filled.success);
  assert.deepStrictEqual(filled.data, { a: 'd' });
  const checked = noCopyParser(z.looseObject({ a: z.string().min(2) }));
  assert.equal(checked({ a: 'x' }).success, false);
  const transformed = noCopyParser(z.looseObject({ a: z.string().transform((s) => s.length) }));
  const out = transformed({ a: 'abc' });
  assert.ok(out.success);
  assert.deepStrictEqual(out.data, { a: 3 });
});

test('an own "__proto__" key is left to zod', () => {
  const value = JSON.parse('{"__proto__":{"x":1},"id":"c"}');
  const ours = noCopyParser(wireChunkSchema)(value);
  assert.equal(ours.success, wireChunkSchema.safeParse(value).success);
  if (ours.success) assert.notEqual(ours.data, value);
});
