-- The public sees CLEAR incidents only. Newest first with a LIMIT, its list read incidents by date
-- until enough CLEAR ones turned up, so a store with few or none (an import shared GREEN) was read
-- whole: ~300 ms a page at 1,000,000 incidents on PostgreSQL (bench scale section), 1.5 ms with
-- this index, which holds only the CLEAR incidents and what the list's filters read of them.
CREATE INDEX incidents_clear_day ON incidents (occurred_on, id)
  INCLUDE (type, lat, lon, merged_into) WHERE tlp = 'CLEAR';
