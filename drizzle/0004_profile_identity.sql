ALTER TABLE "profiles" ADD COLUMN "issuer" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "profiles" ADD COLUMN "subject" text COLLATE "C";--> statement-breakpoint
CREATE UNIQUE INDEX "profiles_issuer_subject_key" ON "profiles" USING btree ("issuer","subject");--> statement-breakpoint
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_identity_check" CHECK (("profiles"."issuer" is null) = ("profiles"."subject" is null));