import fixtureDataset from './fixtures/dataset.json';

/** One entry of `fields_get`: string, type, relation, selection, required, readonly, store, ... */
export interface FieldInfo {
  string: string;
  type: string;
  relation?: string;
  selection?: Array<[string, string]>;
  required?: boolean;
  readonly?: boolean;
  store?: boolean;
  aggregator?: string;
  [attribute: string]: unknown;
}

export type OdooRecord = { id: number } & Record<string, unknown>;

export interface ModelData {
  fields_get: Record<string, FieldInfo>;
  records: OdooRecord[];
}

/** The shape of fixtures/dataset.json. */
export interface Dataset {
  server_version: string;
  models: Record<string, ModelData>;
  ir_model: Array<{ id: number; model: string; name: string }>;
}

/** A fresh, private copy of the captured Odoo 19 dataset. */
export function loadDataset(): Dataset {
  return structuredClone(fixtureDataset as unknown as Dataset);
}
