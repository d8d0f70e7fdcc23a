CREATE TABLE "articles" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"name" text NOT NULL,
	"unit" text NOT NULL,
	"price_cents" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "articles_price_check" CHECK ("articles"."price_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "work_orders" (
	"job_id" text NOT NULL,
	"version" integer NOT NULL,
	"document_id" text NOT NULL,
	"reason" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "work_orders_job_id_version_pk" PRIMARY KEY("job_id","version")
);
--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "trips" jsonb;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "protocol" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "articles_number_idx" ON "articles" USING btree ("number");