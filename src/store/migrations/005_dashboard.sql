-- The console's situation picture at a million incidents (bench/dashboard.ts): covering indexes
-- for the reads that stay on incidents, tallies that answer the all-time map, the timeline and
-- counts from a few tens of thousands of rows instead of every incident, and per-audience figures
-- for the few incidents a viewer sees only some claims of.
--
-- Everything here is kept by statement-level triggers inside the writing transaction (a multi-row
-- import pays once per statement, not per row), so it is never behind the record and never loses a
-- write. Tallies hold counts per sharing level, never rows: which levels a viewer adds up mirrors
-- the access policy (query/incidents.ts `tallied`), and query/aggregate.test.ts checks every
-- tallied answer against the live query, for every kind of viewer, after single and multi-row
-- writes. None of it is a record table: the ledger does not cover it, backups leave it out, and a
-- restore rebuilds it through the same triggers.

-- What the situation queries read of an incident, in the two orders they read it: by day (the
-- newest-first list, without a sort on ties; periods) and by position (boxes). Reads that the
-- tallies cannot answer (a period, a box the timeline must count inside) then scan the index only,
-- never the table (an incident row is ~1 KB, its entry here ~90 bytes). Actor and status are left
-- out: filters on them read the table. They replace the plain indexes on occurred_on and (lat, lon).
CREATE INDEX incidents_occurred_on_id ON incidents (occurred_on, id)
  INCLUDE (type, lat, lon, tlp, recipients, merged_into, fatalities_best);
DROP INDEX incidents_occurred_on;
CREATE INDEX incidents_position ON incidents (lat, lon)
  INCLUDE (occurred_on, type, id, tlp, recipients, merged_into, fatalities_best);
DROP INDEX incidents_lat_lon;
CREATE INDEX incidents_unlocated ON incidents (occurred_on)
  INCLUDE (type, tlp, recipients, merged_into) WHERE lat IS NULL OR lon IS NULL;

-- Non-merged incidents per exact position and type (the map, and counts inside a box), and per
-- day and type (the timeline, and counts over a period). n_* / best_* count CLEAR, GREEN, AMBER
-- and AMBER+STRICT incidents and sum their stored best fatalities; listed_n / listed_best hold,
-- per "LEVEL:recipient", the AMBER, AMBER+STRICT and RED incidents that list that party or user.
-- Every write updates a row in each; room left in their pages lets those be HOT updates.
CREATE TABLE incident_point_tallies (
  lat          double precision,
  lon          double precision,
  type         text NOT NULL,
  n_clear      integer NOT NULL DEFAULT 0,
  n_green      integer NOT NULL DEFAULT 0,
  n_amber      integer NOT NULL DEFAULT 0,
  n_strict     integer NOT NULL DEFAULT 0,
  best_clear   bigint NOT NULL DEFAULT 0,
  best_green   bigint NOT NULL DEFAULT 0,
  best_amber   bigint NOT NULL DEFAULT 0,
  best_strict  bigint NOT NULL DEFAULT 0,
  listed_n     jsonb NOT NULL DEFAULT '{}',
  listed_best  jsonb NOT NULL DEFAULT '{}'
) WITH (fillfactor = 70);
CREATE UNIQUE INDEX incident_point_tallies_key ON incident_point_tallies (lat, lon, type) NULLS NOT DISTINCT;

CREATE TABLE incident_day_tallies (
  occurred_on  date NOT NULL,
  type         text NOT NULL,
  n_clear      integer NOT NULL DEFAULT 0,
  n_green      integer NOT NULL DEFAULT 0,
  n_amber      integer NOT NULL DEFAULT 0,
  n_strict     integer NOT NULL DEFAULT 0,
  listed_n     jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (occurred_on, type)
) WITH (fillfactor = 70);

-- Whether everyone who may see an incident shared (kept_tlp, kept_recipients) may also see a
-- claim shared (tlp, recipients) — CODEBOOK § Sharing. False whenever in doubt.
CREATE FUNCTION claim_covers(tlp text, recipients jsonb, kept_tlp text, kept_recipients jsonb)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT tlp = 'CLEAR'
      OR (tlp = 'GREEN' AND kept_tlp IN ('GREEN', 'AMBER', 'AMBER+STRICT'))
      OR (tlp IN ('AMBER', 'AMBER+STRICT') AND kept_tlp IN ('AMBER', 'AMBER+STRICT') AND recipients @> kept_recipients)
      OR (tlp = 'RED' AND kept_tlp = 'RED' AND recipients @> kept_recipients)
