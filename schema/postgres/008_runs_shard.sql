-- The shard a run covered ("1/1": all of it), so that a run taking the run lock knows which
-- `running` rows belonged to runs that no longer hold it (they become 'abandoned').
ALTER TABLE etl_runs ADD COLUMN shard TEXT NOT NULL DEFAULT '1/1';
