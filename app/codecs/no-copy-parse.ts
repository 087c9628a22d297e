/**
 * Parsing an upstream's JSON with a lenient zod schema, without zod's copy when the value is
 * plainly fine. zod returns a new object for every object it validates (a loose object copies
 * every unknown key too): on a stream of hundreds of small chunks that is most of the garbage
 * a translated answer makes.
 *
 * `noCopyParser(schema)` compiles a check from the schema's own definition (zod stays the one
 * description of the shape). A value the check accepts is one zod would accept and return
 * unchanged, so it is used as it is; anything else goes to zod, which decides (and says what is
 * wrong). The check knows only the kinds whose zod output equals their input: loose objects,
 * optional, nullable, string, number, boolean, literal, unknown, array and union, without
 * checks. Any other kind (a stripping object, a default, a refinement, a length check, a
 * transform) is never accepted by the check, so those values always go through zod.
 */
import type { z } from 'zod';

type Check = (value: unknown) => boolean;

const NEVER: Check = () => false;

interface Def {
  type: string;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  innerType?: Schema;
  element?: Schema;
  options?: Schema[];
  values?: unknown[];
  checks?: unknown[];
}
interface Schema {
  _zod: { def: Def };
}

function compile(schema: Schema): Check {
  const def = schema._zod.def;
  if (def.checks !== undefined && def.checks.length > 0) return NEVER;
  switch (def.type) {
    case 'unknown':
    case 'any':
      return () => true;
    case 'string':
      return (v) => typeof v === 'string';
    case 'number':
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'literal': {
      const values = def.values ?? [];
      return (v) => values.includes(v);
    }
    case 'optional': {
      const inner = compile(def.innerType!);
      return (v) => v === undefined || inner(v);
    }
    case 'nullable': {
      const inner = compile(def.innerType!);
      return (v) => v === null || inner(v);
    }
    case 'array': {
      const element = compile(def.element!);
      return (v) => Array.isArray(v) && v.every(element);
    }
    case 'union': {
      const options = (def.options ?? []).map(compile);
      return (v) => options.some((option) => option(v));
    }
    case 'object':
      return compileLooseObject(def);
    default:
      return NEVER;
  }
}

/** Only a loose object (unknown keys kept as they are) returns what it was given. */
function compileLooseObject(def: Def): Check {
  if (def.catchall?._zod.def.type !== 'unknown') return NEVER;
  const fields = Object.entries(def.shape ?? {}).map(([key, field]) => [key, compile(field)] as const);
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    // An own "__proto__" key (JSON.parse makes one) is zod's to judge.
    if (Object.hasOwn(v, '__proto__')) return false;
    const record = v as Record<string, unknown>;
    for (const [key, check] of fields) if (!check(record[key])) return false;
    return true;
  };
}

export function noCopyParser<T extends z.ZodType>(schema: T): (value: unknown) => z.ZodSafeParseResult<z.output<T>> {
  const check = compile(schema as unknown as Schema);
  return (value) => (check(value) ? { success: true, data: value as z.output<T> } : schema.safeParse(value));
}
