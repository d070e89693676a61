"""Staff accounts: one named person each, Argon2 passwords, mandatory TOTP, lockout, idle logout."""
