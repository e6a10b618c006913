CREATE TABLE "model_status_changes" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "model_status_changes_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" text COLLATE "C" NOT NULL,
	"workspace_id" text COLLATE "C" NOT NULL,
	"model_id" text COLLATE "C" NOT NULL,
	"from_status" text NOT NULL,
	"to_status" text NOT NULL,
	"profile_id" text COLLATE "C" NOT NULL,
	"request_id" text,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "status_profile_id" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "status_request_id" text;--> statement-breakpoint
ALTER TABLE "model_status_changes" ADD CONSTRAINT "model_status_changes_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "model_status_changes_model_idx" ON "model_status_changes" USING btree ("model_id","seq");--> statement-breakpoint
-- The audit trail and live updates of model statuses, whatever statement
-- changes them (a mutation, REST, a bulk change, the catalog sync): one row per
-- model whose status the statement really changed, with the actor and request
-- the statement wrote into status_profile_id / status_request_id, and one
-- NOTIFY per row carrying ids only. PostgreSQL delivers a NOTIFY only when its
-- transaction commits, in commit order; a rolled-back change is neither
-- recorded nor announced.
CREATE FUNCTION models_record_status_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  change record;
BEGIN
  FOR change IN
    INSERT INTO model_status_changes (account_id, workspace_id, model_id, from_status, to_status, profile_id, request_id)
    SELECT n.account_id, n.workspace_id, n.id, o.status, n.status, n.status_profile_id, n.status_request_id
    FROM before_update o JOIN after_update n ON n.id = o.id
    WHERE n.status IS DISTINCT FROM o.status
    ORDER BY n.id
    RETURNING seq, account_id, workspace_id, model_id
  LOOP
    PERFORM pg_notify('model_status_changes', json_build_object(
      'seq', change.seq, 'accountId', change.account_id, 'workspaceId', change.workspace_id, 'modelId', change.model_id)::text);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER models_record_status_changes AFTER UPDATE ON models
  REFERENCING OLD TABLE AS before_update NEW TABLE AS after_update
  FOR EACH STATEMENT EXECUTE FUNCTION models_record_status_changes();
