/** The largest tool result (serialized) sent back to a client, so one call cannot pull a whole database. */
export const MAX_RESULT_BYTES = 512 * 1024;

/** Keeps the longest prefix of records whose JSON fits in the budget. */
export function fitToBudget<T>(records: T[], budget = MAX_RESULT_BYTES * 0.9): T[] {
  let used = 0;
  const encoder = new TextEncoder();
  for (let i = 0; i < records.length; i++) {
    used += encoder.encode(JSON.stringify(records[i])).byteLength + 1;
    if (used > budget) return records.slice(0, i);
  }
  return records;
}

export function serializedSize(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).byteLength;
}
