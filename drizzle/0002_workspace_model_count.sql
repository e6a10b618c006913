CREATE TABLE "catalog_syncs" (
	"fingerprint" text PRIMARY KEY NOT NULL,
	"synced_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "model_count" integer DEFAULT 0 NOT NULL;