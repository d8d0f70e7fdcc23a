ALTER TABLE "jobs" ADD COLUMN "scheduled_end" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "jobs_installer_start_idx" ON "jobs" USING btree ("installer_id","scheduled_start");