$$;

-- Adds two "LEVEL:recipient" → number maps, dropping keys that reach zero.
CREATE FUNCTION tally_merge(a jsonb, b jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_object_agg(key, total) FILTER (WHERE total <> 0), '{}')
  FROM (SELECT key, sum(value::bigint) AS total
        FROM (SELECT * FROM jsonb_each_text(a) UNION ALL SELECT * FROM jsonb_each_text(b)) AS e
        GROUP BY key) AS s
$$;

-- What a change adds to one tally key: n incidents (+1 entering, -1 leaving, 0 when only its
-- figures moved) and best fatalities.
CREATE TYPE incident_tally_delta AS (
  lat double precision, lon double precision, type text, occurred_on date,
  tlp text, recipients jsonb, n integer, best bigint
);

-- "LEVEL:recipient" keys an incident adds to, once per distinct recipient (the policy's @> counts
-- an incident listing a party twice once).
CREATE FUNCTION incident_tally_keys(tlp text, recipients jsonb) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
  SELECT DISTINCT tlp || ':' || r
  FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(recipients) = 'array' THEN recipients ELSE '[]' END) AS r
  WHERE tlp IN ('AMBER', 'AMBER+STRICT', 'RED')
$$;

-- The single-row writes of the write path take the loop (a plain upsert each); imports' multi-row
-- statements take the set-based upsert, grouped first so a key is written once per statement.
CREATE FUNCTION incident_point_tallies_add(deltas incident_tally_delta[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  one incident_tally_delta;
  added_n jsonb;
  added_best jsonb;
BEGIN
  IF cardinality(deltas) <= 4 THEN
    FOREACH one IN ARRAY deltas LOOP
      SELECT coalesce(jsonb_object_agg(k, one.n) FILTER (WHERE one.n <> 0), '{}'),
             coalesce(jsonb_object_agg(k, one.best) FILTER (WHERE one.best <> 0), '{}')
      INTO added_n, added_best FROM incident_tally_keys(one.tlp, one.recipients) AS k;
      INSERT INTO incident_point_tallies AS t (lat, lon, type, n_clear, n_green, n_amber, n_strict,
        best_clear, best_green, best_amber, best_strict, listed_n, listed_best)
      VALUES (one.lat, one.lon, one.type,
        (one.tlp = 'CLEAR')::int * one.n, (one.tlp = 'GREEN')::int * one.n,
        (one.tlp = 'AMBER')::int * one.n, (one.tlp = 'AMBER+STRICT')::int * one.n,
        (one.tlp = 'CLEAR')::int * one.best, (one.tlp = 'GREEN')::int * one.best,
        (one.tlp = 'AMBER')::int * one.best, (one.tlp = 'AMBER+STRICT')::int * one.best,
        added_n, added_best)
      ON CONFLICT (lat, lon, type) DO UPDATE SET
        n_clear = t.n_clear + excluded.n_clear, n_green = t.n_green + excluded.n_green,
        n_amber = t.n_amber + excluded.n_amber, n_strict = t.n_strict + excluded.n_strict,
        best_clear = t.best_clear + excluded.best_clear, best_green = t.best_green + excluded.best_green,
        best_amber = t.best_amber + excluded.best_amber, best_strict = t.best_strict + excluded.best_strict,
        listed_n = CASE WHEN excluded.listed_n = '{}' THEN t.listed_n ELSE tally_merge(t.listed_n, excluded.listed_n) END,
        listed_best = CASE WHEN excluded.listed_best = '{}' THEN t.listed_best ELSE tally_merge(t.listed_best, excluded.listed_best) END;
    END LOOP;
    RETURN;
  END IF;
  WITH d AS (SELECT * FROM unnest(deltas)),
  listed AS (
    SELECT lat, lon, type, jsonb_object_agg(k, n) FILTER (WHERE n <> 0) AS n,
           jsonb_object_agg(k, best) FILTER (WHERE best <> 0) AS best
    FROM (SELECT d.lat, d.lon, d.type, k, sum(d.n) AS n, sum(d.best) AS best
          FROM d, incident_tally_keys(d.tlp, d.recipients) AS k
          GROUP BY 1, 2, 3, 4) AS x
    GROUP BY 1, 2, 3),
  plain AS (
    SELECT lat, lon, type,
      coalesce(sum(n) FILTER (WHERE tlp = 'CLEAR'), 0) AS n_clear,
      coalesce(sum(n) FILTER (WHERE tlp = 'GREEN'), 0) AS n_green,
      coalesce(sum(n) FILTER (WHERE tlp = 'AMBER'), 0) AS n_amber,
      coalesce(sum(n) FILTER (WHERE tlp = 'AMBER+STRICT'), 0) AS n_strict,
      coalesce(sum(best) FILTER (WHERE tlp = 'CLEAR'), 0) AS best_clear,
      coalesce(sum(best) FILTER (WHERE tlp = 'GREEN'), 0) AS best_green,
      coalesce(sum(best) FILTER (WHERE tlp = 'AMBER'), 0) AS best_amber,
      coalesce(sum(best) FILTER (WHERE tlp = 'AMBER+STRICT'), 0) AS best_strict
    FROM d GROUP BY 1, 2, 3)
  INSERT INTO incident_point_tallies AS t (lat, lon, type, n_clear, n_green, n_amber, n_strict,
    best_clear, best_green, best_amber, best_strict, listed_n, listed_best)
  SELECT p.lat, p.lon, p.type, p.n_clear, p.n_green, p.n_amber, p.n_strict,
    p.best_clear, p.best_green, p.best_amber, p.best_strict, coalesce(l.n, '{}'), coalesce(l.best, '{}')
  FROM plain AS p
  LEFT JOIN listed AS l ON l.lat IS NOT DISTINCT FROM p.lat AND l.lon IS NOT DISTINCT FROM p.lon AND l.type = p.type
  WHERE l.n IS NOT NULL OR l.best IS NOT NULL OR p.n_clear <> 0 OR p.n_green <> 0 OR p.n_amber <> 0 OR p.n_strict <> 0
     OR p.best_clear <> 0 OR p.best_green <> 0 OR p.best_amber <> 0 OR p.best_strict <> 0
  ON CONFLICT (lat, lon, type) DO UPDATE SET
    n_clear = t.n_clear + excluded.n_clear, n_green = t.n_green + excluded.n_green,
    n_amber = t.n_amber + excluded.n_amber, n_strict = t.n_strict + excluded.n_strict,
    best_clear = t.best_clear + excluded.best_clear, best_green = t.best_green + excluded.best_green,
    best_amber = t.best_amber + excluded.best_amber, best_strict = t.best_strict + excluded.best_strict,
    listed_n = CASE WHEN excluded.listed_n = '{}' THEN t.listed_n ELSE tally_merge(t.listed_n, excluded.listed_n) END,
    listed_best = CASE WHEN excluded.listed_best = '{}' THEN t.listed_best ELSE tally_merge(t.listed_best, excluded.listed_best) END;
END $$;

CREATE FUNCTION incident_day_tallies_add(deltas incident_tally_delta[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  one incident_tally_delta;
  added_n jsonb;
BEGIN
  IF cardinality(deltas) <= 4 THEN
    FOREACH one IN ARRAY deltas LOOP
      SELECT coalesce(jsonb_object_agg(k, one.n), '{}') INTO added_n FROM incident_tally_keys(one.tlp, one.recipients) AS k;
      INSERT INTO incident_day_tallies AS t (occurred_on, type, n_clear, n_green, n_amber, n_strict, listed_n)
      VALUES (one.occurred_on, one.type, (one.tlp = 'CLEAR')::int * one.n, (one.tlp = 'GREEN')::int * one.n,
        (one.tlp = 'AMBER')::int * one.n, (one.tlp = 'AMBER+STRICT')::int * one.n, added_n)
      ON CONFLICT (occurred_on, type) DO UPDATE SET
        n_clear = t.n_clear + excluded.n_clear, n_green = t.n_green + excluded.n_green,
        n_amber = t.n_amber + excluded.n_amber, n_strict = t.n_strict + excluded.n_strict,
        listed_n = CASE WHEN excluded.listed_n = '{}' THEN t.listed_n ELSE tally_merge(t.listed_n, excluded.listed_n) END;
    END LOOP;
    RETURN;
  END IF;
  WITH d AS (SELECT * FROM unnest(deltas)),
  listed AS (
    SELECT occurred_on, type, jsonb_object_agg(k, n) AS n
    FROM (SELECT d.occurred_on, d.type, k, sum(d.n) AS n
          FROM d, incident_tally_keys(d.tlp, d.recipients) AS k
          GROUP BY 1, 2, 3
          HAVING sum(d.n) <> 0) AS x
    GROUP BY 1, 2),
  plain AS (
    SELECT occurred_on, type,
      coalesce(sum(n) FILTER (WHERE tlp = 'CLEAR'), 0) AS n_clear,
      coalesce(sum(n) FILTER (WHERE tlp = 'GREEN'), 0) AS n_green,
      coalesce(sum(n) FILTER (WHERE tlp = 'AMBER'), 0) AS n_amber,
      coalesce(sum(n) FILTER (WHERE tlp = 'AMBER+STRICT'), 0) AS n_strict
    FROM d GROUP BY 1, 2)
  INSERT INTO incident_day_tallies AS t (occurred_on, type, n_clear, n_green, n_amber, n_strict, listed_n)
  SELECT p.occurred_on, p.type, p.n_clear, p.n_green, p.n_amber, p.n_strict, coalesce(l.n, '{}')
  FROM plain AS p
  LEFT JOIN listed AS l ON l.occurred_on = p.occurred_on AND l.type = p.type
  WHERE l.type IS NOT NULL OR p.n_clear <> 0 OR p.n_green <> 0 OR p.n_amber <> 0 OR p.n_strict <> 0
  ON CONFLICT (occurred_on, type) DO UPDATE SET
    n_clear = t.n_clear + excluded.n_clear, n_green = t.n_green + excluded.n_green,
    n_amber = t.n_amber + excluded.n_amber, n_strict = t.n_strict + excluded.n_strict,
    listed_n = CASE WHEN excluded.listed_n = '{}' THEN t.listed_n ELSE tally_merge(t.listed_n, excluded.listed_n) END;
END $$;

CREATE FUNCTION incident_tallies_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE deltas incident_tally_delta[];
BEGIN
  deltas := ARRAY(
    SELECT ROW(lat, lon, type, occurred_on, tlp, recipients, 1, fatalities_best)::incident_tally_delta
    FROM new_rows WHERE merged_into IS NULL);
  PERFORM incident_point_tallies_add(deltas);
  PERFORM incident_day_tallies_add(deltas);
  RETURN NULL;
END $$;

CREATE FUNCTION incident_tallies_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE deltas incident_tally_delta[];
BEGIN
  deltas := ARRAY(
    SELECT ROW(lat, lon, type, occurred_on, tlp, recipients, -1, -fatalities_best)::incident_tally_delta
    FROM old_rows WHERE merged_into IS NULL);
  PERFORM incident_point_tallies_add(deltas);
  PERFORM incident_day_tallies_add(deltas);
  RETURN NULL;
END $$;

-- Only rows whose tallied columns changed move, and only in the tallies those columns feed: a
-- claim that changes nothing but figures moves one position's best fatalities, never a count.
CREATE FUNCTION incident_tallies_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  points incident_tally_delta[];
  days incident_tally_delta[];
BEGIN
  WITH pair AS (
    SELECT o.lat AS o_lat, o.lon AS o_lon, o.type AS o_type, o.occurred_on AS o_day, o.tlp AS o_tlp,
      o.recipients AS o_rec, o.fatalities_best::bigint AS o_best, o.merged_into IS NULL AS o_counted,
      n.lat, n.lon, n.type, n.occurred_on, n.tlp, n.recipients, n.fatalities_best::bigint AS best,
      n.merged_into IS NULL AS counted,
      (o.lat, o.lon, o.type, o.tlp, o.recipients, o.merged_into IS NULL)
        IS DISTINCT FROM (n.lat, n.lon, n.type, n.tlp, n.recipients, n.merged_into IS NULL) AS point_moved,
      (o.occurred_on, o.type, o.tlp, o.recipients, o.merged_into IS NULL)
        IS DISTINCT FROM (n.occurred_on, n.type, n.tlp, n.recipients, n.merged_into IS NULL) AS day_moved
    FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id),
  moved AS (
    -- Same position, type and sharing: one delta of best fatalities.
    SELECT lat, lon, type, occurred_on, tlp, recipients, 0 AS n, best - o_best AS best, true AS point, false AS day
    FROM pair WHERE counted AND NOT point_moved AND best <> o_best
    UNION ALL
    -- A key that changed: the old row leaves it and the new one enters its own.
    SELECT x.* FROM pair,
    LATERAL (VALUES
      (o_lat, o_lon, o_type, o_day, o_tlp, o_rec, -1, -o_best, o_counted AND point_moved, o_counted AND day_moved),
      (lat, lon, type, occurred_on, tlp, recipients, 1, best, counted AND point_moved, counted AND day_moved)
    ) AS x(lat, lon, type, occurred_on, tlp, recipients, n, best, point, day)
    WHERE x.point OR x.day)
  SELECT
    coalesce(array_agg(ROW(lat, lon, type, occurred_on, tlp, recipients, n, best)::incident_tally_delta) FILTER (WHERE point), '{}'),
    coalesce(array_agg(ROW(lat, lon, type, occurred_on, tlp, recipients, n, best)::incident_tally_delta) FILTER (WHERE day), '{}')
  INTO points, days
  FROM moved;
  PERFORM incident_point_tallies_add(points);
  PERFORM incident_day_tallies_add(days);
  RETURN NULL;
END $$;

CREATE TRIGGER incidents_tallied_insert AFTER INSERT ON incidents
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_tallies_inserted();
CREATE TRIGGER incidents_tallied_update AFTER UPDATE ON incidents
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_tallies_updated();
CREATE TRIGGER incidents_tallied_delete AFTER DELETE ON incidents
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_tallies_deleted();

-- What is already recorded, a year at a time so that a large record is never one array.
DO $$
DECLARE
  y integer;
  deltas incident_tally_delta[];
BEGIN
  FOR y IN SELECT DISTINCT extract(year FROM occurred_on)::integer FROM incidents LOOP
    deltas := ARRAY(
      SELECT ROW(lat, lon, type, occurred_on, tlp, recipients, 1, fatalities_best)::incident_tally_delta
      FROM incidents
      WHERE merged_into IS NULL AND occurred_on >= make_date(y, 1, 1) AND occurred_on < make_date(y + 1, 1, 1));
    PERFORM incident_point_tallies_add(deltas);
    PERFORM incident_day_tallies_add(deltas);
  END LOOP;
END $$;

-- Figures a viewer may see. A viewer who may not see some claim of an incident's family gets
-- figures recomputed from the claims they can see (query/aggregate.ts `visibleFigures`); at a
-- million incidents that recomputation, not the counting, is what the map would wait for, so its
-- results are kept here, per family and per audience, until the family changes.
--
-- incident_narrow_claims: per kept incident, each sharing of a claim with casualty figures, on it
-- or on an incident merged into it, that some viewer of the incident may not see (figures are all
-- a claim adds to what a viewer is shown; a claim without any changes no number). Never pruned:
-- a stale row costs a recomputation, a missing one would leak.
CREATE TABLE incident_narrow_claims (
  kept_id     text NOT NULL,
  tlp         text NOT NULL,
  recipients  jsonb NOT NULL,
  PRIMARY KEY (kept_id, tlp, recipients)
);
-- version moves whenever the family's claims, members, sharing or kept incident change. The kept
-- incident's own columns are copied so that the map finds these few without reading incidents.
CREATE TABLE incident_narrow_families (
  kept_id          text PRIMARY KEY,
  version          bigint NOT NULL DEFAULT 1,
  lat              double precision,
  lon              double precision,
  type             text NOT NULL,
  occurred_on      date NOT NULL,
  tlp              text NOT NULL,
  recipients       jsonb NOT NULL,
  merged           boolean NOT NULL,
  fatalities_best  integer NOT NULL
);
-- audience: the narrow sharings the viewer may see, which with the family fixes the claims they
-- see; written by readers, used only while version matches.
CREATE TABLE incident_audience_figures (
  kept_id   text NOT NULL,
  audience  text NOT NULL,
  version   bigint NOT NULL,
  best      integer NOT NULL,
  disputed  boolean NOT NULL,
  PRIMARY KEY (kept_id, audience)
);

-- Claims (kept incident, sharing, whether narrow) → narrow rows, and a new version for every
-- family that has narrow claims.
CREATE FUNCTION incident_families_touched(kept_ids text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO incident_narrow_claims (kept_id, tlp, recipients)
  SELECT DISTINCT kept.id, c.tlp, c.recipients
  FROM incidents AS kept
  JOIN incidents AS family ON family.id = kept.id OR family.merged_into = kept.id
  JOIN claims AS c ON c.incident_id = family.id
  WHERE kept.id = ANY(kept_ids)
    AND c.figures <> '[]'::jsonb AND NOT claim_covers(c.tlp, c.recipients, kept.tlp, kept.recipients)
  ON CONFLICT DO NOTHING;
  INSERT INTO incident_narrow_families AS f
    (kept_id, lat, lon, type, occurred_on, tlp, recipients, merged, fatalities_best)
  SELECT i.id, i.lat, i.lon, i.type, i.occurred_on, i.tlp, i.recipients, i.merged_into IS NOT NULL, i.fatalities_best
  FROM incidents AS i
  WHERE i.id = ANY(kept_ids) AND EXISTS (SELECT 1 FROM incident_narrow_claims AS n WHERE n.kept_id = i.id)
  ON CONFLICT (kept_id) DO UPDATE SET version = f.version + 1, lat = excluded.lat, lon = excluded.lon,
    type = excluded.type, occurred_on = excluded.occurred_on, tlp = excluded.tlp, recipients = excluded.recipients,
    merged = excluded.merged, fatalities_best = excluded.fatalities_best;
  -- A kept incident that is gone takes its family with it.
  DELETE FROM incident_narrow_families AS f
  WHERE f.kept_id = ANY(kept_ids) AND NOT EXISTS (SELECT 1 FROM incidents AS i WHERE i.id = f.kept_id);
END $$;

CREATE FUNCTION incident_families_claimed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE kept_ids text[];
BEGIN
  -- Only families with, or now gaining, a narrow claim need anything done.
  SELECT array_agg(DISTINCT kept.id) INTO kept_ids
  FROM new_rows AS c
  JOIN incidents AS i ON i.id = c.incident_id
  JOIN incidents AS kept ON kept.id = coalesce(i.merged_into, i.id)
  WHERE (c.figures <> '[]'::jsonb AND NOT claim_covers(c.tlp, c.recipients, kept.tlp, kept.recipients))
     OR EXISTS (SELECT 1 FROM incident_narrow_families AS f WHERE f.kept_id = kept.id);
  IF kept_ids IS NOT NULL THEN PERFORM incident_families_touched(kept_ids); END IF;
  RETURN NULL;
END $$;

-- An incident whose sharing, merge or copied columns changed: its family and the one it left.
CREATE FUNCTION incident_families_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE kept_ids text[];
BEGIN
  SELECT array_agg(DISTINCT k) INTO kept_ids
  FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id,
       unnest(ARRAY[coalesce(o.merged_into, o.id), coalesce(n.merged_into, n.id)]) AS k
  WHERE (o.tlp, o.recipients, o.merged_into) IS DISTINCT FROM (n.tlp, n.recipients, n.merged_into)
     OR ((o.lat, o.lon, o.type, o.occurred_on, o.fatalities_best) IS DISTINCT FROM (n.lat, n.lon, n.type, n.occurred_on, n.fatalities_best)
         AND EXISTS (SELECT 1 FROM incident_narrow_families AS f WHERE f.kept_id = n.id));
  IF kept_ids IS NOT NULL THEN PERFORM incident_families_touched(kept_ids); END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION incident_families_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE kept_ids text[];
BEGIN
  SELECT array_agg(DISTINCT k) INTO kept_ids FROM old_rows AS o, unnest(ARRAY[o.id, o.merged_into]) AS k
  WHERE k IS NOT NULL;
  IF kept_ids IS NOT NULL THEN PERFORM incident_families_touched(kept_ids); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER claims_families_insert AFTER INSERT ON claims
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_families_claimed();
CREATE TRIGGER claims_families_update AFTER UPDATE ON claims
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_families_claimed();
CREATE TRIGGER incidents_families_update AFTER UPDATE ON incidents
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_families_changed();
CREATE TRIGGER incidents_families_delete AFTER DELETE ON incidents
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_families_deleted();

INSERT INTO incident_narrow_claims (kept_id, tlp, recipients)
SELECT DISTINCT kept.id, c.tlp, c.recipients
FROM claims AS c
JOIN incidents AS i ON i.id = c.incident_id
JOIN incidents AS kept ON kept.id = coalesce(i.merged_into, i.id)
WHERE c.figures <> '[]'::jsonb AND NOT claim_covers(c.tlp, c.recipients, kept.tlp, kept.recipients)
ON CONFLICT DO NOTHING;
INSERT INTO incident_narrow_families (kept_id, lat, lon, type, occurred_on, tlp, recipients, merged, fatalities_best)
SELECT i.id, i.lat, i.lon, i.type, i.occurred_on, i.tlp, i.recipients, i.merged_into IS NOT NULL, i.fatalities_best
FROM incidents AS i WHERE i.id IN (SELECT kept_id FROM incident_narrow_claims);
