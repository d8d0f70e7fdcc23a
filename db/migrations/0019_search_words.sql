-- Search by words (api/routes/search.ts): a misspelt word is matched against a dictionary of
-- distinct words with a trigram index, then rows are found by the words matched, through GIN
-- indexes over each row's words. Trigram similarity against every row (0012) rechecked
-- thousands of rows per query at 100k projects.
--
-- The words of a text: lower case, split into runs of letters and runs of digits at spaces,
-- punctuation and where letters meet digits ("Unit 4B, o'brien@x.com" -> unit 4 b o brien x
-- com). IMMUTABLE, as its indexes require: changing it means rebuilding customers_words_idx,
-- sites_words_idx and projects_words_idx. PL/pgSQL, so that it is never inlined and its COST
-- counts: computing the words of every row of a table is what a sequential scan would cost,
-- and the planner must prefer the GIN indexes even for a query it expects to match many rows.
CREATE OR REPLACE FUNCTION search_words_of(VARIADIC parts text[]) RETURNS text[]
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000
  AS $$ BEGIN RETURN array_remove(regexp_split_to_array(lower(array_to_string(parts, ' ')), '[[:space:][:punct:]]+|(?<=[0-9])(?=[^0-9])|(?<=[^0-9])(?=[0-9])'), ''); END $$;--> statement-breakpoint
CREATE TABLE "search_dictionary" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
-- The dictionary holds words of three or more letters: shorter words and numbers are only
-- ever matched exactly, which needs no dictionary.
CREATE FUNCTION search_dictionary_add(words text[]) RETURNS void
  LANGUAGE sql
  AS $$ INSERT INTO search_dictionary (word) SELECT DISTINCT w FROM unnest(words) AS w WHERE length(w) >= 3 AND w !~ '[0-9]' ON CONFLICT DO NOTHING $$;--> statement-breakpoint
SELECT search_dictionary_add(array(
  SELECT unnest(search_words_of("name", "email")) FROM "customers"
  UNION SELECT unnest(search_words_of("address")) FROM "sites"
  UNION SELECT unnest(search_words_of("title")) FROM "projects"));--> statement-breakpoint
-- Built after the fill, and without a pending list (fastupdate), so it is whole at once.
CREATE INDEX "search_dictionary_trgm_idx" ON "search_dictionary" USING gin ("word" gin_trgm_ops) WITH (fastupdate=false);--> statement-breakpoint
-- Kept in step by triggers, whoever writes (the read model's activity, the API's routes, a
-- seed): a new row adds its words, and an UPDATE adds words only when the searched text
-- changed. Row triggers, so that the read model's upserts of a row that exists (most of its
-- writes) run no trigger at all. Words no row uses any more stay in the dictionary; they
-- find no rows.
CREATE FUNCTION search_dictionary_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'customers' THEN
    PERFORM search_dictionary_add(search_words_of(NEW.name, NEW.email));
  ELSIF TG_TABLE_NAME = 'sites' THEN
    PERFORM search_dictionary_add(search_words_of(NEW.address));
  ELSE
    PERFORM search_dictionary_add(search_words_of(NEW.title));
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER customers_search_words_added AFTER INSERT ON "customers" FOR EACH ROW EXECUTE FUNCTION search_dictionary_row_changed();--> statement-breakpoint
CREATE TRIGGER sites_search_words_added AFTER INSERT ON "sites" FOR EACH ROW EXECUTE FUNCTION search_dictionary_row_changed();--> statement-breakpoint
CREATE TRIGGER projects_search_words_added AFTER INSERT ON "projects" FOR EACH ROW EXECUTE FUNCTION search_dictionary_row_changed();--> statement-breakpoint
CREATE TRIGGER customers_search_words_changed AFTER UPDATE OF "name", "email" ON "customers" FOR EACH ROW
  WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email) EXECUTE FUNCTION search_dictionary_row_changed();--> statement-breakpoint
CREATE TRIGGER sites_search_words_changed AFTER UPDATE OF "address" ON "sites" FOR EACH ROW
  WHEN (OLD.address IS DISTINCT FROM NEW.address) EXECUTE FUNCTION search_dictionary_row_changed();--> statement-breakpoint
CREATE TRIGGER projects_search_words_changed AFTER UPDATE OF "title" ON "projects" FOR EACH ROW
  WHEN (OLD.title IS DISTINCT FROM NEW.title) EXECUTE FUNCTION search_dictionary_row_changed();--> statement-breakpoint
DROP INDEX "customers_name_trgm_idx";--> statement-breakpoint
DROP INDEX "customers_email_trgm_idx";--> statement-breakpoint
DROP INDEX "projects_title_trgm_idx";--> statement-breakpoint
DROP INDEX "sites_address_trgm_idx";--> statement-breakpoint
-- The phone index stays; without a pending list from now on, and its pending entries moved in.
ALTER INDEX "customers_phone_digits_trgm_idx" SET (fastupdate = off);--> statement-breakpoint
SELECT gin_clean_pending_list('customers_phone_digits_trgm_idx');--> statement-breakpoint
-- Drizzle runs migrations in a transaction, where CREATE INDEX CONCURRENTLY is refused, so
-- these hold off writes to their table while they build (seconds per million rows). On a
-- large database, create them CONCURRENTLY beforehand with these same definitions (the
-- README's "Search and lists" has the statements); IF NOT EXISTS then skips them here.
CREATE INDEX IF NOT EXISTS "customers_words_idx" ON "customers" USING gin (search_words_of("name", "email")) WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "projects_words_idx" ON "projects" USING gin (search_words_of("title")) WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "sites_words_idx" ON "sites" USING gin (search_words_of("address")) WITH (fastupdate=false);
