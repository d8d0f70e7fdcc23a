CREATE TABLE "cases" (
	"project_id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"category" text NOT NULL,
	"description" text NOT NULL,
	"source" text NOT NULL,
	"contact_name" text,
	"contact_phone" text,
	"contact_email" text,
	"plan_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "cases_category_idx" ON "cases" USING btree ("category");--> statement-breakpoint
CREATE INDEX "cases_plan_idx" ON "cases" USING btree ("plan_id");