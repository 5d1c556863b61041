-- Where entry bodies would be compressed with pglz (PGlite, built without lz4: see 006), keep
-- them inline and uncompressed instead: reading them back through pglz in WebAssembly set the
-- pace of `ledger verify --hashes-only` on PGlite (1,000,008 entries: 11.2 → 8.9 s on one
-- machine, README "At scale"). The price is storage: the ledger's table grows by about two
-- thirds (200,000 entries: 317 → 526 MB; a million rows' store 4.7 → 5.8 GB). A body longer than
-- a page is still compressed. Entries already stored keep their form; PostgreSQL with lz4 is
-- left as 006 set it.
DO $$
BEGIN
  IF (SELECT attcompression FROM pg_attribute
      WHERE attrelid = 'ledger_entries'::regclass AND attname = 'body') IS DISTINCT FROM 'l' THEN
    ALTER TABLE ledger_entries SET (toast_tuple_target = 8160);
  END IF;
END $$;
