-- 0008: which derivation of the duplicate-detection keys
-- (crm.MatchKeysVersion) crmkit_client_keys holds. Version 2 folds the
-- case, separators and country prefix of foreign tax ids and adds the
-- "surname + initials" key of names written out with a patronymic.
-- Keys are derived in Go, so SQL cannot re-derive them: Migrate does,
-- after the migrations, and a host applying these files with its own
-- tool calls postgres.ReindexMatchKeys after them. Until then a stored
-- key whose derivation changed (a foreign tax id with separators or a
-- country prefix, initials written with spaces) is not found, even by a
-- client spelled the same.

CREATE TABLE crmkit_settings (
    name  text    NOT NULL,
    value integer NOT NULL,
    CONSTRAINT crmkit_settings_pkey PRIMARY KEY (name)
);

INSERT INTO crmkit_settings (name, value) VALUES ('match_keys_version', 1);
