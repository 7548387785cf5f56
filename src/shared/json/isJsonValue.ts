import type { JsonValue } from '../domain';

/**
 * True when `value` is plain JSON data: null, a boolean, a finite number, a string, an array or a
 * plain object of those. Iterative (an explicit stack) so hostile nesting cannot overflow the call
 * stack, and allocation-free per value — a 100,000-node import checks millions of values, and
 * zod's recursive z.json() was a measurable share of that import's time.
 */
export function isJsonValue(value: unknown): value is JsonValue {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null) continue;
    switch (typeof v) {
      case 'string':
      case 'boolean':
        continue;
      case 'number':
        if (!Number.isFinite(v)) return false;
        continue;
      case 'object': {
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            // Sparse arrays hold undefined, which JSON cannot carry.
            if (!(i in v)) return false;
            stack.push(v[i]);
          }
          continue;
        }
        const proto = Object.getPrototypeOf(v) as unknown;
        if (proto !== Object.prototype && proto !== null) return false;
        for (const key in v) {
          if (Object.prototype.hasOwnProperty.call(v, key)) stack.push((v as Record<string, unknown>)[key]);
        }
        continue;
      }
      default:
        return false;
    }
  }
  return true;
}
