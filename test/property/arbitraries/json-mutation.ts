/**
 * Damage to a valid JSON value, as an agent with a bug, a proxy in between or a hostile caller
 * might send it: fields removed, added, retyped, nulled, emptied, made huge, wrapped, nested.
 * A mutation picks its target among every path of the value, so deep content blocks and tool
 * arguments are hit as often as top-level fields.
 */
import fc from 'fast-check';

type Path = Array<string | number>;

export type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'add'; at: number; key: string; value: unknown }
  | { kind: 'wrap'; at: number }
  | { kind: 'stringify'; at: number }
  | { kind: 'truncate-string'; at: number; keep: number };

/** Values dropped in where something else was expected. */
const odd = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, 1e308, -0, '', ' ', '{"a":', 'null', '[]', '日本🧪', '\u0000', [], {}, [null], { type: null }),
    fc.constantFrom({ type: 'text' }, { type: 'tool_use' }, { type: 'tool_result', content: [{ type: 'tool_result' }] }, { type: 'function_call', arguments: '{bad' }, { type: 'image', source: {} }),
    fc.jsonValue({ maxDepth: 3 }),
    fc.nat({ max: 100_000 }).map((n) => 'y'.repeat(n)),
    fc.nat({ max: 40 }).map((depth) => nest(depth)),
  );

/** Content blocks nested `depth` deep (tool results inside tool results ...). */
function nest(depth: number): unknown {
  let v: unknown = { type: 'text', text: 'deep' };
  for (let i = 0; i < depth; i++) v = { type: 'tool_result', tool_use_id: `t${i}`, content: [v] };
  return v;
}

const fieldName = (): fc.Arbitrary<string> =>
  fc.oneof(fc.constantFrom('type', 'content', 'role', 'tools', 'tool_calls', 'arguments', 'input', 'stream', 'text', 'id', '__proto__', 'constructor'), fc.string({ maxLength: 8 }));

export const mutation = (): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: odd() }),
    fc.record({ kind: fc.constant('add' as const), at: fc.nat(), key: fieldName(), value: odd() }),
    fc.record({ kind: fc.constant('wrap' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('stringify' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('truncate-string' as const), at: fc.nat(), keep: fc.nat({ max: 20 }) }),
  );

function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function get(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root);
}

function set(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = get(root, path.slice(0, -1)) as Record<string | number, unknown>;
  // defineProperty: a key named __proto__ becomes a real own field, as JSON.parse makes it.
  Object.defineProperty(parent, path.at(-1) as string | number, { value, enumerable: true, writable: true, configurable: true });
  return root;
}

function remove(root: unknown, path: Path): unknown {
  if (path.length === 0) return undefined;
  const parent = get(root, path.slice(0, -1));
  const key = path.at(-1) as string | number;
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete (parent as Record<string, unknown>)[key as string];
  return root;
}

/** `value` (deep-copied) with the mutations applied in order. */
export function applyMutations(value: unknown, mutations: Mutation[]): unknown {
  let root: unknown = structuredClone(value);
  for (const m of mutations) {
    const all = paths(root);
    const path = all[m.at % all.length] as Path;
    const target = get(root, path);
    switch (m.kind) {
      case 'delete':
        root = path.length === 0 ? root : remove(root, path);
        break;
      case 'replace':
        root = set(root, path, structuredClone(m.value));
        break;
      case 'add':
        if (target !== null && typeof target === 'object' && !Array.isArray(target)) root = set(target, [m.key], structuredClone(m.value)) && root;
        else if (Array.isArray(target)) target.push(structuredClone(m.value));
        break;
      case 'wrap':
        root = set(root, path, [target]);
        break;
      case 'stringify':
        root = set(root, path, JSON.stringify(target) ?? 'undefined');
        break;
      case 'truncate-string':
        if (typeof target === 'string') root = set(root, path, target.slice(0, m.keep));
        break;
    }
  }
  return root;
}

/** A body as damaged JSON: a valid one mutated 0..4 times, or arbitrary JSON outright. */
export function damaged(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(valid, fc.array(mutation(), { minLength: 1, maxLength: 4 })).map(([v, ms]) => applyMutations(v, ms)) },
    { weight: 2, arbitrary: valid },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(fieldName(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }) },
  );
}
