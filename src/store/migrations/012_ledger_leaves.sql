-- `ledger verify --since` rebuilds the held head from the stored leaf hashes of every entry before
-- it: with the primary key on seq alone, each hash was read from its entry's row, body and all
-- (990,008 entries, 1.56 GB of heap: 1.2–2.2 s for the COPY of `seq, leaf_hash` alone, on one
-- machine). With leaf_hash carried in the primary key's index, the same read is index-only once
-- the table's pages are all-visible, as autovacuum leaves an append-only table behind it
-- (PostgreSQL 13 and later vacuum after inserts): 0.42–0.52 s, and the log half of `--since` from
-- a head 10,000 entries back 4.1–4.7 → 3.0–3.9 s (the rest is rebuilding the tree from them).
-- The index grows from 21 to 64 MB at a million entries; appends still write one index, a wider
-- tuple: a million entries of 2.4 KB inserted in psql took 25.0 / 23.8 / 20.8 s with it against
-- 25.9 / 22.1 / 23.3 s without (alternated), and imports of 200,000 ACLED rows 81.3 / 86.1 s with
-- it against 84.2 / 73.8 s without (alternated; within the runs' spread). PGlite has no
-- autovacuum and its housekeeping never vacuums the ledger, so there the read stays as it was.
ALTER TABLE ledger_entries
  DROP CONSTRAINT ledger_entries_pkey,
  ADD CONSTRAINT ledger_entries_pkey PRIMARY KEY (seq) INCLUDE (leaf_hash);
