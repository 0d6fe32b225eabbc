import { approvalStatus } from './approval-status';
import { callMethod } from './methods';
import { countRecords, createRecords, deleteRecords, readRecords, searchRecords, updateRecords } from './records';
import { aggregateRecords } from './report';
import { describeModel, listModels } from './schema';
import type { ToolDefinition } from './types';

export const TOOLS: readonly ToolDefinition[] = [
  searchRecords,
  countRecords,
  readRecords,
  createRecords,
  updateRecords,
  deleteRecords,
  callMethod,
  listModels,
  describeModel,
  aggregateRecords,
  approvalStatus,
];
