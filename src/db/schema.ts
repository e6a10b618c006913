import { getTableColumns, sql } from 'drizzle-orm';
import {
  check,
  bigint,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * Text compared byte-wise on every server. PGlite's default collation is "C"
 * and a typical server's is not; declaring the columns that order, compare or
 * key rows as "C" makes sorting, `lower()` (ASCII-only under "C") and
 * uniqueness identical on both.
 */
const ctext = customType<{ data: string }>({
  dataType: () => 'text COLLATE "C"',
});

/** Millisecond precision, so a value seen by a client is exactly the value that orders. */
const createdAt = () =>
  timestamp('created_at', { precision: 3, withTimezone: true, mode: 'date' }).notNull().defaultNow();

export type Labels = Record<string, string>;

/** Every row belongs to an account (the tenant) and was created by a profile. */
const ownedBy = () => ctext('account_id').notNull().references(() => accounts.id);
const createdBy = () => ctext('profile_id').notNull().references(() => profiles.id);

export const accounts = pgTable('accounts', {
  id: ctext('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const profiles = pgTable(
  'profiles',
  {
    id: ctext('id').primaryKey(),
    accountId: ownedBy(),
    kind: text('kind', { enum: ['USER', 'SERVICE_ACCOUNT'] }).notNull(),
    name: text('name').notNull(),
    createdAt: createdAt(),
    /** A user signed in with OpenID Connect: the token's `iss` and `sub` (both null for everyone else). */
    issuer: ctext('issuer'),
    subject: ctext('subject'),
  },
  (t) => [
    index('profiles_account_idx').on(t.accountId, t.createdAt),
    // One profile per (issuer, sub): concurrent first requests insert … on conflict do nothing.
    // Rows without an issuer never conflict (NULLs are distinct).
    uniqueIndex('profiles_issuer_subject_key').on(t.issuer, t.subject),
    check('profiles_identity_check', sql`(${t.issuer} is null) = (${t.subject} is null)`),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: ctext('id').primaryKey(),
    accountId: ownedBy(),
    profileId: createdBy(),
    role: text('role', { enum: ['ADMIN', 'READER'] }).notNull(),
    /** SHA-256 of the secret part, hex. The secret itself is never stored. */
    secretHash: text('secret_hash').notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { precision: 3, withTimezone: true, mode: 'date' }),
  },
  (t) => [index('api_keys_account_idx').on(t.accountId)],
);

export const workspaces = pgTable(
  'workspaces',
  {
    id: ctext('id').primaryKey(),
    accountId: ownedBy(),
    profileId: createdBy(),
    name: ctext('name').notNull(),
    labels: jsonb('labels').$type<Labels>().notNull().default({}),
    createdAt: createdAt(),
    /** How many models the workspace has, kept by triggers on models (drizzle/0003_model_count_triggers.sql). */
    modelCount: integer('model_count').notNull().default(0),
  },
  (t) => [
    // Names are unique per account, trimmed (on write) and ASCII case-folded
    // (lower() under "C" folds ASCII only).
    uniqueIndex('workspaces_account_name_key').on(t.accountId, sql`lower(${t.name})`),
    // Keyset order of the workspaces connection.
    index('workspaces_account_created_idx').on(t.accountId, t.createdAt, t.id),
  ],
);

export const modelStatuses = [
  'MODEL_STATUS_UNSPECIFIED',
  'MODEL_STATUS_ENABLED',
  'MODEL_STATUS_DISABLED',
] as const;
export type ModelStatus = (typeof modelStatuses)[number];

export const models = pgTable(
  'models',
  {
    id: ctext('id').primaryKey(),
    accountId: ownedBy(),
    workspaceId: ctext('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    profileId: createdBy(),
    name: ctext('name').notNull(),
    createdAt: createdAt(),
    bundleKey: text('bundle_key'),
    externalId: text('external_id'),
    labels: jsonb('labels').$type<Labels>().notNull().default({}),
    provider: ctext('provider').notNull(),
    family: ctext('family').notNull(),
    inputPricePerMillionTokens: numeric('input_price_per_million_tokens'),
    outputPricePerMillionTokens: numeric('output_price_per_million_tokens'),
    maxInputTokens: integer('max_input_tokens'),
    maxOutputTokens: integer('max_output_tokens'),
    status: text('status', { enum: modelStatuses }).notNull(),
    /** Increases by one with every change that alters the row; never on a no-op. */
    revision: integer('revision').notNull().default(1),
    /**
     * Who set the current status, and in which request: every statement that
     * changes a status sets them, and the trigger of drizzle/0005 copies them
     * into model_status_changes. Null until the status first changes.
     */
    statusProfileId: ctext('status_profile_id'),
    statusRequestId: text('status_request_id'),
  },
  (t) => [
    uniqueIndex('models_workspace_provider_family_key').on(t.workspaceId, t.provider, t.family),
    // One index per keyset order of the models connection; DESC scans them backwards.
    index('models_workspace_created_idx').on(t.workspaceId, t.createdAt, t.id),
    index('models_workspace_name_idx').on(t.workspaceId, sql`lower(${t.name})`, t.id),
    index('models_workspace_provider_idx').on(t.workspaceId, t.provider, t.family, t.id),
    check('models_status_check', sql`${t.status} in ('MODEL_STATUS_UNSPECIFIED', 'MODEL_STATUS_ENABLED', 'MODEL_STATUS_DISABLED')`),
  ],
);

/**
 * The audit trail of model statuses: one row per change that altered a status,
 * written by a trigger in the transaction of the change (drizzle/0005). The
 * trigger also NOTIFYs each row's ids on channel `model_status_changes`, which
 * PostgreSQL delivers only after the commit. Never updated, never deleted.
 */
export const modelStatusChanges = pgTable(
  'model_status_changes',
  {
    /** Order of recording: per model, the order the changes committed in (the row lock serialises them). */
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: ctext('account_id').notNull(),
    workspaceId: ctext('workspace_id').notNull(),
    modelId: ctext('model_id')
      .notNull()
      .references(() => models.id),
    fromStatus: text('from_status', { enum: modelStatuses }).notNull(),
    toStatus: text('to_status', { enum: modelStatuses }).notNull(),
    /** A profile of the account, or the catalog's system profile (not a row of profiles). */
    profileId: ctext('profile_id').notNull(),
    requestId: text('request_id'),
    at: timestamp('at', { precision: 3, withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('model_status_changes_model_idx').on(t.modelId, t.seq)],
);

/** The fingerprints of the catalogs synced into every workspace: a start skips a catalog found here (see syncCatalogIfChanged). */
export const catalogSyncs = pgTable('catalog_syncs', {
  fingerprint: text('fingerprint').primaryKey(),
  syncedAt: timestamp('synced_at', { precision: 3, withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export type AccountRow = typeof accounts.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type WorkspaceRow = typeof workspaces.$inferSelect;
/** A model as the API shows it; who set its status is read from the audit trail, not from here. */
export type ModelRow = Omit<typeof models.$inferSelect, 'statusProfileId' | 'statusRequestId'>;

/** The columns of a ModelRow, for select(…) and returning(…). */
export const modelRowColumns = (() => {
  const { statusProfileId, statusRequestId, ...columns } = getTableColumns(models);
  void statusProfileId;
  void statusRequestId;
  return columns;
})();
export type ModelStatusChangeRow = typeof modelStatusChanges.$inferSelect;
