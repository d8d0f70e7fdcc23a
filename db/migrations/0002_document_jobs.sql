ALTER TABLE "documents" ADD COLUMN "job_id" text;--> statement-breakpoint
CREATE INDEX "documents_storage_key_idx" ON "documents" USING btree ("storage_key");