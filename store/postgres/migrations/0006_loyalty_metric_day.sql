-- 0006: the day the tier metric counts an entry on (loyalty.Entry.MetricDate).
-- A return's reversal of qualifying spend counts on its purchase's day, so
-- that it lowers the window the purchase counted in, never a later one;
-- NULL means the entry's own day. Returns posted before this migration get
-- their purchase's day here.

ALTER TABLE crmkit_loyalty_entries ADD COLUMN metric_day date;

UPDATE crmkit_loyalty_entries r
SET metric_day = p.day
FROM crmkit_loyalty_entries p
WHERE r.kind = 'reverse' AND r.reverses = 'earn' AND r.order_id <> ''
  AND p.account_id = r.account_id AND p.order_id = r.order_id
  AND p.kind = 'earn' AND p.source = 'purchase';
