-- 0002: loyalty (loyalty.Store): accounts with their running totals, the
-- append-only ledger of entries, the lots points live in, reservations held
-- for orders, and the idempotency keys of postings.
--
-- Account ids, order ids and idempotency keys are the host's opaque text
-- (loyalty.Account.ID is a string, not necessarily a uuid); account ids
-- and programmes sort bytewise (COLLATE "C"), as Go compares strings, so
-- that Accounts lists in the same order on every server. Points and money
-- are numeric, written and read exactly; money has its ISO 4217 code beside
-- it, both NULL for the zero Amount. Calendar dates are date. A posting
-- locks its account's row (SELECT ... FOR UPDATE) and writes everything in
-- the same transaction.

CREATE TABLE crmkit_loyalty_accounts (
    id          text        COLLATE "C" NOT NULL,
    programme   text        COLLATE "C" NOT NULL,
    version     bigint      NOT NULL,
    opened      date,
    referred_by text        NOT NULL DEFAULT '',
    tier        text        NOT NULL DEFAULT '',
    tier_since  date,
    -- Running totals of the ledger: balance is the sum of the entries'
    -- points, reserved of their reserved, debt of their debt.
    balance     numeric     NOT NULL DEFAULT 0,
    reserved    numeric     NOT NULL DEFAULT 0,
    debt        numeric     NOT NULL DEFAULT 0,
    paid_orders integer     NOT NULL DEFAULT 0,
    first_order date,
    last_order  date,
    last_earned date,
    last_seq    bigint      NOT NULL DEFAULT 0,
    created_at  timestamptz,
    updated_at  timestamptz,
    CONSTRAINT crmkit_loyalty_accounts_pkey PRIMARY KEY (id),
    CONSTRAINT crmkit_loyalty_accounts_version_check CHECK (version > 0),
    CONSTRAINT crmkit_loyalty_accounts_balance_check CHECK (balance >= 0)
);

CREATE INDEX crmkit_loyalty_accounts_programme ON crmkit_loyalty_accounts (programme, id);

-- Lots: id is the sequence number of the entry that created the lot.
-- Redemption order is (expires, earned, id) with lots that never expire
-- (expires NULL) last: the index orders them by coalesce(expires,
-- 'infinity'), and its partial twin holds only the lots with points left,
-- which is what a posting reads and what a balance sums over (by expiry;
-- the points earned after a past day through the index by day earned).
CREATE TABLE crmkit_loyalty_lots (
    account_id text    COLLATE "C" NOT NULL,
    id         bigint  NOT NULL,
    earned     date    NOT NULL,
    expires    date,
    points     numeric NOT NULL,
    remaining  numeric NOT NULL,
    expired    numeric NOT NULL DEFAULT 0,
    order_id   text    NOT NULL DEFAULT '',
    source     text    NOT NULL DEFAULT '',
    CONSTRAINT crmkit_loyalty_lots_pkey PRIMARY KEY (account_id, id),
    CONSTRAINT crmkit_loyalty_lots_account_fkey FOREIGN KEY (account_id)
        REFERENCES crmkit_loyalty_accounts (id),
    CONSTRAINT crmkit_loyalty_lots_remaining_check CHECK (remaining >= 0)
);

CREATE INDEX crmkit_loyalty_lots_order ON crmkit_loyalty_lots
    (account_id, (coalesce(expires, 'infinity'::date)), earned, id);
CREATE INDEX crmkit_loyalty_lots_live ON crmkit_loyalty_lots
    (account_id, (coalesce(expires, 'infinity'::date)), earned, id) INCLUDE (remaining) WHERE remaining > 0;
CREATE INDEX crmkit_loyalty_lots_earned ON crmkit_loyalty_lots
    (account_id, earned) INCLUDE (remaining) WHERE remaining > 0;

