"""A simulated bank for 口座振替: reads a request file, writes a result file (files only, no database)."""
