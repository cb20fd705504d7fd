-- Reminders: indexes for the delivery ledger's hot paths.
-- "Does this reminder still have something to send?" is asked for every reminder when the scheduler
-- is rebuilt at start-up. Without this partial index SQLite answers it through
-- reminder_deliveries_by_state, scanning every pending delivery for every reminder (quadratic:
-- minutes with 10,000 reminders); with it, one index probe each.
CREATE INDEX reminder_deliveries_pending ON reminder_deliveries (reminder_id) WHERE state = 'pending';
-- A member's next reminders (/remind list).
CREATE INDEX reminder_deliveries_pending_by_recipient ON reminder_deliveries (recipient) WHERE state = 'pending';
