-- qb schema for SQLite: the same logical tables as migrations/postgres.
-- Times are INTEGER microseconds since the Unix epoch (UTC), as precise as
-- PostgreSQL's timestamptz and cheap to compare.

CREATE TABLE market_data (
    time          INTEGER NOT NULL,
    symbol        TEXT    NOT NULL,
    interval_type TEXT    NOT NULL,
    open          INTEGER NOT NULL,
    high          INTEGER NOT NULL,
    low           INTEGER NOT NULL,
    close         INTEGER NOT NULL,
    volume        INTEGER NOT NULL,
    PRIMARY KEY (time, symbol, interval_type)
) WITHOUT ROWID;
CREATE INDEX market_data_symbol_time ON market_data (symbol, interval_type, time);

CREATE TABLE ticks (
    time   INTEGER NOT NULL,
    symbol TEXT    NOT NULL,
    price  INTEGER NOT NULL,
    volume INTEGER NOT NULL,
    bid    INTEGER NOT NULL DEFAULT 0,
    ask    INTEGER NOT NULL DEFAULT 0,
    seq    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (symbol, time, seq)
) WITHOUT ROWID;
CREATE INDEX ticks_time ON ticks (time);

CREATE TABLE orders (
    id         INTEGER PRIMARY KEY,
    strategy   TEXT    NOT NULL,
    symbol     TEXT    NOT NULL,
    side       TEXT    NOT NULL CHECK (side IN ('BUY', 'SELL')),
    type       TEXT    NOT NULL CHECK (type IN ('MARKET', 'LIMIT')),
    qty        INTEGER NOT NULL CHECK (qty > 0),
    price      INTEGER NOT NULL CHECK (price >= 0),
    status     TEXT    NOT NULL CHECK (status IN ('new', 'accepted', 'partially_filled', 'filled', 'cancelled', 'rejected')),
    filled_qty INTEGER NOT NULL CHECK (filled_qty >= 0),
    reason     TEXT    NOT NULL DEFAULT '',
    created    INTEGER NOT NULL,
    updated    INTEGER
);
CREATE INDEX orders_open ON orders (id) WHERE status IN ('new', 'accepted', 'partially_filled');

CREATE TABLE trades (
    id       INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL,
    strategy TEXT    NOT NULL,
    symbol   TEXT    NOT NULL,
    side     TEXT    NOT NULL CHECK (side IN ('BUY', 'SELL')),
    qty      INTEGER NOT NULL CHECK (qty > 0),
    price    INTEGER NOT NULL CHECK (price > 0),
    fee      INTEGER NOT NULL CHECK (fee >= 0),
    tax      INTEGER NOT NULL CHECK (tax >= 0),
    time     INTEGER NOT NULL,
    UNIQUE (order_id, time, qty, price)
);
CREATE INDEX trades_strategy_time ON trades (strategy, time);

CREATE TABLE positions (
    account  TEXT    NOT NULL,
    symbol   TEXT    NOT NULL,
    qty      INTEGER NOT NULL,
    cost     INTEGER NOT NULL,
    realized INTEGER NOT NULL,
    updated  INTEGER NOT NULL,
    PRIMARY KEY (account, symbol)
) WITHOUT ROWID;

CREATE TABLE strategy_performance (
    strategy     TEXT NOT NULL,
    day          TEXT NOT NULL,  -- YYYY-MM-DD
    daily_return REAL NOT NULL,
    win_rate     REAL NOT NULL,
    sharpe       REAL NOT NULL,
    max_drawdown REAL NOT NULL,
    PRIMARY KEY (strategy, day)
) WITHOUT ROWID;

CREATE TABLE stock_metadata (
    code          TEXT    PRIMARY KEY,
    name          TEXT    NOT NULL,
    market        TEXT    NOT NULL,
    sector        TEXT    NOT NULL DEFAULT '',
    listed_shares INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE risk_metrics (
    time            INTEGER PRIMARY KEY,
    portfolio_value INTEGER NOT NULL,
    var_95          REAL    NOT NULL,
    max_drawdown    REAL    NOT NULL
);

CREATE TABLE system_logs (
    id        INTEGER PRIMARY KEY,
    time      INTEGER NOT NULL,
    component TEXT    NOT NULL,
    level     TEXT    NOT NULL,
    message   TEXT    NOT NULL,
    details   TEXT CHECK (details IS NULL OR json_valid(details))
);
CREATE INDEX system_logs_time ON system_logs (time);

CREATE TABLE strategy_state (
    strategy TEXT    PRIMARY KEY,
    state    TEXT    NOT NULL CHECK (json_valid(state)),
    updated  INTEGER NOT NULL
) WITHOUT ROWID;
