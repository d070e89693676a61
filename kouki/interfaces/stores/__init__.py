"""コンビニ収納 速報・確報 files from the payment agent (収納代行会社): layout, writing and reading
(docs/interfaces/convenience-store-report.md, ADR 0010)."""
