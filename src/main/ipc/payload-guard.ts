// Cheap structural checks run before zod: recursive validators (z.json(), nested objects)
// would overflow the stack on a pathologically deep payload, and that must be a VALIDATION
// error, not an exception deep inside a schema.
import { MAX_PAYLOAD_DEPTH } from '../../shared/ipc';

/** True when `value` nests objects/arrays deeper than `limit`; iterative, so it cannot overflow itself. */
export function exceedsDepth(value: unknown, limit: number = MAX_PAYLOAD_DEPTH): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (depth > limit) return true;
    if (Array.isArray(current)) {
      for (const item of current) if (typeof item === 'object' && item !== null) stack.push([item, depth + 1]);
    } else {
      for (const key in current as Record<string, unknown>) {
        const item = (current as Record<string, unknown>)[key];
        if (typeof item === 'object' && item !== null) stack.push([item, depth + 1]);
      }
    }
  }
  return false;
}
