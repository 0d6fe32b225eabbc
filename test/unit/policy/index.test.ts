import { expect, it } from 'vitest';
import * as policy from '../../../src/policy';

it('exposes the API the MCP and admin layers are written against', () => {
  const functions = [
    'parseScope', 'summarizeScope', 'describeDenial',
    'resolveModelAccess', 'authorizeOperation', 'authorizeMethod', 'topLevelOperations', 'reachableOperations', 'matchesModelPattern',
    'checkReadFields', 'filterRecordFields', 'filterFieldsGet', 'checkWriteFields', 'checkDomainFields', 'checkDomainPaths',
    'validateDomain', 'normalizeDomain', 'andDomains', 'fieldsInDomain', 'recordIdsDomain', 'recordScopeDomain', 'checkRecordsInScope',
    'parseCidr', 'isValidCidr', 'isIpAllowed', 'isWithinTimeWindows', 'describeTimeWindows', 'checkValidity', 'checkRequestContext', 'rateLimitStep',
  ];
  for (const name of functions) expect(typeof (policy as Record<string, unknown>)[name], name).toBe('function');
  expect(policy.OPERATIONS).toHaveLength(8);
  expect(policy.SENSITIVE_MODELS).toHaveLength(50);
  expect(Object.keys(policy.PRESET_OPERATIONS)).toEqual(['full', 'read_only']);
  expect(typeof policy.scopeSchema.safeParse).toBe('function');
});
