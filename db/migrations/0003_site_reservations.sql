CREATE TABLE "site_reservations" (
	"site_id" text NOT NULL,
	"kind" text NOT NULL,
	"project_id" text NOT NULL,
	"reserved_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "site_reservations_site_id_kind_pk" PRIMARY KEY("site_id","kind")
);
