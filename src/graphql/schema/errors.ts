import { builder } from '../builder.ts';
import { checkText, type Problem } from '../../domain/validation.ts';

export { forbidden } from '../../domain/model-changes.ts';

export const UserErrorCode = builder.enumType('UserErrorCode', {
  description: 'Why a mutation did not apply.',
  values: {
    NOT_FOUND: { description: 'The id is malformed, unknown, of another type or owned by another account.' },
    FORBIDDEN: { description: 'The caller may not do this (a READER may not mutate).' },
    INVALID_ARGUMENT: { description: 'An input value breaks a rule; `field` names it.' },
    CONFLICT: { description: 'The change clashes with existing data, e.g. a duplicate workspace name.' },
  } as const,
});

export const UserError = builder.objectRef<Problem>('UserError').implement({
  description: 'An expected failure of a mutation: nothing was changed.',
  fields: (t) => ({
    code: t.expose('code', { type: UserErrorCode, description: 'A machine-readable reason.' }),
    field: t.exposeStringList('field', {
      nullable: true,
      description: 'The path of the offending input field, e.g. ["input", "labels", "0", "key"]; null when no single field is at fault.',
    }),
    message: t.exposeString('message', { description: 'A human-readable explanation, safe to show to users.' }),
  }),
});

/** A payload's userErrors for a problem, with its field path under `input`. */
export function userErrors(problem: Problem): Problem[] {
  return [{ ...problem, field: problem.field ? ['input', ...problem.field] : null }];
}

/** clientMutationId is only echoed, but text with NUL or ill-formed Unicode is refused anywhere. */
export function clientMutationIdProblem(input: { clientMutationId?: string | null }): Problem | null {
  if (input.clientMutationId == null) return null;
  const checked = checkText(input.clientMutationId, ['clientMutationId']);
  return checked.ok ? null : checked.problem;
}
