-- The day each stock was first listed on KRX, NULL when unknown: qb
-- import --metadata fills stock_metadata, and qb run and qb replay read
-- each symbol's market from it for the sell taxes.
ALTER TABLE stock_metadata ADD COLUMN listed date;
