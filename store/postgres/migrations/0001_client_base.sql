-- 0001: the client base (crm.Store): clients with their duplicate-detection
-- keys, interactions, timeline events with their outbox, and delegations.
--
-- Every table name starts with crmkit_, so the schema can share a database
-- (and a schema) with the host's own tables. Identifiers are uuid; instants
-- are timestamptz (kept to the microsecond); money is numeric plus its ISO
-- 4217 currency code. What crmkit filters or indexes on is a column; the
-- rest of a record is a jsonb document whose shape the postgres package
-- defines (see its doc.go).

CREATE TABLE crmkit_clients (
    id                 uuid        NOT NULL,
    version            bigint      NOT NULL,
    owner              uuid        NOT NULL,
    stage              text        NOT NULL,
    tier               text        NOT NULL,
    tags               text[]      NOT NULL DEFAULT '{}',
    -- The client's INN key ("RU:7707083893"): unique among live clients
    -- that are not accepted duplicates (crm.Client.UniqueINNKey).
    inn_key            text,
    accepted_duplicate boolean     NOT NULL DEFAULT false,
    merged_into        uuid,
    -- crm.Client.Credit.Limit; both NULL for the zero Amount.
    credit_limit       numeric,
    credit_currency    text,
    -- Kept by the store as interactions are logged; never by UpdateClient.
    last_contact_at    timestamptz,
    created_at         timestamptz,
    updated_at         timestamptz,
    doc                jsonb       NOT NULL,
    CONSTRAINT crmkit_clients_pkey PRIMARY KEY (id),
    CONSTRAINT crmkit_clients_version_check CHECK (version > 0),
    CONSTRAINT crmkit_clients_credit_check CHECK ((credit_limit IS NULL) = (credit_currency IS NULL))
);

CREATE UNIQUE INDEX crmkit_clients_inn_key ON crmkit_clients (inn_key)
    WHERE merged_into IS NULL AND NOT accepted_duplicate;
CREATE INDEX crmkit_clients_owner ON crmkit_clients (owner, id);
CREATE INDEX crmkit_clients_tags ON crmkit_clients USING gin (tags);

-- The duplicate-detection index (crm.Client.MatchKeys) of live clients.
CREATE TABLE crmkit_client_keys (
    kind      text NOT NULL,
    value     text NOT NULL,
    client_id uuid NOT NULL,
    CONSTRAINT crmkit_client_keys_pkey PRIMARY KEY (kind, value, client_id),
    CONSTRAINT crmkit_client_keys_client_fkey FOREIGN KEY (client_id)
        REFERENCES crmkit_clients (id) ON DELETE CASCADE
);

CREATE INDEX crmkit_client_keys_client ON crmkit_client_keys (client_id);

CREATE TABLE crmkit_interactions (
    id        uuid        NOT NULL,
    client_id uuid        NOT NULL,
    at        timestamptz NOT NULL,
    doc       jsonb       NOT NULL,
    CONSTRAINT crmkit_interactions_pkey PRIMARY KEY (id),
    CONSTRAINT crmkit_interactions_client_fkey FOREIGN KEY (client_id)
        REFERENCES crmkit_clients (id)
);

CREATE INDEX crmkit_interactions_client ON crmkit_interactions (client_id, at, id);

-- Timelines. client_id is NULL for events of no client (delegations);
-- a merge moves the merged client's rows to the survivor.
CREATE TABLE crmkit_events (
    id           uuid        NOT NULL,
    client_id    uuid,
    kind         text        NOT NULL,
    at           timestamptz NOT NULL,
    recorded_at  timestamptz,
    actor        uuid,
    on_behalf_of uuid,
    subject      uuid,
    data         jsonb,
    CONSTRAINT crmkit_events_pkey PRIMARY KEY (id),
    CONSTRAINT crmkit_events_client_fkey FOREIGN KEY (client_id)
        REFERENCES crmkit_clients (id)
);

CREATE INDEX crmkit_events_timeline ON crmkit_events (client_id, at, id);

-- The outbox: every event as it was written, in the order written, for a
-- host to publish (Store.ClaimOutbox, or its own poller with
-- FOR UPDATE SKIP LOCKED). Rows are never moved by a merge.
CREATE TABLE crmkit_outbox (
    seq          bigint      GENERATED ALWAYS AS IDENTITY,
    event_id     uuid        NOT NULL,
    client_id    uuid,
    kind         text        NOT NULL,
    at           timestamptz NOT NULL,
    recorded_at  timestamptz,
    actor        uuid,
    on_behalf_of uuid,
    subject      uuid,
    data         jsonb,
    published_at timestamptz,
    CONSTRAINT crmkit_outbox_pkey PRIMARY KEY (seq)
);

CREATE INDEX crmkit_outbox_unpublished ON crmkit_outbox (seq) WHERE published_at IS NULL;

CREATE TABLE crmkit_delegations (
    id           uuid        NOT NULL,
    version      bigint      NOT NULL,
    principal    uuid        NOT NULL,
    deputy       uuid        NOT NULL,
    valid_from   timestamptz NOT NULL,
    valid_to     timestamptz NOT NULL,
    cancelled_at timestamptz,
    -- crm.Delegation.End: the cancellation when it came before valid_to.
    ends_at      timestamptz GENERATED ALWAYS AS (LEAST(valid_to, cancelled_at)) STORED,
    doc          jsonb       NOT NULL,
    CONSTRAINT crmkit_delegations_pkey PRIMARY KEY (id),
    CONSTRAINT crmkit_delegations_version_check CHECK (version > 0)
);

CREATE INDEX crmkit_delegations_principal ON crmkit_delegations (principal, id);
CREATE INDEX crmkit_delegations_deputy ON crmkit_delegations (deputy, id);