-- The ledger. Draws are two parallel arrays: the lots changed and by how
-- many points (negative when taken).
CREATE TABLE crmkit_loyalty_entries (
    account_id          text        COLLATE "C" NOT NULL,
    seq                 bigint      NOT NULL,
    kind                text        NOT NULL,
    key                 text        NOT NULL,
    day                 date        NOT NULL,
    at                  timestamptz,
    by_whom             text        NOT NULL DEFAULT '',
    order_id            text        NOT NULL DEFAULT '',
    source              text        NOT NULL DEFAULT '',
    note                text        NOT NULL DEFAULT '',
    points              numeric     NOT NULL DEFAULT 0,
    reserved            numeric     NOT NULL DEFAULT 0,
    debt                numeric     NOT NULL DEFAULT 0,
    lot                 bigint      NOT NULL DEFAULT 0,
    expires             date,
    draw_lots           bigint[]    NOT NULL DEFAULT '{}',
    draw_points         numeric[]   NOT NULL DEFAULT '{}',
    total               numeric,
    total_currency      text,
    paid                numeric,
    paid_currency       text,
    qualifying          numeric,
    qualifying_currency text,
    tier_points         numeric     NOT NULL DEFAULT 0,
    value               numeric,
    value_currency      text,
    reverses            text        NOT NULL DEFAULT '',
    target              numeric     NOT NULL DEFAULT 0,
    dropped             numeric     NOT NULL DEFAULT 0,
    forgiven            numeric     NOT NULL DEFAULT 0,
    tier_from           text        NOT NULL DEFAULT '',
    tier_to             text        NOT NULL DEFAULT '',
    CONSTRAINT crmkit_loyalty_entries_pkey PRIMARY KEY (account_id, seq),
    CONSTRAINT crmkit_loyalty_entries_account_fkey FOREIGN KEY (account_id)
        REFERENCES crmkit_loyalty_accounts (id),
    CONSTRAINT crmkit_loyalty_entries_draws_check CHECK (cardinality(draw_lots) = cardinality(draw_points))
);

CREATE INDEX crmkit_loyalty_entries_order ON crmkit_loyalty_entries (account_id, order_id, seq);

-- Points held for an order between placing and paying.
CREATE TABLE crmkit_loyalty_reservations (
    account_id          text      COLLATE "C" NOT NULL,
    order_id            text      NOT NULL,
    key                 text      NOT NULL,
    day                 date      NOT NULL,
    points              numeric   NOT NULL,
    draw_lots           bigint[]  NOT NULL DEFAULT '{}',
    draw_points         numeric[] NOT NULL DEFAULT '{}',
    status              text      NOT NULL,
    captured            numeric   NOT NULL DEFAULT 0,
    captured_lots       bigint[]  NOT NULL DEFAULT '{}',
    captured_points     numeric[] NOT NULL DEFAULT '{}',
    CONSTRAINT crmkit_loyalty_reservations_pkey PRIMARY KEY (account_id, order_id),
    CONSTRAINT crmkit_loyalty_reservations_account_fkey FOREIGN KEY (account_id)
        REFERENCES crmkit_loyalty_accounts (id)
);

-- Idempotency keys: every posting that succeeded, with the fingerprint of
-- its request and what it returned — the account as it was after it
-- (a jsonb document, decimals as strings holding every digit) and the
-- range of sequence numbers of its entries (first_seq > last_seq when it
-- wrote none).
CREATE TABLE crmkit_loyalty_postings (
    account_id  text   COLLATE "C" NOT NULL,
    key         text   NOT NULL,
    fingerprint text   NOT NULL,
    first_seq   bigint NOT NULL,
    last_seq    bigint NOT NULL,
    account     jsonb  NOT NULL,
    CONSTRAINT crmkit_loyalty_postings_pkey PRIMARY KEY (account_id, key),
    CONSTRAINT crmkit_loyalty_postings_account_fkey FOREIGN KEY (account_id)
        REFERENCES crmkit_loyalty_accounts (id)
);
