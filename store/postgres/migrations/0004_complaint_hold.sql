-- 0004: complaint holds (crm.Complaint.Holds). The holds live in the
-- complaint's jsonb document; on_hold says whether the last one still
-- lasts, so that overdue listings (crm.ComplaintFilter.OverdueAt) can
-- leave complaints on hold out in the query. Complaints stored before
-- this migration have no holds.

ALTER TABLE crmkit_complaints ADD COLUMN on_hold boolean NOT NULL DEFAULT false;

-- Overdue listings look only at open complaints that are not on hold.
DROP INDEX crmkit_complaints_open;
CREATE INDEX crmkit_complaints_open ON crmkit_complaints (resolve_due)
    WHERE status IN ('received', 'acknowledged', 'investigating') AND NOT on_hold;
