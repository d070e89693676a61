"""届出 (counter notifications): entry, identity check, four-eyes confirmation (再鑑)."""
