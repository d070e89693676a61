"""Official documents as PDF, one module per document, with the Japanese font embedded (IPAexGothic).

- shikaku_kakuninsho: 資格確認書 (card on an A4 mailing sheet, front and back side by side)
- shikaku_joho_oshirase: 資格情報のお知らせ (A4 notice with a card-size carry slip)
- render: batch and single rendering, in parallel worker processes for large batches
Documents never carry a personal number: their data (CertificateData) has no field for one.
"""
