/**
 * RFC 8785 (JSON Canonicalization Scheme) serialisation, as the `canonicalize` package writes it
 * (the property test in canonical.test.ts holds the two byte-equal), but several times faster on
 * ledger entries: strings are checked with `isWellFormed` instead of a character loop, cycles
 * are caught by depth rather than a set of visited objects, and the sorted member order of each
 * object shape met (a row of one table, a write) is kept rather than sorted again per object.
 */

/** Deeper than any entry Truce writes; a cycle reaches it quickly. */
const MAX_DEPTH = 64;

/** Member names repeat in every entry (a row's columns); their serialised form is kept. */
const names = new Map<string, string>();
const MAX_NAMES = 10_000;

function name(key: string): string {
  let out = names.get(key);
  if (out === undefined) {
    out = text(key);
    if (names.size < MAX_NAMES) names.set(key, out);
  }
  return out;
}

/**
 * Sorted orders kept, by first member name: each beside the member names, in insertion order,
 * of the object it was sorted for. An object whose names are those same names in that same order
 * has the same sorted order; anything else is sorted afresh (and kept, while there is room).
 */
type Order = { keys: string[]; sorted: string[] };
const orders = new Map<string, Order[]>();
const MAX_FIRST_NAMES = 1000;
const MAX_ORDERS_PER_NAME = 8;

/** RFC 8785 § 3.2.3: members sorted by their names' UTF-16 code units, which is sort()'s default order. */
function sortedKeys(object: object): string[] {
  const keys = Object.keys(object);
  const n = keys.length;
  if (n < 2) return keys;
  let known = orders.get(keys[0]!);
  if (known) {
    next: for (const order of known) {
      const seen = order.keys;
      if (seen.length !== n) continue;
      for (let i = 1; i < n; i++) if (seen[i] !== keys[i]) continue next;
      return order.sorted;
    }
  } else {
    known = [];
    if (orders.size < MAX_FIRST_NAMES) orders.set(keys[0]!, known);
  }
  const sorted = [...keys].sort();
  if (known.length < MAX_ORDERS_PER_NAME) known.push({ keys, sorted });
  return sorted;
}

function text(value: string): string {
  // RFC 8785 § 3.2.2.2: strings are I-JSON, so lone surrogates cannot be represented.
  if (!value.isWellFormed()) throw new Error('Lone surrogate is not allowed');
  return JSON.stringify(value);
}

function serialise(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return text(value);
    case 'number':
      if (Number.isNaN(value)) throw new Error('NaN is not allowed');
      if (!Number.isFinite(value)) throw new Error('Infinity is not allowed');
      // RFC 8785 § 3.2.2.3: ECMAScript's Number::toString, as JSON.stringify and String() have it.
      return `${value}`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      // undefined, functions and symbols serialise as JSON.stringify has them; bigint throws there.
      return JSON.stringify(value) as string;
  }
  if (value === null) return 'null';
  if (depth > MAX_DEPTH) throw new Error('Circular reference detected');
  const object = value as Record<string, unknown> & { toJSON?: unknown };
  if (typeof object.toJSON === 'function') return serialise(object.toJSON(), depth + 1);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (i > 0) out += ',';
      out += item === undefined || typeof item === 'symbol' ? 'null' : serialise(item, depth + 1);
    }
    return `${out}]`;
  }
  const keys = sortedKeys(object);
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = object[key];
    if (member === undefined || typeof member === 'symbol') continue;
    if (!first) out += ',';
    first = false;
    out += `${name(key)}:${serialise(member, depth + 1)}`;
  }
  return `${out}}`;
}

export function canonicalJson(value: unknown): string {
  return serialise(value, 0);
}
