-- 0003: complaints (crm.ComplaintStore). A complaint belongs to a client
-- (a merge moves it to the survivor, with its next version); its events
-- go on the client's timeline (crmkit_events) and the outbox. What the
-- store filters, orders or checks on is a column — status, handler,
-- receipt and SLA deadlines, the requested remedy's value — and the rest
-- is a jsonb document (see complaints.go).

CREATE TABLE crmkit_complaints (
    id                 uuid        NOT NULL,
    version            bigint      NOT NULL,
    client_id          uuid        NOT NULL,
    status             text        NOT NULL,
    handler            uuid,
    received_at        timestamptz NOT NULL,
    acknowledge_due    timestamptz,
    resolve_due        timestamptz,
    -- crm.Complaint.Requested.Value; both NULL for the zero Amount.
    requested_value    numeric,
    requested_currency text,
    doc                jsonb       NOT NULL,
    CONSTRAINT crmkit_complaints_pkey PRIMARY KEY (id),
    CONSTRAINT crmkit_complaints_version_check CHECK (version > 0),
    CONSTRAINT crmkit_complaints_requested_check CHECK ((requested_value IS NULL) = (requested_currency IS NULL)),
    CONSTRAINT crmkit_complaints_client_fkey FOREIGN KEY (client_id)
        REFERENCES crmkit_clients (id)
);

CREATE INDEX crmkit_complaints_client ON crmkit_complaints (client_id, received_at, id);
CREATE INDEX crmkit_complaints_received ON crmkit_complaints (received_at, id);
-- Overdue listings look only at open complaints.
CREATE INDEX crmkit_complaints_open ON crmkit_complaints (resolve_due)
    WHERE status IN ('received', 'acknowledged', 'investigating');
