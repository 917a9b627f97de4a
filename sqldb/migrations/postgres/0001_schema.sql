-- qb schema for PostgreSQL. Money is whole won (bigint), quantities whole shares.
-- Time columns are timestamptz (microsecond precision).

CREATE TABLE market_data (
    time          timestamptz NOT NULL,  -- bar start
    symbol        text        NOT NULL,
    interval_type text        NOT NULL,  -- "1m", "1d", ... (market.Timeframe.String)
    open          bigint      NOT NULL,
    high          bigint      NOT NULL,
    low           bigint      NOT NULL,
    close         bigint      NOT NULL,
    volume        bigint      NOT NULL,
    PRIMARY KEY (time, symbol, interval_type)
);
-- Replay reads one symbol and interval over a time range.
CREATE INDEX market_data_symbol_time ON market_data (symbol, interval_type, time);

-- A print is identified by (symbol, time, seq): a re-ingest after a reconnect
-- collides with the first copy and is dropped by ON CONFLICT DO NOTHING.
CREATE TABLE ticks (
    time   timestamptz NOT NULL,
    symbol text        NOT NULL,
    price  bigint      NOT NULL,
    volume bigint      NOT NULL,
    bid    bigint      NOT NULL DEFAULT 0,
    ask    bigint      NOT NULL DEFAULT 0,
    seq    bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (symbol, time, seq)
);
-- BRIN costs almost nothing on append-mostly data and serves retention deletes.
CREATE INDEX ticks_time_brin ON ticks USING brin (time);
CREATE INDEX market_data_time_brin ON market_data USING brin (time);

-- Orders are written before they reach a broker and updated on every state change.
CREATE TABLE orders (
    id         bigint      PRIMARY KEY,
    strategy   text        NOT NULL,
    symbol     text        NOT NULL,
    side       text        NOT NULL CHECK (side IN ('BUY', 'SELL')),
    type       text        NOT NULL CHECK (type IN ('MARKET', 'LIMIT')),
    qty        bigint      NOT NULL CHECK (qty > 0),
    price      bigint      NOT NULL CHECK (price >= 0),
    status     text        NOT NULL CHECK (status IN ('new', 'accepted', 'partially_filled', 'filled', 'cancelled', 'rejected')),
    filled_qty bigint      NOT NULL CHECK (filled_qty >= 0),
    reason     text        NOT NULL DEFAULT '',
    created    timestamptz NOT NULL,
    updated    timestamptz
);
CREATE INDEX orders_open ON orders (id) WHERE status IN ('new', 'accepted', 'partially_filled');

-- Fills. A broker retry resends the same fill: (order_id, time, qty, price) makes it collide.
CREATE TABLE trades (
    id       bigserial   PRIMARY KEY,
    order_id bigint      NOT NULL,
    strategy text        NOT NULL,
    symbol   text        NOT NULL,
    side     text        NOT NULL CHECK (side IN ('BUY', 'SELL')),
    qty      bigint      NOT NULL CHECK (qty > 0),
    price    bigint      NOT NULL CHECK (price > 0),
    fee      bigint      NOT NULL CHECK (fee >= 0),
    tax      bigint      NOT NULL CHECK (tax >= 0),
    time     timestamptz NOT NULL,
    UNIQUE (order_id, time, qty, price)
);
CREATE INDEX trades_strategy_time ON trades (strategy, time);

CREATE TABLE positions (
    account  text        NOT NULL,
    symbol   text        NOT NULL,
    qty      bigint      NOT NULL,
    cost     bigint      NOT NULL,
    realized bigint      NOT NULL,
    updated  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account, symbol)
);

CREATE TABLE strategy_performance (
    strategy     text             NOT NULL,
    day          date             NOT NULL,
    daily_return double precision NOT NULL,
    win_rate     double precision NOT NULL,
    sharpe       double precision NOT NULL,
    max_drawdown double precision NOT NULL,
    PRIMARY KEY (strategy, day)
);

CREATE TABLE stock_metadata (
    code          text   PRIMARY KEY,
    name          text   NOT NULL,
    market        text   NOT NULL,  -- KOSPI, KOSDAQ, ...
    sector        text   NOT NULL DEFAULT '',
    listed_shares bigint NOT NULL DEFAULT 0
);

CREATE TABLE risk_metrics (
    time            timestamptz      PRIMARY KEY,
    portfolio_value bigint           NOT NULL,
    var_95          double precision NOT NULL,  -- one-day 95% value at risk, won
    max_drawdown    double precision NOT NULL
);

CREATE TABLE system_logs (
    id        bigserial   PRIMARY KEY,
    time      timestamptz NOT NULL,
    component text        NOT NULL,
    level     text        NOT NULL,
    message   text        NOT NULL,
    details   jsonb
);
CREATE INDEX system_logs_time ON system_logs (time);

-- json (not jsonb) keeps the bytes a strategy handed over exactly as written.
CREATE TABLE strategy_state (
    strategy text        PRIMARY KEY,
    state    json        NOT NULL,
    updated  timestamptz NOT NULL
);
