import type { z } from 'zod';
import type { ValidationIssue } from '../protocol/index.js';

// A payload with thousands of bad keys must not buy a reply thousands of issues long.
const maxIssues = 20;

/** Zod issues as protocol issues: one dotted path per offending field. */
export function toValidationIssues(issues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  const converted = issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...path, key].join('.'),
        message: 'unknown field',
      }));
    }
    return [{ path: path.join('.'), message: issue.message }];
  });
  return converted.slice(0, maxIssues);
}
