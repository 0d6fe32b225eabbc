import type { z } from 'zod';
import type { Principal } from '../../auth/principal';
import type { OdooClient, OdooResult } from '../../odoo/client';
import type { OdooFailure } from '../../odoo/failures';
import type { DenialReason } from '../../policy/decision';
import type { CallEffect } from '../../policy/approvals';
import type { Operation, Scope } from '../../policy/scope';

export interface ToolContext {
  principal: Principal;
  odoo: OdooClient;
  now: Date;
  /** The fields_get answers of this call, by model (model-fields.ts): one call never asks Odoo twice. */
  fields: ModelFieldsCache;
  /** What the call does to related models through nested x2many commands, as the write checks found it (nested-writes.ts). */
  effects: CallEffect[];
  approvals: ApprovalAccess;
}

/** The approval seam of one call (src/approvals/gate.ts); tools reach it only through guard.ts. */
export interface ApprovalAccess {
  /** Asked after every other check, with everything the call does: null lets the call go to Odoo. */
  /** `own`: what the call does to its own model; `related`: what its nested commands and relation searches do to other records. */
  hold(own: readonly CallEffect[], related: readonly CallEffect[]): Promise<ToolOutcome | null>;
  /** An approval of the calling connection, for approval_status. */
  status(approvalId: string): Promise<ToolOutcome>;
}

/** What a held call answers instead of running (results.ts turns it into words). */
export type ApprovalAnswer =
  | { state: 'pending'; id: string; expiresAt: string; rule: string }
  | { state: 'replay'; id: string; result: Record<string, unknown> }
  | { state: 'denied'; id: string; note: string | null }
  | { state: 'limit'; limit: number }
  | { state: 'arguments_too_large'; bytes: number; maxBytes: number }
  | { state: 'unbounded'; rule: string };

/** What the write checks read of a field: its type and relation (values), and the facts domain values are judged by. */
export interface FieldMeta {
  type?: unknown;
  relation?: unknown;
  relation_field?: unknown;
  store?: unknown;
  company_dependent?: unknown;
  digits?: unknown;
}

/** The fields_get answers of one call, by model, as Maps (model-fields.ts). */
export type ModelFieldsCache = Map<string, Promise<OdooResult<ReadonlyMap<string, FieldMeta>>>>;

/** What a tool reports back to the one seam that turns it into an MCP result and an audit event. */
export type ToolOutcome =
  | { kind: 'ok'; data: Record<string, unknown>; recordIds?: number[] }
  | { kind: 'denied'; reason: DenialReason }
  | { kind: 'odoo_error'; failure: OdooFailure }
  | { kind: 'invalid'; message: string }
  | { kind: 'approval'; answer: ApprovalAnswer };

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolDefinition<Input extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  /** Every operation class the tool needs; it is listed only when the scope can grant all of them. */
  operations: readonly Operation[];
  /** Listed only when this holds for the scope (approval_status: scopes with approval rules); never decides whether a call runs. */
  listedFor?: (scope: Scope) => boolean;
  annotations: ToolAnnotations;
  input: Input;
  run(args: z.output<Input>, ctx: ToolContext): Promise<ToolOutcome>;
}

export function defineTool<Input extends z.ZodObject>(tool: ToolDefinition<Input>): ToolDefinition {
  return tool as unknown as ToolDefinition;
}
