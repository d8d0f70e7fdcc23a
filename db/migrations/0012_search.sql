-- Search's typo tolerance: trigram similarity (pg_trgm is a trusted extension on PostgreSQL 13+; PGlite loads it in db/index.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
DROP INDEX "projects_stage_idx";--> statement-breakpoint
DROP INDEX "projects_kind_stage_idx";--> statement-breakpoint
DROP INDEX "projects_customer_idx";--> statement-breakpoint
DROP INDEX "projects_outcome_idx";--> statement-breakpoint
CREATE INDEX "customers_name_trgm_idx" ON "customers" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_email_trgm_idx" ON "customers" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_phone_digits_trgm_idx" ON "customers" USING gin ((regexp_replace("phone", '[^0-9]', '', 'g')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "projects_created_idx" ON "projects" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "projects_site_created_idx" ON "projects" USING btree ("site_id","created_at","id");--> statement-breakpoint
CREATE INDEX "projects_title_trgm_idx" ON "projects" USING gin ("title" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "sites_address_trgm_idx" ON "sites" USING gin ("address" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "projects_stage_idx" ON "projects" USING btree ("stage","created_at","id");--> statement-breakpoint
CREATE INDEX "projects_kind_stage_idx" ON "projects" USING btree ("kind","stage","created_at","id");--> statement-breakpoint
CREATE INDEX "projects_customer_idx" ON "projects" USING btree ("customer_id","created_at","id");--> statement-breakpoint
CREATE INDEX "projects_outcome_idx" ON "projects" USING btree ("outcome","created_at","id");