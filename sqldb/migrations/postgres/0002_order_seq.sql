-- An order's number among its strategy's orders (market.Order.Seq): the id
-- the strategy and its reports see, kept so a restarted strategy numbers on
-- after it and knows its working orders by the numbers it was given. id stays
-- the host-wide key. Orders stored before this migration have 0.
ALTER TABLE orders ADD COLUMN seq bigint NOT NULL DEFAULT 0 CHECK (seq >= 0);
