CREATE TABLE "checklist_templates" (
	"task_type" text NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"items" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checklist_templates_task_type_version_pk" PRIMARY KEY("task_type","version"),
	CONSTRAINT "checklist_templates_version_check" CHECK ("checklist_templates"."version" >= 1)
);
--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "template_version" integer;