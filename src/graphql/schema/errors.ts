import { builder } from '../builder.ts';
import { checkText, type Problem } from '../../domain/validation.ts';

export { forbidden } from '../../domain/model-changes.ts';

export const UserErrorCode = builder.enumType('UserErrorCode', {
  description: 'Why a mutation did not apply: branch on this, not on the message.',
  values: {
    NOT_FOUND: {
      description: 'The id is malformed, unknown, of another type or owned by another account (the answer never tells which).',
    },
    FORBIDDEN: { description: 'The caller may not do this: a READER may not mutate. Checked before the input.' },
    INVALID_ARGUMENT: { description: 'An input value breaks a rule (length, characters, MODEL_STATUS_UNSPECIFIED…); `field` names it.' },
    CONFLICT: { description: 'The change clashes with existing data: the account already has a workspace of that name.' },
  } as const,
});

export const UserError = builder.objectRef<Problem>('UserError').implement({
  description: 'An expected failure of a mutation. When a payload holds one, its object is null and nothing was changed.',
  fields: (t) => ({
    code: t.expose('code', { type: UserErrorCode, description: 'Why, as a stable code to branch on.' }),
    field: t.exposeStringList('field', {
      nullable: true,
      description: 'The path of the offending input field, e.g. ["input", "labels", "0", "key"]; null when no single field is at fault.',
    }),
    message: t.exposeString('message', { description: 'A human-readable explanation in English, safe to show to users; its wording may change, so do not parse it.' }),
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
