"""Infrastructure shared by every app (database plumbing, configuration, audit vocabulary)."""
