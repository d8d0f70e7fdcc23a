CREATE TABLE "maintenance_plans" (
	"id" text PRIMARY KEY NOT NULL,
	"site_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"title" text NOT NULL,
	"category" text NOT NULL,
	"every" text,
	"cron" text,
	"start_at" timestamp with time zone NOT NULL,
	"time_zone" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "maintenance_plans_interval_check" CHECK (("maintenance_plans"."every" IS NULL) <> ("maintenance_plans"."cron" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "maintenance_plans" ADD CONSTRAINT "maintenance_plans_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ADD CONSTRAINT "maintenance_plans_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "maintenance_plans_site_idx" ON "maintenance_plans" USING btree ("site_id");--> statement-breakpoint
CREATE INDEX "maintenance_plans_unsettled_idx" ON "maintenance_plans" USING btree ("state") WHERE state IN ('pending', 'deleting');