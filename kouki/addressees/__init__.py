"""宛名 (addressees): persons, households, addresses and non-resident addressees, with history."""
