"""Staff administration: creating, enrolling, locking and unlocking staff accounts, and the login/logout
records — the account services that write audit rows.

It sits above `kouki.privacy` (whose gate reads `kouki.accounts` for permissions), so that the accounts
layer itself (models, permissions, TOTP, lockout counters) imports nothing of privacy.
"""
