-- An order's life in trading sessions: 1 for a day order, more for a
-- good-till-cancelled one, so a restart restores it with the same life.
ALTER TABLE orders ADD COLUMN sessions integer NOT NULL DEFAULT 1 CHECK (sessions >= 1);
