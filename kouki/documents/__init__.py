"""Official documents as PDF, one module per document, with the Japanese font embedded (IPAexGothic).

The kit every letter is built from:
- letter: the A4 letter's blocks (window address, sender, title, intro, heading, ruled grid, footer)
- drawing: canvas helpers (text that fits, wrapping, label | value rows, the card frame, colours)
- pages: `DocumentKind` (what a kind of document is) and one PDF of pages
- batch: the batch engine (numbered files, parallel worker processes)
- render: the registry of every kind (`KINDS`) and rendering by kind or key; its docstring says how a new
  document kind is added
Dates in 和暦 come from kouki.rules.wareki, yen and percent from kouki.rules.formatting.

The documents: shikaku_kakuninsho (資格確認書), shikaku_joho_oshirase (資格情報のお知らせ), premium_notice
(保険料額決定通知書) and premium_change_notice (変更通知) with premium_tables, payment_slip (納付書),
reminder (督促状), payment_certificate (納付確認書), refund_notice (還付通知書), counter_receipt (領収証書).
Documents never carry a personal number: their data classes have no field for one.
"""
