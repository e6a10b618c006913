-- workspaces.model_count follows every insert and delete of models, whatever
-- issues it (the product, a bulk load, psql): statement-level triggers with
-- transition tables cost one UPDATE per statement and workspace, not per row.
CREATE FUNCTION models_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE workspaces w SET model_count = w.model_count + n.added
  FROM (SELECT workspace_id, count(*) AS added FROM inserted GROUP BY workspace_id) n
  WHERE w.id = n.workspace_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION models_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE workspaces w SET model_count = w.model_count - d.removed
  FROM (SELECT workspace_id, count(*) AS removed FROM deleted GROUP BY workspace_id) d
  WHERE w.id = d.workspace_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER models_count_insert AFTER INSERT ON models
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION models_count_inserted();
--> statement-breakpoint
CREATE TRIGGER models_count_delete AFTER DELETE ON models
  REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION models_count_deleted();
--> statement-breakpoint
UPDATE workspaces w SET model_count = c.models
FROM (SELECT workspace_id, count(*) AS models FROM models GROUP BY workspace_id) c
WHERE w.id = c.workspace_id;
