"""The demo's fiscal year (issue 11 §5): a synthetic city lives through FY2025 with the simulated union,
the simulated bank and payment agent, and its members of staff doing their work through the same
services, files and imports the screens and commands use — so that every screen of the demo has people
to show. Nothing here is used by the product; `kouki demo` drives it (kouki.commands.demo).

- `cast`: the staff accounts that act (operator for batches and imports, counter clerk, supervisor).
- `payers`: how each person who pays directly pays (bank debit, convenience store, counter, late, not at
  all), drawn from the seed.
- `channels`: the month's payments through each channel's real file or counter service, and the union's
  特別徴収 results.
- `desk`: the staff's work on the money: refunds, reminders, pledges, write-offs, a notification.
- `timeline`: the year, month by month.
- `examples`: three people worth looking at (arrears, an overpayment, a notification awaiting 再鑑).
"""
