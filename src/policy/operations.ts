export const OPERATIONS = ['query', 'read', 'create', 'write', 'delete', 'execute', 'schema', 'report'] as const;

export type Operation = (typeof OPERATIONS)[number];

export const PRESETS = ['full', 'read_only', 'custom'] as const;

export type Preset = (typeof PRESETS)[number];

export const READ_ONLY_OPERATIONS: readonly Operation[] = ['query', 'read', 'schema', 'report'];

/** Operations granted by the fixed presets; `custom` takes its list from the scope. */
export const PRESET_OPERATIONS: Readonly<Record<Exclude<Preset, 'custom'>, readonly Operation[]>> = {
  full: OPERATIONS,
  read_only: READ_ONLY_OPERATIONS,
};

/** Operations in their canonical order, without duplicates. */
export function sortOperations(operations: Iterable<Operation>): Operation[] {
  const present = new Set(operations);
  return OPERATIONS.filter((operation) => present.has(operation));
}
