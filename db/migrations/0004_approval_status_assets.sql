CREATE TABLE "asset_history" (
	"id" text PRIMARY KEY NOT NULL,
	"asset_id" text NOT NULL,
	"site_id" text NOT NULL,
	"make" text NOT NULL,
	"model" text NOT NULL,
	"serial" text,
	"previous_serial" text,
	"task_id" text,
	"at" timestamp with time zone NOT NULL,
	"revision" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "trip_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "asset_history" ADD CONSTRAINT "asset_history_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "asset_history_site_idx" ON "asset_history" USING btree ("site_id","asset_id","at");--> statement-breakpoint
CREATE INDEX "projects_outcome_idx" ON "projects" USING btree ("outcome","id");