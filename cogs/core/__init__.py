"""What every feature shares: errors, checks, time rules, display helpers, safe views."""
