-- 0007: the start of a complaint's current hold (NULL when not on hold).
-- A hold stops the clock of the deadlines still ahead when it began; a
-- deadline already missed then stays overdue (crm.Complaint.OverdueAt), so
-- overdue listings compare each deadline with held_since instead of
-- leaving every held complaint out.

ALTER TABLE crmkit_complaints ADD COLUMN held_since timestamptz;

UPDATE crmkit_complaints
SET held_since = (doc->'holds'->-1->>'from')::timestamptz
WHERE on_hold;

-- Overdue listings look at every open complaint; the hold is checked
-- against each deadline.
DROP INDEX crmkit_complaints_open;
CREATE INDEX crmkit_complaints_open ON crmkit_complaints (resolve_due)
    WHERE status IN ('received', 'acknowledged', 'investigating');
