"""Benefit rules (給付): amounts the union pays to the insured. Pure; no Django."""
