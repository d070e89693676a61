"""資格 (eligibility): insured periods as the union decided them, and the daily exchange with the union."""
