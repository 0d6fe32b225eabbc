import { z } from 'zod';

/** Input pieces shared by several tools, each described for the AI reading tools/list. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;
export const MAX_IDS = 500;
export const MAX_CREATE = 100;

export const modelField = z
  .string()
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, 'a technical model name such as res.partner')
  .max(128)
  .describe("Technical name of the Odoo model, for example 'res.partner', 'crm.lead' or 'sale.order'.");

export const domainField = z
  .array(z.unknown())
  .max(200)
  .default([])
  .describe(
    "Odoo search domain: a list of conditions [field, operator, value], optionally combined with '&', '|' and '!' in prefix notation. Example: [[\"is_company\", \"=\", true], [\"country_id.code\", \"=\", \"BE\"]]. Empty list matches every record.",
  );

export const fieldsField = z
  .array(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a field name'))
  .max(200)
  .optional()
  .describe('Field names to return. Omit to get the fields this connection may read (all of them by default). Use describe_model to discover fields.');

export const idsField = z
  .array(z.number().int().positive())
  .min(1)
  .max(MAX_IDS)
  .describe(`Record ids (positive integers), at most ${MAX_IDS}.`);

export const valuesField = z
  .record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a field name'), z.unknown())
  .describe('Field values by field name. Many2one fields take an id; x2many fields take Odoo command lists such as [[6, 0, [ids]]].');
