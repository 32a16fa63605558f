-- 0005: one row per principal with delegations, written by every
-- delegation create and update before its overlap check. The row lock
-- serialises the checks of one principal at every isolation level: under
-- READ COMMITTED a second writer waits and then sees the first's
-- delegation; under REPEATABLE READ or SERIALIZABLE it fails with a
-- serialization failure (which the store retries on its own transactions)
-- instead of checking against a snapshot taken before the first
-- committed. Schema 4 used a transaction-scoped advisory lock, which only
-- READ COMMITTED made safe.

CREATE TABLE crmkit_delegation_principals (
    principal uuid   NOT NULL,
    writes    bigint NOT NULL DEFAULT 0,
    CONSTRAINT crmkit_delegation_principals_pkey PRIMARY KEY (principal)
);

INSERT INTO crmkit_delegation_principals (principal)
SELECT DISTINCT principal FROM crmkit_delegations;
